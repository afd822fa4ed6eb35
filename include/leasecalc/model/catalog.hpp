// The GPU catalog and H100-equivalence bases (README "H100-equivalents").
//
// Each model carries its public figures (dense BF16/FP8 TFLOPS, HBM size and bandwidth,
// TDP), each with sources. A basis names the figure that converts a model into H100
// equivalents: factor = model's figure / H100's figure. Models match by exact id only.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "leasecalc/model/errors.hpp"
#include "leasecalc/model/figure.hpp"

namespace leasecalc {

enum class Basis { bf16, fp8, hbm_bw, units };

const NameTable<Basis>& basis_names();  // bf16, fp8, hbm-bw, units
inline std::string_view basis_name(Basis b) { return name_of(basis_names(), b); }
inline std::optional<Basis> parse_basis(std::string_view text) {
  return parse_name(basis_names(), text);
}
// The catalog field a basis compares ("bf16_tflops"), or "" for `units`.
std::string_view basis_field(Basis basis);
// "dense BF16 TFLOPS relative to H100 SXM": printed beside H100e figures.
std::string_view basis_description(Basis basis);

struct Source {
  std::string id;
  std::string title;
  std::string publisher;
  std::string date;
  std::string kind;
  std::string url;
};

struct GpuModel {
  struct Field {
    std::string name;  // "bf16_tflops"
    Figure figure;
    Location where;  // in the file that gave it
  };
  std::string id;
  std::string name;
  std::vector<Field> fields;
  Location where;
  std::string file;

  const Field* field(std::string_view name) const;
};

struct Catalog {
  std::vector<Source> sources;
  std::vector<GpuModel> models;

  const GpuModel* find(std::string_view id) const;  // exact match only
  GpuModel* find(std::string_view id);
  std::vector<std::string> ids() const;
};

// The catalog fields a model may have, with their units and labels.
struct CatalogFieldSpec {
  std::string_view name;
  std::string_view label;
  std::string_view unit_name;
};
const std::vector<CatalogFieldSpec>& catalog_fields();

}  // namespace leasecalc

#include "leasecalc/catalog.hpp"

namespace leasecalc {

const NameTable<Basis>& basis_names() {
  static const NameTable<Basis> table{{Basis::bf16, "bf16"},
                                      {Basis::fp8, "fp8"},
                                      {Basis::hbm_bw, "hbm-bw"},
                                      {Basis::units, "units"}};
  return table;
}

std::string_view basis_field(Basis basis) {
  switch (basis) {
    case Basis::bf16:
      return "bf16_tflops";
    case Basis::fp8:
      return "fp8_tflops";
    case Basis::hbm_bw:
      return "hbm_tbs";
    case Basis::units:
      return "";
  }
  return "";
}

std::string_view basis_description(Basis basis) {
  switch (basis) {
    case Basis::bf16:
      return "dense BF16 TFLOPS relative to H100 SXM";
    case Basis::fp8:
      return "dense FP8 TFLOPS relative to H100 SXM";
    case Basis::hbm_bw:
      return "HBM bandwidth relative to H100 SXM";
    case Basis::units:
      return "every GPU counts as one H100e";
  }
  return "";
}

const GpuModel::Field* GpuModel::field(std::string_view field_name) const {
  for (const auto& f : fields)
    if (f.name == field_name) return &f;
  return nullptr;
}

const GpuModel* Catalog::find(std::string_view id) const {
  for (const auto& m : models)
    if (m.id == id) return &m;
  return nullptr;
}

GpuModel* Catalog::find(std::string_view id) {
  for (auto& m : models)
    if (m.id == id) return &m;
  return nullptr;
}

std::vector<std::string> Catalog::ids() const {
  std::vector<std::string> out;
  for (const auto& m : models)
    out.push_back(m.id);
  return out;
}

const std::vector<CatalogFieldSpec>& catalog_fields() {
  static const std::vector<CatalogFieldSpec> fields{
      {"bf16_tflops", "dense BF16 TFLOPS", "TFLOPS"},
      {"fp8_tflops", "dense FP8 TFLOPS", "TFLOPS"},
      {"hbm_gb", "HBM capacity", "GB"},
      {"hbm_tbs", "HBM bandwidth", "TB/s"},
      {"tdp_w", "max TDP", "W"},
  };
  return fields;
}

}  // namespace leasecalc

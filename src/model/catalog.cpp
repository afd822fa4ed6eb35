#include "leasecalc/model/catalog.hpp"

namespace leasecalc {

const NameTable<Basis>& basis_names() {
  static const NameTable<Basis> table{{Basis::bf16, "bf16"},
                                      {Basis::fp8, "fp8"},
                                      {Basis::hbm_bw, "hbm-bw"},
                                      {Basis::units, "units"}};
  return table;
}

namespace {
struct BasisInfo {
  Basis basis;
  std::string_view field;  // the catalog figure it compares; "" for units
  std::string_view description;
};
constexpr BasisInfo k_bases[] = {
    {Basis::bf16, "bf16_tflops", "dense BF16 TFLOPS relative to H100 SXM"},
    {Basis::fp8, "fp8_tflops", "dense FP8 TFLOPS relative to H100 SXM"},
    {Basis::hbm_bw, "hbm_tbs", "HBM bandwidth relative to H100 SXM"},
    {Basis::units, "", "every GPU counts as one H100e"},
};
const BasisInfo& info(Basis basis) {
  for (const auto& b : k_bases)
    if (b.basis == basis) return b;
  return k_bases[0];
}
}  // namespace

std::string_view basis_field(Basis basis) { return info(basis).field; }
std::string_view basis_description(Basis basis) { return info(basis).description; }

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
      {"server_w_per_gpu", "server power per GPU", "W"},
  };
  return fields;
}

}  // namespace leasecalc

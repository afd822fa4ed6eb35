// The scenario loader: what it accepts, and the exact errors for what it does not.
// (The end-to-end corpus in tests/bad/ covers the error text through the real binary.)
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "helpers.hpp"
#include "leasecalc/model/keys.hpp"

using namespace leasecalc;

namespace {
const char* k_minimal = R"({
  "schema": "leasecalc/scenario/v1", "name": "t",
  "cluster": {"gpus": {"GB200": {"count": 10}}},
  "lease": {"price_per_gpu_hour": 2}
})";

std::string error_of(std::string_view text) {
  try {
    test::from_text(text);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

std::string replaced(std::string text, std::string_view from, std::string_view to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}
}  // namespace

TEST_CASE("the bundled catalog: every figure sourced, ids exact", "[loader]") {
  const Catalog c = test::catalog();
  CHECK(c.ids() == std::vector<std::string>{"H100", "H100-PCIe", "H200", "B200", "GB200", "A100",
                                            "MI300X", "MI325X", "MI355X", "B300", "GB300", "H20",
                                            "L40S"});
  for (const auto& m : c.models)
    for (const auto& f : m.fields) {
      INFO(m.id << "." << f.name);
      CHECK_FALSE(f.figure.sources.empty());
      // Vendor figures are primary; where the pages disagree (B300's memory, bandwidth and
      // power; H20's FP8, quoted as INT8) they are reported, and so is GB200's power per
      // GPU in a rack, a range of vendor pages (120-132 kW / 72), not NVIDIA's guide.
      const bool disputed = (m.id == "B300" && f.name != "bf16_tflops" && f.name != "fp8_tflops") ||
                            (m.id == "H20" && f.name == "fp8_tflops") ||
                            (m.id == "GB200" && f.name == "server_w_per_gpu");
      CHECK(f.figure.tag == (disputed ? Tag::reported : Tag::primary));
    }
  CHECK(c.find("GB200")->field("bf16_tflops")->figure.value == 2500);
  // A server's maximum input over its GPUs: DGX H100 10,200 W / 8 = 1,275; DGX B200
  // 14,300 W / 8 = 1,787.5; GB200 NVL72 126 kW (120-132) / 72 = 1,750.
  CHECK(c.find("H100")->field("server_w_per_gpu")->figure.value == 10200.0 / 8);
  CHECK(c.find("H200")->field("server_w_per_gpu")->figure.value == 10200.0 / 8);
  CHECK(c.find("B200")->field("server_w_per_gpu")->figure.value == 14300.0 / 8);
  CHECK(c.find("GB200")->field("server_w_per_gpu")->figure.value == 126000.0 / 72);
  CHECK(c.find("GB200")->field("server_w_per_gpu")->figure.low == Approx(120000.0 / 72).margin(1));
  CHECK(c.find("B200")->field("bf16_tflops")->figure.value == 2250);
  CHECK_FALSE(c.find("b200"));
  CHECK_FALSE(c.find("GB20"));
  CHECK_FALSE(c.find("A100")->field("fp8_tflops"));  // A100 has no FP8
}

TEST_CASE("GB200 never matches B200", "[loader]") {
  const Scenario s = test::from_text(k_minimal);
  REQUIRE(s.gpus.size() == 1);
  CHECK(s.gpus[0].model == "GB200");
  const Report r = build_report(s, Basis::bf16);
  // GB200 factor 2500/989, not B200's 2250/989
  CHECK(test::row(r, "cluster.h100e.factor.GB200").value == Approx(2500.0 / 989));
}

TEST_CASE("defaults and figure forms", "[loader]") {
  const Scenario s = test::from_text(k_minimal);
  CHECK(s.hours_per_year.value == 8760);
  CHECK(s.hours_per_year.tag == Tag::exact);
  CHECK(s.occupancy.value == 1);
  CHECK(s.occupancy.tag == Tag::assumption);
  CHECK(s.price->tag == Tag::assumption);  // a bare number elsewhere is an assumption
  CHECK_FALSE(s.discount);
  CHECK(s.basis == Basis::bf16);

  const Scenario c = test::colossus();
  CHECK(c.fleet_h100e->bound == Bound::at_least);
  CHECK(c.price->low == 2.2);
  CHECK(c.price->high == 3.0);
  CHECK(c.gpus[0].count.approx);
  CHECK(c.find_source("mirae-2026-05-08")->kind == "broker");
  CHECK(c.find_source("nvidia-h100-spec"));  // catalog sources are visible
}

TEST_CASE("a scenario may add and override catalog entries", "[loader]") {
  const std::string text = replaced(k_minimal, "\"cluster\"", R"("catalog": {
      "MI300X": {"name": "AMD MI300X", "bf16_tflops": 1307, "hbm_tbs": 5.3},
      "GB200": {"bf16_tflops": {"value": 2450, "note": "derated"}}},
    "cluster")");
  const std::string with_mi = replaced(text, R"("GB200": {"count": 10})",
                                       R"("GB200": {"count": 10}, "MI300X": {"count": 4})");
  const Scenario s = test::from_text(with_mi);
  const Report r = build_report(s, Basis::bf16);
  CHECK(test::row(r, "cluster.h100e.factor.MI300X").value == Approx(1307.0 / 989));
  CHECK(test::row(r, "cluster.h100e.factor.GB200").value == Approx(2450.0 / 989));
  // The override is an untagged object, an assumption, and the factor inherits it.
  CHECK(test::row(r, "cluster.h100e.factor.GB200").tag == Tag::assumption);
  CHECK(test::row(r, "cluster.h100e.factor.MI300X").tag == Tag::assumption);
}

TEST_CASE("per-type prices must cover the cluster exactly", "[loader]") {
  const std::string two = replaced(k_minimal, R"("GB200": {"count": 10})",
                                   R"("GB200": {"count": 10}, "H100": {"count": 5})");
  const Scenario s = test::from_text(replaced(two, R"("price_per_gpu_hour": 2)",
                                              R"("price_per_gpu_hour": {"GB200": 4, "H100": 2})"));
  CHECK_FALSE(s.price);
  CHECK(s.gpus[0].price->value == 4);
  CHECK(s.gpus[1].price->value == 2);
  // 10 x 4 x 8,760 + 5 x 2 x 8,760 = 350,400 + 87,600 = 438,000
  CHECK(test::row(build_report(s, Basis::bf16), "lease.annual_revenue").value == Approx(438000.0));

  CHECK(error_of(
            replaced(two, R"("price_per_gpu_hour": 2)", R"("price_per_gpu_hour": {"GB200": 4})")) ==
        "t.json:4:35: /lease/price_per_gpu_hour: no price for H100: a per-type price object must "
        "price every model in /cluster/gpus");
}

TEST_CASE("loader errors name the place and what is allowed", "[loader]") {
  CHECK(error_of(replaced(k_minimal, "\"count\": 10", "\"count\": 10.5")) ==
        "t.json:3:43: /cluster/gpus/GB200/count: must be a whole number, got 10.5");
  CHECK(
      error_of(replaced(k_minimal, "\"lease\"", "\"leese\"")) ==
      "t.json:4:3: /leese: unknown key \"leese\" (did you mean \"lease\"?); allowed here: "
      "$schema, schema, name, as_of, note, sources, catalog, cluster, fleet, lease, leases, loss, "
      "basis, "
      "capacity, peers, valuation, comps, facts, tag_ranges, correlations, cases, costs, capex, "
      "finance, "
      "debt, market, tail");
  CHECK(error_of(replaced(k_minimal, "\"GB200\"", "\"GB-200\""))
            .starts_with("t.json:3:34: /cluster/gpus/GB-200: unknown GPU model \"GB-200\" (did you "
                         "mean \"GB200\"?)"));
  CHECK(error_of(replaced(k_minimal, "leasecalc/scenario/v1", "leasecalc/scenario/v2")) ==
        "t.json:2:13: /schema: unsupported schema \"leasecalc/scenario/v2\"; expected "
        "\"leasecalc/scenario/v1\"");
  CHECK(error_of(replaced(k_minimal, "\"name\": \"t\",", "")) ==
        "t.json:1:1: /: missing required key \"name\"");
  CHECK(
      error_of(replaced(k_minimal, "\"count\": 10",
                        "\"count\": {\"value\": 10, \"tag\": \"primary\"}")) ==
      "t.json:3:43: /cluster/gpus/GB200/count: a primary figure needs a \"source\": an id declared "
      "under /sources (only exact and assumption figures may have none)");
}

TEST_CASE("the schema lists every field of the key table that has a place in the file",
          "[loader]") {
  // A key-table row with a fixed place ("costs/pue") is read there by the loader; the
  // JSON Schema (additionalProperties false) must name it too, or an editor flags a file
  // that leasecalc reads. Forgetting the schema when adding an input fails here.
  const auto schema =
      nlohmann::json::parse(test::slurp("data/schema/scenario.schema.json"))["properties"];
  std::size_t checked = 0;
  for (const auto& row : input_keys()) {
    if (row.json.empty()) continue;
    const std::string place(row.json);
    const std::string section = place.substr(0, place.find('/'));
    const std::string field = place.substr(place.find('/') + 1);
    INFO(row.pattern << " at /" << place);
    REQUIRE(schema.contains(section));
    CHECK(schema[section]["properties"].contains(field));
    ++checked;
  }
  CHECK(checked >= 13);  // the rows with a fixed place today: lease, costs, capex, finance
}

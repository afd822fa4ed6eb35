// libFuzzer target: any bytes, as a scenario and as a note, through the loader, the
// calculations on every basis, every report format, the contract's schedule, a small
// simulation (its correlations, sensitivity, probabilities and histogram) and a tornado;
// `update` with no change must give the file back, and with a --set of any input must
// write a file that holds it. Soundness of provenance: nudging
// any input must move only figures that list it.
// It must never crash, hang or print a non-finite number: the only allowed failure is an
// InputError, which the command line turns into exit 3.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string_view>

#include "leasecalc/calc/note.hpp"
#include "leasecalc/calc/override.hpp"
#include "leasecalc/calc/schedule.hpp"
#include "leasecalc/calc/simulate.hpp"
#include "leasecalc/load/loader.hpp"
#include "leasecalc/load/update.hpp"
#include "leasecalc/model/embedded.hpp"
#include "leasecalc/model/keys.hpp"
#include "leasecalc/render/format.hpp"

using namespace leasecalc;

namespace {

// nlohmann writes a non-finite number as null: a JSON report with a null anywhere shows a
// figure that should have been an error or "undefined" (which leaves the value out).
bool has_null(const nlohmann::json& j) {
  if (j.is_null()) return true;
  if (j.is_structured())
    for (const auto& item : j)
      if (has_null(item)) return true;
  return false;
}

void check_finite(const std::string& json_text) {
  if (has_null(nlohmann::json::parse(json_text))) std::abort();
}

// Every input slot nudged on plain doubles (by 1%, by 1 for a whole number, to 0.01 from
// 0): a figure whose value moves must list the input among its tracked inputs.
void check_sound(Scenario& s, Basis b) {
  const Model m(s, b);
  std::vector<Tracked> tracked;
  m.evaluate(m.tracked_inputs(), tracked);
  Inputs<double> in = m.plain_inputs();
  std::vector<double> base, moved;
  m.evaluate(in, base);
  for (const auto& ref : input_figures(s, b)) {
    const std::size_t slot = m.input_slot(ref.key);
    const double was = in[slot];
    in[slot] = ref.domain.whole ? was + 1 : was != 0 ? was * 1.01 : 0.01;
    m.evaluate(in, moved);
    in[slot] = was;
    for (std::size_t i = 0; i < moved.size(); ++i) {
      if (moved[i] == base[i] || (std::isnan(moved[i]) && std::isnan(base[i]))) continue;
      const auto listed = tracked[i].inputs.list();
      if (std::find(listed.begin(), listed.end(), ref.key) == listed.end()) std::abort();
    }
  }
}

// update with a --set of an input chosen by the bytes, to a value chosen by them: one the
// command line refuses is skipped; otherwise the new text loads (or is refused as an
// input error, an overflow) and holds the value set.
void check_update(std::string_view text, Scenario& s, const Catalog& catalog,
                  const std::uint8_t* data, std::size_t size) {
  static const double values[] = {0, 1, 0.5, 2.6, 36, 1e9, -1, 1e308, 1e-320, 1000.5, 0.85};
  const auto inputs = input_figures(s, Basis::bf16);
  if (inputs.empty() || size < 2) return;
  Override o;
  o.key = inputs[data[0] % inputs.size()].key;
  o.value = values[data[size - 1] % std::size(values)];
  Update update;
  update.sets.push_back(o);
  std::string written;
  try {
    Scenario check = s;
    apply_override(check, o);
    written = update_text(text, s, update);
  } catch (const UsageError&) {  // a ValueError too
    return;                      // refused: a value outside the domain or a kept range
  }
  try {
    const Scenario after = load_scenario(written, "updated.json", catalog);
    const Figure* f = figure_for_key(after, o.key);
    if (!f || f->value != o.value) std::abort();
  } catch (const InputError&) {  // the new value overflows a figure: refused on loading
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Catalog catalog = load_catalog(embedded::gpus_json(), "gpus.json");
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    Scenario s = load_scenario(text, "fuzz.json", catalog);
    // update with no change gives the file back, byte for byte.
    if (update_text(text, s, Update{}) != text) std::abort();
    check_update(text, s, catalog, data, size);
    for (Basis b : {Basis::bf16, Basis::fp8, Basis::hbm_bw, Basis::units}) {
      try {
        const Report r = build_report(s, b);
        // Every format on one basis; JSON, the one with an oracle, on all of them.
        for (Format f : {Format::table, Format::csv, Format::tsv, Format::json, Format::md}) {
          if (b != Basis::bf16 && f != Format::json) continue;
          std::ostringstream out;
          write_report(out, r, f, Style{});
          if (f == Format::json) check_finite(out.str());
        }
        if (b == Basis::bf16 || b == Basis::units) check_sound(s, b);
        if (b == Basis::bf16) {  // the contract month by month, when there is one
          const Model m(s, b);
          if (m.find_output("contract.revenue_total") != Model::npos) {
            std::ostringstream out;
            write_schedule(out, build_schedule(m, s.name, Period::quarter, {}), Format::json,
                           Style{});
          }
        }
        Scenario copy = s;
        const auto inputs = ranged_inputs(copy, b);
        if (!inputs.empty()) {
          const Model m(copy, b);
          const std::size_t target = m.find_output("lease.annual_revenue");
          double base = 0;
          (void)tornado(m, inputs, target, base);
          // The correlations (a key that is no ranged input, or a matrix that cannot
          // hold, is an InputError), then a small run with every statistic asked for.
          const Correlator correlator(inputs.size(), resolve_correlations(copy, inputs));
          SummaryRequest request;
          request.sensitivity = true;
          request.histogram_bins = 8;
          request.thresholds = {{Compare::ge, 0}, {Compare::lt, 1e9}};
          try {
            (void)simulate_summary(m, inputs, correlator, 1, 16, target, 1, request);
            // The block path (the vector draws of simd::first_draws, then the scalar
            // finish) against draw(), sample by sample: the same bits.
            const Correlator independent;  // the sampler keeps a reference to it
            BlockSampler sampler(inputs, independent, 3, 37);
            sampler.draw(1000, 1037);
            for (std::size_t j = 0; j < inputs.size(); ++j)
              for (std::size_t i = 1000; i < 1037; ++i) {
                const double want = draw(inputs[j], 3, i, j), got = sampler.column(j)[i - 1000];
                if (std::memcmp(&want, &got, sizeof want) != 0) __builtin_trap();
              }
          } catch (const std::runtime_error&) {  // an overflow or an unreachable domain: reported
          }
        }
      } catch (const InputError&) {  // e.g. a model without the basis figure, or an overflow
      }
    }
  } catch (const InputError&) {
  }
  try {
    (void)load_note(text, "fuzz.json");
  } catch (const InputError&) {
  }
  return 0;
}

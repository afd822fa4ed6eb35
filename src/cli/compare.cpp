// compare: scenarios, or one scenario's cases, side by side (README "Cases and
// comparisons").
#include <fmt/format.h>

#include <filesystem>
#include <sstream>

#include "common.hpp"
#include "leasecalc/model/errors.hpp"
#include "leasecalc/model/text.hpp"

namespace leasecalc::cli {
namespace {

struct CompareOptions {
  std::vector<std::string> scenarios;
  std::vector<std::string> sets;
  std::string case_name, basis, out, format = "table", output;
  bool cases = false;
};

// A column's name: the file's name without ".json", or its path where two names meet.
std::vector<std::string> column_names(const std::vector<std::string>& paths) {
  std::vector<std::string> names;
  for (const auto& p : paths)
    names.push_back(p.empty()  ? "colossus1-lease"
                    : p == "-" ? "stdin"
                               : std::filesystem::path(p).stem().string());
  for (std::size_t i = 0; i < names.size(); ++i)
    for (std::size_t j = 0; j < names.size(); ++j)
      if (i != j && names[i] == names[j] && !paths[i].empty()) names[i] = paths[i];
  return names;
}

void run_compare(const CompareOptions& o) {
  const Format format =
      format_option(o.format, {Format::table, Format::csv, Format::tsv, Format::json, Format::md});
  Comparison c;
  std::vector<std::string> paths = o.scenarios;
  if (paths.empty()) paths.emplace_back();  // the bundled scenario
  auto report_of = [&](const std::string& path, const std::string& case_name) {
    ScenarioOptions so;
    so.scenario = path;
    so.sets = o.sets;
    so.case_name = case_name;
    so.basis = o.basis;
    Scenario s = load(so);
    const Basis basis = basis_option(so, s);
    return build_report(std::move(s), basis);
  };
  if (o.cases) {
    if (paths.size() != 1)
      throw UsageError(fmt::format(
          "compare --cases: one scenario, whose cases are the columns (got {})", paths.size()));
    if (!o.case_name.empty()) throw UsageError("compare: --case or --cases, not both");
    const Scenario s = load_path(paths.front(), {});
    if (s.cases.empty())
      throw UsageError(
          fmt::format("compare --cases: {} has no cases (a \"cases\" block)",
                      input_label(paths.front().empty() ? "colossus1-lease.json" : paths.front())));
    c.columns.push_back({"base", report_of(paths.front(), "")});
    for (const auto& each : s.cases)
      c.columns.push_back({each.name, report_of(paths.front(), each.name)});
  } else {
    if (paths.size() < 2 && o.case_name.empty())
      throw UsageError("compare: two scenarios or more, or --cases (one scenario's cases)");
    const auto names = column_names(paths);
    for (std::size_t i = 0; i < paths.size(); ++i)
      c.columns.push_back({names[i], report_of(paths[i], o.case_name)});
  }
  if (o.out.empty()) {
    for (const auto& key : headline_keys())
      for (const auto& col : c.columns)
        if (col.report.find(key)) {
          c.keys.push_back(key);
          break;
        }
  } else {
    for (const auto& key : split_keys(o.out)) {
      bool found = false;
      std::vector<std::string> known;
      for (const auto& col : c.columns) {
        found = found || col.report.find(key);
        for (const auto& r : col.report.rows)
          known.push_back(r.key);
      }
      if (!found)
        throw UsageError(
            fmt::format("compare --out: unknown figure key \"{}\"{}", key, suggestion(key, known)));
      c.keys.push_back(key);
    }
  }
  std::ostringstream text;
  write_compare(text, c, format, style_for(o.output));
  emit(o.output, text.str(), format);
}

}  // namespace

Command add_compare(CLI::App& app) {
  auto o = std::make_shared<CompareOptions>();
  CLI::App* cmd = app.add_subcommand(
      "compare",
      "Figures side by side, one column per scenario or per case, each with its tag and its "
      "change against the first");
  cmd->add_option("scenario", o->scenarios,
                  "Scenario files, the first the one each change is against; default: the "
                  "bundled Colossus 1 lease")
      ->type_name("FILE");
  cmd->add_flag("--cases", o->cases,
                "One scenario's cases as the columns: base (the file as it is) first, then each "
                "case in file order (default: off)");
  cmd->add_option("--out", o->out,
                  "Figures to compare, comma-separated keys (default: the report's headline: "
                  "revenue, coverage, break-even price, margin, contract NPV, IRR and payback, "
                  "equity IRR, least DSCR, those the scenarios have)")
      ->type_name("KEY,...");
  add_keys_option(cmd, "Add a column of figure keys to the text table (default: off)");
  cmd->add_option("--set", o->sets,
                  "Override an input of every column: KEY=VALUE[@TAG[:SOURCE]], repeatable, "
                  "after the case")
      ->type_name("KEY=VALUE[@TAG[:SOURCE]]")
      ->allow_extra_args(false);
  cmd->add_option("--basis", o->basis,
                  "H100-equivalence basis: bf16, fp8, hbm-bw or units (default: each "
                  "scenario's, else bf16)")
      ->type_name("BASIS");
  add_case_option(cmd, o->case_name);
  add_format_options(cmd, o->format, o->output, "table, csv, tsv, json or md");
  cmd->footer(
      "Examples:\n"
      "  leasecalc compare data/scenarios/neocloud-build.json --cases\n"
      "  leasecalc compare data/scenarios/colossus1-lease.json data/scenarios/colossus1-ipo.json\n"
      "  leasecalc compare data/scenarios/neocloud-build.json --cases --out "
      "contract.npv,equity.irr --format csv");
  return {cmd, exits_zero([o] { run_compare(*o); })};
}

}  // namespace leasecalc::cli

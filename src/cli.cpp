#include "leasecalc/cli.hpp"

#include <fmt/format.h>
#include <unistd.h>
#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <sstream>

#include "leasecalc/embedded.hpp"
#include "leasecalc/errors.hpp"
#include "leasecalc/format.hpp"
#include "leasecalc/loader.hpp"
#include "leasecalc/output.hpp"
#include "leasecalc/report.hpp"
#include "leasecalc/text.hpp"

#ifndef LEASECALC_VERSION
#define LEASECALC_VERSION "0.0.0"
#endif

namespace leasecalc {
namespace {

constexpr std::string_view k_bundled_label = "(bundled) data/scenarios/colossus1-lease.json";

// Options shared by every command that reads a scenario.
struct ScenarioOptions {
  std::string scenario;  // a path, or empty for the bundled Colossus 1 scenario
  std::string basis;     // empty: the scenario's own
  std::string format = "table";
  std::string output;  // -o FILE; empty: standard output
};

void add_scenario_options(CLI::App* cmd, ScenarioOptions& o) {
  cmd->add_option("scenario", o.scenario,
                  "Scenario file (leasecalc/scenario/v1); default: the bundled Colossus 1 lease");
  cmd->add_option("--basis", o.basis,
                  "H100-equivalence basis: bf16, fp8, hbm-bw or units "
                  "(default: the scenario's, else bf16)");
  cmd->add_option("--format", o.format, "Output format: table, csv, tsv, json or md")
      ->capture_default_str();
  cmd->add_option("-o,--output", o.output,
                  "Write to FILE (atomically: a failed run leaves FILE as it was)");
}

Format format_option(const std::string& text) {
  if (auto f = parse_format(text)) return *f;
  throw UsageError("--format: " + unknown_choice("format", text, names_of(format_names())));
}

Catalog bundled_catalog() {
  return load_catalog(embedded::gpus_json(),
                      fmt::format("(bundled) {}", embedded::gpus_json_path()));
}

Scenario read_scenario(const ScenarioOptions& o, const Catalog& catalog) {
  if (o.scenario.empty())
    return load_scenario(embedded::colossus1_json(), k_bundled_label, catalog);
  return load_scenario(read_input_file(o.scenario), o.scenario, catalog);
}

Basis basis_option(const ScenarioOptions& o, const Scenario& s) {
  if (o.basis.empty()) return s.basis;
  if (auto b = parse_basis(o.basis)) return *b;
  throw UsageError("--basis: " + unknown_choice("basis", o.basis, names_of(basis_names())));
}

// Colour only on a terminal, never with NO_COLOR set (no-color.org), never into a file.
Style style_for(const std::string& output) {
  const char* no_color = std::getenv("NO_COLOR");
  const bool disabled = no_color != nullptr && no_color[0] != '\0';
  return Style{output.empty() && !disabled && ::isatty(STDOUT_FILENO) == 1};
}

std::string run_report(const ScenarioOptions& o) {
  const Format format = format_option(o.format);
  const Catalog catalog = bundled_catalog();
  Scenario scenario = read_scenario(o, catalog);
  const Basis basis = basis_option(o, scenario);
  const Report report = build_report(std::move(scenario), basis);
  std::ostringstream out;
  write_report(out, report, format, style_for(o.output));
  return out.str();
}

int fail(ExitCode code, std::string_view message) {
  std::cerr << "leasecalc: error: " << message << '\n';
  return static_cast<int>(code);
}

}  // namespace

int cli_main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);  // a closed pipe becomes EPIPE, handled quietly
  CLI::App app{
      "leasecalc: GPU lease economics, with the confidence of the evidence behind every "
      "figure.",
      "leasecalc"};
  app.set_version_flag("--version", std::string("leasecalc ") + LEASECALC_VERSION);
  app.require_subcommand(1);
  app.footer(
      "Exit codes: 0 success, 1 a check failed or no solution, 2 usage error, 3 input error, "
      "4 output error.\nRun 'leasecalc COMMAND --help' for a command's options and examples.");

  ScenarioOptions report_opts;
  CLI::App* report = app.add_subcommand(
      "report", "Every figure of a scenario, as a table with the tag of each figure");
  add_scenario_options(report, report_opts);
  report->footer(
      "Examples:\n"
      "  leasecalc report                                  # the bundled Colossus 1 lease\n"
      "  leasecalc report my-lease.json --basis hbm-bw     # memory-bandwidth H100e\n"
      "  leasecalc report --format csv -o colossus1.csv    # for a spreadsheet");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) return app.exit(e);
    std::string message = e.what();
    return fail(ExitCode::usage, message + "\nRun 'leasecalc --help' for usage.");
  }

  try {
    std::string out;
    std::string output;
    if (report->parsed()) {
      out = run_report(report_opts);
      output = report_opts.output;
    }
    write_output(output, out);
    return static_cast<int>(ExitCode::success);
  } catch (const UsageError& e) {
    return fail(ExitCode::usage, e.what());
  } catch (const InputError& e) {
    return fail(ExitCode::input, e.what());
  } catch (const OutputError& e) {
    return fail(ExitCode::output, e.what());
  } catch (const std::exception& e) {
    std::cerr << "leasecalc: internal error: " << e.what() << '\n';
    return 70;
  }
}

}  // namespace leasecalc

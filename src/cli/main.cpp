// The command line: registers the commands, parses, runs one, and maps every error to
// the exit codes of README "Errors" in one place.
#include <CLI/CLI.hpp>
#include <csignal>
#include <iostream>

#include "common.hpp"
#include "leasecalc/cli/cli.hpp"
#include "leasecalc/model/errors.hpp"

#ifndef LEASECALC_VERSION
#define LEASECALC_VERSION "0.0.0"
#endif

namespace leasecalc {
namespace {

int fail(ExitCode code, std::string_view message) {
  std::cerr << "leasecalc: error: " << message << '\n';
  return static_cast<int>(code);
}

}  // namespace

using namespace cli;

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

  const std::vector<Command> commands{
      add_report(app), add_explain(app),   add_sweep(app),    add_solve(app),   add_check(app),
      add_diff(app),   add_sources(app),   add_simulate(app), add_tornado(app), add_schedule(app),
      add_update(app), add_cashflows(app), add_workbook(app), add_compare(app)};

  // Old figure keys (lease.discount) still work: each is replaced and said once.
  std::vector<std::string> args = current_keys({argv, argv + argc});
  std::vector<char*> current;
  for (auto& a : args)
    current.push_back(a.data());
  try {
    app.parse(static_cast<int>(current.size()), current.data());
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) return app.exit(e);
    return fail(ExitCode::usage, std::string(e.what()) + "\nRun 'leasecalc --help' for usage.");
  }

  try {
    for (const auto& c : commands)
      if (c.app->parsed()) return c.run();
    return static_cast<int>(ExitCode::success);
  } catch (const UsageError& e) {
    return fail(ExitCode::usage, e.what());
  } catch (const InputError& e) {
    return fail(ExitCode::input, e.what());
  } catch (const OutputError& e) {
    return fail(ExitCode::output, e.what());
  } catch (const NoSolution& e) {
    std::cerr << "leasecalc: no solution: " << e.what() << '\n';
    return static_cast<int>(ExitCode::check_failed);
  } catch (const std::exception& e) {
    std::cerr << "leasecalc: internal error: " << e.what() << '\n';
    return static_cast<int>(ExitCode::internal);
  }
}

}  // namespace leasecalc

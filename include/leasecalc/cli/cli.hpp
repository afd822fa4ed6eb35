// The command layer: parses the command line, runs one command, prints, and maps
// errors to the exit codes of README "Errors". Everything it calls is in the core.
#pragma once

namespace leasecalc {

// Runs leasecalc with these arguments and returns the process exit code.
int cli_main(int argc, char** argv);

}  // namespace leasecalc

#include "leasecalc/cli/cli.hpp"

int main(int argc, char** argv) { return leasecalc::cli_main(argc, argv); }

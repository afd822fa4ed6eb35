// Reads the JSON file formats into plain structs. Pure: takes text, not paths.
//
// Every value is validated where it is read, and every error is an InputError that
// names the file, line, column and JSON pointer (README "Errors"). Numbers are read from their
// source text by the strict reader, never through silent conversions.
#pragma once

#include <string_view>

#include "leasecalc/model/catalog.hpp"
#include "leasecalc/model/scenario.hpp"

namespace leasecalc {

// Reads a GPU catalog (`leasecalc/gpus/v1`). Throws InputError.
Catalog load_catalog(std::string_view text, std::string_view file);

// Reads a scenario (`leasecalc/scenario/v1`) on top of `catalog`, whose models and
// sources the scenario may use, add to or override. Throws InputError.
Scenario load_scenario(std::string_view text, std::string_view file, const Catalog& catalog);

}  // namespace leasecalc

// Shared test helpers: load scenarios the way the command layer does.
#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "leasecalc/calc/report.hpp"
#include "leasecalc/calc/simulate.hpp"
#include "leasecalc/load/loader.hpp"
#include "leasecalc/model/embedded.hpp"

namespace leasecalc::test {

inline Catalog catalog() { return load_catalog(embedded::gpus_json(), "data/gpus.json"); }

inline std::string slurp(const std::string& relative) {
  std::ifstream in(std::string(LEASECALC_SOURCE_DIR) + "/" + relative, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// An input with a range, of the tests' own: positive values, no scenario behind it.
inline RangedInput ranged(std::string key, double value, double low, double high, Dist dist,
                          const Unit& unit = units::one) {
  Figure f;
  f.value = value;
  f.low = low;
  f.high = high;
  f.dist = dist;
  f.unit = unit;
  return {std::move(key), f, Domain::above(0)};
}

inline Scenario colossus() {
  return load_scenario(embedded::colossus1_json(), "colossus1-lease.json", catalog());
}
inline Scenario nebula() {
  return load_scenario(slurp("tests/scenarios/nebula.json"), "nebula.json", catalog());
}
inline Scenario kestrel() {
  return load_scenario(slurp("tests/scenarios/kestrel.json"), "kestrel.json", catalog());
}
inline Scenario from_text(std::string_view text) {
  return load_scenario(text, "t.json", catalog());
}

// Every scenario the project ships or tests with, relative to the source folder.
inline std::vector<std::string> scenario_files() {
  std::vector<std::string> files;
  for (const char* dir : {"data/scenarios", "tests/scenarios"})
    for (const auto& e :
         std::filesystem::directory_iterator(std::string(LEASECALC_SOURCE_DIR) + "/" + dir))
      if (e.path().extension() == ".json")
        files.push_back(std::string(dir) + "/" + e.path().filename().string());
  std::sort(files.begin(), files.end());
  return files;
}

// The message of the UsageError that f throws, or "" when it throws none.
template <class F>
std::string usage_error(F&& f) {
  try {
    f();
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}

// The value of a report row, failing the test when the key is missing.
inline const Row& row(const Report& r, std::string_view key) {
  const Row* found = r.find(key);
  if (!found) throw std::runtime_error("no row " + std::string(key));
  return *found;
}

}  // namespace leasecalc::test

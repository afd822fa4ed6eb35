// Helpers for end-to-end tests: run the real binary from the source directory and
// capture its exit code, stdout and stderr; read CSV and text-table output.
#pragma once

#include <sys/wait.h>
#include <unistd.h>
#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace leasecalc::e2e {

namespace fs = std::filesystem;

struct Result {
  int code = -1;
  std::string out, err;
};

// A path in the temporary directory, unique to this test process: leasecalc-PID-NAME.
inline std::string temp_path(const std::string& name) {
  return (fs::temp_directory_path() / ("leasecalc-" + std::to_string(::getpid()) + "-" + name))
      .string();
}

inline std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline Result run_shell(const std::string& shell) {
  static int n = 0;
  const fs::path dir = fs::temp_directory_path() /
                       ("leasecalc-e2e-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
  fs::create_directories(dir);
  const std::string cmd = "cd '" LEASECALC_SOURCE_DIR "' && ( " + shell + " ) >'" +
                          (dir / "out").string() + "' 2>'" + (dir / "err").string() + "'";
  const int status = std::system(cmd.c_str());
  Result r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = read_all(dir / "out");
  r.err = read_all(dir / "err");
  fs::remove_all(dir);
  return r;
}

// Runs `leasecalc ARGS` in the source directory, with `env` (VAR=value ...) before it.
inline Result run(const std::string& args, const std::string& env = "") {
  return run_shell(env + " '" LEASECALC_BIN "' " + args);
}

inline bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The text-table row of a figure key, with runs of spaces squeezed to one, so checks do
// not depend on column widths. A row has the key as a whole word followed by column
// padding (two spaces) or at its end, which headings and formulas do not.
inline std::string line_of(const std::string& table, const std::string& key) {
  std::istringstream in(table);
  std::string line;
  while (std::getline(in, line)) {
    const auto at = line.find(key);
    if (at == std::string::npos || (at > 0 && line[at - 1] != ' ')) continue;
    const std::string after = line.substr(at + key.size());
    if (!after.starts_with("  ") &&
        !(after.empty() && at > 0 && line.substr(0, at).ends_with("  ")))
      continue;
    std::string squeezed;
    for (char c : line)
      if (!(c == ' ' && !squeezed.empty() && squeezed.back() == ' ')) squeezed += c;
    return squeezed;
  }
  return "(no line for " + key + ")";
}

// Splits one CSV record (no embedded line breaks) into fields, per RFC 4180.
inline std::vector<std::string> csv_record(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"')
        fields.back() += '"', ++i;
      else if (c == '"')
        quoted = false;
      else
        fields.back() += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else if (c != '\r') {
      fields.back() += c;
    }
  }
  return fields;
}

// key -> fields of each record of a report CSV or TSV
inline std::map<std::string, std::vector<std::string>> records(const std::string& text, char sep) {
  std::map<std::string, std::vector<std::string>> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    if (sep == ',') {
      f = csv_record(line);
    } else {
      std::istringstream fields(line);
      std::string x;
      while (std::getline(fields, x, sep))
        f.push_back(x);
      if (!line.empty() && line.back() == sep) f.emplace_back();
    }
    out[f[0]] = f;
  }
  return out;
}

struct Cell {
  int type;  // gnumeric ValueType: 40 a number, 60 a string
  std::string text;
};

// Opens a CSV in gnumeric (ssconvert to its XML format) and returns cells by (row, col).
inline std::map<std::pair<int, int>, Cell> spreadsheet(const std::string& csv_path) {
  const std::string out = csv_path + ".gnumeric";
  const Result conv = run_shell("ssconvert --import-type=Gnumeric_stf:stf_csvtab '" + csv_path +
                                "' '" + out + "' 2>/dev/null && zcat '" + out + "'");
  REQUIRE(conv.code == 0);
  std::map<std::pair<int, int>, Cell> cells;
  const std::regex cell(
      R"re(<gnm:Cell Row="(\d+)" Col="(\d+)" ValueType="(\d+)">([^<]*)</gnm:Cell>)re");
  for (std::sregex_iterator it(conv.out.begin(), conv.out.end(), cell), end; it != end; ++it) {
    std::string text = (*it)[4];
    for (auto [from, to] :
         {std::pair{"&quot;", "\""}, {"&lt;", "<"}, {"&gt;", ">"}, {"&amp;", "&"}})
      for (std::size_t at; (at = text.find(from)) != std::string::npos;)
        text.replace(at, std::string(from).size(), to);
    cells[{std::stoi((*it)[1]), std::stoi((*it)[2])}] = Cell{std::stoi((*it)[3]), text};
  }
  std::filesystem::remove(out);
  return cells;
}

}  // namespace leasecalc::e2e

// End-to-end: the real binary, run from the source directory on checked-in files.
// Expected numbers come from the hand arithmetic in test_calc.cpp and README "What leasecalc report
// shows".
#include <sys/wait.h>
#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "e2e.hpp"
#include "helpers.hpp"

using namespace leasecalc::e2e;

TEST_CASE("report: the key figures of Colossus 1 in the table", "[e2e]") {
  const Result r = run("report --wide");
  REQUIRE(r.code == 0);
  CHECK(r.err.empty());
  CHECK(has(r.out, "Colossus 1 lease to Anthropic"));
  CHECK(has(r.out, "basis bf16 (dense BF16 TFLOPS relative to H100 SXM)"));
  // 220,000 x 2.60 x 8,760 = 5,010,720,000
  auto line = [&](const std::string& key) { return line_of(r.out, key); };
  CHECK(has(line("lease.annual_revenue"), " ~$5.01B/yr 5,010,720,000 estimate* "));
  // 150,000 + 50,000 + 20,000 x 2500/989 = 250,556.1
  CHECK(has(line("cluster.h100e.total"), " ~251k H100e 250,556.1 reported* "));
  // 250,556.1 / 550,000 = 45.56%, and at most: the fleet is 550k+
  CHECK(has(line("fleet.share_h100e"), " at most ~45.6% 45.5557% reported* "));
  CHECK(has(line("breakeven.coverage"), " ~83.5% 83.512% estimate* "));      // 5.01072 / 6
  CHECK(has(line("breakeven.price"), " ~$3.113/GPU-h 3.1133 estimate* "));   // 6e9 / 1.9272e9
  CHECK(has(line("breakeven.occupancy"), " ~119.7% 119.7433% estimate* "));  // 6 / 5.01072
  CHECK(has(line("breakeven.occupancy"), "unattainable: above 100% occupancy"));
  CHECK(has(line("lease.revenue_per_mw"), " at most ~$16.7M/MW-yr 16,702,400 estimate* "));
  CHECK(has(line("power.kw_per_gpu"), " at least ~1.364 kW/GPU 1.3636 reported* "));  // 300 / 220
  CHECK(has(line("cluster.power_mw"), " at least 300 MW 300 primary "));
  CHECK(has(line("lease.gpu_hours"), " ~1.93B GPU-h/yr 1,927,200,000 estimate* "));  // 220k x 8,760
  // 6e9 / (2.60 x 8,760) = 263,435.2, rounded up to a whole GPU
  CHECK(has(line("breakeven.gpus"), " 263k GPU 263,436 estimate* "));
  CHECK(r.out.find('\x1b') == std::string::npos);  // not a terminal: no colour
}

TEST_CASE("report --format csv: raw numbers, documented columns, then bound, approx and note",
          "[e2e]") {
  const Result r = run("report --format csv");
  REQUIRE(r.code == 0);
  CHECK(
      r.out.starts_with("key,label,value,unit,tag,derived,low,high,sources,bound,approx,note\r\n"));
  auto rec = records(r.out, ',');
  CHECK(rec["lease.annual_revenue"] ==
        std::vector<std::string>{"lease.annual_revenue", "Annual lease revenue", "5010720000",
                                 "USD/yr", "estimate", "true", "", "",
                                 "mirae-2026-05-08;yk-2026-05-09", "", "true", ""});
  CHECK(rec["lease.price_per_gpu_hour"] ==
        std::vector<std::string>{"lease.price_per_gpu_hour", "Lease price", "2.6", "USD/GPU-h",
                                 "estimate", "false", "2.2", "3", "mirae-2026-05-08", "", "false",
                                 ""});
  // What the table says in words survives: "at least 550k", "unattainable".
  CHECK(rec["fleet.h100e"][9] == "at-least");
  CHECK(rec["breakeven.occupancy"][11] == "unattainable: above 100% occupancy");
  // A share is a ratio, not a percentage: 250,556.117 / 550,000
  CHECK(std::stod(rec["fleet.share_h100e"][2]) == Approx(250556.117 / 550000));
  CHECK(rec["fleet.share_h100e"][3] == "ratio");
  CHECK(rec["fleet.share_h100e"][9] == "at-most");
  CHECK(std::stod(rec["breakeven.price"][2]) == Approx(6e9 / 1927200000.0));
  CHECK(rec["cluster.gpus.total"][2] == "220000");
  // The label with a comma stays in one field.
  CHECK(has(r.out, "\"Share of the fleet's H100e (bf16)\"") == false);  // no comma: not quoted
  for (const auto& [key, fields] : rec)
    for (std::size_t i : {2, 6, 7}) {  // value, low, high: plain numbers
      INFO(key);
      CHECK(fields[i].find_first_of("$%,") == std::string::npos);
    }
}

TEST_CASE("command-line numbers in the units the tool prints", "[e2e]") {
  // 85% is 0.85; $2.20 is 2.2; 1.8T is 1.8e12: 220,000 x 2.2 x 8,760 x 0.85 = 3,603,864,000
  const Result r =
      run("report --set lease.occupancy=85% --set 'lease.price_per_gpu_hour=$2.20' "
          "--set valuation=1.8T --format csv");
  REQUIRE(r.code == 0);
  auto rec = records(r.out, ',');
  CHECK(rec["lease.occupancy"][2] == "0.85");
  CHECK(rec["lease.price_per_gpu_hour"][2] == "2.2");
  CHECK(rec["valuation"][2] == "1800000000000");
  CHECK(rec["lease.annual_revenue"][2] == "3603864000");
  // A sweep from 80% to 90% by 5%, and a target of 100%: 6e9 / (220,000 x 8,760 x 2.60)
  // = 119.74% occupancy, out of reach
  const Result s = run("sweep --vary lease.occupancy=80%:90%:5% --out lease.gpu_hours");
  REQUIRE(s.code == 0);
  CHECK(s.out ==
        "lease.occupancy,lease.gpu_hours\r\n0.8,1541760000\r\n0.85,1638120000\r\n"
        "0.9,1734480000\r\n");  // 220,000 x 8,760 x 0.8, 0.85, 0.9
  const Result t = run("solve --target breakeven.coverage=100% --vary lease.price_per_gpu_hour");
  REQUIRE(t.code == 0);
  CHECK(has(line_of(t.out, "lease.price_per_gpu_hour"), "$3.113/GPU-h"));  // 6e9 / 1,927,200,000
  const Result k =
      run("report --set fleet.h100e=550k --set loss.annual_net_loss=5.0B --format csv");
  REQUIRE(k.code == 0);
  CHECK(records(k.out, ',')["fleet.h100e"][2] == "550000");
  CHECK(records(k.out, ',')["loss.annual_net_loss"][2] == "5000000000");
  const Result bad = run("report --set lease.occupancy=85percent");
  CHECK(bad.code == 2);
  CHECK(bad.err ==
        "leasecalc: error: --set lease.occupancy: \"85percent\" is not a number: unexpected 'p'; "
        "write a plain number, a share as 85%, a price as $2.20, or 550k, 5.0B, 1.8T\n");
}

TEST_CASE("standard input: - as a scenario or a note", "[e2e]") {
  const Result r =
      run_shell("'" LEASECALC_BIN "' report - --format csv < data/scenarios/colossus1-lease.json");
  REQUIRE(r.code == 0);
  CHECK(has(r.out, "\r\nlease.annual_revenue,Annual lease revenue,5010720000,"));
  const Result bad = run_shell("echo '{' | '" LEASECALC_BIN "' report -");
  CHECK(bad.code == 3);
  CHECK(bad.err.starts_with("leasecalc: error: <stdin>:"));
  // A read error names standard input the same way, not as "-".
  const Result dir = run_shell("'" LEASECALC_BIN "' report - < /");
  CHECK(dir.code == 3);
  CHECK(dir.err == "leasecalc: error: <stdin>: cannot read: is a directory\n");
  CHECK(run_shell("'" LEASECALC_BIN "' cashflows - < /").err ==
        "leasecalc: error: <stdin>: cannot read: is a directory\n");
  // A note from stdin finds its scenario relative to the current directory.
  const Result n = run_shell(
      "sed 's|../scenarios/|data/scenarios/|' data/notes/yk-2026-05-09.json | '" LEASECALC_BIN
      "' check -");
  CHECK(n.code == 0);
  CHECK(has(n.out, "note <stdin>, scenario data/scenarios/colossus1-lease.json"));
}

TEST_CASE("report --format tsv", "[e2e]") {
  const Result r = run("report --format tsv");
  REQUIRE(r.code == 0);
  CHECK(r.out.starts_with(
      "key\tlabel\tvalue\tunit\ttag\tderived\tlow\thigh\tsources\tbound\tapprox\tnote\n"));
  auto rec = records(r.out, '\t');
  CHECK(rec["breakeven.gap"][2] == "989280000");  // 6,000,000,000 - 5,010,720,000
  CHECK(rec["breakeven.gap"][4] == "estimate");
}

TEST_CASE("report --format json", "[e2e]") {
  const Result r = run("report --format json");
  REQUIRE(r.code == 0);
  const auto doc = nlohmann::json::parse(r.out);
  CHECK(doc["schema"] == "leasecalc/report/v1");
  CHECK(doc["basis"] == "bf16");
  const auto& rev = doc["figures"]["lease.annual_revenue"];
  CHECK(rev["value"].get<double>() == Approx(5010720000.0));
  CHECK(rev["unit"] == "USD/yr");
  CHECK(rev["tag"] == "estimate");
  CHECK(rev["derived"] == true);
  CHECK(rev["sources"] == nlohmann::json::array({"mirae-2026-05-08", "yk-2026-05-09"}));
  CHECK(doc["figures"]["fleet.share_h100e"]["bound"] == "at-most");
  CHECK(doc["figures"]["breakeven.occupancy"]["note"] == "unattainable: above 100% occupancy");
  CHECK(doc["figures"]["lease.price_per_gpu_hour"]["low"].get<double>() == 2.2);
  // 6e9 / (2.60 x 8,760) = 263,435.19
  CHECK(doc["figures"]["breakeven.gpus"]["value"].get<double>() == 263436);
}

TEST_CASE("report --format md", "[e2e]") {
  const Result r = run("report --format md");
  REQUIRE(r.code == 0);
  CHECK(r.out.starts_with("# Colossus 1 lease to Anthropic\n"));
  CHECK(has(r.out, "| figure | value | exact | tag | key | sources | note |"));
  CHECK(has(r.out,
            "|   Annual lease revenue | ~$5.01B/yr | 5,010,720,000 | estimate* | "
            "lease.annual_revenue |"));
}

TEST_CASE("report on the second scenario, with a basis from the shell", "[e2e]") {
  const Result r = run("report tests/scenarios/nebula.json --format csv --basis units");
  REQUIRE(r.code == 0);
  auto rec = records(r.out, ',');
  // 8,760 x 0.9 x 0.9 x (1,000 x 2 + 400 x 5 + 2,000 x 0.8) = 39,735,360
  CHECK(std::stod(rec["lease.annual_revenue"][2]) == Approx(39735360.0));
  CHECK(rec["lease.annual_revenue"][4] == "assumption");  // the B200 price is a bare number
  CHECK(rec["cluster.h100e.total"][2] == "3400");         // units: 1,000 + 400 + 2,000
  CHECK(rec.count("catalog.H100.bf16_tflops") == 0);      // no catalog figure on this basis
}

TEST_CASE("colour only on a terminal, never with NO_COLOR", "[e2e]") {
  // `script` gives the binary a pseudo-terminal as its standard output.
  REQUIRE(std::system("command -v script >/dev/null 2>&1") == 0);  // util-linux, on every Debian
  const Result tty = run_shell("script -qec \"'" LEASECALC_BIN "' report\" /dev/null");
  CHECK(has(tty.out, "\x1b[33mestimate*\x1b[0m"));
  const Result no_color =
      run_shell("NO_COLOR=1 script -qec \"'" LEASECALC_BIN "' report\" /dev/null");
  CHECK(has(no_color.out, "estimate*"));
  CHECK(no_color.out.find("\x1b[") == std::string::npos);
}

TEST_CASE("output file: -o writes the file and nothing to stdout", "[e2e]") {
  const fs::path out = temp_path("o.csv");
  const Result r = run("report --format csv -o '" + out.string() + "'");
  CHECK(r.code == 0);
  CHECK(r.out.empty());
  CHECK(read_all(out).starts_with("key,label,value"));
  fs::remove(out);
  // Into a directory that does not exist: an output error, exit 4.
  const Result missing = run("report -o /nonexistent-dir/x.csv");
  CHECK(missing.code == 4);
  CHECK(missing.err ==
        "leasecalc: error: cannot write /nonexistent-dir/x.csv: No such file or directory\n");
}

TEST_CASE("a failed run leaves the old -o file as it was", "[e2e]") {
  const fs::path out = temp_path("keep");
  { std::ofstream(out) << "old contents\n"; }
  const Result r = run("report tests/bad/zero-price.json -o '" + out.string() + "'");
  CHECK(r.code == 3);
  CHECK(read_all(out) == "old contents\n");
  // and no temporary file is left beside it
  for (const auto& e : fs::directory_iterator(out.parent_path()))
    CHECK_FALSE(e.path().filename().string().starts_with("." + out.filename().string() + ".tmp"));
  fs::remove(out);
}

TEST_CASE("output faults: a full disk exits 4, a closed pipe ends quietly", "[e2e]") {
  const Result full = run("report >/dev/full");
  CHECK(full.code == 4);
  CHECK(full.err == "leasecalc: error: cannot write to standard output: No space left on device\n");
  // The reader (`true`) is gone before leasecalc writes: the write fails with EPIPE.
  // PIPESTATUS[0] is the exit code of the subshell, which is leasecalc's.
  const Result pipe = run_shell("bash -c \"(sleep 0.3; '" LEASECALC_BIN
                                "' report) | true; "
                                "echo \\${PIPESTATUS[0]}\"");
  CHECK(pipe.out == "0\n");
  CHECK(pipe.err.empty());
}

TEST_CASE("version, help and usage errors", "[e2e]") {
  const Result v = run("--version");
  CHECK(v.code == 0);
  CHECK(v.out == "leasecalc 0.1.0\n");
  const Result h = run("report --help");
  CHECK(h.code == 0);
  CHECK(has(h.out, "Examples:"));
  CHECK(has(h.out, "--basis"));

  const Result none = run("");
  CHECK(none.code == 2);
  CHECK(none.out.empty());
  CHECK(none.err.starts_with("leasecalc: error: A subcommand is required"));
  const Result fmt = run("report --format xls");
  CHECK(fmt.code == 2);
  CHECK(fmt.err ==
        "leasecalc: error: --format: unknown format \"xls\"; allowed: table, csv, tsv, json, md\n");
  const Result basis = run("report --basis bf61");
  CHECK(basis.code == 2);
  CHECK(basis.out.empty());
  CHECK(basis.err ==
        "leasecalc: error: --basis: unknown basis \"bf61\" (did you mean \"bf16\"?); allowed: "
        "bf16, fp8, "
        "hbm-bw, units\n");
  const Result opt = run("report --frobnicate");
  CHECK(opt.code == 2);
  CHECK(opt.out.empty());
  CHECK(has(opt.err, "--frobnicate"));
  const Result cmd = run("reprot");
  CHECK(cmd.code == 2);
  CHECK(cmd.out.empty());
}

TEST_CASE("an input file over 16 MiB is refused", "[e2e][bad]") {
  const fs::path big = temp_path("big.json");
  {
    std::ofstream out(big, std::ios::binary);
    out << std::string((16u << 20) + 1, ' ') << "{}";  // 16 MiB + 3 bytes
  }
  const Result r = run("report '" + big.string() + "'");
  CHECK(r.code == 3);
  CHECK(r.out.empty());
  CHECK(r.err == "leasecalc: error: " + big.string() +
                     ": cannot read: larger than the 16 MiB limit for input files\n");
  fs::remove(big);
}

namespace {
std::vector<fs::path> bad_cases() {
  std::vector<fs::path> cases;
  for (const auto& e : fs::directory_iterator(fs::path(LEASECALC_SOURCE_DIR) / "tests/bad"))
    if (e.path().extension() == ".expected") cases.push_back(e.path());
  std::sort(cases.begin(), cases.end());
  return cases;
}
}  // namespace

TEST_CASE("bad input: the corpus is whole", "[e2e][bad]") {
  // tests/CMakeLists.txt runs each case as its own CTest, with tests/bad_case.cmake.
  const auto cases = bad_cases();
  CHECK(cases.size() >= 57);
  for (const auto& c : cases) {
    std::istringstream expected(read_all(c));
    std::string code, message;
    std::getline(expected, code);
    std::getline(expected, message);
    INFO(c.string());
    CHECK((code == "2" || code == "3" || code == "4"));
    CHECK(message.starts_with("leasecalc: error: "));
  }
}

// End-to-end: outputs never damage what they point at (README "Reliability"): devices,
// FIFOs, symbolic links, modes and owners, a command's own inputs; update checks before it
// writes; a signal leaves no temporary file; a long name fits.
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "e2e.hpp"

using namespace leasecalc::e2e;
namespace fs = std::filesystem;

namespace {

// A private directory with a copy of the bundled lease in it, removed at the end.
struct Scratch {
  fs::path dir = temp_path("reliability");
  std::string scenario = (dir / "s.json").string();
  Scratch() {
    fs::create_directories(dir);
    fs::copy_file(std::string(LEASECALC_SOURCE_DIR) + "/data/scenarios/colossus1-lease.json",
                  scenario);
  }
  ~Scratch() { fs::remove_all(dir); }
  std::string path(const std::string& name) const { return (dir / name).string(); }
  bool no_temp_left() const {
    for (const auto& e : fs::directory_iterator(dir))
      if (e.path().filename().string().find(".tmp-") != std::string::npos) return false;
    return true;
  }
};

}  // namespace

TEST_CASE("update checks everything before it writes: a failure leaves the file as it was",
          "[e2e][reliability]") {
  Scratch x;
  const std::string before = read_all(x.scenario);
  // An occupancy of 1e-320 is valid alone, but the break-even price then overflows: named by
  // its --set, exit 2, nothing written.
  const Result tiny = run("update " + x.scenario + " --in-place --set lease.occupancy=1e-320");
  CHECK(tiny.code == 2);
  CHECK(
      tiny.err.starts_with("leasecalc: error: update: --set lease.occupancy=1e-320: "
                           "breakeven.price overflows"));
  CHECK(!has(tiny.err, "s.json:"));  // no place in a file that was never written
  // A note that cannot be read: exit 3, nothing written.
  CHECK(run("update " + x.scenario + " --in-place --set lease.occupancy=0.9 --notes " +
            x.path("missing.json"))
            .code == 3);
  // Standard output that fails (a full device): exit 4, the file as it was.
  CHECK(run_shell("'" LEASECALC_BIN "' update " + x.scenario +
                  " --in-place --set lease.occupancy=0.9 > /dev/full")
            .code == 4);
  CHECK(read_all(x.scenario) == before);
  CHECK(x.no_temp_left());
  // A run that succeeds writes it.
  CHECK(run("update " + x.scenario + " --in-place --set lease.occupancy=0.9").code == 0);
  CHECK(read_all(x.scenario) != before);
}

TEST_CASE("an output refuses its own input, the same file twice and a directory",
          "[e2e][reliability]") {
  Scratch x;
  const std::string before = read_all(x.scenario);
  const Result self = run("report " + x.scenario + " --format csv -o " + x.scenario);
  CHECK(self.code == 2);
  CHECK(self.err == "leasecalc: error: " + x.scenario +
                        ": is one of this command's inputs: write the output to another file\n");
  CHECK(read_all(x.scenario) == before);
  const Result twice = run("simulate --samples 10 --seed 1 --samples-out " + x.path("a.csv") +
                           " -o " + x.path("a.csv"));
  CHECK(twice.code == 2);
  CHECK(has(twice.err, "written twice by this command"));
  CHECK(!fs::exists(x.path("a.csv")));
  fs::create_directories(x.path("d"));
  for (const std::string& d : {x.path("d"), x.path("d") + "/"}) {
    const Result dir = run("report -o " + d);
    CHECK(dir.code == 4);
    CHECK(dir.err == "leasecalc: error: cannot write " + d + ": is a directory\n");
  }
  CHECK(x.no_temp_left());
}

TEST_CASE("an output keeps a link, a mode, an owner, a FIFO, a device, and a long name fits",
          "[e2e][reliability]") {
  Scratch x;
  // A symbolic link: the file it names is updated, the link stays a link.
  const std::string link = x.path("link.json");
  fs::create_symlink("s.json", link);
  REQUIRE(run("update " + link + " --in-place --set lease.occupancy=0.95").code == 0);
  CHECK(fs::is_symlink(link));
  CHECK(has(read_all(x.scenario), "\"occupancy\": {\"value\": 0.95"));
  // The mode is kept (0640 here, not mkstemp's 0600 or the umask's).
  REQUIRE(::chmod(x.scenario.c_str(), 0640) == 0);
  REQUIRE(run("update " + x.scenario + " --in-place --set lease.occupancy=0.9").code == 0);
  struct stat st {};
  REQUIRE(::stat(x.scenario.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0640);
  // A FIFO is written into, not replaced.
  const std::string fifo = x.path("f.fifo");
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  const Result piped =
      run_shell("cat " + fifo + " > " + x.path("fifo.out") +
                " & '" LEASECALC_BIN "' report --format csv -o " + fifo + "; wait");
  CHECK(piped.code == 0);
  REQUIRE(::lstat(fifo.c_str(), &st) == 0);
  CHECK(S_ISFIFO(st.st_mode));
  CHECK(read_all(x.path("fifo.out")).starts_with("key,label,value,unit,tag,derived"));
  // A 250-byte name: its temporary name is cut to fit NAME_MAX.
  const std::string long_name = x.path(std::string(246, 'n') + ".csv");
  CHECK(run("report --format csv -o " + long_name).code == 0);
  CHECK(fs::file_size(long_name) > 1000);
  if (::geteuid() != 0) {
    WARN("not root: the device-node and owner cases are skipped");
  } else {
    // Root: a device node (null, 1:3) stays a device; another user's file keeps its owner.
    const std::string node = x.path("null");
    REQUIRE(run_shell("mknod " + node + " c 1 3").code == 0);
    CHECK(run("report -o " + node).code == 0);
    REQUIRE(::lstat(node.c_str(), &st) == 0);
    CHECK(S_ISCHR(st.st_mode));
    REQUIRE(::chown(x.scenario.c_str(), 65534, 65534) == 0);
    REQUIRE(run("update " + x.scenario + " --in-place --set lease.occupancy=0.85").code == 0);
    REQUIRE(::stat(x.scenario.c_str(), &st) == 0);
    CHECK(st.st_uid == 65534);
    CHECK(st.st_gid == 65534);
  }
  CHECK(x.no_temp_left());
}

TEST_CASE("a signal during a sweep leaves no temporary file and exits as the shell expects",
          "[e2e][reliability]") {
  Scratch x;
  const std::string out = x.path("g.csv");
  std::ofstream(out) << "kept\n";
  // 6 million rows take long enough to be interrupted; the signal comes after 0.3 s.
  for (const auto& [signal, code] : {std::pair{"INT", 130}, {"TERM", 143}, {"HUP", 129}}) {
    INFO(signal);
    const Result r =
        run_shell("'" LEASECALC_BIN
                  "' sweep --vary lease.price_per_gpu_hour=1:4:0.0000005 --out "
                  "lease.annual_revenue --max-rows 100000000 -o " +
                  out + " & p=$!; sleep 0.3; kill -" + signal + " $p; wait $p; echo $?");
    CHECK(r.out == std::to_string(code) + "\n");
    CHECK(read_all(out) == "kept\n");
    CHECK(x.no_temp_left());
  }
}

TEST_CASE("a hostile name cannot drive the terminal", "[e2e][reliability]") {
  Scratch x;
  // The name holds an OSC title change (ESC ] 0; ... BEL) and a C1 CSI.
  std::string text = read_all(x.scenario);
  const auto at = text.find("\"name\": \"") + 9;
  text.insert(at, "Evil \\u001b]0;pwned\\u0007 \\u009b2J ");
  std::ofstream(x.scenario, std::ios::trunc) << text;
  for (const std::string& command :
       {"report", "report --format md", "sources", "explain lease.annual_revenue"}) {
    INFO(command);
    const Result r = run(command + " " + x.scenario);
    REQUIRE(r.code == 0);
    CHECK(!has(r.out, "\x1b]"));
    CHECK(!has(r.out, "\x07"));
    CHECK(!has(r.out, "\xc2\x9b"));
  }
  const Result table = run("report " + x.scenario);
  CHECK(has(table.out, "Evil \\x1b]0;pwned\\x07 \\u009b2J "));
  // JSON escapes control characters as JSON does.
  CHECK(has(run("report " + x.scenario + " --format json").out, "Evil \\u001b]0;pwned\\u0007"));
}

TEST_CASE("two updates at once lose nothing: the second applies on top of the first",
          "[e2e][reliability]") {
  Scratch x;
  const std::string nebula =
      read_all(std::string(LEASECALC_SOURCE_DIR) + "/" + "tests/scenarios/nebula.json");
  int lost = 0;
  for (int pair = 0; pair < 20; ++pair) {
    std::ofstream(x.scenario, std::ios::trunc) << nebula;
    const Result r =
        run_shell("b='" LEASECALC_BIN "'; f=" + x.scenario +
                  "; $b update $f --in-place --set lease.occupancy=0.91@reported:broker"
                  " >/dev/null & $b update $f --in-place --set "
                  "valuation=2e9@estimate:broker >/dev/null & wait");
    CHECK(r.code == 0);
    const std::string text = read_all(x.scenario);
    if (!has(text, "\"occupancy\": {\"value\": 0.91") ||
        !has(text, "\"valuation\": {\"value\": 2000000000"))
      ++lost;
  }
  CHECK(lost == 0);
  CHECK(x.no_temp_left());
}

TEST_CASE("a summary of no defined sample is undefined, not 0, and one sample has no sd",
          "[e2e][reliability]") {
  Scratch x;
  // A loss of exactly 0 (low = high = 0): revenue / loss is undefined in every sample.
  std::string text = read_all(x.scenario);
  const auto at = text.find("\"annual_net_loss\": ");
  const auto end = text.find('}', at) + 1;
  text.replace(at, end - at,
               "\"annual_net_loss\": {\"value\": 0, \"tag\": \"assumption\", \"low\": 0, "
               "\"high\": 0}");
  std::ofstream(x.scenario, std::ios::trunc) << text;
  const std::string base = "simulate " + x.scenario +
                           " --samples 500 --seed 1 --out breakeven.coverage "
                           "--prob 'breakeven.coverage>=1'";
  const Result table = run(base);
  REQUIRE(table.code == 0);
  // Every figure and its standard error: "undefined", not 0 (the row of the errors).
  CHECK(line_of(table.out, "breakeven.coverage") ==
        "breakeven.coverage undefined undefined undefined undefined");
  CHECK(has(table.out, "mean undefined sd undefined p5 undefined"));
  CHECK(has(table.out, "breakeven.coverage: every figure undefined: no sample is defined"));
  CHECK(has(table.out, "breakeven.coverage >= 100.0%"));  // the --prob row is kept
  const auto doc = nlohmann::json::parse(run(base + " --format json").out);
  const auto& out = doc["outputs"][0];
  CHECK(out["samples"] == 0);
  CHECK(!out.contains("mean"));
  CHECK(out["undefined"]["figures"] == nlohmann::json::array({"mean", "sd", "p5", "p50", "p95"}));
  CHECK(out["probabilities"][0].contains("undefined"));
  CHECK(!out["probabilities"][0].contains("probability"));
  // One sample: a mean and percentiles (the sample itself), no sd.
  const Result one = run("simulate --samples 1 --seed 1 --format csv");
  REQUIRE(one.code == 0);
  auto rec = csv_record(one.out.substr(one.out.find('\n') + 1));
  REQUIRE(rec.size() >= 10);
  CHECK(!rec[5].empty());   // mean
  CHECK(rec[6].empty());    // sd
  CHECK(rec[5] == rec[8]);  // mean = p50, the one sample
}

TEST_CASE("two thousand tenants: every figure, explain of a sum over all, json refused in time",
          "[e2e][reliability]") {
  // 2,000 tenants of 10 H100 each at 2.00, 2.10, .. 2.60 a GPU-hour (i mod 7), 90%
  // occupied, 24 months from 2027-01, on a cluster of 20,000.
  Scratch x;
  const int n = 2000;
  std::string text =
      "{\"schema\": \"leasecalc/scenario/v1\", \"name\": \"many\", \"as_of\": \"2026-12-01\","
      "\"cluster\": {\"name\": \"C\", \"gpus\": {\"H100\": {\"count\": 20000}}},\"leases\": [";
  double revenue = 0;
  for (int i = 0; i < n; ++i) {
    const double price = 2 + (i % 7) / 10.0;
    revenue += 10 * price * 8760 * 0.9;
    text += fmt::format(
        "{}{{\"tenant\": \"T {}\", \"id\": \"T{}\", \"gpus\": {{\"H100\": 10}}, "
        "\"price_per_gpu_hour\": {:.1f}, \"occupancy\": 0.9, \"hours_per_year\": 8760, "
        "\"start\": \"2027-01-01\", \"term_months\": 24}}",
        i ? "," : "", i, i, price);
  }
  text += "]}";
  const std::string file = x.path("many.json");
  std::ofstream(file) << text;
  // Sum over i of 10 x (2 + (i mod 7) / 10) x 8,760 x 0.9: 2,000 = 285 x 7 + 5, so the
  // tenths sum to 285 x (0+..+6) + (0+..+4) = 285 x 21 + 10 = 5,995, and the revenue is
  // 78,840 x (2 x 2,000 + 599.5) = 362,624,580 a year.
  CHECK(revenue == Approx(362624580.0));
  const Result tsv = run("report " + file + " --format tsv");
  REQUIRE(tsv.code == 0);
  auto value_of = [&](const std::string& key) {  // the third column of the key's line
    const auto at = tsv.out.find("\n" + key + "\t");
    REQUIRE(at != std::string::npos);
    const auto label = tsv.out.find('\t', at + 1);
    return std::stod(tsv.out.substr(tsv.out.find('\t', label + 1) + 1));
  };
  CHECK(value_of("lease.annual_revenue") == Approx(revenue).epsilon(1e-12));
  // The last tenant (1,999 mod 7 = 4: 2.40 a GPU-hour) has 10 x 2.40 x 8,760 x 0.9 of it.
  CHECK(value_of("lease.T1999.revenue_share") == Approx(189216.0 / revenue).epsilon(1e-12));
  // The contract's revenue names every tenant's revenue: a formula 2,000 deep.
  const Result explained = run("explain contract.revenue_total " + file);
  REQUIRE(explained.code == 0);
  CHECK(has(explained.out, "lease.T1999"));
  // The workbook cannot hold a sum over 2,000 tenants in one formula: refused, not a
  // crash (10,000 overflowed the stack).
  const Result workbook = run("workbook " + file + " -o " + x.path("w.xlsx"));
  CHECK(workbook.code == 3);
  CHECK(has(workbook.err, "over the 8192 a spreadsheet takes"));
  CHECK(!fs::exists(x.path("w.xlsx")));
  // Each tenant's share lists all 6,000 tenant inputs: 12 million keys, over the limit.
  const Result json = run("report " + file + " --format json");
  CHECK(json.code == 2);
  CHECK(json.out.empty());
  CHECK(has(json.err, "would hold more than 5,000,000 keys"));
}

// End-to-end: filing day (README "Filing day"): update, diff with its details and --notes, check
// --scenario, sources --tag/--below/--older-than/--rank and tag ranges.
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "e2e.hpp"
#include "leasecalc/model/scenario.hpp"

using namespace leasecalc::e2e;

namespace {
const std::string k_nebula = "tests/scenarios/nebula.json";
const std::string k_ipo = "data/scenarios/colossus1-ipo.json";
}  // namespace

TEST_CASE("update: an untouched file round-trips byte for byte", "[e2e][filing]") {
  for (const std::string& file :
       {k_nebula, k_ipo, std::string("data/scenarios/neocloud-build.json")}) {
    INFO(file);
    const std::string out = temp_path("same.json");
    const Result r = run("update " + file + " -o " + out);
    REQUIRE(r.code == 0);
    CHECK(has(r.out, "no figure changed"));
    CHECK(read_all(out) == read_all(std::string(LEASECALC_SOURCE_DIR) + "/" + file));
    std::filesystem::remove(out);
  }
}

TEST_CASE("update: every kind of change, the file otherwise as it was", "[e2e][filing]") {
  const std::string out = temp_path("filed.json");
  const Result r =
      run("update " + k_nebula + " -o " + out +
          " --source s-1 --title 'Nebula S-1' --date 2026-07-01 --kind primary"
          " --set lease.occupancy=0.93@primary"                // confirmed: range dropped
          " --set lease.price_per_gpu_hour.B200=4.5@reported"  // a bare number becomes a figure
          " --set lease.price_per_gpu_hour.A100=0.9@estimate:broker"  // kept range, own source
          " --set lease.start=2026-09-01");                           // a figure the file lacks
  INFO(r.err);
  REQUIRE(r.code == 0);
  const std::string before = read_all(std::string(LEASECALC_SOURCE_DIR) + "/" + k_nebula);
  const std::string after = read_all(out);
  // The changed figures, each on one line; the new source at the end of /sources.
  CHECK(has(after, R"("occupancy": {"value": 0.93, "tag": "primary", "source": "s-1"})"));
  CHECK(has(after, R"("B200": {"value": 4.5, "tag": "reported", "source": "s-1"})"));
  CHECK(has(
      after,
      R"("A100": {"value": 0.9, "tag": "estimate", "source": "broker", "low": 0.6, "high": 1.0})"));
  CHECK(has(after, R"("broker": {"title": "A made-up broker note", "kind": "broker"},
    "s-1": {"title": "Nebula S-1", "date": "2026-07-01", "kind": "primary"})"));
  CHECK(has(after, R"("price_discount": {"value": 0.1, "tag": "estimate", "source": "broker"},
    "start": "2026-09-01")"));  // on a line of its own, as the lease's other members
  // Every other line is as it was: only the lines of the changed figures differ.
  auto lines = [](const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);)
      out.push_back(l);
    return out;
  };
  const auto a = lines(before), b = lines(after);
  REQUIRE(b.size() == a.size() + 2);  // the new source's line and the start's
  std::size_t same = 0;
  for (const auto& l : a)
    same += std::find(b.begin(), b.end(), l) != b.end();
  // All but occupancy, B200, A100, and the lines of the discount and the broker, which gain a
  // comma before the new members.
  CHECK(same == a.size() - 5);
  // The diff names what changed beyond the value.
  CHECK(has(r.out, "lease.occupancy: sources broker -> s-1; range 80.0% to 95.0% -> none"));
  CHECK(has(r.out, "lease.price_per_gpu_hour.B200: sources none -> s-1"));
  // The file loads, with the new figures.
  const Result rep = run("report " + out + " --format csv");
  auto rec = records(rep.out, ',');
  CHECK(rec["lease.occupancy"][2] == "0.93");
  CHECK(rec["lease.occupancy"][4] == "primary");
  CHECK(rec["lease.occupancy"][6].empty());  // no low
  CHECK(rec["lease.price_per_gpu_hour.B200"][8] == "s-1");
  std::filesystem::remove(out);
}

TEST_CASE("update: --in-place, and the refusals", "[e2e][filing]") {
  const std::string copy = temp_path("in-place.json");
  std::filesystem::copy_file(std::string(LEASECALC_SOURCE_DIR) + "/" + k_nebula, copy);
  REQUIRE(
      run("update " + copy + " --in-place --set lease.price_discount=0.12@estimate:broker").code ==
      0);
  CHECK(has(read_all(copy),
            R"("price_discount": {"value": 0.12, "tag": "estimate", "source": "broker"})"));
  std::filesystem::remove(copy);

  const std::string out = temp_path("refused.json");
  const std::vector<std::pair<std::string, std::string>> cases{
      {"--set lease.occupancy=0.7@reported:broker -o " + out,
       "update: --set lease.occupancy=0.7: outside the figure's range 0.8 to 0.95, which a "
       "reported figure keeps; give it a range that holds the new value (--range "
       "lease.occupancy=LOW:HIGH), drop the range (--drop-range lease.occupancy), or confirm it "
       "as primary or exact (which drops the range too)"},
      {"--set lease.occupancy=0.9@primary -o " + out,
       "--set lease.occupancy=0.9@primary: a primary figure needs a source, as in a file: write "
       "lease.occupancy=VALUE@primary:SOURCE, with an id the scenario declares (`leasecalc "
       "sources` lists them) or one declared by `leasecalc update --source ID`"},
      {"--source s-2 --set lease.occupancy=0.9@primary -o " + out,
       "--source s-2: a new source needs --title"},
      {"--source broker --title X -o " + out,
       "--source broker: already declared; --title, --date and --kind declare a new one"},
      {"--set lease.occupancy=0.9",
       "update: give -o NEW or --in-place (one of them): where the "
       "new file goes"},
      {"--set costs.opex_per_gpu_year=2500 -o " + out,
       "update: cannot add costs.opex_per_gpu_year: the file has no /costs object to put it in; "
       "add it by hand"},
      {"--set costs.pue=1.2 -o " + out, "--set: " + std::string(leasecalc::k_power_and_pue)},
  };
  for (const auto& [args, message] : cases) {
    INFO(args);
    const Result r = run("update " + k_nebula + " " + args);
    CHECK(r.code == 2);
    CHECK(r.out.empty());
    CHECK(r.err == "leasecalc: error: " + message + "\n");
    CHECK_FALSE(std::filesystem::exists(out));
  }
}

TEST_CASE("update and diff --notes list the claims whose verdict flips", "[e2e][filing]") {
  const std::string out = temp_path("flipped.json");
  // The price confirmed at $2.20: the note's $5B revenue claim fails (220,000 x 2.20 x 8,760
  // = 4,239,840,000, outside 5B ± 1%).
  const Result r =
      run("update data/scenarios/colossus1-lease.json -o " + out +
          " --source s-1 --title 'A what-if filing' --set lease.price_per_gpu_hour=2.2@primary"
          " --notes data/notes/yk-2026-05-09.json");
  CHECK(r.code == 1);  // a claim now fails, as check
  CHECK(has(r.out, "claims changed their verdict:"));
  CHECK(has(line_of(r.out, "annual-revenue"),
            "yk-2026-05-09.json annual-revenue lease.annual_revenue PASS FAIL"));
  const Result d = run("diff data/scenarios/colossus1-lease.json " + out +
                       " --notes data/notes/yk-2026-05-09.json");
  CHECK(d.code == 1);
  CHECK(has(line_of(d.out, "annual-revenue"), "PASS FAIL ~$4.24B/yr"));
  CHECK(has(d.out,
            "lease.price_per_gpu_hour: sources mirae-2026-05-08 -> s-1; range $2.20/GPU-h "
            "to $3.00/GPU-h -> none"));
  // check --scenario: the note against the filed version, without editing the note.
  const Result c = run("check data/notes/yk-2026-05-09.json --scenario " + out);
  CHECK(c.code == 1);
  CHECK(has(line_of(c.out, "annual-revenue"), "FAIL annual-revenue"));
  std::filesystem::remove(out);
}

TEST_CASE("diff: shares in points, ranges and sources in csv", "[e2e][filing]") {
  const Result d = run("diff tests/diff/old.json tests/diff/new.json --format csv");
  REQUIRE(d.code == 0);
  auto rec = records(d.out, ',');
  REQUIRE(rec.count("key"));
  CHECK(rec["key"][5] == "change_points");
  CHECK(rec["key"][9] == "changed");
  // The occupancy's change: 0.9 -> 0.95 is +5 points.
  REQUIRE(rec.count("lease.occupancy"));
  CHECK(std::stod(rec["lease.occupancy"][5]) == Approx(5.0));
}

TEST_CASE("sources: --tag twice, --below, --older-than", "[e2e][filing]") {
  const Result two = run("sources --tag reported --tag ai-prior --format csv");
  REQUIRE(two.code == 0);
  for (const auto& [key, f] : records(two.out, ','))
    if (key != "source") CHECK((f[6] == "reported" || f[6] == "ai-prior"));
  const Result below = run("sources " + k_nebula + " --below reported --format csv");
  REQUIRE(below.code == 0);
  for (const auto& [key, f] : records(below.out, ','))
    if (key != "source") CHECK((f[6] == "estimate" || f[6] == "assumption" || f[6] == "ai-prior"));
  // Nebula's filing is dated 2026-05-30; the broker note has no date. As of 2026-07-01
  // (32 days on), --older-than 30 lists the filing's figures as 32 days old, and the
  // broker's as undated; --older-than 40 keeps only the undated.
  const Result old = run("sources " + k_nebula + " --older-than 30 --as-of 2026-07-01 --wide");
  REQUIRE(old.code == 0);
  CHECK(has(line_of(old.out, "cluster.gpus.H100.count"),
            "32 days old (newest source 2026-05-30, as of 2026-07-01)"));
  CHECK(has(line_of(old.out, "lease.occupancy"), "no dated source"));
  const Result older = run("sources " + k_nebula + " --older-than 40 --as-of 2026-07-01 --wide");
  CHECK_FALSE(has(older.out, "cluster.gpus.H100.count"));
  CHECK(has(older.out, "lease.occupancy"));
}

TEST_CASE("sources --rank: what to confirm next, by swing", "[e2e][filing]") {
  // Colossus 1's coverage = 220,000 x 8,760 x price x occupancy / loss. Ranged inputs not
  // yet primary: the price $2.20..$3.00 moves it 220,000 x 8,760 x 0.8 / 6e9 = 25.696
  // points. With --tag-ranges the loss (reported, w 0.10) runs 5.4B..6.6B: 5,010,720,000
  // / 5.4e9 - 5,010,720,000 / 6.6e9 = 92.791% - 75.920% = 16.871 points; the occupancy
  // (estimate, w 0.20) 0.8..1 (cut at 1): 16.702 points.
  const Result r = run("sources --rank breakeven.coverage --format csv");
  REQUIRE(r.code == 0);
  std::istringstream in(r.out);
  std::string header, first;
  std::getline(in, header);
  std::getline(in, first);
  CHECK(header == "input,tag,sources,value,low,high,at_low,at_high,swing\r");
  CHECK(first.starts_with("lease.price_per_gpu_hour,estimate,mirae-2026-05-08,2.6,2.2,3,"));
  CHECK(std::stod(csv_record(first)[8]) == Approx(220000.0 * 8760 * 0.8 / 6e9));
  const Result t = run("sources --rank breakeven.coverage --tag-ranges --format csv");
  auto rec = records(t.out, ',');
  CHECK(std::stod(rec["loss.annual_net_loss"][8]) ==
        Approx(5010720000.0 / 5.4e9 - 5010720000.0 / 6.6e9));
  CHECK(rec["loss.annual_net_loss"][4] == "5400000000");
  CHECK(rec["lease.occupancy"][5] == "1");  // 1 x 1.2 cut at the share's end
  CHECK(std::stod(rec["lease.occupancy"][8]) == Approx(5010720000.0 * 0.2 / 6e9));
  CHECK(rec.count("cluster.power_mw") == 0);  // primary: not to confirm
  const Result table = run("sources --rank breakeven.coverage --width 100");
  CHECK(has(table.out, "What to confirm next for breakeven.coverage"));
  CHECK(has(line_of(table.out, "lease.price_per_gpu_hour"), "1 lease.price_per_gpu_hour estimate"));
  CHECK(has(table.out, "Not ranked, having no range (give one, or --tag-ranges):"));
}

TEST_CASE("tag ranges (--tag-ranges) in simulate and tornado", "[e2e][filing]") {
  // The revenue-side Colossus 1 has one ranged input; with tag ranges the reported loss runs
  // 5.4B..6.6B (w 0.10), which moves the coverage 5,010,720,000 / 5.4e9 - / 6.6e9.
  const std::string s = "tests/scenarios/colossus1-revenue.json";
  const Result t = run("tornado " + s + " --target breakeven.coverage --tag-ranges --format csv");
  REQUIRE(t.code == 0);
  auto rec = records(t.out, ',');
  REQUIRE(rec.count("loss.annual_net_loss") == 1);
  CHECK(rec["loss.annual_net_loss"][1] == "5400000000");
  CHECK(rec["loss.annual_net_loss"][2] == "6600000000");
  CHECK(std::stod(rec["loss.annual_net_loss"][5]) ==
        Approx(5010720000.0 / 5.4e9 - 5010720000.0 / 6.6e9));
  CHECK(rec.count("cluster.power_mw") == 1);  // primary: +-2%
  CHECK(rec["cluster.power_mw"][1] == "294");
  const Result none = run("tornado " + s + " --target breakeven.coverage --format csv");
  CHECK(records(none.out, ',').count("loss.annual_net_loss") == 0);
  const Result sim = run("simulate " + s +
                         " --set lease.price_per_gpu_hour=2.6 --tag-ranges "
                         "--samples 1000 --seed 3 --format csv");
  CHECK(sim.code == 0);  // no range of its own, ranges by tag
}

TEST_CASE("tenants end to end: sweep and solve on a tenant's price, report and schedule",
          "[e2e][tenants]") {
  const std::string trio = "tests/scenarios/trio.json";
  // Coverage 1 needs revenue 20e6: Alpha's share 20e6 - 6,859,080 - 2,628,000 = 10,512,920
  // over 600 x 8,760 x 0.8 = 4,204,800 GPU-hours: $2.500219 an hour.
  const Result solve = run("solve " + trio +
                           " --target breakeven.coverage=1 --vary lease.Alpha.price_per_gpu_hour "
                           "--format csv");
  REQUIRE(solve.code == 0);
  auto s = records(solve.out, ',');
  CHECK(std::stod(s["lease.Alpha.price_per_gpu_hour"][2]) == Approx(10512920.0 / 4204800.0));
  // Beta's GB200 price 3..5: revenue moves by 200 x 8,760 x 0.675 = 1,182,600 a dollar.
  const Result sweep = run("sweep " + trio +
                           " --vary lease.Beta-Labs.price_per_gpu_hour.GB200=3:5:1 --out "
                           "lease.annual_revenue");
  REQUIRE(sweep.code == 0);
  auto w = records(sweep.out, ',');
  CHECK(std::stod(w["3"][1]) == Approx(17896680.0 - 1182600.0));
  CHECK(std::stod(w["5"][1]) == Approx(17896680.0 + 1182600.0));
  for (const std::string format : {"table", "csv", "tsv", "json", "md"}) {
    INFO(format);
    const Result rep = run("report " + trio + " --format " + format);
    CHECK(rep.code == 0);
    CHECK(has(rep.out, "lease.Beta-Labs.annual_revenue"));
    const Result sch = run("schedule " + trio + " --by tenant --period year --format " + format);
    CHECK(sch.code == 0);
    CHECK(has(sch.out, "Beta Labs"));
  }
  const Result one = run("schedule data/scenarios/neocloud-build.json --by tenant");
  CHECK(one.code == 2);
  CHECK(one.err ==
        "leasecalc: error: schedule: --by tenant: the scenario has one lease, not \"leases\"\n");
  // The bundled what-if: Anthropic keeps 120,000 H100; the second tenant takes 30,000.
  const Result two = run("report data/scenarios/colossus1-two-tenants.json --format csv");
  auto t = records(two.out, ',');
  // 190,000 x 2.60 x 8,760 + 30,000 x 2.20 x 8,760 x 0.9 = 4,327,440,000 + 520,344,000
  CHECK(std::stod(t["lease.annual_revenue"][2]) == Approx(4847784000.0));
  CHECK(std::stod(t["contract.calendar.2026.revenue"][2]) == Approx(4327440000.0 * 7 / 12));
}

TEST_CASE("filing day: a note, as_of and a range updated, CRLF kept, tags at 80 columns",
          "[e2e][filing]") {
  // nebula.json with CRLF line ends, as a Windows editor saves it.
  const std::string crlf = temp_path("crlf.json");
  const std::string filed = temp_path("filed.json");
  {
    std::string text = read_all(std::string(LEASECALC_SOURCE_DIR) + "/" + k_nebula);
    std::string out;
    for (char c : text)
      out += c == '\n' ? std::string("\r\n") : std::string(1, c);
    std::ofstream(crlf, std::ios::binary) << out;
  }
  // A reported occupancy of 0.97 lies outside the kept range 0.8 to 0.95: refused, naming
  // the ways out; nothing is written.
  const Result refused =
      run("update " + crlf + " -o " + filed + " --set lease.occupancy=0.97@reported:broker");
  CHECK(refused.code == 2);
  CHECK(has(refused.err, "--range lease.occupancy=LOW:HIGH"));
  CHECK(has(refused.err, "--drop-range lease.occupancy"));
  CHECK(!std::filesystem::exists(filed));
  // The way out: a new range that holds it, and a note; as_of moves to the filing; the
  // A100 price drops its range; the B200 price, a bare 5.00,
  // gains a note and becomes an object with the tag a bare number has.
  const Result r = run("update " + crlf + " -o " + filed +
                           " --source s2 --title 'A second filing' --date 2026-07-01 --kind primary"
                           " --set lease.occupancy=0.97@reported:broker"
                           " --range lease.occupancy=0.9:1 --note 'lease.occupancy=Per the filing'"
                           " --drop-range lease.price_per_gpu_hour.A100"
                           " --note 'lease.price_per_gpu_hour.B200=List price'"
                           " --set lease.price_per_gpu_hour.H100=2.10@primary --as-of 2026-07-01",
                       "COLUMNS=80");
  REQUIRE(r.code == 0);
  const std::string text = read_all(filed);
  std::size_t lf = 0, crlf_ends = 0;
  for (std::size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') ++lf, crlf_ends += i > 0 && text[i - 1] == '\r';
  CHECK(lf == crlf_ends);  // every line still ends in CRLF, the added source's too
  CHECK(has(text, "\"as_of\": \"2026-07-01\""));
  CHECK(has(text, R"("occupancy": {"value": 0.97, "tag": "reported", "source": "broker", )"
                  R"("low": 0.9, "high": 1, "dist": "uniform", "note": "Per the filing"})"));
  CHECK(has(text, R"("A100": {"value": 0.80, "tag": "reported", "source": "broker"})"));
  CHECK(has(text, R"("B200": {"value": 5.00, "tag": "assumption", "note": "List price"})"));
  CHECK(has(text,
            "\"s2\": {\"title\": \"A second filing\", \"date\": \"2026-07-01\", "
            "\"kind\": \"primary\"}\r\n"));
  // The file loads, and the diff at 80 columns shows the tag transition whole.
  CHECK(run("report " + filed).code == 0);
  CHECK(has(r.out, "estimate \u2192 primary"));          // the H100 price, confirmed
  CHECK(has(r.out, "lease.price_per_gpu_hour.H100\n"));  // the key heads its row at 80
  // The A100 price's range is gone: diff names it.
  CHECK(has(r.out, "lease.price_per_gpu_hour.A100: range $0.60/GPU-h to $1.00/GPU-h -> none"));
  // A confirmed figure that keeps a note is said on stderr: none here (H100 has no note).
  CHECK(!has(r.err, "keeps its note"));
  // A --range the value is not in is refused; so is one upside down.
  CHECK(has(run("update " + crlf + " -o " + filed + " --range lease.occupancy=0.5:0.6").err,
            "--range lease.occupancy=0.5:0.6: the value 0.9 lies outside it"));
  CHECK(has(run("update " + crlf + " -o " + filed + " --range lease.occupancy=0.95:0.85").err,
            "the low end is above the high end"));
  CHECK(has(run("update " + crlf + " -o " + filed + " --as-of 2026-13-01").err,
            "--as-of: must be a date as YYYY-MM-DD, got \"2026-13-01\""));
  std::filesystem::remove(crlf);
  std::filesystem::remove(filed);
}

TEST_CASE("update: a confirmed figure that keeps its note is named on stderr", "[e2e][filing]") {
  const std::string out = temp_path("stale.json");
  // valuation's note speaks of a confidential S-1; the file is as of 2026-05-31 and the
  // new source of 2026-06-15.
  const Result r = run("update " + k_ipo + " -o " + out +
                       " --source s1 --title S-1 --date 2026-06-15 --set valuation=1.85T@primary");
  REQUIRE(r.code == 0);
  CHECK(has(r.err,
            "leasecalc: note: valuation is confirmed primary but keeps its note of 2026-05-31, "
            "older than s1 (2026-06-15): \"$1.75-2T in a confidential S-1: reported until the "
            "public filing\"; --note valuation=TEXT replaces it, --note valuation= drops it\n"));
  // --note valuation= drops it, and nothing is said.
  const Result dropped = run("update " + k_ipo + " -o " + out +
                             " --source s1 --title S-1 --date 2026-06-15"
                             " --set valuation=1.85T@primary --note valuation=");
  REQUIRE(dropped.code == 0);
  CHECK(dropped.err.empty());
  CHECK(has(read_all(out),
            R"("valuation": {"value": 1850000000000, "tag": "primary", "source": "s1"})"));
  std::filesystem::remove(out);
}

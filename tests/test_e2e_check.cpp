// End-to-end: check, diff and sources through the real binary.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "e2e.hpp"

using namespace leasecalc::e2e;

TEST_CASE("check: the bundled notes pass, known discrepancies recorded as expected failures",
          "[e2e][check]") {
  const Result r =
      run("check --wide data/notes/note-2026-05-31.json data/notes/yk-2026-05-09.json");
  CHECK(r.code == 0);
  CHECK(r.err.empty());
  // 8 - 1 claims on seed 004 (the 349x is gone) and 24 on seed 000; expected failures:
  // gpus-over-220k, fleet-share, april-capacity, cumulative-capacity, openai-roadmap
  CHECK(has(r.out, "31 claims in 2 notes: 26 passed, 0 failed, 5 expected failures\n"));
  CHECK(has(line_of(r.out, "fleet.share_h100e"), "XFAIL fleet-share fleet.share_h100e"));
  CHECK(has(r.out,
            "    expected failure: the note divides 220k GPUs by 550k H100e, two different units"));
  CHECK(has(r.out, "    unit: the note states GPU/H100e, the figure is in ratio\n"));
  // 220,000 x 2.60 x 8,760 = 5,010,720,000 against the note's ~$5.0B +-1%
  CHECK(has(line_of(r.out, "lease.annual_revenue"),
            "PASS annual-revenue lease.annual_revenue $5B/yr ± 1% ~$5.01B/yr estimate"));
  // 5 + 3.5 + 5 + 0.3 = 13.8 GW, but "up to 5GW" and "more than 300MW" bound it neither way
  CHECK(has(line_of(r.out, "capacity.group.2026-04.gw"),
            "XFAIL april-capacity capacity.group.2026-04.gw 13.8 GW ± 0.001 13.8 GW reported"));
  // "550k+" is a bound of the claim: at least 550k holds against at least 550k
  CHECK(has(line_of(r.out, "fleet.h100e"),
            "PASS fleet fleet.h100e at least 550k H100e at least 550k H100e reported"));
}

TEST_CASE("check: failures by value, range, tag and unit, expected and unexpected",
          "[e2e][check]") {
  const Result r = run("check --wide tests/notes/fail.json");
  CHECK(r.code == 1);
  CHECK(
      has(r.out,
          "7 claims in 1 note: 1 passed, 5 failed, 1 expected failure (1 passing unexpectedly)\n"));
  // 39,735,360 - 45,000,000 = -5,264,640, -11.70%
  CHECK(has(r.out,
            "    value: stated $45,000,000/yr ± 1%, computed $39,735,360/yr, difference "
            "-$5,264,640/yr (-11.70%)\n"));
  // 1e9 / 39,735,360 = 25.1665x, below 30x by 4.8335
  CHECK(has(r.out,
            "    range: stated 30 x to 40 x, computed 25.1665 x, below the range by 4.8335 x\n"));
  CHECK(has(r.out, "    tag: the note states primary, but the inputs support only reported"));
  CHECK(has(r.out, "    unit: the note states GPU/H100e, the figure is in ratio\n"));
  CHECK(has(
      r.out,
      "XPASS now-passes\n    \"the break-even price is $1.2435\"\n    expected to fail (was wrong "
      "before the occupancy update) but passes now: update the note and drop \"expect\"\n"));
  CHECK(
      has(r.out,
          "    inputs: cluster.gpus.A100.count = 2,000 GPU [primary]; cluster.gpus.B200.count = "
          "400 GPU "
          "[primary]; cluster.gpus.H100.count = 1,000 GPU [primary]; lease.hours_per_year = 8,760 "
          "h/yr [exact]; lease.occupancy = 90% [reported]\n"));
  const Result ok = run("check --wide tests/notes/pass.json");
  CHECK(ok.code == 0);
  CHECK(has(ok.out, "6 claims in 1 note: 6 passed, 0 failed, 0 expected failures\n"));
}

TEST_CASE("check --format junit is JUnit XML that a parser reads", "[e2e][check]") {
  const std::string path = temp_path("junit.xml");
  const Result r =
      run("check --wide data/notes/*.json tests/notes/fail.json --format junit -o " + path);
  CHECK(r.code == 1);
  CHECK(r.out.empty());
  auto xpath = [&](const std::string& expr) {
    std::string out = run_shell("xmllint --xpath '" + expr + "' " + path).out;
    while (!out.empty() && out.back() == '\n')
      out.pop_back();  // xmllint ends with a newline
    return out;
  };
  REQUIRE(run_shell("xmllint --noout " + path).code == 0);  // well-formed
  CHECK(xpath("count(//testsuite)") == "3");
  CHECK(xpath("count(//testcase)") == "38");  // 31 bundled claims + 7
  CHECK(xpath("count(//testcase/failure)") == "5");
  CHECK(xpath("count(//testcase/skipped)") == "6");  // expected failures: 5 bundled + 1
  CHECK(xpath("string(/testsuites/@failures)") == "5");
  CHECK(xpath("string(//testcase[starts-with(@name, \"fleet-share:\")]/skipped/@message)")
            .starts_with("expected failure: the note divides 220k GPUs by 550k H100e"));
  CHECK(has(xpath("string(//testcase[starts-with(@name, \"by-value:\")]/failure/@message)"),
            "value: stated $45,000,000/yr"));
  std::filesystem::remove(path);
}

TEST_CASE("check --format tap", "[e2e][check]") {
  const Result r = run("check --wide tests/notes/fail.json --format tap");
  CHECK(r.code == 1);
  CHECK(r.out.starts_with(
      "TAP version 13\n1..7\nnot ok 1 - tests/notes/fail.json: by-value: revenue is $45M\n"));
  CHECK(
      has(r.out, "\nok 3 - tests/notes/fail.json: confirmed-count: the GPU count is confirmed\n"));
  CHECK(has(r.out,
            "\nnot ok 6 - tests/notes/fail.json: known: the break-even price is $1 # TODO expected "
            "failure: the note rounded the loss\n"));
  CHECK(has(r.out, "  ---\n  - \"\\\"revenue is $45M\\\"\"\n"));
}

TEST_CASE("check --format json", "[e2e][check]") {
  const Result r = run("check --wide tests/notes/pass.json --format json");
  REQUIRE(r.code == 0);
  const auto doc = nlohmann::json::parse(r.out);
  CHECK(doc["passed"] == 6);
  CHECK(doc["notes"][0]["claims"][0]["verdict"] == "PASS");
  CHECK(doc["notes"][0]["claims"][0]["computed"].get<double>() == Approx(39735360.0));
}

TEST_CASE("check --set re-checks a note against updated inputs", "[e2e][check]") {
  // A filing revises the price to $2.20: 220,000 x 2.20 x 8,760 = 4,239,840,000, below $5.0B +-1%
  // and below the $5-6B range.
  const Result r =
      run("check --wide data/notes/yk-2026-05-09.json --set "
          "lease.price_per_gpu_hour=2.2@primary:mirae-2026-05-08");
  CHECK(r.code == 1);
  CHECK(has(line_of(r.out, "lease.annual_revenue"), "FAIL annual-revenue"));
  CHECK(has(r.out,
            "    value: stated $5,000,000,000/yr ± 1%, computed ~$4,239,840,000/yr, difference "
            "-$760,160,000/yr (-15.20%)\n"));
  CHECK(
      has(r.out,
          "    range: stated $5,000,000,000/yr to $6,000,000,000/yr, computed ~$4,239,840,000/yr, "
          "below the range by $760,160,000/yr\n"));  // 5,000,000,000 - 4,239,840,000
  // 80% - 70.664% (4,239,840,000 / 6e9) = 9.336 percentage points
  CHECK(has(r.out, "computed ~70.664%, below the range by 9.336 points\n"));
  // The price claim is now primary, stronger than the note's estimate: that passes? No: 2.2 is
  // not within 1% of 2.60.
  CHECK(has(line_of(r.out, "lease.price_per_gpu_hour"), "FAIL price"));
}

TEST_CASE("check: a broken note is an input error", "[e2e][check]") {
  const Result r = run("check --wide tests/notes/broken-key.json");
  CHECK(r.code == 3);
  CHECK(r.out.empty());
  // the key's value starts at line 4, column 44
  CHECK(r.err ==
        "leasecalc: error: tests/notes/broken-key.json:4:44: /claims/0/key: the scenario "
        "tests/notes/../scenarios/nebula.json has no figure \"lease.anual_revenue\" (did you mean "
        "\"lease.annual_revenue\"?)\n");
  const Result gone = run("check --wide tests/notes/missing-scenario.json");
  CHECK(gone.code == 3);
  CHECK(gone.err ==
        "leasecalc: error: tests/notes/missing-scenario.json:2:14: /scenario: scenario "
        "tests/notes/../scenarios/no-such.json: cannot read: No such file or directory\n");
  CHECK(run("check --wide tests/scenarios/nebula.json").code == 3);  // a scenario is not a note
  CHECK(run("check --wide data/notes/yk-2026-05-09.json --format csv").code == 2);
}

TEST_CASE("diff: a value change and a tag upgrade", "[e2e][check]") {
  const Result r = run("diff --wide tests/diff/old.json tests/diff/new.json");
  REQUIRE(r.code == 0);
  CHECK(has(line_of(r.out, "cluster.gpus.B200.count"), " reported primary upgrade"));
  // occupancy 0.90 -> 0.95: +5 points, +5.56%
  CHECK(has(line_of(r.out, "lease.occupancy"),
            "lease.occupancy 90% 95% +5 points +5.56% reported reported"));
  // 8,760 x 0.9 x 5,600 x 0.95 = 41,942,880 from 39,735,360: +2,207,520
  CHECK(has(line_of(r.out, "lease.annual_revenue"),
            "$39,735,360/yr $41,942,880/yr +2,207,520 +5.56%"));
  CHECK(line_of(r.out, "lease.hours_per_year").starts_with("(no line"));  // unchanged
  const Result csv = run("diff --wide tests/diff/old.json tests/diff/new.json --format csv");
  auto rec = records(csv.out, ',');
  CHECK(
      csv.out.starts_with("key,old,new,change,change_ratio,change_points,old_tag,new_tag,"
                          "tag_change,changed,detail\r\n"));
  CHECK(std::stod(rec["lease.annual_revenue"][3]) == Approx(2207520.0));
  // A ratio, as in every other CSV: 0.95 / 0.9 - 1 = 0.0555...
  CHECK(std::stod(rec["lease.annual_revenue"][4]) == Approx(0.05 / 0.9));
  CHECK(rec["cluster.gpus.B200.count"][8] == "upgrade");
  CHECK(rec["cluster.gpus.B200.count"][9] == "tag;sources");  // 400 both times
  CHECK(rec["lease.occupancy"][5] == "5");                    // points
  const Result json = run("diff --wide tests/diff/new.json tests/diff/old.json --format json");
  const auto doc = nlohmann::json::parse(json.out);
  bool downgrade = false;
  for (const auto& c : doc["changes"])
    if (c["key"] == "cluster.gpus.B200.count") downgrade = c["tag_change"] == "downgrade";
  CHECK(downgrade);
  for (const auto& c : doc["changes"])
    if (c["key"] == "lease.occupancy") CHECK(c["change_ratio"] == Approx(0.9 / 0.95 - 1));
}

TEST_CASE("diff at 80 columns: whole values in human units, tag transitions", "[e2e][check]") {
  const Result r = run("diff tests/diff/old.json tests/diff/new.json", "COLUMNS=80");
  REQUIRE(r.code == 0);
  auto squeezed = [](const std::string& text) {  // runs of spaces as one
    std::string out;
    for (char c : text)
      if (!(c == ' ' && !out.empty() && (out.back() == ' ' || out.back() == '\n'))) out += c;
    return out;
  };
  std::istringstream lines(r.out);
  std::string line;
  while (std::getline(lines, line)) {
    std::size_t width = 0;  // characters, not bytes: "\u2192" is one
    for (unsigned char c : line)
      width += (c & 0xC0) != 0x80;
    CHECK(width <= 80);
    CHECK(!has(line, "\u2026"));  // nothing is cut
  }
  const std::string out = squeezed(r.out);
  // Too wide for the keys beside the values: each key heads its row.
  CHECK(has(r.out, "\nlease.annual_revenue\n"));
  // 8,760 x 0.9 x 5,600 x 0.9 = $39.7M; x 0.95 = $41.9M; +2,207,520 = +$2.21M; 0.95/0.9: +5.6%
  CHECK(has(out, "$39.7M/yr $41.9M/yr +$2.21M/yr +5.6% assumption\n"));
  // 400 GPUs both times, the tag upgraded by the filing
  CHECK(has(out, "400 GPU 400 GPU 0 reported \u2192 primary\n"));
  // occupancy 90% -> 95%: in points
  CHECK(has(out, "90.0% 95.0% +5 points +5.6% reported\n"));
  // breakeven.price: $1.2435 -> $1.1781 a GPU-hour, -$0.065 (human units, not -0.06544849)
  CHECK(has(out, "-$0.065/GPU-h"));
  const Result wide = run("diff tests/diff/old.json tests/diff/new.json", "COLUMNS=160");
  CHECK(has(squeezed(wide.out),
            "lease.annual_revenue $39.7M/yr $41.9M/yr +$2.21M/yr +5.6% assumption\n"));
}

TEST_CASE("sources --tag: the list to confirm when a filing lands", "[e2e][check]") {
  const Result r = run("sources --wide --tag ai-prior data/scenarios/colossus1-ipo.json");
  REQUIRE(r.code == 0);
  CHECK(has(r.out, "signal-daad3d00: Signal daad3d00: NVIDIA data-center figures (signal)\n"));
  CHECK(has(line_of(r.out, "facts.nvidia_dc_revenue_fy2025"),
            "ai-prior facts.nvidia_dc_revenue_fy2025 ~$115.2B/yr"));
  CHECK(has(line_of(r.out, "facts.nvidia_dc_revenue_growth"), "ai-prior"));
  CHECK(line_of(r.out, "valuation").starts_with("(no line"));  // reported, not ai-prior
  const Result csv = run("sources --wide --tag reported --format csv");
  REQUIRE(csv.code == 0);
  std::istringstream lines(csv.out);
  std::string line;
  std::getline(lines, line);
  CHECK(line == "source,title,key,label,value,unit,tag,derived\r");
  int rows = 0;
  while (std::getline(lines, line)) {
    ++rows;
    CHECK(has(line, ",reported,false\r"));
  }
  // reported inputs: 3 GPU counts (yk), fleet, loss, OpenAI, valuation (mirae), Google-Cloud
  // (mirae), Google-Broadcom-TPU (mirae and anthropic-2026-04-06), the MFU fact
  // (the-information-mfu): 11 rows
  CHECK(rows == 11);
  const Result bad = run("sources --wide --tag rumour");
  CHECK(bad.code == 2);
  CHECK(bad.err ==
        "leasecalc: error: --tag: unknown tag \"rumour\"; allowed: exact, primary, confirmed, "
        "reported, estimate, assumption, ai-prior\n");
}

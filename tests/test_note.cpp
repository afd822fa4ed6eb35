// Capacity, valuation and comps figures; notes: loading, checking, and each way a claim
// passes or fails; diff and sources.
#include <catch2/catch.hpp>

#include "helpers.hpp"
#include "leasecalc/calc/note.hpp"
#include "leasecalc/calc/override.hpp"

using namespace leasecalc;

namespace {
Note note_of(std::string_view claims) {
  return load_note(
      std::string(R"({"schema": "leasecalc/note/v1", "title": "t", "scenario": "s.json",
    "claims": [)") +
          std::string(claims) + "]}",
      "n.json");
}
std::string note_error(std::string_view claims) {
  try {
    note_of(claims);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}
NoteResult check(const Note& n, const Scenario& s, std::vector<Report>& keep) {
  keep.clear();
  for (Basis b : bases_needed(n, s.basis))
    keep.push_back(build_report(s, b));
  return check_note(n, keep, s.basis);
}
}  // namespace

TEST_CASE("capacity, peers and valuation on Colossus 1", "[note][calc]") {
  const Report r = build_report(test::colossus(), Basis::bf16);
  auto v = [&](std::string_view key) { return test::row(r, key).value; };
  CHECK(v("capacity.total_gw") == Approx(14.8));              // 5 + 3.5 + 5 + 0.3 + 1
  CHECK(v("capacity.group.2026-04.gw") == Approx(13.8));      // 5 + 3.5 + 5 + 0.3
  CHECK(v("capacity.group.2025-11.gw") == Approx(1.0));       // Microsoft-NVIDIA
  CHECK(v("capacity.share_of.OpenAI") == Approx(14.8 / 30));  // 49.3%
  CHECK(v("valuation.revenue_multiple") == Approx(1.75e12 / 5010720000.0));  // 349.25x
  // AWS "up to" and SpaceX "more than" pull both ways: no bound on the total.
  CHECK(test::row(r, "capacity.total_gw").bound == Bound::mixed);
  CHECK(test::row(r, "capacity.total_gw").tag == Tag::reported);  // Mirae's 3.5 and 5 GW
  CHECK(test::row(r, "capacity.group.2025-11.gw").tag == Tag::primary);
  CHECK(test::row(r, "capacity.group.2025-11.gw").bound == Bound::at_most);
  CHECK(test::row(r, "valuation.revenue_multiple").unit.name == "x");
  // The seed-004 comparison: 5,010,720,000 x 10 (CoreWeave, assumed) / 1.75e12 = 2.8633%
  const Scenario ipo = load_scenario(test::slurp("data/scenarios/colossus1-ipo.json"),
                                     "colossus1-ipo.json", test::catalog());
  const Report ri = build_report(ipo, Basis::bf16);
  CHECK(test::row(ri, "comps.CoreWeave.share_of_valuation").value ==
        Approx(5010720000.0 * 10 / 1.75e12));
  CHECK(test::row(ri, "comps.CoreWeave.share_of_valuation").tag == Tag::assumption);
}

TEST_CASE("capacity, valuation and comps on the second scenario", "[note][calc]") {
  const Report r = build_report(test::nebula(), Basis::bf16);
  auto v = [&](std::string_view key) { return test::row(r, key).value; };
  CHECK(v("capacity.total_gw") == Approx(3.5));     // 2 + 0.5 + 1
  CHECK(v("capacity.group.Q1.gw") == Approx(2.5));  // 2 + 0.5
  CHECK(v("capacity.group.Q2.gw") == Approx(1.0));
  CHECK(v("capacity.share_of.Rival") == Approx(0.5));  // 3.5 / 7
  // 1e9 / 39,735,360 = 25.1665x; 8 x 39,735,360 = 317,882,880
  CHECK(v("valuation.revenue_multiple") == Approx(1e9 / 39735360.0));
  // The lease at CoreWeave's 8x as a share of the $1B valuation: 317,882,880 / 1e9
  CHECK(v("comps.CoreWeave.share_of_valuation") == Approx(0.31788288));
  CHECK(test::row(r, "comps.CoreWeave.share_of_valuation").unit.name == "ratio");
  CHECK(test::row(r, "valuation.revenue_multiple").label ==
        "Whole company's valuation / this lease's annual revenue");
  CHECK(v("comps.implied_value.CoreWeave") == Approx(317882880.0));
  CHECK(test::row(r, "comps.implied_value.CoreWeave").unit.name == "USD");
  CHECK(test::row(r, "capacity.total_gw").tag == Tag::assumption);  // Gamma is a bare number

  Scenario s = test::nebula();  // --set reaches the new sections
  REQUIRE_NOTHROW(apply_override(s, {"capacity.Beta.gw", 1.5, Tag::primary, {}, {"filing"}}));
  REQUIRE_NOTHROW(apply_override(s, {"comps.CoreWeave.revenue_multiple", 10, std::nullopt}));
  const Report r2 = build_report(s, Basis::bf16);
  CHECK(test::row(r2, "capacity.group.Q1.gw").value == Approx(3.5));  // 2 + 1.5
  CHECK(test::row(r2, "comps.implied_value.CoreWeave").value ==
        Approx(397353600.0));  // 10 x 39,735,360
}

TEST_CASE("names are free text, keys come from an id or the name's key segment", "[note][calc]") {
  CHECK(key_segment("Google Cloud") == "Google-Cloud");
  CHECK(key_segment("  OpenAI  (Stargate) ") == "OpenAI-Stargate");  // a run is one '-'
  CHECK(key_segment("Google + Broadcom TPU") == "Google-Broadcom-TPU");
  CHECK(key_segment("a.b") == "a-b");
  CHECK(key_segment("+++") == "");
  const Scenario s = test::from_text(R"J({"schema": "leasecalc/scenario/v1", "name": "t",
    "cluster": {"gpus": {"H100": {"count": 1000}}}, "lease": {"price_per_gpu_hour": 2},
    "fleet": {"name": "xAI fleet", "h100e": 5000},
    "capacity": [{"counterparty": "Google Cloud", "announced": "2026-04", "gw": 5},
                 {"counterparty": "SpaceX (Colossus 1)", "id": "SpaceX-Colossus1", "announced": "2026-05", "gw": 0.3}],
    "peers": {"OpenAI Stargate": {"gw": 10}},
    "facts": {"NVIDIA data-center revenue": {"value": 115.2e9, "unit": "USD/yr", "label": "NVIDIA DC revenue, FY2025"}}})J");
  const Report r = build_report(s, Basis::bf16);
  CHECK(test::row(r, "capacity.Google-Cloud.gw").label == "Google Cloud capacity");
  CHECK(test::row(r, "capacity.SpaceX-Colossus1.gw").label == "SpaceX (Colossus 1) capacity");
  CHECK(test::row(r, "peers.OpenAI-Stargate.gw").label == "OpenAI Stargate roadmap");
  CHECK(test::row(r, "capacity.share_of.OpenAI-Stargate").label ==
        "Capacity as a share of OpenAI Stargate's roadmap");
  CHECK(test::row(r, "capacity.share_of.OpenAI-Stargate").value == Approx(0.53));  // 5.3 / 10
  CHECK(test::row(r, "facts.NVIDIA-data-center-revenue").label == "NVIDIA DC revenue, FY2025");
  CHECK(test::row(r, "fleet.h100e").label == "xAI fleet");  // not "xAI fleet fleet"
  Scenario t = s;  // --set reaches a natural name by its key
  REQUIRE_NOTHROW(apply_override(t, {"capacity.Google-Cloud.gw", 4, std::nullopt}));
  CHECK(test::row(build_report(t, Basis::bf16), "capacity.total_gw").value == Approx(4.3));
}

TEST_CASE("a fleet states its basis, and a share across bases says so and fails a claim",
          "[note][calc]") {
  // Nebula's fleet is 10,000 H100e. Measured on units, against the cluster on bf16.
  Scenario s = test::nebula();
  s.fleet_basis = Basis::units;
  std::vector<Report> keep;
  const Note n = note_of(
      R"({"id": "share", "text": "t", "key": "fleet.share_h100e", "stated_low": 0, "stated_high": 1})");
  const NoteResult r = check(n, s, keep);
  const Row& share = test::row(keep[0], "fleet.share_h100e");
  CHECK(share.note == "fleet measured on units, cluster on bf16");
  CHECK(r.claims[0].verdict == Verdict::fail);
  CHECK(r.claims[0].problems.front() == "unit: fleet measured on units, cluster on bf16");
  const Scenario read = test::from_text(R"({"schema": "leasecalc/scenario/v1", "name": "t",
    "cluster": {"gpus": {"H100": {"count": 1000}}}, "lease": {"price_per_gpu_hour": 2},
    "fleet": {"name": "xAI", "basis": "units", "h100e": 5000}})");
  CHECK(read.fleet_basis == Basis::units);
  // On the fleet's own basis, nothing to say: 3,400 GPUs / 10,000 = 34%
  const Report same = build_report(s, Basis::units);
  CHECK(test::row(same, "fleet.share_h100e").note.empty());
  CHECK(test::row(same, "fleet.share_h100e").value == Approx(0.34));
}

TEST_CASE("note files: what a claim must say", "[note]") {
  const Note n = note_of(
      R"({"id": "a", "text": "t", "key": "k", "stated": 5e9, "tolerance": "1%", "unit": "USD/yr", "tag": "confirmed"},
                             {"id": "b", "text": "t", "key": "k", "stated": 1, "tolerance": 0.02},
                             {"id": "c", "text": "t", "key": "k", "stated_low": 5, "basis": "units"},
                             {"id": "d", "text": "t", "key": "k", "stated": 1, "expect": "fail", "reason": "r"})");
  REQUIRE(n.claims.size() == 4);
  CHECK(n.claims[0].tolerance.relative);
  CHECK(n.claims[0].tolerance.amount == Approx(0.01));
  CHECK(n.claims[0].tag == Tag::primary);
  CHECK(n.claims[0].unit->same_as(units::usd_per_year));
  CHECK_FALSE(n.claims[1].tolerance.relative);
  CHECK(n.claims[1].tolerance.amount == 0.02);
  CHECK(n.claims[2].stated_low == 5);
  CHECK_FALSE(n.claims[2].stated_high);
  CHECK(n.claims[2].basis == Basis::units);
  CHECK(n.claims[3].expect_fail);

  CHECK(
      note_error(R"({"id": "a", "text": "t", "key": "k"})") ==
      "n.json:2:16: /claims/0: a claim needs \"stated\", or \"stated_low\" and/or \"stated_high\"");
  CHECK(note_error(R"({"id": "a", "text": "t", "key": "k", "stated": 1, "tolerance": "1 %"})")
            .ends_with(
                "tolerance \"1 %\" must be a relative \"1%\" or an absolute \"0.02\", at least 0"));
  CHECK(note_error(R"({"id": "a", "text": "t", "key": "k", "stated": 1, "expect": "fail"})")
            .ends_with("an expected failure needs a \"reason\": why the note is off"));
  CHECK(note_error(R"({"id": "a", "text": "t", "key": "k", "stated": 1, "reason": "r"})")
            .ends_with("\"reason\" goes with \"expect\": \"fail\""));
  CHECK(note_error(R"({"id": "a", "text": "t", "key": "k", "stated": 1, "unit": "furlongs"})")
            .ends_with(
                "unknown unit \"furlongs\"; write units as USD, USD/yr, GW, GPU, H100e, ratio, x, "
                "or combinations such as GPU/H100e"));
  CHECK(note_error(R"({"id": "a", "text": "t", "key": "k", "stated": 1, "tag": "rumour"})")
            .ends_with(
                "unknown tag \"rumour\"; allowed: exact, primary, confirmed, reported, estimate, "
                "assumption, ai-prior"));
  CHECK(
      note_error(
          R"({"id": "a", "text": "t", "key": "k", "stated": 1}, {"id": "a", "text": "t", "key": "k", "stated": 2})")
          .ends_with("claim id \"a\" is used twice"));
  CHECK(note_error(R"({"id": "a", "text": "t", "key": "k", "stated": 1, "stated_low": 0})")
            .ends_with("give either \"stated\" or \"stated_low\" and \"stated_high\", not both"));
}

TEST_CASE("check: each way a claim holds or fails", "[note]") {
  const Scenario s = test::nebula();
  std::vector<Report> keep;
  // revenue 39,735,360: within 0.1% of 39.7M (diff 35,360 = 0.089%); not within 1% of 45M
  const Note n = note_of(R"(
    {"id": "rel", "text": "t", "key": "lease.annual_revenue", "stated": 39.7e6, "tolerance": "0.1%"},
    {"id": "rel-off", "text": "t", "key": "lease.annual_revenue", "stated": 39.7e6, "tolerance": "0.08%"},
    {"id": "abs", "text": "t", "key": "lease.annual_revenue", "stated": 39.7e6, "tolerance": 40000},
    {"id": "mw", "text": "t", "key": "capacity.total_gw", "stated": 3500, "unit": "MW"},
    {"id": "range", "text": "t", "key": "breakeven.coverage", "stated_low": 1.2, "stated_high": 1.4},
    {"id": "below", "text": "t", "key": "breakeven.coverage", "stated_low": 1.4},
    {"id": "tag-over", "text": "t", "key": "lease.gpu_hours", "stated": 26805600, "tag": "primary"},
    {"id": "tag-under", "text": "t", "key": "lease.gpu_hours", "stated": 26805600, "tag": "estimate"},
    {"id": "unit", "text": "t", "key": "capacity.share_of.Rival", "stated": 0.5, "unit": "GPU/H100e"},
    {"id": "xfail", "text": "t", "key": "breakeven.price", "stated": 1, "expect": "fail", "reason": "rounded"},
    {"id": "xpass", "text": "t", "key": "cluster.gpus.total", "stated": 3400, "expect": "fail", "reason": "old"})");
  const NoteResult r = check(n, s, keep);
  auto verdict = [&](std::size_t i) { return r.claims[i].verdict; };
  CHECK(verdict(0) == Verdict::pass);
  CHECK(verdict(1) == Verdict::fail);
  CHECK(r.claims[1].problems.front() ==
        "value: stated $39,700,000/yr ± 0.08%, computed $39,735,360/yr, difference +$35,360/yr "
        "(+0.09%)");
  CHECK(verdict(2) == Verdict::pass);  // |39,735,360 - 39,700,000| = 35,360 <= 40,000
  CHECK(verdict(3) == Verdict::pass);  // 3,500 MW = 3.5 GW
  CHECK(verdict(4) == Verdict::pass);  // 1.3245 in 1.2..1.4
  CHECK(verdict(5) == Verdict::fail);
  CHECK(r.claims[5].problems.front().starts_with(
      "range: stated at least 140%, computed 132.4512%, below"));
  CHECK(verdict(6) == Verdict::fail);  // occupancy is reported: GPU-hours cannot be primary
  CHECK(r.claims[6].problems.front().starts_with(
      "tag: the note states primary, but the inputs support only reported"));
  CHECK(verdict(7) == Verdict::pass);  // a weaker stated tag is fine
  CHECK(verdict(8) == Verdict::fail);
  CHECK(r.claims[8].problems.front() == "unit: the note states GPU/H100e, the figure is in ratio");
  CHECK(verdict(9) == Verdict::expected_fail);
  CHECK(verdict(10) == Verdict::unexpected_pass);
  CHECK(r.passed == 5);
  CHECK(r.failed == 4);
  CHECK(r.expected == 1);
  CHECK(r.unexpected == 1);
  // The inputs behind a failed figure are listed, with their tags.
  std::vector<std::string> keys;
  for (const Row* in : r.claims[6].inputs)
    keys.push_back(in->key);
  CHECK(keys == std::vector<std::string>{"cluster.gpus.A100.count", "cluster.gpus.B200.count",
                                         "cluster.gpus.H100.count", "lease.hours_per_year",
                                         "lease.occupancy"});
}

TEST_CASE("check: the computed interval must lie inside the stated one", "[note]") {
  // One figure "x" = 100 GPU, computed as a point, at least, at most, or bounded in
  // neither direction (inputs bounded in opposite directions). Each claim states an
  // interval; it holds only when the computed interval lies inside it.
  auto report_with = [](Bound bound) {
    Report r;
    r.file = "s.json";
    Row x;
    x.key = "x";
    x.value = 100;
    x.unit = units::gpu;
    x.bound = bound;
    r.rows.push_back(x);
    return r;
  };
  const Note n = note_of(R"(
    {"id": "point", "text": "t", "key": "x", "stated": 100},
    {"id": "point-tol", "text": "t", "key": "x", "stated": 99, "tolerance": 2},
    {"id": "plus", "text": "t", "key": "x", "stated": 100, "bound": "at-least"},
    {"id": "minus", "text": "t", "key": "x", "stated": 100, "bound": "at-most"},
    {"id": "low", "text": "t", "key": "x", "stated_low": 90},
    {"id": "high", "text": "t", "key": "x", "stated_high": 110},
    {"id": "range", "text": "t", "key": "x", "stated_low": 90, "stated_high": 110},
    {"id": "low-off", "text": "t", "key": "x", "stated_low": 120})");
  // Rows: the claims above. Columns: computed point, at least, at most, mixed.
  // point 100 = [100, 100]; at least = [100, +inf); at most = (-inf, 100]; mixed = R.
  const bool P = true, F = false;
  const bool expected[8][4] = {
      {P, F, F, F},  // [100, 100]: only a point fits
      {P, F, F, F},  // [97, 101]: 99 ± 2
      {P, P, F, F},  // [100, +inf)
      {P, F, P, F},  // (-inf, 100]
      {P, P, F, F},  // [90, +inf)
      {P, F, P, F},  // (-inf, 110]
      {P, F, F, F},  // [90, 110]
      {F, F, F, F},  // [120, +inf): 100 is below it, whatever the bound
  };
  const Bound bounds[4] = {Bound::none, Bound::at_least, Bound::at_most, Bound::mixed};
  for (int b = 0; b < 4; ++b) {
    const std::vector<Report> reports{report_with(bounds[b])};
    const NoteResult r = check_note(n, reports, Basis::bf16);
    for (std::size_t i = 0; i < n.claims.size(); ++i) {
      INFO(n.claims[i].id << " against computed bound " << b);
      CHECK((r.claims[i].verdict == Verdict::pass) == expected[i][b]);
    }
  }
  // A failure says which side makes the claim unprovable.
  const std::vector<Report> at_least{report_with(Bound::at_least)};
  const NoteResult r = check_note(n, at_least, Basis::bf16);
  CHECK(r.claims[0].problems.front() ==
        "bound: stated 100 GPU, computed at least 100 GPU: the figure has no upper bound (it is "
        "a bound, not a value), so it cannot be shown to be at most 100 GPU");
  CHECK(r.claims[7].problems.front() ==
        "range: stated at least 120 GPU, computed at least 100 GPU, below the range by 20 GPU");
  const std::vector<Report> at_most{report_with(Bound::at_most)};
  CHECK(check_note(n, at_most, Basis::bf16).claims[1].problems.front() ==
        "bound: stated 99 GPU ± 2, computed at most 100 GPU: the figure has no lower bound (it is "
        "a bound, not a value), so it cannot be shown to be at least 97 GPU");  // 99 - 2
  const std::vector<Report> mixed{report_with(Bound::mixed)};
  CHECK(check_note(n, mixed, Basis::bf16).claims[4].problems.front() ==
        "bound: stated at least 90 GPU, computed 100 GPU: the figure has no lower bound (its "
        "inputs are bounded in opposite directions), so it cannot be shown to be at least 90 GPU");
}

TEST_CASE("check: the analyst's two bound defects fail now", "[note]") {
  // "at most 100k GPU" against Colossus 1's total, which is at least 100k when the count
  // is bounded from below; "at most 27%" against a share that is at least 26.6%.
  Scenario s = test::colossus();
  s.gpus[0].count.bound = Bound::at_least;  // H100: 150k+
  s.gpus[1].count.bound = Bound::at_least;
  s.gpus[2].count.bound = Bound::at_least;
  std::vector<Report> keep;
  const Note n = note_of(R"(
    {"id": "total", "text": "t", "key": "cluster.gpus.total", "stated_high": 100000},
    {"id": "total-ok", "text": "t", "key": "cluster.gpus.total", "stated_low": 200000})");
  const NoteResult r = check(n, s, keep);
  CHECK(r.claims[0].verdict == Verdict::fail);  // 220,000 is above 100,000 in any case
  CHECK(r.claims[1].verdict == Verdict::pass);  // at least 220,000 is at least 200,000
  // The same total stated at most 230k cannot hold: "at least 220k" may be more.
  const Note n2 =
      note_of(R"({"id": "t", "text": "t", "key": "cluster.gpus.total", "stated_high": 230000})");
  CHECK(check(n2, s, keep).claims[0].verdict == Verdict::fail);
}

TEST_CASE("check: the bundled notes hold, with the known discrepancies recorded", "[note]") {
  for (const auto& [note_path, scenario_path] :
       {std::pair{"data/notes/yk-2026-05-09.json", "data/scenarios/colossus1-lease.json"},
        std::pair{"data/notes/note-2026-05-31.json", "data/scenarios/colossus1-ipo.json"}}) {
    const Note n = load_note(test::slurp(note_path), note_path);
    const Scenario s = load_scenario(test::slurp(scenario_path), scenario_path, test::catalog());
    std::vector<Report> keep;
    const NoteResult r = check(n, s, keep);
    INFO(note_path);
    CHECK(r.failed == 0);
    CHECK(r.unexpected == 0);
    for (const auto& c : r.claims) {
      if (c.claim->id == "fleet-share") {
        CHECK(c.verdict == Verdict::expected_fail);
        CHECK(c.problems[0] == "unit: the note states GPU/H100e, the figure is in ratio");
      }
      // 5 + 3.5 + 5 + 0.3 GW with "up to 5GW" and "more than 300MW": bounded neither way
      if (c.claim->id == "april-capacity") {
        CHECK(c.verdict == Verdict::expected_fail);
        CHECK(
            c.problems[0].starts_with("bound: stated 13.8 GW ± 0.001, computed 13.8 GW: the "
                                      "figure has no upper bound (its inputs are bounded in "
                                      "opposite directions)"));
      }
      if (c.claim->id == "fleet") CHECK(c.verdict == Verdict::pass);  // 550k+ vs at least 550k
    }
  }
}

TEST_CASE("diff: values moved and tags upgraded", "[note]") {
  Scenario before = test::nebula();
  Scenario after = test::nebula();
  REQUIRE_NOTHROW(apply_override(after, {"lease.occupancy", 0.95, Tag::reported, {}, {"broker"}}));
  after.gpus[1].count.tag = Tag::primary;
  before.gpus[1].count.tag = Tag::reported;
  const Report a = build_report(before, Basis::bf16);
  const Report b = build_report(after, Basis::bf16);
  const auto changes = diff_reports(a, b);
  auto find = [&](std::string_view key) -> const Change* {
    for (const auto& c : changes)
      if (c.key() == key) return &c;
    return nullptr;
  };
  REQUIRE(find("cluster.gpus.B200.count"));
  CHECK(find("cluster.gpus.B200.count")->tag_change() == "upgrade");
  REQUIRE(find("lease.annual_revenue"));
  // 8,760 x 0.95 x 0.9 x 5,600 = 41,942,880, up from 39,735,360
  CHECK(find("lease.annual_revenue")->new_row->value == Approx(41942880.0));
  CHECK(find("lease.annual_revenue")->old_row->value == Approx(39735360.0));
  CHECK_FALSE(find("lease.hours_per_year"));  // unchanged: not listed
  CHECK_FALSE(find("capacity.total_gw"));
}

TEST_CASE("sources: grouped by source, and --tag lists only inputs", "[note]") {
  const Report r = build_report(test::colossus(), Basis::bf16);
  const auto groups = group_by_source(
      r, [](const Row& x) { return x.tag == Tag::reported; }, "");
  std::vector<std::string> keys;
  for (const auto& g : groups)
    for (const Row* row : g.rows) {
      CHECK_FALSE(row->derived);
      CHECK(row->tag == Tag::reported);
      keys.push_back(g.source + " " + row->key);
    }
  CHECK(std::find(keys.begin(), keys.end(), "mirae-2026-05-08 fleet.h100e") != keys.end());
  CHECK(std::find(keys.begin(), keys.end(), "yk-2026-05-09 cluster.gpus.H100.count") != keys.end());
  CHECK(std::find(keys.begin(), keys.end(), "mirae-2026-05-08 capacity.Google-Cloud.gw") !=
        keys.end());
  // 3 GPU counts, fleet, loss, 2 capacities (each under its 2 or 1 sources), OpenAI, valuation
  const auto one = group_by_source(r, nullptr, "anthropic-2026-05-06");
  REQUIRE(one.size() == 1);
  CHECK(one[0].rows.front()->key == "cluster.power_mw");  // primary first
}

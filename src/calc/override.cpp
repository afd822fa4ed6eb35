#include "leasecalc/calc/override.hpp"

#include <fmt/format.h>
#include <algorithm>

#include "leasecalc/model/keys.hpp"
#include "leasecalc/model/text.hpp"

namespace leasecalc {

Override parse_override(std::string_view text) {
  const auto eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0)
    throw UsageError(fmt::format(
        "\"{}\": expected KEY=VALUE[@TAG], such as lease.occupancy=0.85@assumption", text));
  Override o;
  o.key = std::string(text.substr(0, eq));
  std::string_view value = text.substr(eq + 1);
  const auto& words = text_keys();
  if (std::find(words.begin(), words.end(), o.key) != words.end()) {
    o.text = std::string(value);
    return o;
  }
  if (const auto at = value.rfind('@'); at != std::string_view::npos) {
    std::string_view tag = value.substr(at + 1);
    if (const auto colon = tag.find(':'); colon != std::string_view::npos) {
      std::string_view list = tag.substr(colon + 1);
      tag = tag.substr(0, colon);
      while (true) {
        const auto comma = list.find(',');
        const std::string_view id = list.substr(0, comma);
        if (id.empty())
          throw UsageError(fmt::format(
              "{}: an empty source id after \"{}:\"; write KEY=VALUE@TAG:SOURCE", o.key, tag));
        o.sources.emplace_back(id);
        if (comma == std::string_view::npos) break;
        list = list.substr(comma + 1);
      }
    }
    o.tag = parse_tag(tag);
    if (!o.tag)
      throw UsageError(
          fmt::format("{}: {}", o.key, unknown_choice("tag", tag, names_of(tag_names()))));
    value = value.substr(0, at);
  }
  try {
    o.value = parse_cli_number(value);
    o.written = std::string(value);
  } catch (const ValueError& e) {
    throw UsageError(fmt::format("{}: {}", o.key, e.what()));
  }
  return o;
}

namespace {

// The figure an override puts in place of `old` (or of nothing).
Figure replacement(const Override& o, const Unit& unit, const Figure* old) {
  Figure f;
  f.value = o.value;
  f.unit = unit;
  f.tag = o.tag.value_or(Tag::assumption);
  f.sources = o.sources;
  f.overridden = true;
  if (old) f.note = fmt::format("was {} [{}]", human(old->value, old->unit), tag_name(old->tag));
  if (!o.note.empty()) f.note = f.note.empty() ? o.note : o.note + "; " + f.note;
  return f;
}

}  // namespace

void apply_case_set(Scenario& s, const Scenario::CaseSet& set) {
  Override o = parse_override(set.set);
  o.note = set.note;
  apply_override(s, o);
}

void apply_case(Scenario& s, std::string_view name) {
  if (name == "base") return;
  for (const auto& c : s.cases) {
    if (c.name != name) continue;
    const std::vector<Scenario::CaseSet> sets = c.sets;  // applying replaces figures, not cases
    for (const auto& set : sets)
      apply_case_set(s, set);
    return;
  }
  std::vector<std::string> names{"base"};
  for (const auto& c : s.cases)
    names.push_back(c.name);
  throw UsageError(unknown_choice("case", name, names));
}

void require_input(const Scenario& s, std::string_view key) {
  std::vector<std::string> keys = settable_keys(s);
  keys.insert(keys.end(), text_keys().begin(), text_keys().end());
  if (std::find(keys.begin(), keys.end(), key) != keys.end()) return;
  // A typo keeps its section: suggest from the keys of the section typed (lease.*), not a
  // look-alike of another (tail.occupancy for lease.occupancy), when it has any.
  const std::string section(key.substr(0, key.find('.') + 1));
  std::vector<std::string> same;
  for (const auto& k : keys)
    if (k.starts_with(section)) same.push_back(k);
  throw UsageError(
      fmt::format("unknown figure key \"{}\"{}; inputs are keys such as lease.occupancy, "
                  "lease.price_per_gpu_hour, cluster.gpus.<MODEL>.count",
                  key, suggestion(key, same.empty() ? keys : same)));
}

const std::vector<std::string>& text_keys() {
  static const std::vector<std::string> keys{"lease.start", "finance.capex_at_start"};
  return keys;
}

void require_sources(const Scenario& s, const Override& o) {
  const Tag tag = o.tag.value_or(Tag::assumption);
  std::vector<std::string> declared;
  for (const auto& src : s.sources)
    declared.push_back(src.id);
  for (const auto& src : s.catalog.sources)
    declared.push_back(src.id);
  if (o.sources.empty() && tag != Tag::exact && tag != Tag::assumption)
    throw UsageError(fmt::format(
        "a {} figure needs a source, as in a file: write {}=VALUE@{}:SOURCE, with an id the "
        "scenario declares (`leasecalc sources` lists them) or one declared by `leasecalc "
        "update --source ID`",
        tag_name(tag), o.key, tag_name(tag)));
  for (const auto& id : o.sources)
    if (!s.find_source(id))
      throw UsageError(fmt::format(
          "undeclared source id \"{}\"{}; `leasecalc sources` lists the ids the scenario "
          "declares",
          id, suggestion(id, declared)));
}

void apply_override(Scenario& s, const Override& o) {
  if (o.key == "lease.start") {
    require_contract_start(o.text);
    s.start = o.text;
    return;
  }
  if (o.key == "finance.capex_at_start") {
    if (o.text != "true" && o.text != "false")
      throw UsageError(fmt::format("must be true or false, got \"{}\"", o.text));
    s.capex_at_start = o.text == "true";
    return;
  }
  require_input(s, o.key);
  domain_for_key(o.key).require(o.value, o.written);  // callers name the KEY=VALUE
  require_sources(s, o);

  const auto match = match_input(o.key);
  const InputKey& row = *match->row;
  const Unit unit = row.unit ? *row.unit : row.unit_of(s, match->segment);
  row.put(s, match->segment, replacement(o, unit, row.figure(s, match->segment)));
}

void check_consistency(const Scenario& s) {
  // Per-model capex covers every model once any model has one.
  Scenario& m = const_cast<Scenario&>(s);  // figure() only reads here
  const InputKey& capex = input_key("capex.per_gpu.{}");
  if (!capex.segments(s).empty())
    for (const auto& g : s.gpus)
      if (!capex.figure(m, g.model))
        throw UsageError(
            fmt::format("{} has no capex: with per-model capex, also set capex.per_gpu.{}=VALUE",
                        g.model, g.model));
  if (s.power_mw && input_key("costs.pue").figure(m, ""))
    throw UsageError(std::string(k_power_and_pue));
  if (const auto fault = debt_fault(s)) throw UsageError(*fault);
  if (const auto fault = tail_fault(s)) throw UsageError(*fault);
  if (s.price || !s.leases.empty()) return;  // tenants price their own GPUs
  for (const auto& g : s.gpus)
    if (!g.price)
      throw UsageError(
          fmt::format("{} has no price: with per-type prices, also set "
                      "lease.price_per_gpu_hour.{}=VALUE",
                      g.model, g.model));
}

}  // namespace leasecalc

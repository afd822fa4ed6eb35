#include "leasecalc/loader.hpp"

#include <fmt/format.h>
#include <cmath>
#include <functional>

#include "leasecalc/json_reader.hpp"
#include "leasecalc/keys.hpp"
#include "leasecalc/note.hpp"
#include "leasecalc/text.hpp"

namespace leasecalc {

InputError::InputError(std::string file, Location where, std::string message)
    : std::runtime_error(fmt::format("{}:{}:{}: {}: {}", file, where.line, where.column,
                                     where.pointer.empty() ? "/" : where.pointer, message)),
      file_(std::move(file)),
      where_(std::move(where)),
      message_(std::move(message)) {}

namespace {

using json::Kind;
using json::Value;

std::string indent(const std::string& lines) {
  std::string out = "  ";
  for (char c : lines) {
    out += c;
    if (c == '\n') out += "  ";
  }
  return out;
}

// Walks a parsed document and turns every problem into an InputError at the value.
class Reader {
 public:
  Reader(std::string_view text, std::string_view file) : text_(text), file_(file) {}

  const std::string& file() const { return file_; }

  Value parse() const {
    auto result = json::parse(text_);
    if (auto* err = std::get_if<json::ParseError>(&result)) {
      const auto lc = json::line_col(text_, err->offset);
      throw InputError(
          file_, {lc.line, lc.column, err->pointer},
          "invalid JSON: " + err->message +
              (err->syntax ? "\n" + indent(json::source_line(text_, err->offset)) : ""));
    }
    return std::get<Value>(std::move(result));
  }

  Location where(const Value& v) const {
    const auto lc = json::line_col(text_, v.offset);
    return {lc.line, lc.column, v.pointer};
  }

  [[noreturn]] void fail(const Value& at, std::string message) const {
    throw InputError(file_, where(at), std::move(message));
  }

  void expect(const Value& v, Kind kind) const {
    if (v.kind != kind)
      fail(v, fmt::format("must be {}, got {}", json::kind_name(kind), json::kind_name(v.kind)));
  }

  // Rejects keys not in `allowed`, with a "did you mean" for likely typos. A "note", which
  // is only shown, is checked here too: it must be a string.
  void only_keys(const Value& object, const std::vector<std::string>& allowed) const {
    for (std::size_t i = 0; i < object.keys.size(); ++i) {
      const std::string& key = object.keys[i];
      if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
      const std::string hint = did_you_mean(key, allowed);
      const auto lc = json::line_col(text_, object.key_offsets[i]);
      throw InputError(file_, {lc.line, lc.column, object.items[i].pointer},
                       fmt::format("unknown key \"{}\"{}; allowed here: {}", key,
                                   hint.empty() ? "" : fmt::format(" (did you mean \"{}\"?)", hint),
                                   join(allowed)));
    }
    if (const Value* note = object.find("note")) expect(*note, Kind::string);
  }

  const Value& require(const Value& object, std::string_view key) const {
    const Value* v = object.find(key);
    if (!v) fail(object, fmt::format("missing required key \"{}\"", key));
    return *v;
  }

  std::string string(const Value& v) const {
    expect(v, Kind::string);
    return v.text;
  }

  std::string nonempty_string(const Value& v) const {
    std::string s = string(v);
    if (s.find_first_not_of(" \t\r\n") == std::string::npos) fail(v, "must not be empty");
    return s;
  }

  // A name used inside figure keys: no dots or white space, not empty.
  std::string identifier(const Value& v, std::string_view what) const {
    std::string s = string(v);
    if (s.empty() || s.find_first_of(". \t\r\n") != std::string::npos)
      fail(v, fmt::format("\"{}\" cannot be {}: names become figure keys, so they need at least "
                          "one character and no dots or spaces",
                          s, what));
    return s;
  }
  void identifier_key(const Value& object, std::size_t i) const {
    const std::string& key = object.keys[i];
    if (key.empty() || key.find_first_of(". \t\r\n") != std::string::npos)
      fail(object.items[i], fmt::format("\"{}\" cannot be a name: names become figure keys, so "
                                        "they need at least one character and no dots or spaces",
                                        key));
  }

  // YYYY-MM-DD; with `month_ok`, also YYYY-MM when only the month is known.
  std::string date(const Value& v, bool month_ok = false) const {
    std::string s = string(v);
    if (month_ok && s.size() == 7) s += "-01";
    auto digits = [&](std::size_t from, std::size_t n) {
      int x = 0;
      for (std::size_t i = from; i < from + n; ++i) {
        if (s[i] < '0' || s[i] > '9') return -1;
        x = x * 10 + (s[i] - '0');
      }
      return x;
    };
    bool ok = s.size() == 10 && s[4] == '-' && s[7] == '-';
    if (ok) {
      const int y = digits(0, 4), m = digits(5, 2), d = digits(8, 2);
      static constexpr int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
      const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
      ok = y > 0 && m >= 1 && m <= 12 && d >= 1 && d <= days[m - 1] && (m != 2 || d <= 28 || leap);
    }
    if (!ok)
      fail(v, fmt::format("must be a date as YYYY-MM-DD{}, got \"{}\"",
                          month_ok ? " or YYYY-MM" : "", v.text));
    return v.text;
  }

  double number(const Value& v, const Domain& domain) const {
    expect(v, Kind::number);
    const std::string why = domain.check(v.number);
    if (!why.empty()) fail(v, why);
    return v.number;
  }

 private:
  std::string_view text_;
  std::string file_;
};

// Reads one figure: a bare number or {"value": ..., "tag": ..., ...}.
// A string naming one of the table's values.
template <class E>
E choice(const Reader& r, const Value& v, std::string_view what, const NameTable<E>& table) {
  const std::string name = r.string(v);
  if (auto e = parse_name(table, name)) return *e;
  r.fail(v, unknown_choice(what, name, names_of(table)));
}

class FigureReader {
 public:
  FigureReader(const Reader& r, std::function<bool(const std::string&)> source_known,
               std::function<std::vector<std::string>()> source_ids)
      : r_(r), known_(std::move(source_known)), ids_(std::move(source_ids)) {}

  // Reads a figure. With `with_unit`, the figure must be an object that names its unit
  // (a fact), and `unit` is ignored.
  // A figure under an input key of the key table: its domain, unit and bare-number tag.
  // A row without a fixed unit (a fact) must name its unit.
  Figure read(const Value& v, const InputKey& key) const {
    return read(v, key.domain, key.unit ? *key.unit : units::one, key.bare_tag, !key.unit);
  }

  Figure read(const Value& v, const Domain& domain, const Unit& unit, Tag bare_tag,
              bool with_unit = false) const {
    Figure f;
    f.unit = unit;
    if (v.kind == Kind::number && with_unit)
      r_.fail(v,
              "a fact must be an object with its \"unit\", such as {\"value\": 115.2e9, "
              "\"unit\": \"USD/yr\", \"tag\": ...}");
    if (v.kind == Kind::number) {
      f.value = r_.number(v, domain);
      f.tag = bare_tag;
      return f;
    }
    if (v.kind != Kind::object)
      r_.fail(v,
              fmt::format("must be a number or a figure object {{\"value\": ..., \"tag\": ...}}, "
                          "got {}",
                          json::kind_name(v.kind)));
    std::vector<std::string> keys{"value", "tag",  "source", "approx", "bound",
                                  "low",   "high", "dist",   "note"};
    if (with_unit) keys.emplace_back("unit");
    r_.only_keys(v, keys);
    if (with_unit) {
      const Value& u = r_.require(v, "unit");
      const auto parsed = parse_unit(r_.string(u));
      if (!parsed)
        r_.fail(u, fmt::format("unknown unit \"{}\"; write units as USD, USD/yr, GW, GPU, H100e, "
                               "ratio, x, or combinations such as USD/GPU-h",
                               u.text));
      f.unit = *parsed;
    }
    f.value = r_.number(r_.require(v, "value"), domain);
    if (const Value* t = v.find("tag")) {
      f.tag = choice(*t, "tag", tag_names());
    }
    if (const Value* s = v.find("source")) f.sources = sources(*s);
    if (f.sources.empty() && f.tag != Tag::exact && f.tag != Tag::assumption)
      r_.fail(v, fmt::format("a {} figure needs a \"source\": an id declared under /sources "
                             "(only exact and assumption figures may have none)",
                             tag_name(f.tag)));
    if (const Value* a = v.find("approx")) {
      r_.expect(*a, Kind::boolean);
      f.approx = a->boolean;
    }
    if (const Value* b = v.find("bound")) {
      f.bound = choice(*b, "bound", bound_names());
    }
    if (const Value* n = v.find("note")) f.note = r_.string(*n);
    const Value* low = v.find("low");
    const Value* high = v.find("high");
    if ((low == nullptr) != (high == nullptr))
      r_.fail(low ? *low : *high, "a range needs both \"low\" and \"high\"");
    if (low) {
      f.low = r_.number(*low, domain);
      f.high = r_.number(*high, domain);
      if (*f.low > *f.high)
        r_.fail(*low, fmt::format("low {} is above high {}", plain_number(*f.low),
                                  plain_number(*f.high)));
      if (f.value < *f.low || f.value > *f.high)
        r_.fail(r_.require(v, "value"),
                fmt::format("value {} is outside its own range {} to {}", plain_number(f.value),
                            plain_number(*f.low), plain_number(*f.high)));
    }
    if (const Value* d = v.find("dist")) {
      if (!low) r_.fail(*d, "\"dist\" needs a range: give \"low\" and \"high\"");
      f.dist = choice(*d, "dist", dist_names());
      if (f.dist == Dist::lognormal90 && *f.low <= 0) r_.fail(*low, "lognormal90 needs low > 0");
    }
    return f;
  }

  template <class E>
  E choice(const Value& v, std::string_view what, const NameTable<E>& table) const {
    return leasecalc::choice(r_, v, what, table);
  }

 private:
  std::vector<std::string> sources(const Value& v) const {
    std::vector<const Value*> items;
    if (v.kind == Kind::string)
      items.push_back(&v);
    else if (v.kind == Kind::array)
      for (const auto& item : v.items)
        items.push_back(&item);
    else
      r_.fail(
          v, fmt::format("must be a source id or a list of them, got {}", json::kind_name(v.kind)));
    if (items.empty()) r_.fail(v, "must name at least one source id");
    std::vector<std::string> out;
    for (const Value* item : items) {
      std::string id = r_.string(*item);
      if (!known_(id)) {
        const std::string hint = did_you_mean(id, ids_());
        r_.fail(*item,
                fmt::format("undeclared source id \"{}\"{}; declare it under /sources", id,
                            hint.empty() ? "" : fmt::format(" (did you mean \"{}\"?)", hint)));
      }
      out.push_back(std::move(id));
    }
    return out;
  }

  const Reader& r_;
  std::function<bool(const std::string&)> known_;
  std::function<std::vector<std::string>()> ids_;
};

// Checks "schema", the format's name, and "$schema", where editors find the JSON Schema.
void check_schema(const Reader& r, const Value& root, std::string_view expected) {
  r.expect(root, Kind::object);
  if (const Value* editor_schema = root.find("$schema")) r.string(*editor_schema);
  const Value& schema = r.require(root, "schema");
  const std::string got = r.string(schema);
  if (got != expected)
    r.fail(schema, fmt::format("unsupported schema \"{}\"; expected \"{}\"", got, expected));
}

std::vector<Source> read_sources(const Reader& r, const Value& v,
                                 const std::function<bool(const std::string&)>& taken) {
  r.expect(v, Kind::object);
  std::vector<Source> out;
  for (std::size_t i = 0; i < v.keys.size(); ++i) {
    const Value& s = v.items[i];
    r.expect(s, Kind::object);
    if (v.keys[i].empty()) r.fail(s, "a source id must not be empty");
    if (taken(v.keys[i]))
      r.fail(s, fmt::format("source id \"{}\" is already declared by the GPU catalog; use it "
                            "without declaring it again",
                            v.keys[i]));
    r.only_keys(s, {"title", "publisher", "date", "kind", "url", "note"});
    Source src;
    src.id = v.keys[i];
    src.title = r.nonempty_string(r.require(s, "title"));
    if (const Value* x = s.find("publisher")) src.publisher = r.string(*x);
    if (const Value* x = s.find("date")) src.date = r.date(*x);
    if (const Value* x = s.find("kind")) src.kind = r.nonempty_string(*x);
    if (const Value* x = s.find("url")) src.url = r.string(*x);
    out.push_back(std::move(src));
  }
  return out;
}

// Reads model entries {"H100": {"name": ..., "bf16_tflops": figure, ...}} into `catalog`,
// adding new models and overriding the fields given for existing ones.
void read_models(const Reader& r, const FigureReader& fr, const Value& v, Catalog& catalog) {
  r.expect(v, Kind::object);
  std::vector<std::string> allowed{"name", "note"};
  for (const auto& spec : catalog_fields())
    allowed.emplace_back(spec.name);
  for (std::size_t i = 0; i < v.keys.size(); ++i) {
    const std::string& id = v.keys[i];
    const Value& m = v.items[i];
    r.expect(m, Kind::object);
    if (id.empty() || id.find_first_of(" .\t") != std::string::npos)
      r.fail(m, fmt::format("model id \"{}\" must be non-empty, without spaces or dots", id));
    r.only_keys(m, allowed);
    GpuModel* model = catalog.find(id);
    if (!model) {
      catalog.models.push_back(GpuModel{id, id, {}, r.where(m), r.file()});
      model = &catalog.models.back();
    }
    if (const Value* n = m.find("name")) model->name = r.nonempty_string(*n);
    for (const auto& spec : catalog_fields()) {
      const Value* fv = m.find(spec.name);
      if (!fv) continue;
      Unit u = units::metric;
      u.name = spec.unit_name;
      GpuModel::Field field{
          std::string(spec.name),
          fr.read(*fv, input_key("catalog.{}").domain, u, input_key("catalog.{}").bare_tag),
          r.where(*fv)};
      auto same = [&](const GpuModel::Field& f) { return f.name == spec.name; };
      auto existing = std::find_if(model->fields.begin(), model->fields.end(), same);
      if (existing != model->fields.end())
        *existing = std::move(field);
      else
        model->fields.push_back(std::move(field));
    }
  }
}

}  // namespace

Catalog load_catalog(std::string_view text, std::string_view file) {
  Reader r(text, file);
  const Value root = r.parse();
  check_schema(r, root, "leasecalc/gpus/v1");
  r.only_keys(root, {"$schema", "schema", "note", "sources", "models"});
  Catalog catalog;
  if (const Value* s = root.find("sources"))
    catalog.sources = read_sources(r, *s, [](const std::string&) { return false; });
  auto known = [&](const std::string& id) {
    for (const auto& s : catalog.sources)
      if (s.id == id) return true;
    return false;
  };
  auto ids = [&] {
    std::vector<std::string> out;
    for (const auto& s : catalog.sources)
      out.push_back(s.id);
    return out;
  };
  read_models(r, FigureReader(r, known, ids), r.require(root, "models"), catalog);
  if (!catalog.find("H100"))
    r.fail(root, "the catalog must define H100, the reference of every basis");
  return catalog;
}

Scenario load_scenario(std::string_view text, std::string_view file, const Catalog& catalog) {
  Reader r(text, file);
  const Value root = r.parse();
  check_schema(r, root, "leasecalc/scenario/v1");
  r.only_keys(
      root, {"$schema", "schema", "name", "as_of", "note", "sources", "catalog", "cluster", "fleet",
             "lease", "loss", "basis", "capacity", "peers", "valuation", "comps", "facts"});
  Scenario s;
  s.file = std::string(file);
  s.catalog = catalog;
  s.name = r.nonempty_string(r.require(root, "name"));
  if (const Value* v = root.find("as_of")) s.as_of = r.date(*v);
  if (const Value* v = root.find("sources"))
    s.sources = read_sources(r, *v, [&](const std::string& id) {
      for (const auto& src : catalog.sources)
        if (src.id == id) return true;
      return false;
    });
  FigureReader fr(
      r, [&](const std::string& id) { return s.find_source(id) != nullptr; },
      [&] {
        std::vector<std::string> out;
        for (const auto& src : s.sources)
          out.push_back(src.id);
        for (const auto& src : s.catalog.sources)
          out.push_back(src.id);
        return out;
      });
  if (const Value* v = root.find("catalog")) read_models(r, fr, *v, s.catalog);
  if (const Value* v = root.find("basis")) {
    s.basis = fr.choice(*v, "basis", basis_names());
  }

  // cluster
  const Value& cluster = r.require(root, "cluster");
  r.expect(cluster, Kind::object);
  r.only_keys(cluster, {"name", "gpus", "power_mw", "note"});
  if (const Value* v = cluster.find("name")) s.cluster_name = r.nonempty_string(*v);
  const Value& gpus = r.require(cluster, "gpus");
  r.expect(gpus, Kind::object);
  if (gpus.keys.empty()) r.fail(gpus, "must list at least one GPU model");
  for (std::size_t i = 0; i < gpus.keys.size(); ++i) {
    const std::string& id = gpus.keys[i];
    const Value& entry = gpus.items[i];
    if (!s.catalog.find(id)) {
      const std::string hint = did_you_mean(id, s.catalog.ids());
      r.fail(entry,
             fmt::format("unknown GPU model \"{}\"{}; known models: {} (ids match exactly; "
                         "add others under /catalog)",
                         id, hint.empty() ? "" : fmt::format(" (did you mean \"{}\"?)", hint),
                         join(s.catalog.ids())));
    }
    r.expect(entry, Kind::object);
    r.only_keys(entry, {"count", "note"});
    GpuLine line;
    line.model = id;
    line.where = r.where(entry);
    line.count = fr.read(r.require(entry, "count"), input_key("cluster.gpus.{}.count"));
    s.gpus.push_back(std::move(line));
  }
  if (const Value* v = cluster.find("power_mw"))
    s.power_mw = fr.read(*v, input_key("cluster.power_mw"));

  // fleet
  if (const Value* fleet = root.find("fleet")) {
    r.expect(*fleet, Kind::object);
    r.only_keys(*fleet, {"name", "h100e", "note"});
    if (const Value* v = fleet->find("name")) s.fleet_name = r.nonempty_string(*v);
    s.fleet_h100e = fr.read(r.require(*fleet, "h100e"), input_key("fleet.h100e"));
  }

  // lease
  const Value& lease = r.require(root, "lease");
  r.expect(lease, Kind::object);
  r.only_keys(lease, {"price_per_gpu_hour", "occupancy", "hours_per_year", "discount", "note"});
  const Value& price = r.require(lease, "price_per_gpu_hour");
  if (price.kind == Kind::object && !price.find("value")) {
    // Per-type prices: {"H100": figure, ...}, one for every model in the cluster.
    for (std::size_t i = 0; i < price.keys.size(); ++i) {
      auto it = std::find_if(s.gpus.begin(), s.gpus.end(),
                             [&](const GpuLine& g) { return g.model == price.keys[i]; });
      if (it == s.gpus.end()) {
        std::vector<std::string> models;
        for (const auto& g : s.gpus)
          models.push_back(g.model);
        const std::string hint = did_you_mean(price.keys[i], models);
        r.fail(price.items[i],
               fmt::format(
                   "a price for \"{}\", which is not in /cluster/gpus{}; priced models must be "
                   "among: {} (a per-type price object has no \"value\" key)",
                   price.keys[i], hint.empty() ? "" : fmt::format(" (did you mean \"{}\"?)", hint),
                   join(models)));
      }
      it->price = fr.read(price.items[i], input_key("lease.price_per_gpu_hour.{}"));
    }
    for (const auto& g : s.gpus)
      if (!g.price)
        r.fail(price, fmt::format("no price for {}: a per-type price object must price every model "
                                  "in /cluster/gpus",
                                  g.model));
  } else {
    s.price = fr.read(price, input_key("lease.price_per_gpu_hour"));
  }
  if (const Value* v = lease.find("occupancy")) {
    s.occupancy = fr.read(*v, input_key("lease.occupancy"));
  } else {
    s.occupancy.value = 1.0;
    s.occupancy.unit = units::one;
    s.occupancy.tag = Tag::assumption;
    s.occupancy.note = "not given: full occupancy assumed";
  }
  if (const Value* v = lease.find("hours_per_year")) {
    s.hours_per_year = fr.read(*v, input_key("lease.hours_per_year"));
  } else {
    s.hours_per_year.value = units::k_hours_per_year;
    s.hours_per_year.unit = units::hours_per_year;
    s.hours_per_year.tag = Tag::exact;
    s.hours_per_year.note = "not given: 365 x 24";
  }
  if (const Value* v = lease.find("discount"))
    s.discount = fr.read(*v, input_key("lease.discount"));

  // loss
  if (const Value* loss = root.find("loss")) {
    r.expect(*loss, Kind::object);
    r.only_keys(*loss, {"annual_net_loss", "note"});
    s.loss = fr.read(r.require(*loss, "annual_net_loss"), input_key("loss.annual_net_loss"));
  }

  // capacity: a list of commitments
  if (const Value* cap = root.find("capacity")) {
    r.expect(*cap, Kind::array);
    for (const Value& c : cap->items) {
      r.expect(c, Kind::object);
      r.only_keys(c, {"counterparty", "gw", "announced", "group", "note"});
      Commitment commitment;
      commitment.counterparty = r.identifier(r.require(c, "counterparty"), "a counterparty");
      for (const auto& prev : s.capacity)
        if (prev.counterparty == commitment.counterparty)
          r.fail(r.require(c, "counterparty"),
                 fmt::format("counterparty \"{}\" is listed twice; each is a figure key "
                             "capacity.<COUNTERPARTY>.gw, so names must be unique",
                             commitment.counterparty));
      commitment.gw = fr.read(r.require(c, "gw"), input_key("capacity.{}.gw"));
      commitment.announced = r.date(r.require(c, "announced"), true);
      if (const Value* g = c.find("group")) commitment.group = r.identifier(*g, "a group");
      s.capacity.push_back(std::move(commitment));
    }
  }
  // peers, comps, facts: objects of named figures
  auto named = [&](std::string_view section, std::string_view field, const InputKey& key,
                   std::vector<Named>& out) {
    const Value* obj = root.find(section);
    if (!obj) return;
    r.expect(*obj, Kind::object);
    for (std::size_t i = 0; i < obj->keys.size(); ++i) {
      const Value& entry = obj->items[i];
      r.identifier_key(*obj, i);
      Named n;
      n.name = obj->keys[i];
      if (field.empty()) {  // a fact: the figure itself, with its unit
        n.figure = fr.read(entry, key);
      } else {
        r.expect(entry, Kind::object);
        r.only_keys(entry, {std::string(field), "note"});
        n.figure = fr.read(r.require(entry, field), key);
      }
      out.push_back(std::move(n));
    }
  };
  named("peers", "gw", input_key("peers.{}.gw"), s.peers);
  named("comps", "revenue_multiple", input_key("comps.{}.revenue_multiple"), s.comps);
  named("facts", "", input_key("facts.{}"), s.facts);
  if (const Value* v = root.find("valuation")) s.valuation = fr.read(*v, input_key("valuation"));
  return s;
}

Note load_note(std::string_view text, std::string_view file) {
  Reader r(text, file);
  const Value root = r.parse();
  check_schema(r, root, "leasecalc/note/v1");
  r.only_keys(root,
              {"$schema", "schema", "title", "publisher", "date", "scenario", "note", "claims"});
  Note note;
  note.file = std::string(file);
  note.title = r.nonempty_string(r.require(root, "title"));
  if (const Value* v = root.find("publisher")) note.publisher = r.string(*v);
  if (const Value* v = root.find("date")) note.date = r.date(*v);
  const Value& scenario = r.require(root, "scenario");
  note.scenario = r.nonempty_string(scenario);
  note.scenario_where = r.where(scenario);
  const Value& claims = r.require(root, "claims");
  r.expect(claims, Kind::array);
  if (claims.items.empty()) r.fail(claims, "a note needs at least one claim");
  for (const Value& c : claims.items) {
    r.expect(c, Kind::object);
    r.only_keys(c, {"id", "text", "key", "stated", "stated_low", "stated_high", "bound",
                    "tolerance", "tag", "unit", "basis", "expect", "reason", "note"});
    Claim claim;
    claim.where = r.where(c);
    claim.id = r.identifier(r.require(c, "id"), "a claim id");
    for (const auto& prev : note.claims)
      if (prev.id == claim.id)
        r.fail(r.require(c, "id"), fmt::format("claim id \"{}\" is used twice", claim.id));
    claim.text = r.nonempty_string(r.require(c, "text"));
    claim.key = r.nonempty_string(r.require(c, "key"));
    claim.key_where = r.where(r.require(c, "key"));
    const Domain any{-1.7976931348623157e308, true, std::nullopt, true, false};
    const Value* stated = c.find("stated");
    const Value* low = c.find("stated_low");
    const Value* high = c.find("stated_high");
    if (stated && (low || high))
      r.fail(*stated, "give either \"stated\" or \"stated_low\" and \"stated_high\", not both");
    if (stated) {
      claim.stated = r.number(*stated, any);
    } else if (low || high) {
      // One side alone is "at least" (stated_low) or "at most" (stated_high).
      if (low) claim.stated_low = r.number(*low, any);
      if (high) claim.stated_high = r.number(*high, any);
      if (low && high && *claim.stated_low > *claim.stated_high)
        r.fail(*low,
               fmt::format("stated_low {} is above stated_high {}", plain_number(*claim.stated_low),
                           plain_number(*claim.stated_high)));
    } else {
      r.fail(c, "a claim needs \"stated\", or \"stated_low\" and/or \"stated_high\"");
    }
    if (const Value* b = c.find("bound")) {
      if (!claim.stated)
        r.fail(*b,
               "a bound goes with \"stated\" (\"550k+\" is stated 550000, bound at-least); "
               "stated_low or stated_high alone is already one-sided");
      claim.bound = choice(r, *b, "bound", bound_names());
    }
    if (const Value* t = c.find("tolerance")) {
      if (!claim.stated) r.fail(*t, "a tolerance goes with \"stated\"; a range has none");
      Tolerance tol;
      if (t->kind == Kind::number) {
        tol = {false, r.number(*t, Domain::at_least(0)), t->text};
      } else {
        const std::string s = r.string(*t);
        const bool percent = !s.empty() && s.back() == '%';
        const NumberParse n =
            parse_number(percent ? std::string_view(s).substr(0, s.size() - 1) : s);
        if (!n.error.empty() || n.value < 0)
          r.fail(*t, fmt::format("tolerance \"{}\" must be a relative \"1%\" or an absolute "
                                 "\"0.02\", at least 0",
                                 s));
        tol = {percent, percent ? n.value / 100 : n.value, s};
      }
      claim.tolerance = tol;
    }
    if (const Value* t = c.find("tag")) claim.tag = choice(r, *t, "tag", tag_names());
    if (const Value* u = c.find("unit")) {
      claim.unit = parse_unit(r.string(*u));
      if (!claim.unit)
        r.fail(*u, fmt::format("unknown unit \"{}\"; write units as USD, USD/yr, GW, GPU, H100e, "
                               "ratio, x, or combinations such as GPU/H100e",
                               u->text));
    }
    if (const Value* b = c.find("basis")) claim.basis = choice(r, *b, "basis", basis_names());
    if (const Value* e = c.find("expect")) {
      if (r.string(*e) != "fail")
        r.fail(*e, fmt::format("\"expect\" may only be \"fail\", got \"{}\"", e->text));
      claim.expect_fail = true;
      const Value* reason = c.find("reason");
      if (!reason) r.fail(*e, "an expected failure needs a \"reason\": why the note is off");
      claim.reason = r.nonempty_string(*reason);
    } else if (const Value* reason = c.find("reason")) {
      r.fail(*reason, "\"reason\" goes with \"expect\": \"fail\"");
    }
    note.claims.push_back(std::move(claim));
  }
  return note;
}

}  // namespace leasecalc

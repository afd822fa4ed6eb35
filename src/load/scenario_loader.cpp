// The scenario loader: JSON (with positions) into a Scenario, every figure read with its
// key-table row's domain, every refusal at its file, line, column and pointer. One file
// because the sections cross-reference one another (a per-type price or capex names the
// cluster's models; tenants take the cluster's GPUs; correlations name ranged inputs), and
// the checks of those references read best beside the sections they join.
#include "leasecalc/calc/override.hpp"
#include "leasecalc/load/loader.hpp"

#include "reader.hpp"

#include <unordered_map>

namespace leasecalc {

InputError::InputError(std::string file, Location where, std::string message)
    : std::runtime_error(fmt::format("{}:{}:{}: {}: {}", file, where.line, where.column,
                                     where.pointer.empty() ? "/" : where.pointer, message)),
      file_(std::move(file)),
      where_(std::move(where)),
      message_(std::move(message)) {}

InputError::InputError(std::string file, std::string message)
    : std::runtime_error(fmt::format("{}: {}", file, message)),
      file_(std::move(file)),
      message_(std::move(message)) {}

namespace load {
namespace {}  // namespace

void check_schema(const Reader& r, const Value& root, std::string_view expected) {
  r.expect(root, Kind::object);
  if (const Value* editor_schema = root.find("$schema")) r.string(*editor_schema);
  const Value& schema = r.require(root, "schema");
  const std::string got = r.string(schema);
  if (got != expected)
    r.fail(schema, fmt::format("unsupported schema \"{}\"; expected \"{}\"", got, expected));
}

namespace {

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

// A name's key segment: its "id" when given (letters, digits, '_' and '-'), else derived
// from the name (README "Scenario files"). Fails at `at` when neither gives one.
std::string segment_of(const Reader& r, const std::string& name, const Value& at, const Value* id) {
  if (id) {
    const std::string given = r.nonempty_string(*id);
    if (key_segment(given) != given)
      r.fail(*id, fmt::format("id \"{}\" must be letters, digits, '_' and '-' only: it is a key "
                              "segment",
                              given));
    return given;
  }
  std::string segment = key_segment(name);
  if (segment.empty())
    r.fail(at, fmt::format("\"{}\" gives no key segment (letters, digits, '_' or '-'); give it an "
                           "\"id\"",
                           name));
  return segment;
}

// A figure per GPU model ({"H100": figure, ...}) rather than one figure: an object with
// no "value" key.
bool per_model(const Value& v) { return v.kind == Kind::object && !v.find("value"); }

// Reads an object keyed by GPU model, which must name every model of the cluster and
// no other: a per-type price, a per-model capex.
void read_per_model(const Reader& r, const Value& obj, Scenario& s, std::string_view item,
                    std::string_view models_with, std::string_view cover,
                    const std::function<void(GpuLine&, const Value&)>& read) {
  std::vector<std::string> models;
  for (const auto& g : s.gpus)
    models.push_back(g.model);
  for (std::size_t i = 0; i < obj.keys.size(); ++i) {
    auto it = std::find_if(s.gpus.begin(), s.gpus.end(),
                           [&](const GpuLine& g) { return g.model == obj.keys[i]; });
    if (it == s.gpus.end()) {
      const std::string hint = suggestion(obj.keys[i], models);
      r.fail(obj.items[i],
             fmt::format("a {} for \"{}\", which is not in /cluster/gpus{}; {} must be among: {} "
                         "(a per-type {} object has no \"value\" key)",
                         item, obj.keys[i], hint, models_with, join(models), item));
    }
    read(*it, obj.items[i]);
  }
  for (const auto& g : s.gpus)
    if (!obj.find(g.model))
      r.fail(obj, fmt::format("no {} for {}: a per-type {} object must {} in /cluster/gpus", item,
                              g.model, item, cover));
}

// A lease's occupancy when the file gives none, and its hours a year.
Figure full_occupancy() {
  Figure f;
  f.value = 1.0;
  f.unit = units::one;
  f.tag = Tag::assumption;
  f.note = "not given: full occupancy assumed";
  return f;
}
Figure whole_year() {
  Figure f;
  f.value = units::k_hours_per_year;
  f.unit = units::hours_per_year;
  f.tag = Tag::exact;
  f.note = "not given: 365 x 24";
  return f;
}

// A ramp: [{"month": 0, "online": 0.25}, {"month": 3, "online": 1}], months after start
// strictly increasing; `add(month, online)` reads each step's share.
void read_ramp(const Reader& r, const Value& ramp,
               const std::function<void(int, const Value&)>& add) {
  r.expect(ramp, Kind::array);
  int last = -1;
  for (const Value& step : ramp.items) {
    r.expect(step, Kind::object);
    r.only_keys(step, {"month", "online", "note"});
    const Value& month = r.require(step, "month");
    // a month of the longest term: 0 .. 1199
    const int m = static_cast<int>(r.number(month, Domain{0, true, 1199.0, true, true}));
    if (last >= 0 && m <= last)
      r.fail(month, fmt::format("ramp months must increase: month {} follows month {}", m, last));
    last = m;
    add(m, r.require(step, "online"));
  }
}

// "leases": a list of tenants, each with the fields of "lease", its tenant name and the
// GPUs it takes per model (README "Several tenants").
void read_leases(const Reader& r, const FigureReader& fr, const Value& list, Scenario& s) {
  r.expect(list, Kind::array);
  if (list.items.empty()) r.fail(list, "must list at least one lease");
  const Value* hours_from = nullptr;                 // the first lease that states hours_per_year
  std::unordered_map<std::string, std::size_t> ids;  // each tenant's key segment: its lease
  for (const Value& item : list.items) {
    r.expect(item, Kind::object);
    r.only_keys(item, {"tenant", "id", "gpus", "price_per_gpu_hour", "occupancy", "hours_per_year",
                       "price_discount", "start", "term_months", "ramp", "escalator", "take_or_pay",
                       "note"});
    Lease l;
    l.where = r.where(item);
    const Value& name = r.require(item, "tenant");
    l.tenant = r.nonempty_string(name);
    const Value* id = item.find("id");
    l.id = segment_of(r, l.tenant, name, id);
    if (const auto [it, fresh] = ids.emplace(l.id, s.leases.size()); !fresh)
      r.fail(id ? *id : name,
             fmt::format("tenants \"{}\" and \"{}\" have the same key segment \"{}\" "
                         "(lease.{}.occupancy); give one an \"id\"",
                         s.leases[it->second].tenant, l.tenant, l.id, l.id));
    // The GPUs it takes: models of the cluster, each at most the cluster's count.
    const Value& gpus = r.require(item, "gpus");
    r.expect(gpus, Kind::object);
    if (gpus.keys.empty()) r.fail(gpus, "must take at least one GPU model of the cluster");
    for (std::size_t i = 0; i < gpus.keys.size(); ++i) {
      const std::string& model = gpus.keys[i];
      auto line = std::find_if(s.gpus.begin(), s.gpus.end(),
                               [&](const GpuLine& g) { return g.model == model; });
      if (line == s.gpus.end()) {
        std::vector<std::string> models;
        for (const auto& g : s.gpus)
          models.push_back(g.model);
        r.fail(gpus.items[i], fmt::format("{} takes {} GPUs, which the cluster does not have; "
                                          "the cluster's models: {}",
                                          l.tenant, model, join(models)));
      }
      Figure count = fr.read(gpus.items[i], input_key("lease.{}.gpus.{}"));
      if (count.value > line->count.value)
        r.fail(gpus.items[i],
               fmt::format("{} takes {} {} GPUs, more than the cluster's {}", l.tenant,
                           plain_number(count.value), model, plain_number(line->count.value)));
      l.gpus.emplace_back(model, std::move(count));
    }
    const Value& price = r.require(item, "price_per_gpu_hour");
    if (per_model(price)) {  // one per model it takes, and only those
      for (std::size_t i = 0; i < price.keys.size(); ++i) {
        if (std::none_of(l.gpus.begin(), l.gpus.end(),
                         [&](const auto& g) { return g.first == price.keys[i]; }))
          r.fail(price.items[i],
                 fmt::format("a price for {}, which {} does not take", price.keys[i], l.tenant));
        l.prices.emplace_back(price.keys[i],
                              fr.read(price.items[i], input_key("lease.{}.price_per_gpu_hour.{}")));
      }
      for (const auto& [model, count] : l.gpus)
        if (!price.find(model))
          r.fail(price, fmt::format("no price for {}: a per-type price object must price every "
                                    "model {} takes",
                                    model, l.tenant));
    } else {
      l.price = fr.read(price, input_key("lease.{}.price_per_gpu_hour"));
    }
    if (const Value* v = item.find("occupancy")) {
      l.occupancy = fr.read(*v, input_key("lease.{}.occupancy"));
    } else {
      l.occupancy = full_occupancy();
    }
    // Every lease states the same hours a year, which costs use.
    if (const Value* v = item.find("hours_per_year")) {
      Figure hours = fr.read(*v, input_key("lease.hours_per_year"));
      if (hours_from && hours.value != s.hours_per_year.value)
        r.fail(*v, fmt::format("{} hours a year, where an earlier lease states {}: every lease "
                               "states the same hours_per_year",
                               plain_number(hours.value), plain_number(s.hours_per_year.value)));
      if (!hours_from) s.hours_per_year = std::move(hours);
      hours_from = v;
    } else if (hours_from) {
      r.fail(item,
             "states no hours_per_year, where an earlier lease does: every lease states "
             "the same");
    }
    if (const Value* v = item.find("price_discount"))
      l.discount = fr.read(*v, input_key("lease.{}.price_discount"));
    if (const Value* v = item.find("term_months"))
      l.term = fr.read(*v, input_key("lease.{}.term_months"));
    if (const Value* v = item.find("escalator"))
      l.escalator = fr.read(*v, input_key("lease.{}.escalator"));
    if (const Value* v = item.find("take_or_pay"))
      l.take_or_pay = fr.read(*v, input_key("lease.{}.take_or_pay"));
    if (const Value* v = item.find("start")) {
      l.start = r.date(*v);
      r.at(*v, [&] { require_contract_start(l.start); });
    }
    if (const Value* ramp = item.find("ramp"))
      read_ramp(r, *ramp, [&](int m, const Value& online) {
        l.ramp.push_back({m, fr.read(online, input_key("lease.{}.ramp.{}.online"))});
      });
    s.leases.push_back(std::move(l));
  }
  if (!hours_from) s.hours_per_year = whole_year();
  // Together, the tenants whose leases run at the same time take at most the cluster's
  // GPUs of each model: checked in each month a lease starts, so that leases of the same
  // GPUs may follow one another. A lease without a term runs throughout.
  const std::vector<int> months = lease_starts(s);
  int first = std::numeric_limits<int>::max();  // the calendar's first month, if any
  for (const auto& l : s.leases)
    if (!l.start.empty()) first = std::min(first, month_index(l.start));
  struct Span {
    const Lease* lease;
    double begin, end;
  };
  std::vector<Span> spans;
  bool timed = false;
  for (std::size_t i = 0; i < s.leases.size(); ++i) {
    const Lease& l = s.leases[i];
    const double begin = months[i];
    timed = timed || l.term.has_value();
    spans.push_back({&l, begin, l.term ? begin + l.term->value : HUGE_VAL});
  }
  for (const auto& g : s.gpus) {
    // The model's GPUs taken at each time a lease starts, in one sweep over the starts and
    // ends (a lease runs from its start to before its end).
    std::vector<std::pair<double, double>> changes;  // (month, GPUs taken or given back)
    for (const Span& span : spans)
      for (const auto& [model, count] : span.lease->gpus)
        if (model == g.model) {
          changes.emplace_back(span.begin, count.value);
          if (span.end != HUGE_VAL) changes.emplace_back(span.end, -count.value);
        }
    std::sort(changes.begin(), changes.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<std::pair<double, double>> taken_at;  // (month, GPUs taken from it on)
    double running = 0;
    for (std::size_t i = 0; i < changes.size(); ++i) {
      running += changes[i].second;
      if (i + 1 == changes.size() || changes[i + 1].first != changes[i].first)
        taken_at.emplace_back(changes[i].first, running);
    }
    for (const Span& at : spans) {
      const auto it = std::lower_bound(taken_at.begin(), taken_at.end(), at.begin,
                                       [](const auto& p, double m) { return p.first < m; });
      if (it == taken_at.end() || it->first != at.begin || it->second <= g.count.value) continue;
      double taken = 0;
      std::vector<std::string> who;
      for (const Span& other : spans)
        if (other.begin <= at.begin && at.begin < other.end)
          for (const auto& [model, count] : other.lease->gpus)
            if (model == g.model) {
              taken += count.value;
              who.push_back(other.lease->tenant);
            }
      if (taken <= g.count.value) continue;
      if (!timed)
        r.fail(list,
               fmt::format("the tenants ({}) together take {} {} GPUs, more than the "
                           "cluster's {}",
                           join(who), plain_number(taken), g.model, plain_number(g.count.value)));
      const int m = static_cast<int>(at.begin);
      const std::string when =
          first == std::numeric_limits<int>::max()
              ? fmt::format("month {}", m + 1)
              : fmt::format("{}-{:02}", (first + m) / 12, (first + m) % 12 + 1);
      r.fail(list, fmt::format("in {} the leases of {} run at once and together take {} {} GPUs, "
                               "more than the cluster's {}; leases of the same GPUs may follow "
                               "one another, not overlap",
                               when, join(who), plain_number(taken), g.model,
                               plain_number(g.count.value)));
    }
  }
  // Contracts on one calendar: with several terms, each needs a start (or none does).
  std::size_t terms = 0, starts = 0;
  for (const auto& l : s.leases) {
    terms += l.term.has_value();
    starts += l.term && !l.start.empty();
  }
  if (terms != 0 && terms != s.leases.size())
    r.fail(list,
           "every lease needs a term_months when one has: the contract sums the tenants "
           "month by month");
  if (terms > 1 && starts != 0 && starts != terms)
    r.fail(list,
           "every lease with a term_months needs a start, or none does: the contracts "
           "are summed month by month on one calendar");
}

// The sections of the file that key table rows name ("costs" of "costs/pue").
std::vector<std::string> table_sections() {
  std::vector<std::string> out;
  for (const auto& row : input_keys()) {
    const std::string section(row.json.substr(0, row.json.find('/')));
    if (!row.json.empty() && std::find(out.begin(), out.end(), section) == out.end())
      out.push_back(section);
  }
  return out;
}

// A section's own keys and those key table rows place in it.
std::vector<std::string> with_table_fields(std::string_view section,
                                           std::vector<std::string> keys) {
  for (const auto& row : input_keys())
    if (row.json.starts_with(section) && row.json.size() > section.size() &&
        row.json[section.size()] == '/')
      keys.emplace_back(row.json.substr(section.size() + 1));
  return keys;
}

// The keys of a section that are not figures of the key table.
std::vector<std::string> own_keys(std::string_view section) {
  if (section == "finance") return {"capex_at_start", "note"};
  if (section == "debt") return {"amortization", "note"};
  if (section == "market") return {"price_per_gpu_hour", "note"};  // read by read_market
  return {"note"};
}

// Every figure the key table places at a fixed path: read with the row's domain, unit
// and bare-number tag. A section only the table knows must be an object of such figures
// (and a note).
void read_table_fields(const Reader& r, const FigureReader& fr, const Value& root, Scenario& s) {
  for (const auto& section : table_sections()) {
    const Value* obj = root.find(section);
    if (!obj) continue;
    r.expect(*obj, Kind::object);
    static const std::vector<std::string> known{"cluster", "lease"};  // checked by their readers
    if (std::find(known.begin(), known.end(), section) == known.end())
      r.only_keys(*obj, with_table_fields(section, own_keys(section)));
    for (const auto& row : input_keys()) {
      if (!row.json.starts_with(section + "/")) continue;
      const Value* v = obj->find(row.json.substr(section.size() + 1));
      if (!v) continue;
      const std::string each = std::string(row.pattern) + ".{}";  // its per-model twin
      if (per_model(*v) && match_input(each + "x"))
        read_per_model(r, *v, s, row.pattern, "models", "cover every model",
                       [&](GpuLine& g, const Value& x) {
                         input_key(each).put(s, g.model, fr.read(x, input_key(each)));
                       });
      else
        row.put(s, "", fr.read(*v, row));
    }
  }
  if (const Value* finance = root.find("finance"))
    if (const Value* v = finance->find("capex_at_start")) {
      r.expect(*v, Kind::boolean);
      s.capex_at_start = v->boolean;
    }
  if (const Value* debt = root.find("debt"))
    if (const Value* v = debt->find("amortization")) {
      static const std::vector<std::pair<std::string, Scenario::Amortization>> k_ways{
          {"annuity", Scenario::Amortization::annuity},
          {"straight", Scenario::Amortization::straight},
          {"bullet", Scenario::Amortization::bullet}};
      const std::string way = r.nonempty_string(*v);
      auto it = std::find_if(k_ways.begin(), k_ways.end(), [&](auto& w) { return w.first == way; });
      if (it == k_ways.end())
        r.fail(*v, unknown_choice("amortization", way, {"annuity", "straight", "bullet"}));
      s.amortization = it->second;
    }
}

// "market": {"price_per_gpu_hour": {"H100": [{"date": "2025-10-01", "value": 1.70, ...}]}}:
// each point a figure keyed by its model and month, for a model of the cluster, in date
// order, on the first day of a month, with a lease start to place it on the contract's
// months.
void read_market(const Reader& r, const FigureReader& fr, const Value& root, Scenario& s) {
  const Value* market = root.find("market");
  const Value* prices = market ? market->find("price_per_gpu_hour") : nullptr;
  if (!prices) return;
  r.expect(*prices, Kind::object);
  const InputKey& row = input_key("market.price_per_gpu_hour.{}");
  std::vector<std::string> models;
  for (const auto& g : s.gpus)
    models.push_back(g.model);
  for (std::size_t i = 0; i < prices->keys.size(); ++i) {
    const std::string& model = prices->keys[i];
    const Value& points = prices->items[i];
    if (std::find(models.begin(), models.end(), model) == models.end())
      r.fail(points, fmt::format("a market price for {}, which the cluster does not have{}; the "
                                 "cluster's models: {}",
                                 model, suggestion(model, models), join(models)));
    r.expect(points, Kind::array);
    std::string last;
    for (const Value& point : points.items) {
      r.expect(point, Kind::object);
      const Value& d = r.require(point, "date");
      const std::string date = r.string(d);
      if (!is_date(date) || !date.ends_with("-01"))
        r.fail(d, fmt::format("must be the first day of a month as YYYY-MM-01, got \"{}\": a "
                              "point is its month's price",
                              date));
      if (!last.empty() && date <= last)
        r.fail(d, fmt::format("{} comes {} {} above it: list a model's prices in date order, one "
                              "a month",
                              date, date == last ? "again after" : "before", last));
      last = date;
      row.put(s, model + "." + date.substr(0, 7), fr.read(point, row, {"date"}));
    }
  }
  bool started = !s.start.empty();
  for (const auto& l : s.leases)
    started = started || !l.start.empty();
  if (!started)
    r.fail(*prices,
           "market prices by date need the lease's start (lease.start) to place them on "
           "the contract's months");
}

}  // namespace
}  // namespace load

using namespace load;

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
  for (auto& m : catalog.models)  // a pointer names a place in a scenario file, not here
    for (auto& f : m.fields)
      f.figure.pointer.clear();
  return catalog;
}

namespace {
// [{"a": KEY, "b": KEY, "rank": rho}, ...]: two different keys, rho from -1 to 1, each
// pair once.
std::vector<Scenario::Correlation> read_correlations(const Reader& r, const Value& list,
                                                     std::vector<std::string>& notices) {
  r.expect(list, Kind::array);
  std::vector<Scenario::Correlation> out;
  for (const Value& entry : list.items) {
    r.expect(entry, Kind::object);
    r.only_keys(entry, {"a", "b", "rank", "note"});
    Scenario::Correlation c;
    const Value& a = r.require(entry, "a");
    const Value& b = r.require(entry, "b");
    c.a = r.current_key(a, r.nonempty_string(a), notices);
    c.b = r.current_key(b, r.nonempty_string(b), notices);
    c.rank = r.number(r.require(entry, "rank"), Domain::between(-1, 1));
    c.at = r.where(entry);
    c.a_at = r.where(a);
    c.b_at = r.where(b);
    if (c.a == c.b)
      r.fail(b,
             fmt::format("\"{}\" is correlated with itself; \"b\" must name another input", c.b));
    for (const auto& prev : out)
      if ((prev.a == c.a && prev.b == c.b) || (prev.a == c.b && prev.b == c.a))
        r.fail(
            entry,
            fmt::format("the pair {} and {} is given twice (first at line {}); give each pair once",
                        c.a, c.b, prev.at.line));
    out.push_back(std::move(c));
  }
  return out;
}
}  // namespace

namespace {

// "cases": {"bear": {"lease.price_per_gpu_hour": {"value": 2.0, "tag": "assumption",
// "note": "..."}, "lease.occupancy": "80%"}}: each entry an override as --set takes it (a
// number, a text such as "80%" or "2.0@reported:s1", or an object), tried on the file as
// it is read, so that an unknown key or a bad value is an error at its place.
void read_cases(const Reader& r, const Value& cases, Scenario& s) {
  r.expect(cases, Kind::object);
  for (std::size_t i = 0; i < cases.keys.size(); ++i) {
    const std::string& name = cases.keys[i];
    const Value& entry = cases.items[i];
    if (name == "base")
      r.fail(entry,
             "\"base\" is the file as it is (compare --cases shows it first): give the "
             "case another name");
    if (name.empty() || name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTU"
                                               "VWXYZ0123456789_-") != std::string::npos)
      r.fail(entry, fmt::format("case name \"{}\": letters, digits, _ and - only", name));
    r.expect(entry, Kind::object);
    if (entry.keys.empty()) r.fail(entry, "a case sets at least one input");
    Scenario::Case c{name, {}};
    Scenario tried = s;
    for (std::size_t j = 0; j < entry.keys.size(); ++j) {
      const Value& v = entry.items[j];
      const std::string key = r.current_key(v, entry.keys[j], s.notices);
      const Value* value = &v;
      std::string tag, note, sources;
      if (v.kind == Kind::object) {
        r.only_keys(v, {"value", "tag", "source", "note"});
        value = &r.require(v, "value");
        if (const Value* t = v.find("tag")) tag = r.nonempty_string(*t);
        if (const Value* src = v.find("source")) {
          sources = r.nonempty_string(*src);
          if (tag.empty()) r.fail(*src, "a source goes with a tag: add \"tag\"");
        }
        if (const Value* n = v.find("note")) note = r.string(*n);
      }
      if (value->kind != Kind::number && value->kind != Kind::string)
        r.fail(*value,
               "must be a number, a text as --set takes it (\"80%\"), or an object with "
               "\"value\"");
      std::string set = key + "=" + value->text;
      if (!tag.empty()) set += "@" + tag + (sources.empty() ? "" : ":" + sources);
      c.sets.push_back({std::move(set), std::move(note)});
      try {
        apply_case_set(tried, c.sets.back());
      } catch (const UsageError& e) {
        r.fail(v, e.what());
      }
    }
    try {
      check_consistency(tried);
    } catch (const UsageError& e) {
      r.fail(entry, e.what());
    }
    s.cases.push_back(std::move(c));
  }
}

}  // namespace

namespace {

// The members renamed since (README "Figures, tags and units"): "discount" in "lease", in
// each of "leases" and in "tail" is "price_discount" now. The tree is renamed before it is
// read, and each old name leaves a notice; a place that has both is an error.
void rename_old_members(const Reader& r, Value& root, std::vector<std::string>& notices) {
  auto rename = [&](Value& object) {
    if (object.kind != Kind::object) return;
    const auto at = std::find(object.keys.begin(), object.keys.end(), "discount");
    if (at == object.keys.end()) return;
    const Value& v = object.items[static_cast<std::size_t>(at - object.keys.begin())];
    if (object.find("price_discount"))
      r.fail(v, "\"discount\" is the old name of \"price_discount\": give one of them");
    r.notice(v, renamed_notice("\"discount\"", "\"price_discount\""), notices);
    *at = "price_discount";
  };
  auto member = [&](std::string_view name) -> Value* {
    for (std::size_t i = 0; i < root.keys.size(); ++i)
      if (root.keys[i] == name) return &root.items[i];
    return nullptr;
  };
  if (root.kind != Kind::object) return;
  if (Value* lease = member("lease")) rename(*lease);
  if (Value* tail = member("tail")) rename(*tail);
  if (Value* leases = member("leases"); leases && leases->kind == Kind::array)
    for (Value& item : leases->items)
      rename(item);
}

}  // namespace

Scenario load_scenario(std::string_view text, std::string_view file, const Catalog& catalog) {
  Reader r(text, file);
  Value root = r.parse();
  std::vector<std::string> notices;
  rename_old_members(r, root, notices);
  check_schema(r, root, "leasecalc/scenario/v1");
  std::vector<std::string> sections{
      "$schema", "schema",    "name",  "as_of",  "note",       "sources",      "catalog",
      "cluster", "fleet",     "lease", "leases", "loss",       "basis",        "capacity",
      "peers",   "valuation", "comps", "facts",  "tag_ranges", "correlations", "cases"};
  for (const auto& section : table_sections())  // sections of the key table's own
    if (std::find(sections.begin(), sections.end(), section) == sections.end())
      sections.push_back(section);
  r.only_keys(root, sections);
  Scenario s;
  s.file = std::string(file);
  s.notices = std::move(notices);
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
  r.only_keys(cluster, with_table_fields("cluster", {"name", "gpus", "power_mw", "note"}));
  if (const Value* v = cluster.find("name")) s.cluster_name = r.nonempty_string(*v);
  const Value& gpus = r.require(cluster, "gpus");
  r.expect(gpus, Kind::object);
  if (gpus.keys.empty()) r.fail(gpus, "must list at least one GPU model");
  for (std::size_t i = 0; i < gpus.keys.size(); ++i) {
    const std::string& id = gpus.keys[i];
    const Value& entry = gpus.items[i];
    if (!s.catalog.find(id)) {
      const std::string hint = suggestion(id, s.catalog.ids());
      r.fail(entry, fmt::format("unknown GPU model \"{}\"{}; known models: {} (ids match exactly; "
                                "add others under /catalog)",
                                id, hint, join(s.catalog.ids())));
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
    r.only_keys(*fleet, {"name", "h100e", "basis", "note"});
    if (const Value* v = fleet->find("name")) s.fleet_name = r.nonempty_string(*v);
    if (const Value* v = fleet->find("basis"))
      s.fleet_basis = choice(r, *v, "basis", basis_names());
    s.fleet_h100e = fr.read(r.require(*fleet, "h100e"), input_key("fleet.h100e"));
  }

  // lease, or leases (README "Several tenants")
  if (const Value* leases = root.find("leases")) {
    if (const Value* one = root.find("lease"))
      r.fail(*one, "a scenario has \"lease\" (one tenant) or \"leases\" (several), not both");
    read_leases(r, fr, *leases, s);
  } else {
    const Value& lease = r.require(root, "lease");
    r.expect(lease, Kind::object);
    std::vector<std::string> lease_keys = with_table_fields(
        "lease", {"price_per_gpu_hour", "occupancy", "hours_per_year", "price_discount", "start"});
    lease_keys.insert(lease_keys.end(), {"ramp", "note"});
    r.only_keys(lease, lease_keys);
    const Value& price = r.require(lease, "price_per_gpu_hour");
    if (per_model(price)) {
      read_per_model(r, price, s, "price", "priced models", "price every model",
                     [&](GpuLine& g, const Value& v) {
                       g.price = fr.read(v, input_key("lease.price_per_gpu_hour.{}"));
                     });
    } else {
      s.price = fr.read(price, input_key("lease.price_per_gpu_hour"));
    }
    if (const Value* v = lease.find("occupancy")) {
      s.occupancy = fr.read(*v, input_key("lease.occupancy"));
    } else {
      s.occupancy = full_occupancy();
    }
    if (const Value* v = lease.find("hours_per_year")) {
      s.hours_per_year = fr.read(*v, input_key("lease.hours_per_year"));
    } else {
      s.hours_per_year = whole_year();
    }
    if (const Value* v = lease.find("price_discount"))
      s.discount = fr.read(*v, input_key("lease.price_discount"));
    if (const Value* v = lease.find("start")) {
      s.start = r.date(*v);
      r.at(*v, [&] { require_contract_start(s.start); });
    }
    if (const Value* ramp = lease.find("ramp"))
      read_ramp(r, *ramp, [&](int m, const Value& online) {
        s.ramp.push_back({m, fr.read(online, input_key("lease.ramp.{}.online"))});
      });
  }

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
      r.only_keys(c, {"counterparty", "id", "gw", "announced", "group", "note"});
      Commitment commitment;
      const Value& name = r.require(c, "counterparty");
      commitment.counterparty = r.nonempty_string(name);
      const Value* id = c.find("id");
      commitment.id = segment_of(r, commitment.counterparty, name, id);
      for (const auto& prev : s.capacity)
        if (prev.id == commitment.id)
          r.fail(id ? *id : name,
                 fmt::format("counterparties \"{}\" and \"{}\" have the same key segment \"{}\" "
                             "(capacity.{}.gw); give one an \"id\"",
                             prev.counterparty, commitment.counterparty, commitment.id,
                             commitment.id));
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
      Named n;
      n.name = obj->keys[i];
      const Value* id = entry.kind == Kind::object ? entry.find("id") : nullptr;
      n.id = segment_of(r, n.name, entry, id);
      for (const auto& prev : out)
        if (prev.id == n.id)
          r.fail(id ? *id : entry,
                 fmt::format("\"{}\" and \"{}\" have the same key segment \"{}\" under /{}; give "
                             "one an \"id\"",
                             prev.name, n.name, n.id, section));
      if (field.empty()) {  // a fact: the figure itself, with its unit, an id and a label
        n.figure = fr.read(entry, key, {"id", "label"});
        if (const Value* l = entry.find("label")) n.label = r.nonempty_string(*l);
      } else {
        r.expect(entry, Kind::object);
        r.only_keys(entry, {std::string(field), "id", "note"});
        n.figure = fr.read(r.require(entry, field), key);
      }
      out.push_back(std::move(n));
    }
  };
  named("peers", "gw", input_key("peers.{}.gw"), s.peers);
  named("comps", "revenue_multiple", input_key("comps.{}.revenue_multiple"), s.comps);
  named("facts", "", input_key("facts.{}"), s.facts);
  if (const Value* v = root.find("valuation")) s.valuation = fr.read(*v, input_key("valuation"));
  if (const Value* v = root.find("tag_ranges")) {
    // {"reported": 0.15, ...}: a half-width for each tag named, 0 to below 1 (README "Filing day")
    r.expect(*v, Kind::object);
    for (std::size_t i = 0; i < v->keys.size(); ++i) {
      const auto tag = parse_tag(v->keys[i]);
      if (!tag) r.fail(v->items[i], unknown_choice("tag", v->keys[i], names_of(tag_names())));
      s.tag_ranges.emplace_back(*tag, r.number(v->items[i], Domain::between(0, 1, false)));
    }
  }
  if (const Value* v = root.find("correlations"))
    s.correlations = read_correlations(r, *v, s.notices);
  read_table_fields(r, fr, root, s);
  // A stated power is the whole facility's: a PUE on top would count the overhead twice.
  if (const Value* costs = root.find("costs"); costs && s.power_mw)
    if (const Value* pue = costs->kind == Kind::object ? costs->find("pue") : nullptr)
      r.fail(*pue, std::string(k_power_and_pue));
  read_market(r, fr, root, s);
  if (const auto fault = tail_fault(s)) {
    const Value* tail = root.find("tail");
    r.fail(tail ? *tail : root, *fault);
  }
  if (const auto fault = debt_fault(s)) {
    const Value* debt = root.find("debt");
    const Value* io =
        debt && debt->kind == Kind::object ? debt->find("interest_only_months") : nullptr;
    r.fail(io && fault->starts_with("debt.interest_only") ? *io : debt ? *debt : root, *fault);
  }
  if (const Value* v = root.find("cases")) read_cases(r, *v, s);
  return s;
}

}  // namespace leasecalc

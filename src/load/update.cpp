#include "leasecalc/load/update.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <nlohmann/json.hpp>

#include "leasecalc/load/json_reader.hpp"
#include "leasecalc/model/keys.hpp"
#include "leasecalc/model/text.hpp"

namespace leasecalc {
namespace {

using json::Kind;
using json::Value;

struct Edit {
  std::size_t begin, end;  // the bytes replaced; begin == end inserts
  std::string text;
  std::string pointer;    // of the figure changed, so a later --set of it replaces this edit
  std::size_t order = 0;  // inserts at one place keep the order they were made in
};

std::string json_string(std::string_view s) { return nlohmann::json(std::string(s)).dump(); }

// The value at a JSON pointer, or nullptr.
const Value* find(const Value& root, std::string_view pointer) {
  const Value* v = &root;
  while (!pointer.empty()) {
    pointer.remove_prefix(1);  // '/'
    const auto slash = pointer.find('/');
    std::string token(pointer.substr(0, slash));
    pointer = slash == std::string_view::npos ? std::string_view{} : pointer.substr(slash);
    for (std::size_t at; (at = token.find("~1")) != std::string::npos;)
      token.replace(at, 2, "/");
    for (std::size_t at; (at = token.find("~0")) != std::string::npos;)
      token.replace(at, 2, "~");
    if (v->kind == Kind::object) {
      v = v->find(token);
    } else if (v->kind == Kind::array && !token.empty() &&
               token.find_first_not_of("0123456789") == std::string::npos &&
               std::stoul(token) < v->items.size()) {
      v = &v->items[std::stoul(token)];
    } else {
      return nullptr;
    }
    if (!v) return nullptr;
  }
  return v;
}

// Adds `"name": value` as the last member of `object`: on a line of its own, indented as
// the last member, when the object spans lines.
Edit insert_member(std::string_view text, const Value& object, std::string_view name,
                   const std::string& value) {
  const std::string member = json_string(name) + ": " + value;
  if (object.items.empty()) return {object.offset + 1, object.offset + 1, member, ""};
  const std::size_t last_key = object.key_offsets.back();
  const std::size_t end = json::value_end(text, object.items.back().offset);
  const std::size_t line = text.rfind('\n', last_key);
  const bool multiline =
      text.substr(object.offset, last_key - object.offset).find('\n') != std::string_view::npos;
  const std::string sep =
      multiline ? ",\n" + std::string(text.substr(line + 1, last_key - line - 1)) : ", ";
  return {end, end, sep + member, ""};
}

// The figure as one line: `{"value": ..., "tag": ..., "source": ..., <other members>}`,
// its other members copied as written.
std::string figure_text(std::string_view text, const Value* old, const Override& o, Tag tag,
                        bool keep_range) {
  std::vector<std::pair<std::string, std::string>> members;
  if (old && old->kind == Kind::object)
    for (std::size_t i = 0; i < old->keys.size(); ++i) {
      const Value& v = old->items[i];
      members.emplace_back(
          old->keys[i],
          std::string(text.substr(v.offset, json::value_end(text, v.offset) - v.offset)));
    }
  auto set = [&](const std::string& key, std::string value, const std::string& after) {
    for (auto& [k, v] : members)
      if (k == key) {
        v = std::move(value);
        return;
      }
    auto at =
        std::find_if(members.begin(), members.end(), [&](auto& m) { return m.first == after; });
    members.insert(at == members.end() ? members.begin() : at + 1, {key, std::move(value)});
  };
  auto drop = [&](const std::string& key) {
    std::erase_if(members, [&](auto& m) { return m.first == key; });
  };
  set("value", plain_number(o.value), "");
  set("tag", json_string(tag_name(tag)), "value");
  if (o.sources.empty()) {
    drop("source");
  } else {
    std::vector<std::string> ids;
    for (const auto& id : o.sources)
      ids.push_back(json_string(id));
    set("source", ids.size() == 1 ? ids[0] : "[" + join(ids, ", ") + "]", "tag");
  }
  if (!keep_range) {  // confirmed: no range, and not approximate
    drop("low");
    drop("high");
    drop("dist");
    drop("approx");
  }
  std::vector<std::string> parts;
  for (const auto& [k, v] : members)
    parts.push_back(json_string(k) + ": " + v);
  return "{" + join(parts, ", ") + "}";
}

// Where a figure the file lacks goes: its section's pointer and its member name.
std::optional<std::pair<std::string, std::string>> home_of(const InputKey& row) {
  if (!row.json.empty()) {
    const auto slash = row.json.rfind('/');
    return std::pair{"/" + std::string(row.json.substr(0, slash)),
                     std::string(row.json.substr(slash + 1))};
  }
  static const std::vector<std::pair<std::string_view, std::pair<std::string, std::string>>> homes{
      {"cluster.power_mw", {"/cluster", "power_mw"}},
      {"lease.discount", {"/lease", "discount"}},
      {"loss.annual_net_loss", {"/loss", "annual_net_loss"}},
      {"fleet.h100e", {"/fleet", "h100e"}},
      {"valuation", {"", "valuation"}}};
  for (const auto& [pattern, home] : homes)
    if (row.pattern == pattern) return home;
  return std::nullopt;
}

}  // namespace

std::string update_text(std::string_view text, const Scenario& scenario,
                        const std::vector<Override>& sets, const std::optional<NewSource>& source) {
  // `text` loaded as `scenario` already; a parse error here would be a bug, not the user's.
  const Value root = json::parse(text);
  Scenario s = scenario;  // figure() wants it mutable
  std::vector<Edit> edits;
  std::size_t next_order = 0;
  auto add = [&](Edit e) {
    if (!e.pointer.empty())
      std::erase_if(edits, [&](const Edit& x) { return x.pointer == e.pointer; });
    e.order = next_order++;
    edits.push_back(std::move(e));
  };
  auto put = [&](const std::string& parent, const std::string& name, const std::string& value,
                 const std::string& what) {
    const std::string pointer = parent + "/" + json::pointer_token(name);
    if (const Value* v = find(root, pointer)) {
      add({v->offset, json::value_end(text, v->offset), value, pointer});
      return;
    }
    const Value* home = find(root, parent);
    if (!home || home->kind != Kind::object)
      throw UsageError(
          fmt::format("cannot add {}: the file has no {} object to put it in; add it by hand", what,
                      parent.empty() ? "root" : parent));
    Edit e = insert_member(text, *home, name, value);
    e.pointer = pointer;
    add(std::move(e));
  };

  for (const Override& o : sets) {
    if (o.key == "lease.start" || o.key == "finance.capex_at_start") {
      const bool date = o.key == "lease.start";
      put(date ? "/lease" : "/finance", date ? "start" : "capex_at_start",
          date ? json_string(o.text) : o.text, o.key);
      continue;
    }
    const auto match = match_input(o.key);
    if (!match) throw UsageError(fmt::format("unknown figure key \"{}\"", o.key));
    const Tag tag = o.tag.value_or(Tag::assumption);
    const bool keep_range = tag != Tag::primary && tag != Tag::exact;
    const Figure* f = match->row->figure(s, match->segment);
    if (f && keep_range && f->low && (o.value < *f->low || o.value > *f->high))
      throw UsageError(
          fmt::format("{}={}: outside the figure's range {} to {}, which a {} figure keeps; "
                      "confirm it as primary or exact (which drops the range), or change "
                      "the range in the file",
                      o.key, plain_number(o.value), plain_number(*f->low), plain_number(*f->high),
                      tag_name(tag)));
    if (f && !f->pointer.empty()) {
      const Value* v = find(root, f->pointer);
      if (!v) throw UsageError(fmt::format("{}: not found at {} in the file", o.key, f->pointer));
      add({v->offset, json::value_end(text, v->offset), figure_text(text, v, o, tag, keep_range),
           f->pointer});
      continue;
    }
    const auto home = home_of(*match->row);
    if (!home)
      throw UsageError(
          fmt::format("cannot add {}: update adds only figures with a fixed place in the "
                      "file; add it by hand",
                      o.key));
    put(home->first, home->second, figure_text(text, nullptr, o, tag, keep_range), o.key);
  }

  if (source) {
    std::vector<std::string> parts{"\"title\": " + json_string(source->title)};
    if (!source->date.empty()) parts.push_back("\"date\": " + json_string(source->date));
    if (!source->kind.empty()) parts.push_back("\"kind\": " + json_string(source->kind));
    const std::string body = "{" + join(parts, ", ") + "}";
    if (const Value* list = root.find("sources"))
      add(insert_member(text, *list, source->id, body));
    else
      add(insert_member(text, root, "sources", "{" + json_string(source->id) + ": " + body + "}"));
  }

  // Apply from the end of the file back, so earlier offsets stay valid.
  std::sort(edits.begin(), edits.end(), [](const Edit& a, const Edit& b) {
    return a.begin != b.begin ? a.begin > b.begin : a.order > b.order;
  });
  std::string out(text);
  for (const auto& e : edits)
    out.replace(e.begin, e.end - e.begin, e.text);
  return out;
}

}  // namespace leasecalc

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
                   const std::string& value, std::string_view eol) {
  const std::string member = json_string(name) + ": " + value;
  if (object.items.empty()) return {object.offset + 1, object.offset + 1, member, ""};
  const std::size_t last_key = object.key_offsets.back();
  const std::size_t end = json::value_end(text, object.items.back().offset);
  const std::size_t line = text.rfind('\n', last_key);
  const bool multiline =
      text.substr(object.offset, last_key - object.offset).find('\n') != std::string_view::npos;
  const std::string sep =
      multiline ? "," + std::string(eol) + std::string(text.substr(line + 1, last_key - line - 1))
                : ", ";
  return {end, end, sep + member, ""};
}

// The figure as one line: `{"value": ..., "tag": ..., "source": ..., <other members>}`,
// its other members copied as written. Without `o`, its value, tag and source stay as they
// are; `edit` changes its note or range.
std::string figure_text(std::string_view text, const Value* old, const Override* o, Tag tag,
                        bool keep_range, const FigureEdit* edit) {
  std::vector<std::pair<std::string, std::string>> members;
  auto written = [&](const Value& v) {
    return std::string(text.substr(v.offset, json::value_end(text, v.offset) - v.offset));
  };
  if (old && old->kind == Kind::object)
    for (std::size_t i = 0; i < old->keys.size(); ++i)
      members.emplace_back(old->keys[i], written(old->items[i]));
  else if (old)  // a bare number: its tag, the key's, said
    members = {{"value", written(*old)}, {"tag", json_string(tag_name(tag))}};
  // Sets `key`, in its place if it is there, else after the last of `after` present (at the
  // start when none is), or at the end when `after` is empty.
  auto set = [&](const std::string& key, std::string value,
                 std::initializer_list<const char*> after) {
    for (auto& [k, v] : members)
      if (k == key) {
        v = std::move(value);
        return;
      }
    auto at = after.size() == 0 ? members.end() : members.begin();
    for (const char* a : after)
      for (auto m = members.begin(); m != members.end(); ++m)
        if (m->first == a) at = std::max(at, m + 1);
    members.insert(at, {key, std::move(value)});
  };
  auto drop = [&](const std::string& key) {
    std::erase_if(members, [&](auto& m) { return m.first == key; });
  };
  if (o) {
    set("value", plain_number(o->value), {"value"});
    set("tag", json_string(tag_name(tag)), {"value"});
    if (o->sources.empty()) {
      drop("source");
    } else {
      std::vector<std::string> ids;
      for (const auto& id : o->sources)
        ids.push_back(json_string(id));
      set("source", ids.size() == 1 ? ids[0] : "[" + join(ids, ", ") + "]", {"tag"});
    }
  }
  if (!keep_range || (edit && edit->drop_range)) {  // confirmed, or --drop-range: no range
    drop("low");
    drop("high");
    drop("dist");
  }
  if (!keep_range) drop("approx");  // confirmed: not approximate either
  if (edit && edit->range) {
    set("low", plain_number(edit->range->first), {"value", "tag", "source"});
    set("high", plain_number(edit->range->second), {"low"});
  }
  if (edit && edit->note) {
    if (edit->note->empty())
      drop("note");
    else
      set("note", json_string(*edit->note), {});
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
      {"lease.price_discount", {"/lease", "price_discount"}},
      {"loss.annual_net_loss", {"/loss", "annual_net_loss"}},
      {"fleet.h100e", {"/fleet", "h100e"}},
      {"valuation", {"", "valuation"}}};
  for (const auto& [pattern, home] : homes)
    if (row.pattern == pattern) return home;
  return std::nullopt;
}

}  // namespace

std::string update_text(std::string_view text, const Scenario& scenario, const Update& update) {
  // `text` loaded as `scenario` already; a parse error here would be a bug, not the user's.
  const Value root = json::parse(text);
  const std::string_view eol = text.find("\r\n") != std::string_view::npos ? "\r\n" : "\n";
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
    Edit e = insert_member(text, *home, name, value, eol);
    e.pointer = pointer;
    add(std::move(e));
  };
  // The note and range edits of a key, merged; the ones no --set takes are written after.
  std::vector<FigureEdit> figure_edits;
  for (const FigureEdit& e : update.figures) {
    auto at = std::find_if(figure_edits.begin(), figure_edits.end(),
                           [&](const FigureEdit& x) { return x.key == e.key; });
    if (at == figure_edits.end()) {
      FigureEdit fresh;
      fresh.key = e.key;
      at = figure_edits.insert(figure_edits.end(), std::move(fresh));
    }
    if (e.note) at->note = e.note;
    if (e.range) at->range = e.range, at->drop_range = false;
    if (e.drop_range) at->drop_range = true, at->range.reset();
  }
  auto edit_of = [&](const std::string& key) -> FigureEdit* {
    for (auto& e : figure_edits)
      if (e.key == key) return &e;
    return nullptr;
  };
  std::vector<std::string> edited;  // keys whose note or range a --set's rewrite carried
  auto figure_of = [&](const std::string& key) -> std::pair<const InputKey*, Figure*> {
    const auto match = match_input(key);
    if (!match) throw UsageError(fmt::format("unknown figure key \"{}\"", key));
    return {match->row, match->row->figure(s, match->segment)};
  };
  auto range_text = [](const std::pair<double, double>& r) {
    return plain_number(r.first) + ":" + plain_number(r.second);
  };
  // A range given must hold the figure's value: the one set, or the one the file has.
  auto check_range = [&](const std::string& key, const FigureEdit* e, double value) {
    if (!e || !e->range) return;
    if (e->range->first > e->range->second)
      throw UsageError(fmt::format("--range {}={}: the low end is above the high end", key,
                                   range_text(*e->range)));
    if (value < e->range->first || value > e->range->second)
      throw UsageError(
          fmt::format("--range {}={}: the value {} lies outside it; a range holds "
                      "its figure's value",
                      key, range_text(*e->range), plain_number(value)));
  };

  for (const Override& o : update.sets) {
    if (o.key == "lease.start" || o.key == "finance.capex_at_start") {
      const bool date = o.key == "lease.start";
      put(date ? "/lease" : "/finance", date ? "start" : "capex_at_start",
          date ? json_string(o.text) : o.text, o.key);
      continue;
    }
    const auto [row, f] = figure_of(o.key);
    const Tag tag = o.tag.value_or(Tag::assumption);
    const bool keep_range = tag != Tag::primary && tag != Tag::exact;
    const FigureEdit* edit = edit_of(o.key);
    check_range(o.key, edit, o.value);
    const bool range_kept = keep_range && !(edit && (edit->range || edit->drop_range));
    if (f && range_kept && f->low && (o.value < *f->low || o.value > *f->high))
      throw UsageError(fmt::format(
          "--set {}={}: outside the figure's range {} to {}, which {} {} figure keeps; give it a "
          "range that holds the new value (--range {}=LOW:HIGH), drop the range (--drop-range "
          "{}), or confirm it as primary or exact (which drops the range too)",
          o.key, plain_number(o.value), plain_number(*f->low), plain_number(*f->high),
          std::string("aeiou").find(tag_name(tag)[0]) == std::string::npos ? "a" : "an",
          tag_name(tag), o.key, o.key));
    if (edit) edited.push_back(o.key);
    if (f && !f->pointer.empty()) {
      const Value* v = find(root, f->pointer);
      if (!v) throw UsageError(fmt::format("{}: not found at {} in the file", o.key, f->pointer));
      add({v->offset, json::value_end(text, v->offset),
           figure_text(text, v, &o, tag, keep_range, edit), f->pointer});
      continue;
    }
    const auto home = home_of(*row);
    if (!home)
      throw UsageError(
          fmt::format("cannot add {}: update adds only figures with a fixed place in the "
                      "file; add it by hand",
                      o.key));
    put(home->first, home->second, figure_text(text, nullptr, &o, tag, keep_range, edit), o.key);
  }

  // A note or range on a figure no --set changes: the figure as the file has it, edited.
  for (const FigureEdit& e : figure_edits) {
    if (std::find(edited.begin(), edited.end(), e.key) != edited.end()) continue;
    const std::string option = e.note    ? "--note " + e.key
                               : e.range ? "--range " + e.key
                                         : "--drop-range " + e.key;
    const Figure* f = figure_of(e.key).second;
    if (!f || f->pointer.empty())
      throw UsageError(
          fmt::format("{}: the file has no such figure to edit; add it with --set "
                      "first",
                      option));
    check_range(e.key, &e, f->value);
    const Value* v = find(root, f->pointer);
    if (!v) throw UsageError(fmt::format("{}: not found at {} in the file", e.key, f->pointer));
    add({v->offset, json::value_end(text, v->offset),
         figure_text(text, v, nullptr, f->tag, true, &e), f->pointer});
  }

  if (!update.as_of.empty()) put("", "as_of", json_string(update.as_of), "as_of");

  if (const auto& source = update.source) {
    std::vector<std::string> parts{"\"title\": " + json_string(source->title)};
    if (!source->date.empty()) parts.push_back("\"date\": " + json_string(source->date));
    if (!source->kind.empty()) parts.push_back("\"kind\": " + json_string(source->kind));
    const std::string body = "{" + join(parts, ", ") + "}";
    if (const Value* list = root.find("sources"))
      add(insert_member(text, *list, source->id, body, eol));
    else
      add(insert_member(text, root, "sources", "{" + json_string(source->id) + ": " + body + "}",
                        eol));
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

// Helpers shared by the writers in src/render/: not part of the public API, so that
// nlohmann_json stays out of the public headers.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "leasecalc/render/format.hpp"

namespace leasecalc::render {

// The members every JSON listing of a figure starts with: key, value (when defined),
// unit and tag. Callers add what their listing needs (sources, derived).
nlohmann::ordered_json figure_json(const Row& row);

// Text for XML attributes and content; control characters but tab and line breaks
// become spaces (XML 1.0 allows no others).
std::string xml_escape(std::string_view text);

// A Markdown table cell: '|' escaped, line breaks as spaces.
std::string md_cell(std::string_view text);

// "$2.2/GPU-h to $3/GPU-h", or "" for a figure without a range.
std::string range_text(const Row& r);

// A probability or its standard error as a percentage: two significant digits below 10%
// (0.11%, 3.4%), one decimal above (51.2%).
std::string percent_text(double p);

// A text table too wide for style.width, in blocks of columns: the indices 0 .. n - 1 in
// order, each block as many as fit (at least one), where `width_of(block)` is the table's
// natural width with those columns. One block when style.width is 0 (--wide).
std::vector<std::vector<std::size_t>> column_blocks(
    std::size_t n, const std::function<std::size_t(const std::vector<std::size_t>&)>& width_of,
    const Style& style);

// The JSON document, two-space indented, and a newline.
void write_json(std::ostream& out, const nlohmann::ordered_json& doc);

}  // namespace leasecalc::render

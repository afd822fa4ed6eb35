// The workbook (README "The workbook"): the model itself as a spreadsheet, laid out as
// sheets of cells. `Inputs` holds the inputs as named cells; `Figures` every figure of
// `report` as a live formula over those names, written from the expression reading of
// each formula (the text `explain` prints); `Schedule` the horizon month by month, whose
// columns the sums, searches and spreadsheet functions (IRR) of `Figures` read; `Sources`
// the sources. Pure: the command layer writes the plan with libxlsxwriter.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "leasecalc/calc/calc.hpp"
#include "leasecalc/calc/report.hpp"

namespace leasecalc {

// How a cell's number reads: by the unit of its figure.
// `note`: a long text that wraps; `remark`: a line below a table, over the empty cells to
// its right.
enum class CellFormat {
  plain,
  header,
  usd,
  price,
  share,
  count,
  months,
  multiple,
  number,
  note,
  remark
};

struct WorkCell {
  enum class Kind { empty, text, number, formula };
  Kind kind = Kind::empty;
  std::string text;  // a text, or a formula without its "="
  double value = 0;  // a number, or a formula's value as computed here (NaN: undefined)
  CellFormat format = CellFormat::plain;
  std::optional<Tag> tag;  // a tag's cell, coloured as the terminal colours it

  static WorkCell of_text(std::string text, CellFormat format = CellFormat::plain);
  static WorkCell of_number(double value, CellFormat format);
  static WorkCell of_formula(std::string formula, double value, CellFormat format);
};

struct WorkSheet {
  std::string name;
  std::vector<std::vector<WorkCell>> rows;  // row 0 is the header, frozen
  // Each column's width in characters of the default font, fitted to its contents.
  std::vector<double> widths;
};

// A cell format's number format, as a spreadsheet writes it ("$#,##0", "0.00%").
std::string_view number_format(CellFormat format);

struct WorkbookPlan {
  std::vector<WorkSheet> sheets;
  // Defined names: an input's cell ("lease_occupancy" -> "Inputs!$C$5"), a figure's.
  std::vector<std::pair<std::string, std::string>> names;
};

// The rows `Schedule` holds: the longest horizon a scenario may have (Model::max_term_months),
// so that an edited term or tail recalculates within them.
inline constexpr int k_workbook_months = Model::max_term_months;

// The workbook of `report`, whose formulas are `model`'s. Throws InputError (naming the
// figure) for what a spreadsheet cannot express: a formula over 8,192 characters or
// nested over 64 levels.
WorkbookPlan build_workbook(const Scenario& scenario, const Model& model, const Report& report);

// An input's or figure's defined name: its key with every character other than a letter,
// digit or underscore written as "_" ("lease.occupancy" -> "lease_occupancy"), and "_"
// in front of a name a spreadsheet would read as a cell ("H100", "R1C1").
std::string defined_name(std::string_view key);

}  // namespace leasecalc

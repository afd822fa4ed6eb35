// workbook: the model as a live spreadsheet (README "The workbook"), written with
// libxlsxwriter from the plan the render layer lays out.
#include <fmt/format.h>
#include <xlsxwriter.h>

#include <unistd.h>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "common.hpp"
#include "leasecalc/cli/output.hpp"
#include "leasecalc/model/errors.hpp"
#include "leasecalc/render/workbook.hpp"

namespace leasecalc::cli {
namespace {

struct WorkbookOptions {
  ScenarioOptions scenario;
};

// Writes the plan as .xlsx to `path`; returns the file's bytes.
std::string write_xlsx(const WorkbookPlan& plan, const std::string& path) {
  lxw_workbook* wb = workbook_new(path.c_str());
  if (!wb) throw OutputError("workbook: cannot start the workbook");
  std::map<std::pair<CellFormat, int>, lxw_format*> formats;
  auto format = [&](const WorkCell& c) {
    const int colour = c.tag ? static_cast<int>(*c.tag) : -1;
    auto& f = formats[{c.format, colour}];
    if (f) return f;
    f = workbook_add_format(wb);
    if (c.format == CellFormat::header) {
      format_set_bold(f);
      format_set_bottom(f, LXW_BORDER_THIN);
    } else if (c.format == CellFormat::note || c.format == CellFormat::remark) {
      format_set_font_color(f, 0x595959);
      if (c.format == CellFormat::note) format_set_text_wrap(f);
    } else {
      format_set_num_format(f, std::string(number_format(c.format)).c_str());
    }
    if (c.tag) format_set_font_color(f, tag_rgb(*c.tag));
    format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
    return f;
  };
  for (const WorkSheet& s : plan.sheets) {
    lxw_worksheet* ws = workbook_add_worksheet(wb, s.name.c_str());
    for (std::size_t r = 0; r < s.rows.size(); ++r)
      for (std::size_t c = 0; c < s.rows[r].size(); ++c) {
        const WorkCell& cell = s.rows[r][c];
        const auto row = static_cast<lxw_row_t>(r);
        const auto col = static_cast<lxw_col_t>(c);
        switch (cell.kind) {
          case WorkCell::Kind::empty:
            break;
          case WorkCell::Kind::text:
            worksheet_write_string(ws, row, col, cell.text.c_str(), format(cell));
            break;
          case WorkCell::Kind::number:
            worksheet_write_number(ws, row, col, cell.value, format(cell));
            break;
          case WorkCell::Kind::formula:
            if (std::isnan(cell.value))
              worksheet_write_formula_str(ws, row, col, cell.text.c_str(), format(cell), "#N/A");
            else
              worksheet_write_formula_num(ws, row, col, cell.text.c_str(), format(cell),
                                          cell.value);
            break;
        }
      }
    for (std::size_t c = 0; c < s.widths.size(); ++c)
      worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), s.widths[c],
                           nullptr);
    worksheet_freeze_panes(ws, 1, 0);
    // Printed (or exported to PDF): landscape, a page wide, the header on every page.
    worksheet_set_landscape(ws);
    worksheet_fit_to_pages(ws, 1, 0);
    worksheet_repeat_rows(ws, 0, 0);
  }
  for (const auto& [name, where] : plan.names)
    if (workbook_define_name(wb, name.c_str(), ("=" + where).c_str()) != LXW_NO_ERROR)
      throw OutputError(fmt::format("workbook: cannot define the name {}", name));
  if (const lxw_error e = workbook_close(wb); e != LXW_NO_ERROR)
    throw OutputError(fmt::format("workbook: cannot write: {}", lxw_strerror(e)));
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in) throw OutputError("workbook: cannot read back the temporary file " + path);
  return bytes.str();
}

void run_workbook(const WorkbookOptions& o) {
  if (o.scenario.output.empty())
    throw UsageError("workbook: -o FILE.xlsx: a workbook is a file (- for standard output)");
  Scenario s = load(o.scenario);
  const Basis basis = basis_option(o.scenario, s);
  const Model model(s, basis);
  const Report report = build_report(s, basis);
  const WorkbookPlan plan = build_workbook(s, model, report);
  const char* dir = std::getenv("TMPDIR");
  const ScratchFile tmp(std::string(dir && *dir ? dir : "/tmp") + "/leasecalc-workbook-XXXXXX");
  emit(o.scenario.output, write_xlsx(plan, tmp.path()));
}

}  // namespace

Command add_workbook(CLI::App& app) {
  auto o = std::make_shared<WorkbookOptions>();
  CLI::App* cmd = app.add_subcommand(
      "workbook",
      "The model as a live .xlsx workbook: named, tagged inputs; every figure a formula over "
      "them; the months; the sources");
  add_scenario_inputs(cmd, o->scenario);
  add_output_option(cmd, o->scenario.output);
  cmd->footer(
      "Examples:\n"
      "  leasecalc workbook data/scenarios/neocloud-build.json -o neocloud.xlsx\n"
      "  leasecalc workbook data/scenarios/neocloud-build.json --set lease.occupancy=0.9 -o "
      "high.xlsx\n"
      "  ssconvert --recalc neocloud.xlsx neocloud.pdf");
  return {cmd, exits_zero([o] { run_workbook(*o); })};
}

}  // namespace leasecalc::cli

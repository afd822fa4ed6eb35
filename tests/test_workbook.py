#!/usr/bin/env python3
"""The workbook is the model (README "The workbook"), checked by a spreadsheet that
recalculates: gnumeric's ssconvert.

1. Every bundled and test scenario: its workbook opens without a warning, and recalculated
   it reproduces every figure of `report --format json` within 1e-9 relative (an undefined
   figure is an error cell); the Inputs sheet holds every input at its value.
2. Liveness: one input cell edited inside the .xlsx (the sheet's XML), the workbook
   recalculated, and every figure equals `report --set` of that input: a count, a price,
   a share, a cost, a term and a rate, and edges (a rate of 0, all of capex borrowed, no
   occupancy); then every input at once, moved to 97%, one recalculation a scenario.
3. The sheets: the header row frozen, defined names from the keys, Schedule's 1,200 months,
   `--set` and `--case`-free options as report takes them, -o required.

Usage: test_workbook.py LEASECALC ROOT
"""
import csv
import glob
import json
import atexit
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

binary, root = sys.argv[1:3]
tmp = tempfile.mkdtemp(prefix="leasecalc-workbook-test-")
atexit.register(shutil.rmtree, tmp, ignore_errors=True)  # 2,113 were left in /tmp
failures = []


def fail(message):
    failures.append(message)
    print("FAIL:", message)


def run(*args, check=True):
    r = subprocess.run([binary, *args], cwd=root, capture_output=True, text=True)
    if check and r.returncode != 0:
        raise SystemExit(f"leasecalc {' '.join(args)}: exit {r.returncode}: {r.stderr}")
    return r


def sheet(xlsx, name):
    """The sheet's cells as text, recalculated by gnumeric: raw numbers, full precision."""
    out = os.path.join(tmp, "sheet.txt")
    r = subprocess.run(
        ["ssconvert", "--recalc", "--export-type=Gnumeric_stf:stf_assistant",
         "-O", f"sheet={name} format=raw separator=,", xlsx, out],
        capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"ssconvert {xlsx}: {r.stderr}")
    # ssconvert says nothing on a clean workbook: any line is a warning about it.
    if r.stderr.strip():
        fail(f"{xlsx}: ssconvert warns: {r.stderr.strip()}")
    with open(out, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def report(scenario, *sets):
    args = ["report", scenario, "--format", "json"]
    for s in sets:
        args += ["--set", s]
    return json.loads(run(*args).stdout)["figures"]


def compare(what, xlsx, scenario, sets=(), need=None):
    """Every derived figure of the report against the workbook's Figures, recalculated."""
    rows = sheet(xlsx, "Figures")
    got = {r[0]: r[2] for r in rows[1:] if r}
    want = report(scenario, *sets)
    checked = 0
    for key, fig in want.items():
        if not fig["derived"]:
            continue
        if key not in got:
            # A calendar year an edited term reaches was not a figure when written.
            if not sets or not key.startswith("contract.calendar."):
                fail(f"{what}: {key} is not in the workbook")
            continue
        cell, value = got[key], fig.get("value")
        if value is None:
            if not cell.startswith("#"):
                fail(f"{what}: {key} is undefined in the report, {cell} in the workbook")
            continue
        try:
            number = float(cell)
        except ValueError:
            fail(f"{what}: {key} = {value} in the report, {cell} in the workbook")
            continue
        if abs(number - value) > 1e-9 * max(abs(value), 1e-300):
            fail(f"{what}: {key} = {value!r} in the report, {number!r} in the workbook")
        checked += 1
    if need is not None and checked < need:
        fail(f"{what}: only {checked} figures compared, {need} expected")
    return checked


def workbook(scenario, name, *more):
    path = os.path.join(tmp, name)
    run("workbook", scenario, "-o", path, *more)
    return path


def input_rows(xlsx):
    """The Inputs table: the rows above the blank row before its remarks."""
    rows = sheet(xlsx, "Inputs")[1:]
    return {r[0]: r for r in rows[:[bool(r and r[0]) for r in rows].index(False)]}


# 1. Every scenario: figures and inputs.
scenarios = sorted(glob.glob(f"{root}/data/scenarios/*.json")) + sorted(
    glob.glob(f"{root}/tests/scenarios/*.json"))
assert len(scenarios) >= 10, scenarios
total = 0
for scenario in scenarios:
    name = os.path.basename(scenario)
    xlsx = workbook(scenario, name.replace(".json", ".xlsx"))
    total += compare(name, xlsx, scenario, need=25)
    inputs = input_rows(xlsx)
    for key, fig in report(scenario).items():
        if fig["derived"]:
            continue
        if key not in inputs:
            fail(f"{name}: input {key} is not on the Inputs sheet")
        elif abs(float(inputs[key][2]) - fig["value"]) > 1e-12 * abs(fig["value"]):
            fail(f"{name}: input {key} = {fig['value']} in the report, {inputs[key][2]} in Inputs")
        elif inputs[key][4] != fig["tag"]:
            fail(f"{name}: input {key} tagged {fig['tag']}, {inputs[key][4]} in Inputs")
print(f"{len(scenarios)} scenarios, {total} figures agree within 1e-9")


# 2. Liveness: an input cell edited in the file.
def edited(xlsx, key, value):
    """A copy of xlsx with the value cell of input `key` (Inputs, column C) set to value."""
    with zipfile.ZipFile(xlsx) as z:
        names = z.namelist()
        workbook_xml = z.read("xl/workbook.xml").decode()
        defined = re.search(
            r'<definedName name="%s">Inputs!\$C\$(\d+)</definedName>' % re.escape(
                re.sub(r"[^A-Za-z0-9_]", "_", key)), workbook_xml)
        if not defined:
            raise SystemExit(f"{xlsx}: no defined name for {key}")
        cell = f"C{defined.group(1)}"
        out = os.path.join(tmp, "edited.xlsx")
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as w:
            for n in names:
                data = z.read(n)
                if n == "xl/worksheets/sheet1.xml":  # Inputs, the first sheet
                    text, count = re.subn(
                        r'(<c r="%s"[^>]*><v>)[^<]*(</v>)' % cell, r"\g<1>%r\g<2>" % value,
                        data.decode())
                    if count != 1:
                        raise SystemExit(f"{xlsx}: no value cell {cell} for {key}")
                    data = text.encode()
                w.writestr(n, data)
    return out


live = [  # one input of each kind
    ("data/scenarios/neocloud-build.json", "cluster.gpus.H200.count", 9000),  # a count
    ("data/scenarios/neocloud-build.json", "lease.price_per_gpu_hour.GB200", 3.4),  # a price
    ("data/scenarios/neocloud-build.json", "lease.occupancy", 0.72),  # a share
    ("data/scenarios/neocloud-build.json", "costs.power_price_per_mwh", 95),  # a cost
    ("data/scenarios/neocloud-build.json", "lease.term_months", 48),  # a term
    ("data/scenarios/neocloud-build.json", "debt.rate", 0.11),  # a rate
    ("data/scenarios/neocloud-build.json", "debt.rate", 0.0),  # PMT's 0 / 0: principal / n
    ("data/scenarios/neocloud-build.json", "finance.discount_rate", 0.08),  # a rate
    ("data/scenarios/colossus1-two-tenants.json", "lease.Tenant2.term_months", 84),  # a tenant's
    ("tests/scenarios/tern.json", "tail.until_months", 84),  # the tail's end
    # Edges: all of capex borrowed, so the equity's terminal value is negative (the
    # multiple counts it as an outflow); no GPU-hours used, so figures turn undefined.
    ("tests/scenarios/osprey.json", "debt.share", 1.0),
    ("data/scenarios/colossus1-lease.json", "lease.occupancy", 0.0),
]
for scenario, key, value in live:
    xlsx = workbook(os.path.join(root, scenario), "live.xlsx")
    changed = edited(xlsx, key, value)
    n = compare(f"{scenario} with {key} = {value} edited in the workbook", changed,
                os.path.join(root, scenario), [f"{key}={value}"], need=30)
    print(f"live: {scenario}: {key} = {value}: {n} figures equal report --set")

# 2b. Every input at once: each value cell of Inputs (the catalog's aside) moved to 97% of
# its value (a whole number stays whole), against report --set of them all. One recalculation
# a scenario exercises every formula with every input moved.
def edited_all(xlsx, factor):
    with zipfile.ZipFile(xlsx) as z:
        names = z.namelist()
        workbook_xml = z.read("xl/workbook.xml").decode()
        sheet_xml = z.read("xl/worksheets/sheet1.xml").decode()
        sets = []
        for key, row in input_rows(xlsx).items():
            value = float(row[2])
            if key.startswith("catalog.") or value == 0:
                continue
            moved = round(value * factor) if value.is_integer() and abs(value) >= 2 else value * factor
            cell = re.search(r'<definedName name="%s">Inputs!\$C\$(\d+)</definedName>' % re.escape(
                re.sub(r"[^A-Za-z0-9_]", "_", key)), workbook_xml).group(1)
            sheet_xml, count = re.subn(r'(<c r="C%s"[^>]*><v>)[^<]*(</v>)' % cell,
                                       r"\g<1>%r\g<2>" % moved, sheet_xml)
            assert count == 1, key
            sets.append(f"{key}={moved!r}")
        out = os.path.join(tmp, "moved.xlsx")
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as w:
            for n in names:
                w.writestr(n, sheet_xml.encode() if n == "xl/worksheets/sheet1.xml" else z.read(n))
    return out, sets


for scenario in scenarios:
    name = os.path.basename(scenario)
    moved, sets = edited_all(workbook(scenario, "all.xlsx"), 0.97)
    if len(sets) < 10:
        fail(f"{name}: only {len(sets)} inputs moved")
    compare(f"{name} with every input at 97%", moved, scenario, sets, need=25)
print(f"{len(scenarios)} scenarios with every input moved at once agree with report --set")

# 3. The sheets and the command.
xlsx = workbook(os.path.join(root, "data/scenarios/neocloud-build.json"), "layout.xlsx")
with zipfile.ZipFile(xlsx) as z:
    wb = z.read("xl/workbook.xml").decode()
    sheets = re.findall(r'<sheet name="([^"]+)"', wb)
    if sheets != ["Inputs", "Figures", "Schedule", "Sources"]:
        fail(f"sheets: {sheets}")
    for name in ["lease_occupancy", "cluster_gpus_H200_count", "contract_npv", "equity_irr"]:
        if f'<definedName name="{name}">' not in wb:
            fail(f"no defined name {name}")
    for i in range(1, 5):
        if '<pane ySplit="1" topLeftCell="A2"' not in z.read(f"xl/worksheets/sheet{i}.xml").decode():
            fail(f"sheet {i}: the header row is not frozen")
    figures = z.read("xl/worksheets/sheet2.xml").decode()
    if "IRR(Schedule!" not in figures:
        fail("Figures: the IRR is not the spreadsheet's own over Schedule's rows")
schedule = sheet(xlsx, "Schedule")
if len(schedule) != 2 + 1200 or schedule[-1][0] != "1199":
    fail(f"Schedule: {len(schedule)} rows, the last month {schedule[-1][0]}")
header = schedule[0]
for column in ["revenue", "opex", "ebitda", "depreciation", "interest", "principal", "balance",
               "tax", "cash", "equity_cash", "dscr"]:
    if column not in header:
        fail(f"Schedule: no {column} column in {header}")
# Rows beyond the horizon compute to zero.
for c in range(3, header.index("dscr") + 1):
    if float(schedule[-1][c] or 0) != 0:
        fail(f"Schedule: {header[c]} is {schedule[-1][c]} in month 1199, beyond the horizon")
# Printed: gnumeric renders the Figures sheet to a PDF (landscape, a page wide) without a
# warning. (A person looks at it before a release: pdftoppm -png, README "The workbook".)
pdf = os.path.join(tmp, "figures.pdf")
r = subprocess.run(["ssconvert", "--recalc", "-O", "sheet=Figures", xlsx, pdf],
                   capture_output=True, text=True)
if r.returncode != 0 or r.stderr.strip() or not open(pdf, "rb").read(5) == b"%PDF-":
    fail(f"Figures to PDF: exit {r.returncode}, {r.stderr.strip()!r}")
# --set goes into the workbook as into the report.
xlsx = workbook(os.path.join(root, "data/scenarios/neocloud-build.json"), "set.xlsx",
                "--set", "lease.occupancy=0.8")
compare("--set lease.occupancy=0.8", xlsx, os.path.join(root, "data/scenarios/neocloud-build.json"),
        ["lease.occupancy=0.8"], need=40)
# --case goes into the workbook as into the report: the bear case's inputs are its cells.
xlsx = workbook(os.path.join(root, "data/scenarios/neocloud-build.json"), "bear.xlsx",
                "--case", "bear")
rows = sheet(xlsx, "Figures")
got = {r[0]: r[2] for r in rows[1:] if r}
bear = json.loads(run("report", "data/scenarios/neocloud-build.json", "--case", "bear",
                      "--format", "json").stdout)["figures"]
for key, fig in bear.items():
    if fig["derived"] and fig.get("value") is not None and key in got:
        if abs(float(got[key]) - fig["value"]) > 1e-9 * max(abs(fig["value"]), 1e-300):
            fail(f"--case bear: {key} = {fig['value']} in the report, {got[key]} in the workbook")
if input_rows(xlsx)["lease.occupancy"][2] != "0.7":
    fail("--case bear: the Inputs sheet does not hold the case's occupancy, 0.7")
r = run("workbook", "data/scenarios/neocloud-build.json", check=False)
if r.returncode != 2 or "-o FILE.xlsx" not in r.stderr or r.stdout:
    fail(f"workbook without -o: exit {r.returncode}, {r.stderr!r}")

if failures:
    print(f"{len(failures)} failures")
    sys.exit(1)
print("workbook: every figure recalculates, and edited inputs move them as report --set does")

#!/usr/bin/env python3
"""Tables fit the terminal (README "Spreadsheets"), checked in a real pseudo-terminal.

util-linux's `script` runs leasecalc on a pty whose size `stty` sets to 80 and then 100
columns, so leasecalc finds the width as a user's shell gives it (TIOCGWINSZ, with no
COLUMNS). Every line, colour codes removed, must fit. Piped with no COLUMNS, tables fit
100 columns; --wide gives every column, wider than that.

Usage: test_terminal.py LEASECALC ROOT
"""
import json
import os
import re
import shlex
import subprocess
import sys
import unittest

BIN, ROOT = sys.argv.pop(1), sys.argv.pop(1)
COMMANDS = [
    "report",
    "report data/scenarios/colossus1-ipo.json",
    "report tests/scenarios/nebula.json",
    "check data/notes/yk-2026-05-09.json data/notes/note-2026-05-31.json",
    "sources",
    "simulate --samples 2000 --seed 1 --out lease.annual_revenue,breakeven.coverage",
    "tornado --target breakeven.coverage",
    "explain lease.annual_revenue",
    "diff tests/diff/old.json tests/diff/new.json",
    "report data/scenarios/neocloud-build.json",
    "schedule data/scenarios/neocloud-build.json",
    "schedule data/scenarios/neocloud-build.json --period month",
    "explain contract.npv data/scenarios/neocloud-build.json",
    "tornado data/scenarios/neocloud-build.json --target contract.npv",
    "report data/scenarios/colossus1-two-tenants.json",
    "schedule data/scenarios/colossus1-two-tenants.json --by tenant",
    "sources --rank breakeven.coverage --tag-ranges",
    "diff data/scenarios/colossus1-lease.json data/scenarios/colossus1-two-tenants.json",
    "cashflows tests/cashflows/xirr.csv --rate 9%",
    "cashflows tests/cashflows/two-roots.csv",
    "explain equity.npv data/scenarios/neocloud-build.json",
    "schedule tests/scenarios/osprey.json --period month",
    "report tests/scenarios/tern.json",
    "compare data/scenarios/neocloud-build.json --cases",
    "compare data/scenarios/neocloud-build.json --cases --keys",
    "compare data/scenarios/colossus1-lease.json data/scenarios/colossus1-ipo.json",
    "sweep data/scenarios/neocloud-build.json --pivot --format table --vary "
    "lease.occupancy=0.7:1:0.1 --vary lease.price_per_gpu_hour.H200=1:4:0.25 --out contract.npv",
]
ANSI = re.compile(r"\x1b\[[0-9;]*m")
ENV = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR")}


def on_terminal(cols, command):
    inner = f"stty cols {cols} rows 60; {shlex.quote(BIN)} {command}"
    r = subprocess.run(["script", "-qec", inner, "/dev/null"], cwd=ROOT, env=ENV,
                       capture_output=True, timeout=60, stdin=subprocess.DEVNULL)
    return r.returncode, ANSI.sub("", r.stdout.decode("utf-8")).replace("\r", "")


def widest(text):
    return max((len(line) for line in text.split("\n")), default=0)


class Terminal(unittest.TestCase):
    def test_every_line_fits_80_and_100_columns(self):
        for cols in (80, 100):
            for command in COMMANDS:
                with self.subTest(cols=cols, command=command):
                    code, out = on_terminal(cols, command)
                    self.assertIn(code, (0, 1))  # check exits 1 on a failed claim
                    self.assertGreater(len(out.split("\n")), 3)
                    self.assertLessEqual(widest(out), cols, out)

    def test_piped_output_fits_100_and_wide_does_not(self):
        for command in ("report", "check data/notes/yk-2026-05-09.json"):
            with self.subTest(command=command):
                args = [BIN] + shlex.split(command)
                piped = subprocess.run(args, cwd=ROOT, env=ENV, capture_output=True)
                self.assertLessEqual(widest(piped.stdout.decode("utf-8")), 100)
                wide = subprocess.run(args + ["--wide"], cwd=ROOT, env=ENV, capture_output=True)
                self.assertGreater(widest(wide.stdout.decode("utf-8")), 100)
        cols = subprocess.run([BIN, "report"], cwd=ROOT, env=dict(ENV, COLUMNS="90"),
                              capture_output=True)
        self.assertLessEqual(widest(cols.stdout.decode("utf-8")), 90)

    def test_report_under_100_columns_keeps_labels_not_keys(self):
        # At 80 columns the key column goes and the labels stay whole: every label of the
        # deal's inputs is printed in full, and no value is cut. --keys brings the keys back.
        code, out = on_terminal(80, "report data/scenarios/neocloud-build.json")
        self.assertEqual(code, 0)
        rows = [line for line in out.split("\n") if line.startswith("  ")]
        self.assertIn("  Occupancy ", "\n".join(rows))
        self.assertNotIn(" lease.occupancy ", "\n".join(rows[:60]))
        cut = [line for line in rows if "\u2026" in line.split("  ")[1]]
        self.assertLessEqual(len(cut), 3, "\n".join(cut))
        for line in rows:  # a value is never cut: "…" only in a label or in the references
            self.assertNotRegex(line, r"\u2026\S*\s+(assumption|estimate|reported|primary|exact)")
        code, keyed = on_terminal(80, "report data/scenarios/neocloud-build.json --keys")
        self.assertIn("lease.occupancy", keyed)
        self.assertLessEqual(widest(keyed), 80)

    def test_report_at_80_columns_cuts_at_most_5_labels_of_a_bundled_scenario(self):
        # A label too long for its column takes a line of its own rather than being cut.
        for name in sorted(os.listdir(os.path.join(ROOT, "data", "scenarios"))):
            path = f"data/scenarios/{name}"
            with self.subTest(scenario=name):
                data = json.loads(subprocess.run([BIN, "report", path, "--format", "json"],
                                                 cwd=ROOT, capture_output=True).stdout)
                code, out = on_terminal(80, f"report {path}")
                self.assertEqual(code, 0)
                self.assertLessEqual(widest(out), 80)
                lines = [line.strip() for line in out.split("\n")]
                whole = [f["label"] for f in data["figures"].values()
                         if any(line == f["label"] or line.startswith(f["label"] + "  ")
                                for line in lines)]
                self.assertGreaterEqual(len(whole), len(data["figures"]) - 5,
                                        sorted(set(f["label"] for f in data["figures"].values())
                                               - set(whole)))

    def test_brief_fits_40_lines_at_80_columns(self):
        # The headline block and what its formulas name; neocloud's has the contract's and
        # the equity's figures, so it is the longest bundled one.
        for name in sorted(os.listdir(os.path.join(ROOT, "data", "scenarios"))):
            with self.subTest(scenario=name):
                code, out = on_terminal(80, f"report data/scenarios/{name} --brief")
                self.assertEqual(code, 0)
                self.assertLessEqual(widest(out), 80)
                self.assertLessEqual(len(out.rstrip("\n").split("\n")), 40, out)
                self.assertIn("--brief", out)
        code, out = on_terminal(80, "report data/scenarios/neocloud-build.json --brief")
        for label in ("Contract NPV", "Equity IRR", "Discount rate", "Capex",
                      "Contract EBITDA, present value", "Book value at the end"):
            self.assertIn(f"  {label}  ", out)
        self.assertNotIn("Revenue in 2027", out)  # not named by a headline formula

    def test_no_value_is_cut_at_80_columns(self):
        # A cell cut with "…" must begin a text the command's JSON holds (a label, key, claim
        # id, tenant, tag): never a number. Each command's JSON is the same run's data.
        commands = [
            "report data/scenarios/colossus1-two-tenants.json",
            "report data/scenarios/neocloud-build.json",
            "diff tests/diff/old.json tests/diff/new.json",
            "diff data/scenarios/colossus1-lease.json data/scenarios/colossus1-two-tenants.json",
            "diff data/scenarios/colossus1-ipo.json data/scenarios/colossus1-lease.json",
            "check data/notes/yk-2026-05-09.json data/notes/note-2026-05-31.json",
            "schedule data/scenarios/neocloud-build.json",
            "schedule data/scenarios/colossus1-two-tenants.json --by tenant",
            "simulate data/scenarios/neocloud-build.json --samples 500 --seed 1 "
            "--out contract.npv,contract.irr,equity.irr --prob 'contract.npv>=0' --sensitivity",
            "compare data/scenarios/neocloud-build.json --cases",
            "compare data/scenarios/colossus1-lease.json data/scenarios/colossus1-ipo.json",
        ]
        tags = ["exact", "primary", "reported", "estimate", "assumption", "ai-prior"]

        def strings(node):
            if isinstance(node, str):
                yield node
            elif isinstance(node, dict):
                for k, v in node.items():
                    yield k
                    yield from strings(v)
            elif isinstance(node, list):
                for v in node:
                    yield from strings(v)

        for command in commands:
            with self.subTest(command=command):
                data = subprocess.run([BIN] + shlex.split(command) + ["--format", "json"],
                                      cwd=ROOT, env=ENV, capture_output=True).stdout
                texts = set(strings(json.loads(data)))
                texts |= {f"{a} (stated {b})" for a in tags for b in tags}
                code, out = on_terminal(80, command)
                self.assertIn(code, (0, 1))
                for line in out.split("\n"):
                    for cell in re.split(r"\s{2,}", line.strip()):
                        if "\u2026" not in cell:
                            continue
                        head = cell.split("\u2026")[0]
                        if re.fullmatch(r"[0-9,\-]*", head):  # a cut list of references
                            continue
                        self.assertTrue(any(t.startswith(head) for t in texts),
                                        f"cut value {cell!r} in {line!r}")


if __name__ == "__main__":
    unittest.main(verbosity=2)

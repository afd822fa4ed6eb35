"""The bash completion: commands, options, formats, bases, and figure keys read from the
scenario on the command line.

Each case sets COMP_WORDS as bash itself splits a command line (COMP_WORDBREAKS makes '='
and ',' no word of their own here but '=' one) and calls the completion function.
Usage: python3 tests/test_completion.py LEASECALC_BINARY SOURCE_DIR
"""

import os
import shlex
import subprocess
import sys
import unittest

import helptext

BIN = os.path.abspath(sys.argv.pop(1)) if len(sys.argv) > 2 else "build/leasecalc"
ROOT = os.path.abspath(sys.argv.pop(1)) if len(sys.argv) > 1 else "."
SCRIPT = os.path.join(ROOT, "scripts", "completions", "leasecalc.bash")


def complete(*words, cword=None):
    """COMPREPLY for a command line whose word `cword` (default: the last) is being completed."""
    words = [BIN, *words]
    script = (f"source {shlex.quote(SCRIPT)}\n"
              f"COMP_WORDS=({' '.join(shlex.quote(w) for w in words)})\n"
              f"COMP_CWORD={len(words) - 1 if cword is None else cword}\n"
              "_leasecalc\n"
              "printf '%s\\n' \"${COMPREPLY[@]}\"\n")
    out = subprocess.run(["bash", "--norc", "-c", script], cwd=ROOT, capture_output=True,
                         text=True, check=True)
    return sorted(line for line in out.stdout.splitlines() if line)


def help_options(command):
    return helptext.help_options(helptext.help_text(BIN, command))


class Completion(unittest.TestCase):
    def test_commands(self):
        self.assertEqual(complete(""), sorted(
            "report explain sweep solve check diff sources simulate tornado schedule update "
            "cashflows workbook compare --help --version".split()))
        self.assertEqual(complete("s"), ["schedule", "simulate", "solve", "sources", "sweep"])
        self.assertEqual(complete("c"), ["cashflows", "check", "compare"])

    def test_options_of_every_command_match_help(self):
        for command in ("report explain sweep solve check diff sources simulate tornado schedule "
                        "update cashflows").split():
            with self.subTest(command=command):
                self.assertEqual(set(complete(command, "-")), help_options(command))

    def test_formats_and_bases(self):
        self.assertEqual(complete("sweep", "--format", ""), ["csv", "jsonl", "tsv"])
        self.assertEqual(complete("tornado", "--format", "s"), ["svg"])
        self.assertEqual(complete("simulate", "--format", "s"), ["svg"])
        self.assertEqual(complete("simulate", "--period", "q"), ["quarter"])
        self.assertEqual(complete("cashflows", "--per", "m"), ["month"])
        self.assertEqual(complete("report", "--format", "s"), [])
        self.assertEqual(complete("check", "--format", "j"), ["json", "junit"])
        self.assertEqual(complete("report", "--basis", "h"), ["hbm-bw"])
        self.assertEqual(complete("sources", "--tag", "a"), ["ai-prior", "assumption"])
        self.assertEqual(complete("sources", "--below", "p"), ["primary"])
        self.assertEqual(complete("sources", "--rank", "breakeven.cov"),
                         ["breakeven.coverage", "breakeven.coverage_ebitda"])

    def test_vary_keys_of_the_bundled_scenario(self):
        # leasecalc sweep --vary lease.<TAB>: the bundled Colossus 1 lease has a price,
        # occupancy and hours a year (no discount).
        self.assertEqual(complete("sweep", "--vary", "lease."), [
            "lease.hours_per_year=", "lease.occupancy=", "lease.price_per_gpu_hour="])
        # solve's --vary takes the key alone.
        self.assertEqual(complete("solve", "--vary", "lease.o"), ["lease.occupancy"])

    def test_keys_come_from_the_scenario_on_the_line(self):
        # Nebula prices each model and has a discount.
        self.assertEqual(complete("report", "tests/scenarios/nebula.json", "--set", "lease."), [
            "lease.hours_per_year=", "lease.occupancy=", "lease.price_discount=",
            "lease.price_per_gpu_hour.A100=", "lease.price_per_gpu_hour.B200=",
            "lease.price_per_gpu_hour.H100=", "lease.start="])
        # also when the scenario comes after the word being completed
        self.assertEqual(
            complete("sweep", "--vary", "cluster.gpus.B", "tests/scenarios/nebula.json", cword=3),
            ["cluster.gpus.B200.count="])
        # -o's value is not the scenario
        self.assertEqual(complete("sweep", "-o", "out.json", "--vary", "lease.d"), [])

    def test_out_and_target_complete_computed_keys(self):
        self.assertEqual(complete("simulate", "--out", "breakeven.g"),
                         ["breakeven.gap", "breakeven.gpus"])
        self.assertEqual(complete("sweep", "--out", "lease.annual_revenue,breakeven.c"),
                         ["lease.annual_revenue,breakeven.coverage",
                          "lease.annual_revenue,breakeven.coverage_ebitda"])
        self.assertEqual(complete("schedule", "--out", "revenue,cu"), ["revenue,cumulative_cash"])
        self.assertEqual(complete("schedule", "--period", "q"), ["quarter"])
        self.assertEqual(complete("tornado", "--target", "breakeven.co"),
                         ["breakeven.coverage", "breakeven.coverage_ebitda"])
        self.assertEqual(complete("solve", "--target", "breakeven.pr"),
                         ["breakeven.price=", "breakeven.price_cost="])
        # an input is not a target
        self.assertEqual(complete("tornado", "--target", "lease.occ"), [])

    def test_explain_takes_a_key_then_a_file(self):
        self.assertEqual(complete("explain", "lease.annual_r"), ["lease.annual_revenue"])
        self.assertIn("tests/scenarios/nebula.json",
                      complete("explain", "lease.annual_revenue", "tests/scenarios/n"))

    def test_files_for_scenarios_and_notes(self):
        self.assertEqual(complete("check", "data/notes/yk"), ["data/notes/yk-2026-05-09.json"])
        self.assertEqual(complete("report", "data/scen"), ["data/scenarios"])


if __name__ == "__main__":
    unittest.main(verbosity=2)

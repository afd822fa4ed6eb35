#!/usr/bin/python3
"""Checks that the JSON Schemas accept every file the loader accepts, over a directory of
inputs such as a fuzz corpus: an editor must never flag a file that leasecalc reads.

Usage: /usr/bin/python3 scripts/schema-vs-loader.py LEASECALC_BINARY DIR
  e.g. after `bash scripts/fuzz.sh -runs=1000000`, on the corpus directory it printed.
Exits 1 and lists the files where the two disagree.
"""

import glob
import os
import subprocess
import sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
binary, corpus = sys.argv[1], sys.argv[2]
sys.argv = [sys.argv[0], root]
sys.path.insert(0, os.path.join(root, "tests"))
import test_schemas as schemas  # noqa: E402  (reads ROOT from argv)

loaded = disagree = 0
for path in sorted(glob.glob(os.path.join(corpus, "*"))):
    run = subprocess.run([binary, "report", path, "--format", "csv"], capture_output=True)
    kind = "leasecalc/scenario/v1"
    if run.returncode != 0:
        # A note loads when check runs it, or fails only on the scenario it names.
        run = subprocess.run([binary, "check", path, "--format", "json"], capture_output=True,
                             text=True, errors="replace")
        parts = run.stderr.split(": ")  # leasecalc: error: FILE:L:C: /pointer: message
        scenario_failed = len(parts) > 4 and parts[3] == "/scenario" and parts[4].startswith(
            "scenario ")  # the note loaded; the scenario it names did not
        if run.returncode not in (0, 1) and not scenario_failed:
            continue
        kind = "leasecalc/note/v1"
    loaded += 1
    try:
        doc = schemas.strict_load(path)
    except (ValueError, UnicodeDecodeError) as e:
        disagree += 1
        print(f"{path}: leasecalc reads it, strict JSON does not: {e}")
        continue
    errors = [e.message for e in schemas.VALIDATORS[kind].iter_errors(doc)]
    if errors:
        disagree += 1
        print(f"{path}: leasecalc reads it, the {kind} schema does not: {errors[0]}")
print(f"{loaded} files load, {disagree} disagreements")
sys.exit(1 if disagree else 0)

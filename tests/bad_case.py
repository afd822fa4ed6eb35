#!/usr/bin/env python3
"""One bad-input case: run leasecalc on tests/bad/CASE.json (or CASE.csv) and compare.

CASE.expected holds the exit code; the exact first line of stderr; extra arguments for
`report` (may be empty), or after '@' a whole command with {} for the file; and, for a
JSON syntax error, the further stderr lines (the offending line and its caret).
Stdout must stay empty.

Usage: bad_case.py LEASECALC ROOT CASE
"""
import shlex
import subprocess
import sys

binary, root, case = sys.argv[1:4]
with open(f"{root}/tests/bad/{case}.expected", encoding="utf-8") as f:
    lines = f.read().split("\n")
if lines and lines[-1] == "":
    lines.pop()
code, message = int(lines[0]), lines[1]
args = lines[2] if len(lines) > 2 else ""
more = lines[3:]
import os
path = f"tests/bad/{case}.csv" if os.path.exists(f"{root}/tests/bad/{case}.csv") else f"tests/bad/{case}.json"
command = args[1:].replace("{}", path) if args.startswith("@") else f"report {path} {args}"
r = subprocess.run([binary] + shlex.split(command), cwd=root, capture_output=True)
want = "\n".join([message] + more) + "\n"
err = r.stderr.decode("utf-8", "backslashreplace")
problems = []
if r.returncode != code:
    problems.append(f"exit {r.returncode}, expected {code}")
if err != want:
    problems.append(f"stderr:\n{err}expected:\n{want}")
if r.stdout:
    problems.append(f"stdout not empty:\n{r.stdout[:400]!r}")
if problems:
    print(f"leasecalc {command}:", *problems, sep="\n")
    sys.exit(1)

#!/usr/bin/env python3
"""Nothing stray at the top level: every name there is part of the documented layout.

The layout (README, "Layout"): CMakeLists.txt, src, include, data, tests, README.md and
LICENSE, plus .ci, bench, cmake, docs, fuzz, scripts and dotfiles. A file a shell slip
leaves behind (an empty '=1' landed twice) fails this test.

Usage: test_layout.py SOURCE_DIR
"""
import os
import subprocess
import sys

ALLOWED = {"CMakeLists.txt", "src", "include", "data", "tests", "README.md", "LICENSE",
           ".ci", "bench", "cmake", "docs", "fuzz", "scripts"}


def top_level_names(root):
    """What git tracks or would add (untracked, not ignored); outside git, the folder."""
    try:
        listed = subprocess.run(
            ["git", "-C", root, "ls-files", "--cached", "--others", "--exclude-standard"],
            check=True, capture_output=True, text=True).stdout.splitlines()
        return {path.split("/", 1)[0] for path in listed}
    except (OSError, subprocess.CalledProcessError):
        return {n for n in os.listdir(root) if not n.startswith("build")}


def long_files_without_reason(root, names):
    """Source files over 450 lines whose opening comment does not say why they are one
    file ("One file ..."): such a file is split, or says why not."""
    missing = []
    for path in sorted(names):
        if not path.endswith((".cpp", ".hpp", ".py", ".sh")):
            continue
        try:
            with open(os.path.join(root, path), encoding="utf-8") as f:
                lines = f.read().split("\n")
        except OSError:
            continue
        if len(lines) <= 451:
            continue
        opening = []
        for line in lines:
            if not line.startswith(("//", "#")) or line.startswith("#include"):
                break
            opening.append(line)
        if "One file" not in " ".join(opening):
            missing.append(f"{path} ({len(lines) - 1} lines)")
    return missing


# The rooms: a layer includes only the layers below it. The calculation core (model, load,
# calc) never calls the render layer or the command layer; render never calls cli.
ABOVE = {"model": ("render", "cli"), "load": ("render", "cli"), "calc": ("render", "cli"),
         "render": ("cli",)}


def includes_above(root, names):
    """(file, include) pairs where a layer includes a header of a layer above it."""
    found = []
    for path in sorted(names):
        parts = path.split("/")
        if len(parts) < 3 or parts[0] not in ("src", "include"):
            continue
        layer = parts[2] if parts[0] == "include" else parts[1]
        for above in ABOVE.get(layer, ()):
            with open(os.path.join(root, path), encoding="utf-8") as f:
                for line in f:
                    if line.startswith("#include") and (f"leasecalc/{above}/" in line or
                                                        f'"../{above}/' in line):
                        found.append(f"{path}: {line.strip()}")
    return found


def main():
    root = sys.argv[1]
    stray = sorted(n for n in top_level_names(root) if n not in ALLOWED and not n.startswith("."))
    if stray:
        print("stray at the top level (not part of the layout): " + ", ".join(stray))
        print("move each under docs/, scripts/ or tests/, or remove it")
        return 1
    listed = subprocess.run(["git", "-C", root, "ls-files", "--cached", "--others",
                             "--exclude-standard"], capture_output=True, text=True).stdout.split()
    long = long_files_without_reason(root, [p for p in listed if p.startswith(("src/", "include/", "tests/", "scripts/", "bench/", "fuzz/"))])
    if long:
        print("files over 450 lines that do not say at their top why they are one file "
              "(\"One file ...\"), or split them: " + ", ".join(long))
        return 1
    wrong_room = includes_above(root, [p for p in listed if p.endswith((".cpp", ".hpp"))])
    if wrong_room:
        print("a layer includes a layer above it (the core must not call render or cli): " +
              "; ".join(wrong_room))
        return 1
    print("top level: every name is part of the layout; long files say why they are one; "
          "no layer includes one above it")
    return 0


if __name__ == "__main__":
    sys.exit(main())

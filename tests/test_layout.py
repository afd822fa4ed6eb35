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


def main():
    root = sys.argv[1]
    stray = sorted(n for n in top_level_names(root) if n not in ALLOWED and not n.startswith("."))
    if stray:
        print("stray at the top level (not part of the layout): " + ", ".join(stray))
        print("move each under docs/, scripts/ or tests/, or remove it")
        return 1
    print("top level: every name is part of the layout")
    return 0


if __name__ == "__main__":
    sys.exit(main())

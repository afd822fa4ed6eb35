#!/usr/bin/env bash
# Quick start, command 2: the same set-up as quickstart.sh, then the whole test suite
# (unit tests and end-to-end tests of the real binary), through CTest.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/setup.sh"
ctest --test-dir "$root/build" --output-on-failure -j "$(nproc)"

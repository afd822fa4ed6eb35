#!/usr/bin/env bash
# Quick start, command 2: the same set-up as quickstart.sh, then the whole test suite
# (unit tests and end-to-end tests of the real binary), through CTest.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# The tests also need a real spreadsheet (gnumeric's ssconvert), util-linux's script and
# an XML parser (xmllint) to read the JUnit output back.
LEASECALC_EXTRA_PACKAGES="gnumeric bsdutils libxml2-utils ${LEASECALC_EXTRA_PACKAGES:-}" bash "$root/scripts/setup.sh"
ctest --test-dir "$root/build" --output-on-failure -j "$(nproc)"

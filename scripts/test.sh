#!/usr/bin/env bash
# Quick start, command 2: the same set-up as quickstart.sh, then the whole test suite:
#   1. unit and end-to-end tests (CTest) on the Release build;
#   2. the same tests on a build with AddressSanitizer and UndefinedBehaviorSanitizer;
#   3. a short libFuzzer run (clang) over the loader, calculations and formatters.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# The tests also need a real spreadsheet (gnumeric's ssconvert), util-linux's script,
# an XML parser (xmllint) to read JUnit and SVG output back, and clang's libFuzzer.
export LEASECALC_EXTRA_PACKAGES="gnumeric bsdutils libxml2-utils clang libclang-rt-14-dev ${LEASECALC_EXTRA_PACKAGES:-}"
bash "$root/scripts/setup.sh"
ctest --test-dir "$root/build" --output-on-failure -j "$(nproc)"

werror=OFF
[[ "${CI:-}" == "true" ]] && werror=ON
cmake -S "$root" -B "$root/build-sanitize" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DLEASECALC_SANITIZE=address,undefined -DLEASECALC_WERROR="$werror" >/dev/null
cmake --build "$root/build-sanitize" -j "$(nproc)"
ctest --test-dir "$root/build-sanitize" --output-on-failure -j "$(nproc)"

bash "$root/scripts/fuzz.sh" -max_total_time=20

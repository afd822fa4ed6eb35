#!/usr/bin/env bash
# Quick start, command 2: the same set-up as quickstart.sh, then the whole test suite:
#   1. unit and end-to-end tests (CTest) on the Release build;
#   2. the same tests on a build with AddressSanitizer and UndefinedBehaviorSanitizer;
#   3. a short libFuzzer run (clang) over the loader, calculations and formatters.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# The tests also need a real spreadsheet (gnumeric's ssconvert), util-linux's script,
# an XML parser (xmllint) to read JUnit and SVG output back, clang's libFuzzer, a JSON
# Schema validator (python3-jsonschema), groff and man-db for the man page, and
# dpkg-dev and file, which CPack uses to find the .deb's dependencies.
export LEASECALC_EXTRA_PACKAGES="gnumeric bsdutils libxml2-utils clang libclang-rt-14-dev \
  python3 python3-jsonschema groff-base man-db dpkg-dev file ${LEASECALC_EXTRA_PACKAGES:-}"
bash "$root/scripts/setup.sh"
ctest --test-dir "$root/build" --output-on-failure -j "$(nproc)"

# In CI (a fresh machine, as root), install the .deb as a user would, and use it.
if [[ "${CI:-}" == "true" && $(id -u) -eq 0 ]]; then
  bash "$root/scripts/try-deb.sh"
fi

werror=OFF
[[ "${CI:-}" == "true" ]] && werror=ON
# -O1 with line tables only (-g1): what ASan recommends, readable stack traces, and a third
# of -O2 -g's compile time, which keeps the whole run well inside CI's 20 minutes.
cmake -S "$root" -B "$root/build-sanitize" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" \
  -DLEASECALC_SANITIZE=address,undefined -DLEASECALC_WERROR="$werror" >/dev/null
cmake --build "$root/build-sanitize" -j "$(nproc)"
ctest --test-dir "$root/build-sanitize" --output-on-failure -j "$(nproc)"

bash "$root/scripts/fuzz.sh" -max_total_time=20

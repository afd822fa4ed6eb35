#!/usr/bin/env bash
# Builds the libFuzzer target with clang, ASan and UBSan into build-fuzz/, and fuzzes the
# loader, calculations and formatters, seeded with every JSON file in data/ and tests/.
# Usage: bash scripts/fuzz.sh [libFuzzer options]   (default: -max_total_time=30)
#   LEASECALC_FUZZ_CORPUS=DIR  keep the inputs found in DIR (default: a scratch directory)
# The longer run in the README: bash scripts/fuzz.sh -runs=5000000 -jobs=2 -workers=2
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LEASECALC_EXTRA_PACKAGES="clang libclang-rt-14-dev ${LEASECALC_EXTRA_PACKAGES:-}" \
  LEASECALC_SETUP_ONLY_PACKAGES=1 bash "$root/scripts/setup.sh"
CXX=clang++ cmake -S "$root" -B "$root/build-fuzz" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" \
  -DLEASECALC_FUZZ=ON -DLEASECALC_SANITIZE=address,undefined -DLEASECALC_TESTS=OFF >/dev/null
cmake --build "$root/build-fuzz" --target leasecalc_fuzz -j "$(nproc)"
seeds=$(mktemp -d)
if [[ -n "${LEASECALC_FUZZ_CORPUS:-}" ]]; then
  found=$LEASECALC_FUZZ_CORPUS
  mkdir -p "$found"
  trap 'rm -rf "$seeds"' EXIT
else
  found=$(mktemp -d)
  trap 'rm -rf "$seeds" "$found"' EXIT
fi
find "$root/data" "$root/tests" -name '*.json' -exec cp {} "$seeds/" \;
args=("$@")
((${#args[@]})) || args=(-max_total_time=30)
# New inputs go to $found; the checked-in seeds are only read.
"$root/build-fuzz/leasecalc_fuzz" "$found" "$seeds" -max_len=8192 -timeout=10 \
  -print_final_stats=1 "${args[@]}"

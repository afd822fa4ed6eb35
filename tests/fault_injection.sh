#!/usr/bin/env bash
# Fault injection (issue 25, README "Hardening"): runs killed at random moments never
# leave a damaged file, SIGINT leaves no temporary file, concurrent updates lose nothing,
# and, as root, a device node and another user's file survive an output.
#
#   200 runs: update --in-place and sweep -o, each killed after a random 0-40 ms (sweep:
#   0-400 ms), half by SIGKILL and half by SIGINT. After each, the file is byte for byte
#   either what it was or what a complete run writes; after SIGINT no .NAME.tmp-* is left
#   (after SIGKILL one may be: nothing can remove it, and it is counted, then removed).
#   50 pairs of concurrent updates of two different figures: both changes are in the file.
#
# Usage: bash tests/fault_injection.sh path/to/leasecalc path/to/source
set -euo pipefail
bin="$1"
src="$2"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}
temps() { find . -maxdepth 1 -name '.*.tmp-*' | wc -l; }

# The files a complete run writes.
cp "$src/data/scenarios/colossus1-lease.json" old.json
"$bin" update old.json --set lease.occupancy=0.8 -o new.json > /dev/null
sweep=(sweep old.json --vary lease.price_per_gpu_hour=1:4:0.00001 --out lease.annual_revenue)
"$bin" "${sweep[@]}" -o full.csv
printf 'an older grid\n' > old.csv

runs=0 killed_temps=0
for i in $(seq 1 100); do
  signal=$([[ $((i % 2)) == 0 ]] && echo KILL || echo INT)
  # update --in-place
  cp old.json s.json
  delay=$(awk -v r="$RANDOM" 'BEGIN { printf "%.3f", r % 40 / 1000 }')
  timeout -s "$signal" "$delay" "$bin" update s.json --in-place --set lease.occupancy=0.8 \
    > /dev/null 2>&1 || true
  if ! cmp -s s.json old.json && ! cmp -s s.json new.json; then
    fail "update killed by SIG$signal after ${delay}s left a damaged file"
  fi
  # sweep -o
  cp old.csv g.csv
  delay=$(awk -v r="$RANDOM" 'BEGIN { printf "%.3f", r % 400 / 1000 }')
  timeout -s "$signal" "$delay" "$bin" "${sweep[@]}" -o g.csv > /dev/null 2>&1 || true
  if ! cmp -s g.csv old.csv && ! cmp -s g.csv full.csv; then
    fail "sweep killed by SIG$signal after ${delay}s left a damaged file"
  fi
  left=$(temps)
  if [[ "$signal" == INT && "$left" != 0 ]]; then
    fail "SIGINT left $left temporary file(s)"
  fi
  if [[ "$signal" == KILL ]]; then killed_temps=$((killed_temps + left)); fi
  find . -maxdepth 1 -name '.*.tmp-*' -delete
  runs=$((runs + 2))
done
echo "$runs killed runs; $killed_temps temporary file(s) after SIGKILL, none after SIGINT"

# 50 concurrent pairs: each changes a different figure; the file must hold both.
lost=0
for i in $(seq 1 50); do
  cp old.json s.json
  "$bin" update s.json --in-place --set lease.occupancy=0.8 > /dev/null 2>&1 &
  a=$!
  "$bin" update s.json --in-place --set lease.price_per_gpu_hour=2.5 > /dev/null 2>&1 &
  b=$!
  wait "$a" || true
  wait "$b" || true
  tsv=$("$bin" report s.json --format tsv)
  grep -qP '^lease\.occupancy\t[^\t]*\t0\.8\t' <<< "$tsv" &&
    grep -qP '^lease\.price_per_gpu_hour\t[^\t]*\t2\.5\t' <<< "$tsv" || lost=$((lost + 1))
done
[[ "$lost" == 0 ]] || fail "$lost of 50 concurrent pairs lost a change"
echo "50 concurrent pairs of updates: $lost lost a change"

if [[ "$(id -u)" == 0 ]]; then
  # A device node in a private directory stays a device; another user's file keeps its owner.
  mknod null c 1 3
  "$bin" report old.json -o null
  [[ -c null ]] || fail "-o onto a device node replaced it"
  cp old.json theirs.json
  chown nobody:nogroup theirs.json
  chmod 640 theirs.json
  "$bin" update theirs.json --in-place --set lease.occupancy=0.8 > /dev/null
  [[ "$(stat -c %U:%G:%a theirs.json)" == nobody:nogroup:640 ]] ||
    fail "update --in-place changed the owner or mode: $(stat -c %U:%G:%a theirs.json)"
  echo "root: a device node and another user's file kept"
else
  echo "SKIP: the device node and another user's file need root (running as $(id -un))"
fi
[[ "$failures" == 0 ]] || { echo "$failures failure(s)" >&2; exit 1; }
echo "fault injection: all kept"

#!/usr/bin/env bash
# Runs two leasecalc binaries over every command, format and fixture and diffs what they
# print (stdout, stderr, exit code, and files written with -o). Used to show that a
# refactor changes no output. Usage, from the project root:
#   bash scripts/compare-binaries.sh OLD_BINARY NEW_BINARY [ALLOWED]
# ALLOWED: an extended regular expression; runs whose command line matches it may differ
# (an intended change), and are counted apart. Exit 0 when every other run is identical;
# otherwise the diffs, and exit 1.
set -uo pipefail
old=$1 new=$2 allowed=${3:-}
cd "$(dirname "$0")/.."
scenarios=(data/scenarios/*.json tests/scenarios/*.json)
notes=(data/notes/*.json tests/notes/*.json)
runs=()
for s in "" "${scenarios[@]}"; do
  for f in table csv tsv json md; do
    runs+=("report $s --format $f" "report $s --format $f --basis units"
           "sources $s --format $f" "sources $s --tag reported --format $f")
  done
  runs+=("report $s --set lease.occupancy=0.85 --set lease.price_per_gpu_hour=2.2@reported:mirae-2026-05-08"
         "report $s --basis hbm-bw" "report $s --basis fp8")
  for k in lease.annual_revenue breakeven.coverage breakeven.gpus fleet.share_h100e \
           cluster.h100e.total lease.price_per_gpu_hour valuation.revenue_multiple; do
    for f in table csv tsv json md; do runs+=("explain $k $s --format $f"); done
  done
  for f in table csv tsv json md svg; do
    runs+=("tornado $s --target breakeven.coverage --format $f"
           "simulate $s --samples 2000 --seed 7 --out lease.annual_revenue,breakeven.coverage --format $f")
  done
  for f in csv tsv json jsonl table md; do
    runs+=("sweep $s --vary lease.price_per_gpu_hour=2:3:0.25 --vary lease.occupancy=0.7:1:0.1 --out lease.annual_revenue,breakeven.coverage --format $f")
  done
  for f in table csv tsv json md; do
    runs+=("solve $s --target breakeven.coverage=1 --vary lease.price_per_gpu_hour --format $f"
           "solve $s --target breakeven.coverage=1 --vary lease.occupancy --format $f"
           "solve $s --target breakeven.coverage=1 --vary lease.price_discount --format $f")
  done
done
for n in "${notes[@]}"; do
  for f in table md json junit tap; do runs+=("check $n --format $f"); done
  runs+=("check $n --set lease.price_per_gpu_hour=2.2@reported:mirae-2026-05-08")
done
for f in table csv tsv json md; do runs+=("diff tests/diff/old.json tests/diff/new.json --format $f"); done
for b in tests/bad/*.expected; do
  name=$(basename "$b" .expected)
  extra=$(sed -n 3p "$b")
  if [[ $extra == @* ]]; then runs+=("${extra:1}")
  else runs+=("report tests/bad/$name.json $extra"); fi
  runs[-1]=${runs[-1]//\{\}/tests/bad/$name.json}
done
runs+=("--help" "--version" "report --help" "sweep --help" "check --help" "bogus" "report --format nope")

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
differ=0 intended=0
for r in "${runs[@]}"; do
  for side in old new; do
    bin=${!side}
    # Words split as xargs splits them (quotes kept whole, `-o ''` an empty word), never
    # through the shell: an argument such as `--prob KEY>=1` must not become a
    # redirection (it left a file '=1' here twice; blank-splitting left a file named '').
    mapfile -d '' args < <(printf '%s' "$r" | xargs printf '%s\0')
    ( "$bin" "${args[@]}" -o "$tmp/$side.file" >"$tmp/$side.out" 2>"$tmp/$side.err"; echo "exit $?" >>"$tmp/$side.err" )
    [[ -f $tmp/$side.file ]] || : >"$tmp/$side.file"
    ( "$bin" "${args[@]}" >>"$tmp/$side.out" 2>>"$tmp/$side.err"; echo "exit $?" >>"$tmp/$side.err" )
    sed -i "s|$tmp/$side.file|OUT|g" "$tmp/$side.err"  # a message may name the -o file
  done
  changed=0
  for part in out err file; do
    cmp -s "$tmp/old.$part" "$tmp/new.$part" || changed=1
  done
  if ((changed)) && [[ -n $allowed && $r =~ $allowed ]]; then
    intended=$((intended + 1))
  elif ((changed)); then
    for part in out err file; do
      if ! cmp -s "$tmp/old.$part" "$tmp/new.$part"; then
        echo "=== leasecalc $r ($part)"
        diff "$tmp/old.$part" "$tmp/new.$part" | head -20
      fi
    done
    differ=1
  fi
  rm -f "$tmp"/old.* "$tmp"/new.*
done
echo "compare-binaries: ${#runs[@]} runs, ${intended} with an allowed change, the rest" \
  "$([[ $differ == 0 ]] && echo identical || echo DIFFERENT)"
exit $differ

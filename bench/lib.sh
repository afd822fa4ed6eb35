# Shared by the benchmark scripts. Source it after setting $root.

# `bench_start RUNS [BINARY]`: the binary under test (the script's argument, else the
# build's) in $bin, the runs (RUNS from the environment, else the given default) in $runs,
# and GNU time installed.
bench_start() {
  bin="${2:-$root/build/leasecalc}"
  runs="${RUNS:-$1}"
  [[ -x /usr/bin/time ]] || apt-get install -y -qq time >/dev/null
  [[ -x "$bin" ]] || { echo "build first: bash scripts/setup.sh" >&2; exit 2; }
}

# `measure CMD...` prints the best "seconds KB" of $runs runs of CMD (GNU time's elapsed
# time and peak RSS), its output discarded.
measure() {
  local best="" line
  for _ in $(seq "$runs"); do
    line=$(/usr/bin/time -f "%e %M" "$@" 2>&1 >/dev/null | tail -1)
    if [[ -z "$best" ]] || awk -v a="${line% *}" -v b="${best% *}" 'BEGIN { exit !(a < b) }'; then
      best="$line"
    fi
  done
  echo "$best"
}

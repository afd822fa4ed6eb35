# Shared by the benchmark scripts. Source it after setting $root.
#
# Every table is timed the one way bench/pairs.py times it: a peer and leasecalc in
# interleaved pairs (peer, leasecalc, peer, leasecalc...), PAIRS of them (default and
# least 5), each row the medians and the median ratio with its least and greatest, under a
# heading that names the machine (nproc, CPU model), the date and the commit.

# `bench_start [BINARY]`: the binary under test (the script's argument, else the build's)
# in $bin, the pairs (PAIRS from the environment) in $pairs, Debian's Python in $py.
bench_start() {
  bin="${1:-$root/build/leasecalc}"
  pairs="${PAIRS:-5}"
  py=/usr/bin/python3  # Debian's: its numpy, not a pyenv's
  [[ -x "$bin" ]] || { echo "build first: bash scripts/setup.sh" >&2; exit 2; }
  [[ -x "$py" ]] || apt-get install -y -qq python3 >/dev/null
}

# numpy for the peers (Debian's python3-numpy); the build never needs it.
need_numpy() {
  "$py" -c 'import numpy' 2>/dev/null || apt-get install -y -qq python3-numpy >/dev/null
}

# `table_header TITLE`: the heading, the machine line and the column names.
table_header() { "$py" "$root/bench/pairs.py" header "$@"; }

# `pair JOB PEER_LABEL SCALE PEER... ::: LEASECALC...`: one row of interleaved pairs.
# SCALE: how many times the peer's work leasecalc does (1 for the same job).
pair() {
  local job=$1 peer=$2 scale=$3
  shift 3
  "$py" "$root/bench/pairs.py" row --pairs "$pairs" --scale "$scale" --job "$job" \
    --peer "$peer" "$@"
}

# `solo RUNS JOB LEASECALC...`: leasecalc alone (its memory on a grid or sample count).
solo() {
  local runs=$1 job=$2
  shift 2
  "$py" "$root/bench/pairs.py" solo --runs "$runs" --job "$job" "$@"
}

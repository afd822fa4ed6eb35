# Shared by the benchmark scripts: `measure CMD...` prints the best "seconds KB" of
# $runs runs of CMD (GNU time's elapsed time and peak RSS), its output discarded.
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

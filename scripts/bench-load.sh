#!/usr/bin/env bash
# Recommend under load on loopback: brings the suite up on a data set (default MovieLens 100K beside
# the repository), runs `recsuite bench` closed loop at a few concurrencies and open loop at a few
# rates, prints the machine and its load average before each run, stops the suite.
#   scripts/bench-load.sh [DATA_DIR] [SECONDS] [CONCURRENCIES] [RATES]
#   scripts/bench-load.sh ../shared/data/ml-100k 30 "1 4 16" "100 200 300 450"
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
data="${1:-$root/../shared/data/ml-100k}"
seconds="${2:-30}"
concurrencies="${3:-1 4 16}"
rates="${4:-100 200 300 450}"
work="$(mktemp -d)"
log="$work/up.log"

"$root/recsuite" up --data "$data" --work-dir "$work" --base-port 0 >"$log" 2>&1 &
up=$!
trap 'kill -TERM $up 2>/dev/null; wait $up 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 300); do
  grep -q "The suite is up" "$log" && break
  if ! kill -0 $up 2>/dev/null; then cat "$log" >&2; exit 1; fi
  sleep 1
done
target="$(grep -oE 'gateway on 127.0.0.1:[0-9]+' "$log" | head -1 | sed 's/gateway on //')"
echo "machine: $(nproc) cores, $(uname -sr), $(date -u +%Y-%m-%dT%H:%MZ)"

bench() {
  echo
  echo "== load average $(cut -d' ' -f1-3 /proc/loadavg): recsuite bench $*"
  # A run with errors exits 1; the series goes on (the errors are the finding).
  "$root/recsuite" bench --target "$target" --bundles "$work/bundles" "$@" 2>/dev/null || true
}
for c in $concurrencies; do
  bench --concurrency "$c" --duration "${seconds}s" --warmup 5000
done
for r in $rates; do
  bench --rate "$r" --duration "${seconds}s" --warmup 5000
done

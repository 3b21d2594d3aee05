#!/usr/bin/env bash
# Sequential end-to-end latency of Recommend on loopback: brings the suite up on a data set (default
# MovieLens 100K beside the repository), runs `recsuite bench`, stops the suite.
#   scripts/bench-latency.sh [DATA_DIR] [REQUESTS] [CONCURRENCY]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
data="${1:-$root/../shared/data/ml-100k}"
requests="${2:-3000}"
concurrency="${3:-1}"
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
"$root/recsuite" bench --target "$target" --bundles "$work/bundles" \
  --requests "$requests" --warmup 5000 --concurrency "$concurrency" 2>/dev/null

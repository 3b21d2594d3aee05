#!/usr/bin/env bash
# Closed-loop load on Recommend with h2load (Debian's nghttp2-client) against a running gateway:
# one prepared gRPC body sent by -c connections with -m concurrent streams each.
#   scripts/h2load-recommend.sh [--target HOST:PORT] [--user ID] [-k K] [-c CONNECTIONS] [-m STREAMS]
#                               [-n REQUESTS | --duration SECONDS] [--warm-up SECONDS]
# Prints h2load's summary, then requests/s, p50/p90/p99/p99.9/max latency (ms) computed from
# h2load's per-request log, and checks grpc-status on one call before and after the run (h2load
# counts an HTTP 200 as success, but gRPC errors are HTTP 200 with a grpc-status trailer).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
target=127.0.0.1:50051 user=1 k=10 connections=4 streams=4 requests=20000 duration="" warmup=""
while [ $# -gt 0 ]; do
  case "$1" in
    --target) target="$2"; shift 2 ;;
    --user) user="$2"; shift 2 ;;
    -k) k="$2"; shift 2 ;;
    -c) connections="$2"; shift 2 ;;
    -m) streams="$2"; shift 2 ;;
    -n) requests="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --warm-up) warmup="$2"; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "h2load-recommend: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

if ! command -v h2load >/dev/null || ! command -v nghttp >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "h2load-recommend: installing nghttp2-client (h2load, nghttp)..." >&2
    apt-get update -qq >/dev/null && apt-get install -y -qq nghttp2-client >/dev/null
  else
    echo "h2load-recommend: h2load not found; install Debian's nghttp2-client (apt-get install nghttp2-client)" >&2
    exit 1
  fi
fi
if [ -z "${JAVA_HOME:-}" ] && [ -d /usr/lib/jvm/temurin-25-jdk-amd64 ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
if [ ! -d "$root/cli/target/lib" ]; then
  echo "h2load-recommend: $root/cli/target/lib is missing; build once with ./recsuite --help" >&2
  exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$java_bin" -cp "$root/cli/target/lib/*" "$root/scripts/RecommendBody.java" --user "$user" -k "$k" --out "$work/body.bin"
url="http://$target/dev.recsuite.gateway.v1.GatewayService/Recommend"
headers=(-H 'content-type: application/grpc' -H 'te: trailers')

check_grpc_status() {
  local status
  status="$(nghttp -v "${headers[@]}" -d "$work/body.bin" "$url" 2>&1 | grep -a -o 'grpc-status: [0-9]*' | tail -1 || true)"
  if [ "$status" != "grpc-status: 0" ]; then
    echo "h2load-recommend: $1: a Recommend call to $target answered '${status:-no grpc-status}' (expected grpc-status: 0)" >&2
    exit 1
  fi
  echo "grpc-status check ($1): OK"
}

check_grpc_status "before the run"
length=(-n "$requests")
if [ -n "$duration" ]; then length=(-D "$duration"); fi
if [ -n "$warmup" ]; then length+=(--warm-up-time "$warmup"); fi
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "h2load ${length[*]} -c $connections -m $streams, user $user, k=$k, $url"
h2load "${length[@]}" -c "$connections" -m "$streams" "${headers[@]}" -d "$work/body.bin" \
  --log-file="$work/requests.log" "$url" | tee "$work/h2load.txt"
check_grpc_status "after the run"

# requests.log: one line per request, tab-separated: start time (µs), HTTP status, duration (µs).
awk -F'\t' '{ if (n++ == 0 || $1 < first) first = $1; if ($1 + $3 > last) last = $1 + $3; if ($2 != 200) bad++ }
  END { if (n == 0) { print "h2load-recommend: no requests logged" > "/dev/stderr"; exit 1 }
        printf "requests %d, HTTP failures %d, %.1f req/s over %.2f s\n", n, bad + 0, n / ((last - first) / 1e6), (last - first) / 1e6 }' \
  "$work/requests.log"
# Exact percentiles (nearest rank) over every request's duration.
cut -f3 "$work/requests.log" | sort -n | awk '
  { d[NR] = $1 / 1000.0 }
  END {
    split("50 90 99 99.9", ps, " ")
    line = ""
    for (i = 1; i <= 4; i++) { r = int(ps[i] / 100 * NR); if (r < ps[i] / 100 * NR) r++; if (r < 1) r = 1; line = line sprintf("p%s %.2f, ", ps[i], d[r]) }
    printf "latency ms: %smax %.2f\n", line, d[NR]
  }'

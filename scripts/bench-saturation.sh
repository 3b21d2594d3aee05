#!/usr/bin/env bash
# Saturation throughput and p99 at half of it, for the suite and for bare chains, in one run and with
# one driver (`recsuite bench`), so that the suite's throughput is reported as a fraction of what gRPC
# transport alone allows on this machine (docs/BENCHMARKS.md, "Saturation and the bare chain").
#
#   scripts/bench-saturation.sh [--data DIR] [--seconds S] [--concurrency "1 2 4 8 16 32 64"]
#                               [--flows "naive cached"] [--executor default|direct] [--lib DIR]
#                               [--before-lib DIR] [--before-first] [--skip-suite]
#
# 1. The suite: `recsuite up --data DIR` (four JVMs on loopback, MovieLens 100K by default), then
#    closed loop at each concurrency of the list (stopping once two steps in a row add less than 3 %
#    to the best throughput: saturation), then open loop at half the best throughput (the p99 users
#    see there).
#    With --before-lib, the same series for a second build of the suite (e.g. the build before a
#    change: its cli/target/lib, the cli jar beside it), driven by the same client; --before-first
#    runs it first (alternate the order between runs: the machine's load drifts).
# 2. Each bare chain flow (dev.recsuite.cli.bench.BareChain: four plain gRPC servers with the suite's
#    call graph and message sizes, captured from the running suite for user 1, answering cached
#    messages): the same series.
# Every run prints the load average before it and the CPU milliseconds each server process used per
# request; the summary table at the end has the ratios.
#
# Needs the CLI and its test classes: ./recsuite --help (builds once), then
# ./mvnw -B -ntp -o test-compile -pl cli. --lib runs another build (its cli/target/lib; the cli jar
# is taken from the directory above it), the bare chain still comes from cli/target/test-classes.
# The load driver (`recsuite bench`) and the capture always come from --lib.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
data="$root/../shared/data/ml-100k" seconds=20 concurrencies="1 2 4 8 16 32 64" flows="naive cached"
executor=default lib="$root/cli/target/lib" before_lib="" before_first="" skip_suite=""
while [ $# -gt 0 ]; do
  case "$1" in
    --data) data="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --concurrency) concurrencies="$2"; shift 2 ;;
    --flows) flows="$2"; shift 2 ;;
    --executor) executor="$2"; shift 2 ;;
    --lib) lib="$2"; shift 2 ;;
    --before-lib) before_lib="$2"; shift 2 ;;
    --before-first) before_first=1; shift ;;
    --skip-suite) skip_suite=1; shift ;;
    -h|--help) sed -n '2,28p' "$0"; exit 0 ;;
    *) echo "bench-saturation: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
if [ -z "${JAVA_HOME:-}" ] && [ -d /usr/lib/jvm/temurin-25-jdk-amd64 ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
tests="$root/cli/target/test-classes"
if [ ! -d "$lib" ] || [ ! -f "$tests/dev/recsuite/cli/bench/BareChain.class" ]; then
  echo "bench-saturation: build first: ./recsuite --help && ./mvnw -B -ntp -o test-compile -pl cli" >&2
  exit 1
fi
# The launcher's and the services' JVM options (as `recsuite up` starts them).
launcher=(--add-modules jdk.incubator.vector --sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED)
service=(-Xmx1g -XX:+UseParallelGC "${launcher[@]}")
# A build's launcher: its lib directory and the cli jar beside it (`recsuite up` starts the services
# with the launcher's class path).
cli_of() { echo "$java_bin" "${launcher[@]}" -cp "$(ls "$1"/../cli-*.jar | head -1):$1/*" dev.recsuite.cli.RecsuiteCli; }
read -r -a cli <<<"$(cli_of "$lib")"
bare=("$java_bin" "${service[@]}" -cp "$tests:$(ls "$lib"/../cli-*.jar | head -1):$lib/*" dev.recsuite.cli.bench.BareChain)

work="$(mktemp -d)"
pids=()
stop_all() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pids=()
}
trap 'stop_all; rm -rf "$work"' EXIT
summary="$work/summary.txt"
: >"$summary"

# CPU time (ms) of a process and its children's threads so far.
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%d", ($14 + $15) * 1000 / hz }' "/proc/$1/stat" 2>/dev/null || echo 0; }

# bench NAME TARGET SERVER_PIDS... -- BENCH_ARGS: one run; prints its output and CPU ms per request.
last_throughput=0 last_p99=0
bench() {
  local name="$1" target="$2"; shift 2
  local server_pids=()
  while [ "$1" != "--" ]; do server_pids+=("$1"); shift; done
  shift
  local before=() p
  for p in "${server_pids[@]}"; do before+=("$(cpu_ms "$p")"); done
  echo "== $name, load average $(cut -d' ' -f1-3 /proc/loadavg): recsuite bench $*"
  local out
  out="$("${cli[@]}" bench --target "$target" --users "$work/users.txt" "$@" 2>/dev/null || true)"
  echo "$out" | grep -E '^(requests|throughput|latency|send lag)'
  local requests cpu="" i=0 warmup=0 arg prev=""
  # The servers also worked for the warm-up requests: CPU per request counts them too.
  for arg in "$@"; do
    [ "$prev" = --warmup ] && warmup="$arg"
    prev="$arg"
  done
  requests="$(echo "$out" | sed -nE 's/^requests ([0-9]+):.*/\1/p')"
  requests=$(( ${requests:-0} + warmup ))
  for p in "${server_pids[@]}"; do
    cpu+="$(awk -v a="${before[$i]}" -v b="$(cpu_ms "$p")" -v n="${requests:-1}" 'BEGIN { printf "%.2f ", (b - a) / n }')"
    i=$((i + 1))
  done
  echo "   CPU ms per request, warm-up requests included (gateway recall features ranking): $cpu"
  last_throughput="$(echo "$out" | sed -nE 's/^throughput ([0-9.]+) req\/s.*/\1/p')"
  last_p99="$(echo "$out" | sed -nE 's/.*p99 ([0-9.]+),.*/\1/p' | head -1)"
  last_cpu="$cpu"
}

# series NAME TARGET SERVER_PIDS...: closed loop up the concurrency list until saturation, then open
# loop at half of it. Appends a line to the summary.
series() {
  local name="$1" target="$2"; shift 2
  local best=0 best_c=0 best_p99=0 best_cpu="" c flat=0
  for c in $concurrencies; do
    # Every step is a fresh driver JVM: 5,000 requests warm its JIT (and the servers) first.
    bench "$name" "$target" "$@" -- --concurrency "$c" --duration "${seconds}s" --warmup 5000
    local grew
    grew="$(awk -v t="$last_throughput" -v b="$best" 'BEGIN { print (b == 0 || t > b * 1.03) ? 1 : 0 }')"
    if awk -v t="$last_throughput" -v b="$best" 'BEGIN { exit !(t > b) }'; then
      best="$last_throughput" best_c="$c" best_p99="$last_p99" best_cpu="$last_cpu"
    fi
    # Saturated after two steps in a row that add less than 3 %: on a shared machine one noisy step
    # must not end the series early.
    if [ "$grew" = 1 ]; then flat=0; else flat=$((flat + 1)); fi
    [ "$flat" -lt 2 ] || break
  done
  local rate
  rate="$(awk -v b="$best" 'BEGIN { printf "%.0f", b / 2 }')"
  # 10 s at the rate warm the fresh driver's JIT: with 500 requests it still compiled during the
  # measurement and its pauses filled the p99 (docs/LOAD-TESTING.md).
  bench "$name" "$target" "$@" -- --rate "$rate" --duration "${seconds}s" --warmup "$(( rate * 10 ))"
  printf '%s|%s|%s|%s|%s|%s|%s\n' "$name" "$best" "$best_c" "$best_p99" "$rate" "$last_p99" "$best_cpu" >>"$summary"
}

echo "machine: $(nproc) cores, $(uname -sr), $(date -u +%Y-%m-%dT%H:%MZ), data $data, ${seconds}s per run"

# 1. The suite (and the build before, with --before-lib).
# up_suite NAME LAUNCHER...: starts a suite with that build's launcher into $work/NAME.
up_suite() {
  local name="$1"; shift
  "$@" up --data "$data" --work-dir "$work/$name" --base-port 0 >"$work/$name.log" 2>&1 &
  pids+=($!)
  local launcher_pid=$!
  for _ in $(seq 1 300); do
    grep -q "The suite is up" "$work/$name.log" && return 0
    if ! kill -0 "$launcher_pid" 2>/dev/null; then cat "$work/$name.log" >&2; exit 1; fi
    sleep 1
  done
  echo "bench-saturation: $name did not come up" >&2
  exit 1
}
port() { grep -oE "$2 +healthy on 127.0.0.1:[0-9]+" "$work/$1.log" | head -1 | sed 's/.*://'; }
pid_of() { grep -oE "started $2 +pid [0-9]+" "$work/$1.log" | head -1 | sed 's/.* //'; }
suite_pids() { echo "$(pid_of "$1" gateway) $(pid_of "$1" recall-service) $(pid_of "$1" feature-service) $(pid_of "$1" ranking-service)"; }

before_series() {
  if [ -n "$before_lib" ] && [ -z "$skip_suite" ]; then
    local before_cli
    read -r -a before_cli <<<"$(cli_of "$before_lib")"
    up_suite before "${before_cli[@]}"
    [ -f "$work/users.txt" ] || "${cli[@]}" bench --bundles "$work/before/bundles" --export-users "$work/users.txt" >/dev/null
    # shellcheck disable=SC2046
    series "suite, before" "127.0.0.1:$(port before gateway)" $(suite_pids before)
    stop_all
  fi
}
[ -z "$before_first" ] || before_series
up_suite suite "${cli[@]}"
gateway="127.0.0.1:$(port suite gateway)"
[ -f "$work/users.txt" ] || "${cli[@]}" bench --bundles "$work/suite/bundles" --export-users "$work/users.txt" >/dev/null
"${bare[@]}" capture --gateway "$gateway" --recall "127.0.0.1:$(port suite recall-service)" \
  --features "127.0.0.1:$(port suite feature-service)" --ranking "127.0.0.1:$(port suite ranking-service)" \
  --user 1 -k 10 --out "$work/messages" 2>&1 | grep -o 'captured.*'
if [ -z "$skip_suite" ]; then
  # shellcheck disable=SC2046
  series "suite" "$gateway" $(suite_pids suite)
fi
stop_all
[ -n "$before_first" ] || before_series

# 2. The bare chains.
for flow in $flows; do
  server_pids=()
  declare -A ports=()
  for role in recall features ranking gateway; do
    extra=()
    if [ "$role" = gateway ]; then
      extra=(--recall "127.0.0.1:${ports[recall]}" --features "127.0.0.1:${ports[features]}" --ranking "127.0.0.1:${ports[ranking]}")
    fi
    "${bare[@]}" serve --role "$role" --flow "$flow" --executor "$executor" --messages "$work/messages" "${extra[@]}" \
      >"$work/bare-$flow-$role.log" 2>&1 &
    pids+=($!)
    server_pids+=($!)
    for _ in $(seq 1 100); do
      grep -q "listening on" "$work/bare-$flow-$role.log" && break
      sleep 0.2
    done
    ports[$role]="$(grep -oE 'listening on 127.0.0.1:[0-9]+' "$work/bare-$flow-$role.log" | sed 's/.*://')"
    if [ -z "${ports[$role]}" ]; then cat "$work/bare-$flow-$role.log" >&2; exit 1; fi
  done
  grep -oE 'flow .*' "$work/bare-$flow-gateway.log" | head -1
  # Same order of pids as the suite's: gateway recall features ranking.
  series "bare chain ($flow, $executor executor)" "127.0.0.1:${ports[gateway]}" \
    "${server_pids[3]}" "${server_pids[0]}" "${server_pids[1]}" "${server_pids[2]}"
  stop_all
  unset ports
done

echo
echo "| Run | Saturation (closed loop) | at concurrency | p99 there | Open loop at half | p99 | CPU ms/request: gateway, recall, features, ranking |"
echo "|---|---|---|---|---|---|---|"
while IFS='|' read -r name best c p99 rate rate_p99 cpu; do
  printf '| %s | %s req/s | %s | %s ms | %s req/s | %s ms | %s|\n' "$name" "$best" "$c" "$p99" "$rate" "$rate_p99" "$cpu"
done <"$summary"
echo
awk -F'|' '
  $1 ~ /^suite/ { suites[$1] = $2; order[++n] = $1; next }
  { bare[$1] = $2; bare_order[++m] = $1 }
  END { for (i = 1; i <= n; i++) for (j = 1; j <= m; j++)
          printf "%s / %s: %.0f %%\n", order[i], bare_order[j], 100 * suites[order[i]] / bare[bare_order[j]] }' "$summary"

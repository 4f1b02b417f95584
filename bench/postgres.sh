#!/usr/bin/env bash
# End-to-end load on the PostgreSQL backend: N Vigil nodes (default 1) sharing one throwaway PostgreSQL, one load
# generator per node (each on its own metric names, so each verifies its own count), PostgreSQL's CPU measured
# from /proc over the generators' run.
#
#   bench/postgres.sh                            1 node, 100k series, 4 connections, 10 s warmup + 60 s measured
#   bench/postgres.sh --nodes 3 --series 30000   3 nodes, 30k series each
#   bench/postgres.sh --nodes 3 -- --duration 30s --connections 2    (after --: passed to every generator)
#
# PostgreSQL comes from scripts/postgres.sh (Debian package, installed when missing), on port VIGIL_PG_PORT
# (default 55440 here) with a throwaway data directory; it is stopped and deleted afterwards, as are the nodes'
# data directories (VIGIL_BENCH_KEEP=1 keeps them and the logs). Output: one report block and one JSON line per
# generator, then a summary line with the total samples/s and PostgreSQL's CPU.
set -euo pipefail
# shellcheck source=build.sh
. "$(dirname "${BASH_SOURCE[0]}")/build.sh"
export VIGIL_PG_PORT=${VIGIL_PG_PORT:-55440}
# shellcheck source=../scripts/postgres.sh
. "$ROOT/scripts/postgres.sh"

NODES=1; SERIES=100000
while [ $# -gt 0 ]; do
  case "$1" in
    --nodes) NODES=$2; shift 2 ;;
    --series) SERIES=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "postgres.sh: unknown option $1 (generator options go after --)" >&2; exit 2 ;;
  esac
done
GEN_ARGS=("$@")

WORK=$(mktemp -d "${TMPDIR:-/tmp}/vigil-pgbench.XXXXXX")
KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  stop_test_postgres
  if [ "${VIGIL_BENCH_KEEP:-0}" = 1 ]; then echo "postgres.sh: kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start_test_postgres
# Total CPU seconds (user + system) of every PostgreSQL process: the postmaster, backends and background workers.
pg_cpu_ticks() {
  local total=0 stat
  for d in /proc/[0-9]*; do
    [ "$(cat "$d/comm" 2>/dev/null)" = postgres ] || continue
    stat=$(cat "$d/stat" 2>/dev/null) || continue
    stat=${stat##*) }
    # fields after the command: state(1) ... utime(12) stime(13)
    total=$((total + $(echo "$stat" | awk '{print $12 + $13}')))
  done
  echo "$total"
}

{
  echo "storage:"
  echo "  backend: postgres"
  echo "  seriesLimitPerMetric: $SERIES"
} > "$WORK/vigil.yaml"
PORTS=()
for n in $(seq 1 "$NODES"); do
  port=$((17100 + n))
  PORTS+=("$port")
  VIGIL_API_KEY="$KEY" VIGIL_POSTGRES_URL="$VIGIL_TEST_PG_URL" VIGIL_POSTGRES_USER="$VIGIL_TEST_PG_USER" \
    "$ROOT/vigil" serve --node-id "node-$n" --data "$WORK/node-$n" --port "$port" --config "$WORK/vigil.yaml" \
    > "$WORK/node-$n.log" 2>&1 &
  PIDS+=($!)
done
for port in "${PORTS[@]}"; do
  for _ in $(seq 1 600); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$port/readyz" || true)" = 200 ] && break
    sleep 0.5
  done
done
echo "postgres.sh: $NODES node(s) ready on ports ${PORTS[*]}" >&2

ticks_before=$(pg_cpu_ticks); t0=$(date +%s.%N)
GENS=()
for n in $(seq 1 "$NODES"); do
  VIGIL_API_KEY="$KEY" "$JAVA_HOME/bin/java" ${BENCH_JAVA_OPTS:--Xms256m -Xmx1g -XX:+UseSerialGC} \
    --enable-native-access=ALL-UNNAMED -cp "$JAR:$ROOT/vigil-bench/target/lib/*" io.vigil.bench.LoadGenerator \
    --url "http://127.0.0.1:${PORTS[n-1]}" --server-pid "${PIDS[n-1]}" --series "$SERIES" \
    --metric "bench_node${n}_requests_total" --verify-timeout 60s "${GEN_ARGS[@]}" > "$WORK/gen-$n.out" 2>&1 &
  GENS+=($!)
done
rc=0
for g in "${GENS[@]}"; do wait "$g" || rc=$?; done
ticks_after=$(pg_cpu_ticks); t1=$(date +%s.%N)
hz=$(getconf CLK_TCK)
for n in $(seq 1 "$NODES"); do echo "--- node-$n"; cat "$WORK/gen-$n.out"; done
total=$(cat "$WORK"/gen-*.out | grep -o '"samplesPerSecond":[0-9]*' | cut -d: -f2 | paste -sd+ | bc)
pg_cpu=$(echo "scale=1; 100 * ($ticks_after - $ticks_before) / $hz / ($t1 - $t0)" | bc)
echo "{\"nodes\":$NODES,\"seriesPerNode\":$SERIES,\"totalSamplesPerSecond\":$total,\"postgresCpuPercent\":$pg_cpu}"
if grep -q -E 'ERROR|Exception' "$WORK"/node-*.log; then
  echo "postgres.sh: a node logged errors (first lines):" >&2
  grep -h -m 5 -E 'ERROR|Exception' "$WORK"/node-*.log >&2
fi
exit $rc

#!/usr/bin/env bash
# Ingest throughput with misbehaving export targets against none (docs/benchmarks.md, "Export"): three runs of
# bench/load.sh (remote write, 100k series unless given other options), each on a fresh server:
#   1. no export at all (export.prometheus disabled: nothing reads the buckets),
#   2. the default: the /metrics exposition fed every 10 s,
#   3. Datadog pointed at a target that answers 500 to everything and New Relic at one that never answers, plus
#      the exposition.
# Options are passed to bench/load.sh (e.g. --duration 30s --series 50000). Prints each run's report and JSON line.
# VIGIL_EXPORT_RUNS picks the runs and their order (default "none default failing"); running the order reversed too
# shows how much of a difference is the machine's noise.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/build.sh"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/vigil-export-bench.XXXXXX")
STANDINS_PID=""
cleanup() {
  [ -n "$STANDINS_PID" ] && kill "$STANDINS_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

"$JAVA_HOME/bin/java" -cp "$JAR:$ROOT/vigil-bench/target/lib/*" io.vigil.bench.ExportStandIns \
  > "$WORK/standins.out" 2> "$WORK/standins.err" &
STANDINS_PID=$!
for _ in $(seq 1 100); do grep -q failing= "$WORK/standins.out" 2>/dev/null && break; sleep 0.1; done
read -r FAILING HANGING < <(sed -E 's/failing=([0-9]+) hanging=([0-9]+)/\1 \2/' "$WORK/standins.out")

printf 'export:\n  prometheus: {enabled: false}\n' > "$WORK/none.yaml"
: > "$WORK/default.yaml"
cat > "$WORK/failing.yaml" <<YAML
export:
  datadog: {enabled: true, url: "http://127.0.0.1:$FAILING", apiKey: bench-not-a-key}
  newrelic: {enabled: true, url: "http://127.0.0.1:$HANGING", apiKey: bench-not-a-key}
YAML

for run in ${VIGIL_EXPORT_RUNS:-none default failing}; do
  echo "=== export.sh: run '$run' ===" >&2
  VIGIL_BENCH_CONFIG_EXTRA="$WORK/$run.yaml" VIGIL_BENCH_BUILD=never "$ROOT/bench/load.sh" "$@"
done
echo "export.sh: stand-ins: $(tail -1 "$WORK/standins.err" 2>/dev/null)" >&2

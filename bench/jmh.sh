#!/usr/bin/env bash
# Runs Vigil's JMH benchmarks (module vigil-bench) from the module jar and its lib/ folder, no uber-jar needed.
#
#   bench/jmh.sh                          every benchmark with the defaults below
#   bench/jmh.sh RemoteWriteDecode        only benchmarks matching a regex
#   bench/jmh.sh Aggregate -wi 2 -i 3 -w 1s -r 2s
#   bench/jmh.sh Engine -rf json -rff engine.json     also write results as JSON
#   bench/jmh.sh -l                       list the benchmarks;  bench/jmh.sh -h  JMH's own help
#
# Defaults, each used only when not given: -f 1 -wi 3 -i 5 -w 2s -r 3s. Every argument goes to
# org.openjdk.jmh.Main. Scores of the decode and write benchmarks are samples/s (@OperationsPerInvocation).
#
# Environment:
#   VIGIL_BENCH_DIR=/path   where EngineWriteBenchmark puts its WAL and store (default: java.io.tmpdir);
#                           it measures fsync, so use the disk you care about (tmpfs makes fsync free)
#   VIGIL_BENCH_BUILD=never don't (re)build vigil-bench even if sources are newer than the jar
set -euo pipefail
# shellcheck source=build.sh
. "$(dirname "${BASH_SOURCE[0]}")/build.sh"

has() { local o; for o in "${ARGS[@]}"; do [ "$o" = "$1" ] && return 0; done; return 1; }
ARGS=("$@")
DEFAULTS=()
has -f  || DEFAULTS+=(-f 1)
has -wi || DEFAULTS+=(-wi 3)
has -i  || DEFAULTS+=(-i 5)
has -w  || DEFAULTS+=(-w 2s)
has -r  || DEFAULTS+=(-r 3s)
if [ -n "${VIGIL_BENCH_DIR:-}" ]; then
  # -jvmArgsPrepend, because a command-line -jvmArgsAppend would replace the benchmarks' own (native access, heap).
  mkdir -p "$VIGIL_BENCH_DIR"
  has -jvmArgsPrepend || DEFAULTS+=(-jvmArgsPrepend "-Dvigil.bench.dir=$VIGIL_BENCH_DIR")
fi

cd "$ROOT"
exec "$JAVA_HOME/bin/java" -cp "vigil-bench/target/vigil-bench.jar:vigil-bench/target/lib/*" \
  org.openjdk.jmh.Main "${ARGS[@]}" "${DEFAULTS[@]}"

#!/usr/bin/env bash
# End-to-end load test of Vigil over real HTTP: Prometheus remote write 1.0 or OTLP/HTTP protobuf.
#
#   bench/load.sh                                   start a server on a temp dir, 100k series, remote write,
#                                                   4 connections, 10 s warmup + 60 s measured, then verify
#   bench/load.sh --protocol otlp --duration 30s
#   bench/load.sh --series 20000 --connections 2 --warmup 5s --duration 20s
#   bench/load.sh --url http://127.0.0.1:7070 --key-file data/admin.key [--server-pid PID]
#                                                   drive a server that is already running
#   bench/load.sh --help                            every option of the generator
#
# Without --url the script starts its own server: `VIGIL_API_KEY=<random> ./vigil serve --data <tmpdir>
# --port <free port> --config <tmpdir>/vigil.yaml` (the config only raises storage.seriesLimitPerMetric to
# --series when that is above the default 50000), waits for GET /healthz, runs the generator with --server-pid
# of the server's java process (./vigil execs java), prints the results, then stops the server (SIGTERM) and
# deletes the temp dir. With --url you choose the server, and its per-metric series limit must allow --series
# (or use --metrics N to spread the series over N metric names).
#
# Output: a human-readable report, then one JSON line. Exit status: the generator's (0 ok, 1 verification
# mismatch or nothing acknowledged, 2 bad options), 3 no JDK 21+, 4 the server did not start.
#
# Environment:
#   VIGIL_JAVA_OPTS        JVM options of the started server (default: ./vigil's, see the launcher)
#   BENCH_JAVA_OPTS        JVM options of the generator (default: -Xms256m -Xmx1g -XX:+UseSerialGC)
#   VIGIL_BENCH_KEEP=1     keep the started server's data dir and log
#   VIGIL_BENCH_BUILD=never  don't (re)build vigil-bench even if sources are newer than the jar
#   VIGIL_BENCH_CONFIG_EXTRA=FILE  YAML appended to the started server's config (bench/export.sh uses it)
set -euo pipefail
# shellcheck source=build.sh
. "$(dirname "${BASH_SOURCE[0]}")/build.sh"

generator() {
  # shellcheck disable=SC2086
  "$JAVA_HOME/bin/java" ${BENCH_JAVA_OPTS:--Xms256m -Xmx1g -XX:+UseSerialGC} --enable-native-access=ALL-UNNAMED \
    -cp "$JAR:$ROOT/vigil-bench/target/lib/*" io.vigil.bench.LoadGenerator "$@"
}

URL=""; SERIES=100000; HAVE_PID=no
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[i]}" in
    --help|-h) generator --help; exit 0 ;;
    --url) URL="${args[i+1]:-}" ;;
    --url=*) URL="${args[i]#--url=}" ;;
    --series) SERIES="${args[i+1]:-}" ;;
    --series=*) SERIES="${args[i]#--series=}" ;;
    --server-pid|--server-pid=*) HAVE_PID=yes ;;
  esac
done

if [ -n "$URL" ]; then
  set +e; generator "$@"; rc=$?; set -e
  exit $rc
fi

free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return 0; }
  done
  echo "load.sh: no free port found" >&2; return 1
}
healthy() {
  if command -v curl >/dev/null 2>&1; then
    [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$PORT/healthz" || true)" = 200 ]
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$PORT" && printf 'GET /healthz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3 \
      && head -1 <&3 | grep -q ' 200') 2>/dev/null
  fi
}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/vigil-load.XXXXXX")
PORT=$(free_port)
KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
SERVER_PID=""
STOPPED=no
stop_server() {
  [ "$STOPPED" = yes ] && return 0
  STOPPED=yes
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    local code=0; wait "$SERVER_PID" 2>/dev/null || code=$?
    # A JVM stopped by SIGTERM exits with 143 after its shutdown hooks ran (the server commits and closes there).
    echo "load.sh: server stopped (exit status $code$([ "$code" = 143 ] && echo ': SIGTERM, normal'))" >&2
  fi
  SERVER_PID=""
  if [ "${VIGIL_BENCH_KEEP:-0}" = 1 ]; then
    echo "load.sh: kept $WORK (server.log, data/)" >&2
  else
    rm -rf "$WORK"
  fi
}
trap stop_server EXIT
trap 'exit 130' INT TERM

{
  echo "# written by bench/load.sh"
  if [ "$SERIES" -gt 50000 ] 2>/dev/null; then
    echo "storage:"
    echo "  seriesLimitPerMetric: $SERIES"
  fi
  if [ -n "${VIGIL_BENCH_CONFIG_EXTRA:-}" ]; then
    cat "$VIGIL_BENCH_CONFIG_EXTRA"
  fi
} > "$WORK/vigil.yaml"

echo "load.sh: starting Vigil on 127.0.0.1:$PORT, data in $WORK/data (log: $WORK/server.log)" >&2
VIGIL_API_KEY="$KEY" "$ROOT/vigil" serve --data "$WORK/data" --port "$PORT" --config "$WORK/vigil.yaml" \
  > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 600); do   # up to 5 minutes: ./vigil builds the server on first use
  healthy && break
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "load.sh: the server exited before it became healthy; its log:" >&2
    tail -n 40 "$WORK/server.log" >&2
    SERVER_PID=""
    exit 4
  fi
  sleep 0.5
done
if ! healthy; then
  echo "load.sh: the server did not answer GET /healthz with 200; its log:" >&2
  tail -n 40 "$WORK/server.log" >&2
  exit 4
fi
echo "load.sh: server ready (pid $SERVER_PID)" >&2

extra=(--url "http://127.0.0.1:$PORT")
[ "$HAVE_PID" = yes ] || extra+=(--server-pid "$SERVER_PID")
set +e
VIGIL_API_KEY="$KEY" generator "$@" "${extra[@]}"
rc=$?
set -e
if grep -q -E 'ERROR|Exception' "$WORK/server.log"; then
  echo "load.sh: the server logged errors (first lines):" >&2
  grep -m 5 -E 'ERROR|Exception' "$WORK/server.log" >&2
fi
stop_server
exit $rc

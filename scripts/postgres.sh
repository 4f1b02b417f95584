# Sourced by scripts/test.sh: makes sure a PostgreSQL server is installed (Debian package `postgresql`), starts a
# throwaway cluster on a loopback port as the `postgres` user, and exports VIGIL_TEST_PG_URL / _USER for the tests.
# `stop_test_postgres` stops it and removes its data directory.
VIGIL_PG_PORT=${VIGIL_PG_PORT:-55432}

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

ensure_postgres_installed() {
  [ -n "$(pg_bin)" ] && [ -x "$(pg_bin)/initdb" ] && return 0
  . "$(dirname "${BASH_SOURCE[0]}")/packages.sh"
  apt_install postgresql
}

start_test_postgres() {
  ensure_postgres_installed || return 1
  local bin; bin=$(pg_bin)
  VIGIL_PG_DIR=$(mktemp -d /tmp/vigil-pg.XXXXXX)
  local as=()
  if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$VIGIL_PG_DIR"; as=(runuser -u postgres --); fi
  "${as[@]}" "$bin/initdb" -D "$VIGIL_PG_DIR/data" -U vigil -A trust -E UTF8 --no-sync >/dev/null \
    || { echo "vigil test: initdb failed" >&2; return 1; }
  "${as[@]}" "$bin/pg_ctl" -D "$VIGIL_PG_DIR/data" -l "$VIGIL_PG_DIR/log" -w -t 60 \
    -o "-p $VIGIL_PG_PORT -k $VIGIL_PG_DIR -c listen_addresses=127.0.0.1" start >/dev/null \
    || { echo "vigil test: PostgreSQL did not start; log:" >&2; cat "$VIGIL_PG_DIR/log" >&2; return 1; }
  "${as[@]}" "$bin/createdb" -h 127.0.0.1 -p "$VIGIL_PG_PORT" -U vigil vigil
  export VIGIL_TEST_PG_URL="jdbc:postgresql://127.0.0.1:$VIGIL_PG_PORT/vigil" VIGIL_TEST_PG_USER=vigil
  export VIGIL_PG_DIR VIGIL_PG_BIN="$bin"
  echo "vigil test: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$VIGIL_PG_PORT" >&2
}

stop_test_postgres() {
  [ -n "${VIGIL_PG_DIR:-}" ] || return 0
  local as=()
  [ "$(id -u)" -eq 0 ] && as=(runuser -u postgres --)
  "${as[@]}" "$VIGIL_PG_BIN/pg_ctl" -D "$VIGIL_PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$VIGIL_PG_DIR"
}

#!/usr/bin/env bash
# README command 2 (./vigil test) and CI (.ci/run): runs every test of every module with the Maven Wrapper, after
# installing what is missing (Debian packages: PostgreSQL, and Chromium for the dashboard's browser tests) and
# starting a throwaway PostgreSQL on loopback for the PostgreSQL tests; it is stopped and removed afterwards. Extra
# arguments go to Maven.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$ROOT/scripts/jdk.sh"
find_jdk21 || exit 3
. "$ROOT/scripts/packages.sh"
. "$ROOT/scripts/postgres.sh"
cd "$ROOT"
echo "vigil test: JDK $JAVA_HOME" >&2
ensure_test_packages || echo "vigil test: WARNING: packages missing; the tests that need them fail and say why" >&2
trap stop_test_postgres EXIT
# A PostgreSQL that cannot start is reported here; the PostgreSQL tests then fail and say why.
start_test_postgres || echo "vigil test: WARNING: no PostgreSQL for the tests" >&2
./mvnw -B -ntp verify "$@"

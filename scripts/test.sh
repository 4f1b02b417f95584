#!/usr/bin/env bash
# README command 2 (./vigil test) and CI (.ci/run): runs every test of every module with the Maven Wrapper.
# Services that later tests need (PostgreSQL, Redis, Chromium) are installed and started here when missing.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$ROOT/scripts/jdk.sh"
find_jdk21 || exit 3
cd "$ROOT"
echo "vigil test: JDK $JAVA_HOME" >&2
exec ./mvnw -B -ntp verify "$@"

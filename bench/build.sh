# Sourced by bench/load.sh and bench/jmh.sh: finds a JDK 21+ and (re)builds vigil-bench when its jar is missing or
# older than any main source or pom, unless VIGIL_BENCH_BUILD=never. Sets ROOT and JAR.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=../scripts/jdk.sh
. "$ROOT/scripts/jdk.sh"
find_jdk21 || exit 3

JAR="$ROOT/vigil-bench/target/vigil-bench.jar"
bench_stale() {
  [ ! -f "$JAR" ] && return 0
  [ -n "$(find "$ROOT" -path "$ROOT/.git" -prune -o \( -name '*.java' -o -name 'pom.xml' \) -newer "$JAR" -print 2>/dev/null \
          | grep -v '/src/test/' | head -1 || true)" ]
}
if [ "${VIGIL_BENCH_BUILD:-auto}" != never ] && bench_stale; then
  echo "$(basename "$0"): building vigil-bench (first use or sources changed)..." >&2
  (cd "$ROOT" && ./mvnw -q -B -ntp -DskipTests -pl vigil-bench -am package) >&2 \
    || { echo "$(basename "$0"): build failed" >&2; exit 2; }
fi

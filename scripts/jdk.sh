# Sourced by ./vigil and .ci/run: finds a JDK 21 or newer (JAVA_HOME first, then /usr/lib/jvm, newest first)
# and exports JAVA_HOME and PATH for it.
jdk_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
find_jdk21() {
  local c v
  for c in "${JAVA_HOME:-}" $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
    c=${c%/}; [ -n "$c" ] && [ -x "$c/bin/javac" ] || continue
    v=$(jdk_major "$c"); [ "${v:-0}" -ge 21 ] 2>/dev/null && { export JAVA_HOME="$c" PATH="$c/bin:$PATH"; return 0; }
  done
  echo "ERROR: Vigil needs a JDK 21 or newer, and none was found (JAVA_HOME='${JAVA_HOME:-}', looked in /usr/lib/jvm)." >&2
  echo "       Install one (for example Temurin 21 or 25) or point JAVA_HOME at it." >&2
  return 1
}

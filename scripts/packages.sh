# Sourced by scripts/test.sh: installs the Debian packages the tests need when they are missing, in one apt-get run:
# PostgreSQL (the PostgreSQL store tests) and Chromium (the dashboard's browser tests, driven by Playwright).
apt_install() {
  [ $# -eq 0 ] && return 0
  echo "vigil test: installing $* (Debian packages)..." >&2
  local sudo=; [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null \
    || { echo "vigil test: could not install $* with apt-get" >&2; return 1; }
}

ensure_test_packages() {
  local missing=()
  [ -x "$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)/initdb" ] || missing+=(postgresql)
  [ -x "${VIGIL_CHROMIUM:-/usr/bin/chromium}" ] || missing+=(chromium)
  apt_install "${missing[@]}"
}

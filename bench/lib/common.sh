# Sourced by bench/*/run.sh: building with Maven and installing bench tools on a fresh clone, with errors shown.
# bench_mvn ARGS...: runs `mvn -B -ntp ARGS` from the repository root (online, so a fresh machine fetches the pinned
# plugins it lacks). Maven's output goes to a log; on failure
# the log's last 60 lines go to stderr with the command, and the script exits 1 saying so.
bench_mvn() {
  local root log rc=0
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  log="$(mktemp "${TMPDIR:-/tmp}/csemu-bench-mvn.XXXXXX")"
  (cd "$root" && mvn -B -ntp "$@") >"$log" 2>&1 || rc=$?
  if [ "$rc" -ne 0 ]; then
    tail -n 60 "$log" >&2
    echo "bench: the build failed (exit $rc): mvn -B -ntp $* (full log: $log)" >&2
    exit 1
  fi
  rm -f "$log"
}

# bench_need COMMAND DEBIAN_PACKAGE: installs the package (apt-get, as root) when the command is missing; on failure
# prints apt's output and exits 1 saying what to install.
bench_need() {
  command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] && return 0
  echo "bench: installing $2 (for $1)" >&2
  local log; log="$(mktemp "${TMPDIR:-/tmp}/csemu-bench-apt.XXXXXX")"
  if ! { DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" ||
         { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2"; }; } >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    echo "bench: could not install $2 (needed for $1; full log: $log): run 'apt-get install $2' as root" >&2
    exit 1
  fi
  rm -f "$log"
}

#!/usr/bin/env bash
# bench/cli/phases.sh [ROUNDS] — the one-time cost of each step of `csemu status` and `csemu validate`
# (docs/benchmarks/cli.md): compiles bench/cli/Phases.java against this clone's csemu.jar and runs it ROUNDS times
# (default 7), each in a fresh JVM with the launcher's client flags and its class-data archive, and prints the
# median of each phase in ms. `status` needs a daemon: one is started on a temporary data directory with no
# deployment (no VM) and stopped at the end; `validate` uses the largest corpus pair. BASELINE=<another clone, with
# its csemu launcher and emulator-cli/target/csemu.jar> times that clone instead: its jar, archive and client flags.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
rounds="${1:-7}"
csemu="$root/csemu"
"$csemu" --version >&2 # builds the jar and its archive when missing
timed="${BASELINE:-$root}"
[[ "$timed" == "$root" ]] || "$timed/csemu" --version >&2
jar="$timed/emulator-cli/target/csemu.jar"
archive="${jar%.jar}.jsa"
flags="$(sed -n '/^client_jvm_opts=(/{:a;/)/!{N;ba;};p;}' "$timed/csemu" | tr -d '\n' | sed 's/^client_jvm_opts=(//; s/).*//; s/  */ /g')"
cds=()
[[ -f "$archive" ]] && cds=(-XX:SharedArchiveFile="$archive" -Xshare:auto)

work="$(mktemp -d "${TMPDIR:-/tmp}/csemu-phases.XXXXXX")"
chmod 755 "$work"
started=""
cleanup() {
  set +e
  [[ -n "$started" ]] && "$csemu" daemon stop --data-dir "$work/data" --timeout 60 --force >&2
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
javac -nowarn -cp "$jar" -d "$work/classes" "$here/Phases.java"
mkdir -m 755 "$work/data"
"$csemu" daemon start --data-dir "$work/data" --port 0 >&2
started=1

# shellcheck disable=SC2086 # the flags are a word list
run() { for ((r = 0; r < rounds; r++)); do java $flags "${cds[@]}" -cp "$jar:$work/classes" Phases "$@"; done; }
median() { # stdin: NAME<TAB>MICROSECONDS lines, ROUNDS of each, in order; stdout: a table row per name
  python3 -c '
import sys, collections
v = collections.OrderedDict()
for line in sys.stdin:
    name, us = line.rstrip("\n").split("\t")
    v.setdefault(name, []).append(int(us) / 1000)
total = 0
for name, xs in v.items():
    xs.sort(); m = xs[len(xs) // 2]; total += m
    print(f"| {name} | {m:.1f} |")
print(f"| **sum of the medians** | **{total:.1f}** |")'
}
echo "csemu CLI phases: $(date -u +%FT%TZ), load average $(cut -d' ' -f1-3 /proc/loadavg), rounds $rounds, jar $jar"
echo "flags: $flags ${cds[*]}"
echo
echo "| phase of \`csemu status\` (no deployment) | median ms |"
echo "|---|---:|"
run status "$work/data" | median
echo
echo "| phase of \`csemu validate\` (largest corpus pair) | median ms |"
echo "|---|---:|"
run validate "$here/corpus/smarx__pythonrole/ServiceDefinition.csdef" \
  "$here/corpus/smarx__pythonrole/ServiceConfiguration.Cloud.cscfg" | median
echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"

#!/usr/bin/env bash
# bench/cli/startup.sh [ROUNDS] — where a short csemu command's time goes, without a VM (docs/benchmarks/cli.md).
# Starts its own daemon on a fresh data directory under ${TMPDIR:-/tmp} on a free port (--port 0) with no deployment,
# then times, in interleaved rounds (every command once per round, so a change of load hits all of them alike):
# a bare JVM start with the client's flags (the floor), `csemu --version`, `status`, `events`, `validate` of the
# largest corpus pair, each through this clone's ./csemu launcher and, with BASELINE=<a directory holding another
# clone's csemu launcher and emulator-cli/target/csemu.jar>, through that one too; the same jar with -Xshare:off
# (no class-data archive at all); and `curl` of the API call behind status and events. Per command: p50/p90 wall
# time, mean and median user+sys CPU time (the steadier figure on a shared machine), and the ratio of the CPU time
# to the floor's. Then, per command, how many classes it loads and how many of them come from the archive
# (-Xlog:class+load). The daemon is stopped by its data directory at the end (also on failure or Ctrl-C) and the
# directory removed. Nothing else is touched: no VM, no /var/lib/csemu.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
rounds="${1:-15}"
csemu="$root/csemu"
jar="$root/emulator-cli/target/csemu.jar"
pair="$here/corpus/smarx__pythonrole"
command -v curl >/dev/null || { echo "bench/cli: curl is needed" >&2; exit 2; }
command -v python3 >/dev/null || { echo "bench/cli: python3 is needed (for the table)" >&2; exit 2; }

"$csemu" --version >&2 # builds the jar and the archive when missing, so that no timed run pays for them
if [[ -n "${BASELINE:-}" ]]; then
  [[ -x "$BASELINE/csemu" && -f "$BASELINE/emulator-cli/target/csemu.jar" ]] \
    || { echo "bench/cli: BASELINE=$BASELINE has no csemu launcher and emulator-cli/target/csemu.jar" >&2; exit 2; }
  "$BASELINE/csemu" --version >&2
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/csemu-startup.XXXXXX")"
chmod 755 "$work" # the daemon checks that the libvirt-qemu user could reach its data directory
data="$work/data"
mkdir -m 755 "$data"
started=""
cleanup() {
  set +e
  [[ -n "$started" ]] && "$csemu" daemon stop --data-dir "$data" --timeout 60 --force >&2
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$csemu" daemon start --data-dir "$data" --port 0 >&2
started=1
port="$(sed -n 's/.*"port" *: *\([0-9]*\).*/\1/p' "$data/daemon.json")"
token="$(cat "$data/api.token")"
api="http://127.0.0.1:$port/api/v1"
csdef="$pair/ServiceDefinition.csdef"
cscfg="$pair/ServiceConfiguration.Cloud.cscfg"

# the client's JVM flags, read from the launcher (one list), for the floor and the -Xshare:off rows
flags="$(sed -n '/^client_jvm_opts=(/{:a;/)/!{N;ba;};p;}' "$csemu" | tr -d '\n' | sed 's/^client_jvm_opts=(//; s/).*//; s/  */ /g')"

# one line per row: LABEL<TAB>COMMAND (run by bash -c)
spec="$work/spec"
row() { printf '%s\t%s\n' "$1" "$2" >> "$spec"; }
row "floor: java -version (client flags)" "java $flags -Xshare:auto -version"
commands=("--version" "status --data-dir $data" "events --data-dir $data" "validate $csdef $cscfg")
names=("--version" "status" "events" "validate")
for i in "${!commands[@]}"; do
  row "${names[$i]}: ./csemu" "$csemu ${commands[$i]}"
  [[ -n "${BASELINE:-}" ]] && row "${names[$i]}: BASELINE ./csemu" "$BASELINE/csemu ${commands[$i]}"
  row "${names[$i]}: -Xshare:off (client flags)" "java $flags -Xshare:off -jar $jar ${commands[$i]}"
done
row "status: curl GET /deployments" "curl -sf -H 'Authorization: Bearer $token' $api/deployments"
row "events: curl GET /events" "curl -sf -H 'Authorization: Bearer $token' '$api/events?since=0&limit=1000'"

mapfile -t lines < "$spec"
echo "csemu CLI start-up bench: $(date -u +%FT%TZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)," \
  "rounds $rounds, commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
echo "java: $(java -version 2>&1 | head -1); client flags: $flags"
for ((r = 0; r < rounds; r++)); do
  for i in "${!lines[@]}"; do
    TIMEFORMAT='%R %U %S'
    code=0
    { time bash -c "${lines[$i]#*$'\t'}" > "$work/out.$i" 2>&1 || code=$?; } 2>> "$work/t.$i"
    echo "rc=$code" >> "$work/rc.$i"
  done
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
echo
python3 - "$work" "$spec" <<'PY'
import sys
work, spec = sys.argv[1], sys.argv[2]
labels = [l.split('\t', 1)[0] for l in open(spec).read().splitlines()]
rows = []
for i, label in enumerate(labels):
    t = [l.split() for l in open(f'{work}/t.{i}').read().splitlines() if l.strip()]
    wall = sorted(float(x[0]) * 1000 for x in t)
    cpu = sorted((float(x[1]) + float(x[2])) * 1000 for x in t)
    codes = sorted(set(open(f'{work}/rc.{i}').read().split()))
    rows.append((label, wall, cpu, ' '.join(c[3:] for c in codes)))
floor = sum(rows[0][2]) / len(rows[0][2])
pct = lambda v, q: v[min(len(v) - 1, int((len(v) - 1) * q + 0.5))]
print('| command | wall p50 ms | wall p90 ms | CPU mean ms | CPU p50 ms | CPU / floor | exit |')
print('|---|---:|---:|---:|---:|---:|---:|')
for label, wall, cpu, codes in rows:
    mean = sum(cpu) / len(cpu)
    print(f'| {label} | {pct(wall, .5):.0f} | {pct(wall, .9):.0f} | {mean:.0f} | {pct(cpu, .5):.0f} | {mean / floor:.1f} | {codes} |')
PY
echo
echo "| command | classes loaded | from the archive | from the jar | other (JDK modules outside the archive; generated: lambda forms, proxies, reflection accessors) |"
echo "|---|---:|---:|---:|---:|"
archive="${jar%.jar}.jsa"
for i in "${!commands[@]}"; do
  # shellcheck disable=SC2086 # the flags and the command line are word lists
  java $flags -XX:SharedArchiveFile="$archive" -Xshare:auto -Xlog:class+load:file="$work/classes" -jar "$jar" \
    ${commands[$i]} > /dev/null 2>&1 || true
  total=$(grep -c 'source:' "$work/classes" || true)
  shared=$(grep -c 'source: shared objects file' "$work/classes" || true)
  fromjar=$(grep -c 'source: file:' "$work/classes" || true)
  echo "| ${names[$i]} | $total | $shared | $fromjar | $((total - shared - fromjar)) |"
done

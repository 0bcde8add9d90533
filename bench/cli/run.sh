#!/usr/bin/env bash
# bench/cli/run.sh [ROUNDS] — how fast the csemu CLI answers (see docs/benchmarks/cli.md).
# p50/p90 wall time (and mean CPU time) of `status`, `events`, `reimage --no-wait` and `validate`, each three ways in
# the same run: through the ./csemu launcher (class-data archive + client JVM flags), as plain `java -jar csemu.jar`
# (no archive, JVM defaults: what the launcher did before), and as `curl` of the same API call on the same port (the
# floor: the daemon's own answer plus a process start). `validate` has no API call; its floor is a bare JVM start.
# BASELINE_JAR=/path/to/older/csemu.jar adds a row for that jar (e.g. one built from an older commit).
# Needs: a host prepared by `./csemu setup` (libvirt, the guest image), root, curl. Starts its own daemon on a fresh
# data directory and a free port with one instance of samples/hello-web; stops it and removes its VM and files at
# the end, also on failure or Ctrl-C. Nothing else is touched.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
rounds="${1:-15}"
reimage_rounds="${REIMAGE_ROUNDS:-5}"
csemu="$root/csemu"
jar="$root/emulator-cli/target/csemu.jar"
csdef="$here/corpus/smarx__pythonrole/ServiceDefinition.csdef"
cscfg="$here/corpus/smarx__pythonrole/ServiceConfiguration.Cloud.cscfg"
command -v curl >/dev/null || { echo "bench/cli: curl is needed" >&2; exit 2; }

# builds the jar and the class-data archive when missing (errors shown), so that no timed run pays for them
"$csemu" --version >&2

data="$(mktemp -d /var/lib/csemu/bcli-XXXX)"
chmod 755 "$data" # the libvirt-qemu user reaches the instance disks through it
work="$(mktemp -d)"
started=""
cleanup() {
  set +e
  if [[ -n "$started" ]]; then
    "$csemu" remove -d fc-bench --data-dir "$data" --timeout 5m >/dev/null 2>&1 || true
    "$csemu" daemon stop --data-dir "$data" --timeout 60 --force >&2
    # a domain of this data directory that survived (the daemon names them after the deployment id)
    for d in $(virsh -c qemu:///system list --all --name 2>/dev/null | grep -F "$(cat "$work/deployment-id" 2>/dev/null || echo no-such)" || true); do
      virsh -c qemu:///system destroy "$d" >/dev/null 2>&1
      virsh -c qemu:///system undefine "$d" --nvram >/dev/null 2>&1 || virsh -c qemu:///system undefine "$d" >/dev/null 2>&1
    done
  fi
  rm -rf "$work" "$data"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cp -r "$root/samples/hello-web" "$work/fc-bench"
sed -i 's/<Instances count="[0-9]*"/<Instances count="1"/' "$work/fc-bench/ServiceConfiguration.cscfg"
"$csemu" daemon start --data-dir "$data" --port 0 >&2
started=1
port="$(sed -n 's/.*"port" *: *\([0-9]*\).*/\1/p' "$data/daemon.json")"
token="$(cat "$data/api.token")"
api="http://127.0.0.1:$port/api/v1"
auth=(-H "Authorization: Bearer $token")
"$csemu" run "$work/fc-bench" --data-dir "$data" --name fc-bench --detach >&2
curl -sf -H "Authorization: Bearer $token" "$api/deployments/fc-bench" \
  | sed -n 's/.*"id" *: *"\([0-9a-f]*\)".*/\1/p' | head -1 > "$work/deployment-id"
instance=WebRole1_IN_0

# wait_ready: the instance is Ready (status, events and validate need no Ready instance; a reimage does)
wait_ready() {
  local deadline=$((SECONDS + ${READY_TIMEOUT:-900}))
  while (( SECONDS < deadline )); do
    "$csemu" status -d fc-bench --data-dir "$data" 2>/dev/null | grep -q "$instance .*Ready" && return 0
    sleep 2
  done
  return 1
}

# wait_idle: the previous round's operation (its id is in what the command printed) has ended and the instance is
# Ready again: a reimage is refused (409) while another one runs
wait_idle() {
  local deadline=$((SECONDS + 900)) op
  op="$(grep -o 'op-[0-9a-f]*' "$work/out" 2>/dev/null | head -1 || true)"
  while (( SECONDS < deadline )); do
    if { [[ -z "$op" ]] || curl -sf "${auth[@]}" "$api/operations/$op" | grep -q '"status" *: *"\(Succeeded\|Failed\)"'; } \
       && "$csemu" status -d fc-bench --data-dir "$data" 2>/dev/null | grep -q "$instance .*Ready"; then
      return 0
    fi
    sleep 1
  done
  echo "bench/cli: $instance did not get back to Ready within 15 min" >&2
  return 1
}

# measure LABEL ROUNDS [--between CMD] -- COMMAND...: one table row: p50, p90 of the wall time, mean user+sys CPU
# time (ms), and the exit code (validate of this pair reports a real error: exit 1 is its right answer)
measure() {
  local label="$1" n="$2" between=""
  shift 2
  if [[ "$1" == "--between" ]]; then between="$2"; shift 2; fi
  [[ "$1" == "--" ]] && shift
  local times="$work/times" cpu="$work/cpu" out="$work/out" code=0
  : > "$times"; : > "$cpu"
  for ((i = 0; i < n; i++)); do
    [[ -n "$between" ]] && $between
    local t0 t1
    t0=$(date +%s%N)
    local TIMEFORMAT='%U %S'
    code=0
    { time "$@" > "$out" 2>&1; } 2>> "$cpu" || code=$?
    if (( code != 0 && code != 1 )); then
      echo "bench/cli: '$*' exited $code:" >&2; cat "$out" >&2; return 1
    fi
    t1=$(date +%s%N)
    echo $(( (t1 - t0) / 1000000 )) >> "$times"
  done
  sort -n "$times" | awk -v label="$label" -v cpufile="$cpu" -v code="$code" '
    { v[NR] = $1 }
    END {
      while ((getline line < cpufile) > 0) { split(line, a, " "); c += a[1] + a[2]; k++ }
      p50 = v[int((NR - 1) * 0.5) + 1]; p90 = v[int((NR - 1) * 0.9 + 0.5) + 1]
      printf "| %-44s | %6d | %6d | %6d | %d |\n", label, p50, p90, (k ? c / k * 1000 : 0), code
    }'
}

plain=(java -jar "$jar")
baseline=()
[[ -n "${BASELINE_JAR:-}" ]] && baseline=(java -jar "$BASELINE_JAR")
rows=()
run_set() { # NAME ROUNDS [--between CMD] -- ARGS... ; CURL... after a literal '::'
  local name="$1" n="$2" between=()
  shift 2
  if [[ "$1" == "--between" ]]; then between=(--between "$2"); shift 2; fi
  local args=() ref=()
  while [[ "$1" != "::" ]]; do args+=("$1"); shift; done
  shift
  ref=("$@")
  measure "csemu $name (launcher)" "$n" "${between[@]}" -- "$csemu" "${args[@]}"
  measure "java -jar csemu.jar $name (no archive, JVM defaults)" "$n" "${between[@]}" -- "${plain[@]}" "${args[@]}"
  if (( ${#baseline[@]} )); then
    measure "BASELINE_JAR $name" "$n" "${between[@]}" -- "${baseline[@]}" "${args[@]}"
  fi
  measure "${ref[0]##*/} (reference) $name" "$n" "${between[@]}" -- "${ref[@]}"
}

{
  echo "csemu CLI bench: $(date -u +%FT%TZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), rounds $rounds (reimage $reimage_rounds)"
  echo "java: $(java -version 2>&1 | head -1)"
  echo
  echo "| command | p50 ms | p90 ms | CPU ms (mean) | exit |"
  echo "|---|---:|---:|---:|---:|"
  run_set status "$rounds" status --data-dir "$data" :: curl -sf "${auth[@]}" "$api/deployments"
  run_set events "$rounds" events --data-dir "$data" :: curl -sf "${auth[@]}" "$api/events?since=0&limit=1000"
  run_set validate "$rounds" validate "$csdef" "$cscfg" :: java -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:CompileThresholdScaling=5 -XX:+UseSerialGC -XX:-UsePerfData -Xshare:auto -version
  if wait_ready; then
    run_set "reimage --no-wait" "$reimage_rounds" --between wait_idle reimage "$instance" --deployment fc-bench --no-wait \
      --data-dir "$data" :: curl -sf -X POST "${auth[@]}" "$api/deployments/fc-bench/instances/$instance/reimage"
  else
    echo "| reimage --no-wait: not measured, $instance was not Ready within ${READY_TIMEOUT:-900} s | | | | |"
  fi
  echo
  echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
}

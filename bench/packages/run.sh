#!/usr/bin/env bash
# Package throughput: `csemu pack` vs `zip -r -6`, and `csemu package inspect` (inflate + SHA-256 of every file,
# all safety checks) vs `unzip -tq` (inflate + CRC-32), on the same generated content, same run, same machine.
# Usage: bench/packages/run.sh [MiB of content, default 128] [repetitions, default 3]
# Results: bench/packages/results/<timestamp>.txt (median wall time of the repetitions).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
mib="${1:-128}"
reps="${2:-3}"
jar="$root/emulator-cli/target/csemu.jar"
. "$root/bench/lib/common.sh"
[[ -f "$jar" ]] || bench_mvn -pl emulator-cli -am package -DskipTests
command -v zip >/dev/null && command -v unzip >/dev/null || { echo "needs zip and unzip (apt-get install zip unzip)" >&2; exit 2; }

work="$(mktemp -d "${TMPDIR:-/tmp}/csemu-bench-pkg.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/content/bin" "$work/content/logs"
# half incompressible (binaries), half text-like (logs): 1 MiB files
for ((i = 0; i < mib / 2; i++)); do head -c 1048576 /dev/urandom > "$work/content/bin/blob$i.bin"; done
for ((i = 0; i < mib / 2; i++)); do
  yes "2026-01-01T00:00:00Z INFO request $i handled in 12 ms path=/api/items/$i status=200" | head -c 1048576 > "$work/content/logs/log$i.txt" || true  # yes ends on SIGPIPE
done
cat > "$work/ServiceDefinition.csdef" <<'XML'
<?xml version="1.0" encoding="utf-8"?>
<ServiceDefinition name="bench" xmlns="http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceDefinition">
  <WorkerRole name="Worker"/>
</ServiceDefinition>
XML

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time_ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }

declare -A result
for ((r = 0; r < reps; r++)); do
  rm -f "$work/a.cspkg" "$work/a.zip"
  result[pack]+="$(time_ms java -jar "$jar" pack "$work/ServiceDefinition.csdef" --role "Worker=$work/content" --out "$work/a.cspkg") "
  result[zip]+="$(cd "$work/content" && time_ms zip -r -q -6 "$work/a.zip" .) "
  result[inspect]+="$(time_ms java -jar "$jar" package inspect "$work/a.cspkg") "
  result[unzip]+="$(time_ms unzip -tq "$work/a.zip") "
done
result[jvm]="$(for ((r = 0; r < reps; r++)); do time_ms java -jar "$jar" --version; done | tr '\n' ' ')"

mkdir -p "$here/results"
out="$here/results/$(date -u +%Y%m%dT%H%M%SZ).txt"
{
  echo "content: $mib MiB in $mib files (half random, half log text); repetitions: $reps; $(nproc) cores; $(java -version 2>&1 | head -1)"
  echo "package bytes: csemu $(stat -c %s "$work/a.cspkg"), zip $(stat -c %s "$work/a.zip")"
  for k in pack zip inspect unzip jvm; do
    printf '%-8s median %6s ms   (runs: %s)\n' "$k" "$(tr ' ' '\n' <<<"${result[$k]}" | grep . | median)" "${result[$k]}"
  done
} | tee "$out"

#!/usr/bin/env bash
# cds-archive.sh JAR ARCHIVE KEY — builds the class-data-sharing archive the ./csemu launcher maps into every run
# (docs/benchmarks/cli.md): a training run (org.csemu.cli.CdsTraining) lists the classes the short commands load, then
# `java -Xshare:dump` writes ARCHIVE for exactly `-cp JAR`. ARCHIVE.key is written last with KEY (what the archive
# was made from), also when dumping fails, so that a host where it cannot work does not retry on every command; the
# launcher uses ARCHIVE only while the key still matches. Everything goes to stderr; never fatal to the command.
set -uo pipefail
jar="$1"
archive="$2"
key="$3"
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/csemu-cds.XXXXXX")" || exit 1
trap 'rm -rf "$work"' EXIT
log="$(dirname "$archive")/csemu-cds.log"
echo "csemu: preparing the class-data archive for fast starts (once per build, a few seconds)..." >&2

# a daemon.json naming this shell (alive) and a port nothing listens on: the client runs up to the refused connect
mkdir -p "$work/data"
printf '{"pid":%d,"processStartTicks":0,"port":1,"url":"http://127.0.0.1:1","version":"training","dataDirectory":"%s"}\n' \
  "$$" "$work/data" > "$work/data/daemon.json"
echo "training-token-not-a-secret" > "$work/data/api.token"

ok=1
java -Xshare:off -XX:DumpLoadedClassList="$work/classes.lst" -cp "$jar" org.csemu.cli.CdsTraining \
  "$work/data" "$home/samples/hello-web/ServiceDefinition.csdef" "$home/samples/hello-web/ServiceConfiguration.cscfg" \
  > "$log" 2>&1 || ok=0
if (( ok )) && java -Xshare:dump -XX:SharedClassListFile="$work/classes.lst" -XX:SharedArchiveFile="$work/csemu.jsa" \
     -cp "$jar" >> "$log" 2>&1; then
  mv -f "$work/csemu.jsa" "$archive"
else
  rm -f "$archive"
  echo "csemu: could not build the class-data archive (see $log); commands run without it" >&2
fi
printf '%s' "$key" > "$archive.key.$$" && mv -f "$archive.key.$$" "$archive.key"

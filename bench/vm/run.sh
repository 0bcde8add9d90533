#!/usr/bin/env bash
# bench/vm/run.sh [ROUNDS] [IMAGE_DIR] — csemu VM benchmark (see docs/benchmarks/vm.md).
# Needs: libvirtd running (./csemu setup), the base image built (samples/images/build-base-image.sh), root.
# Boots real guests (TCG); every domain and file it creates is removed at the end, also on failure.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
rounds="${1:-3}"
image_dir="${2:-/var/lib/csemu/image-cache/csemu-base-latest}"
cd "$root"
cp_file="$(mktemp)"
trap 'rm -f "$cp_file"' EXIT
# one reactor invocation so sibling modules resolve to their target/classes (nothing is installed);
# the last module written is emulator-fabric, whose classpath includes the others
mvn -q -B -o -pl emulator-fabric -am compile org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
    -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=runtime >&2
cp="$root/emulator-fabric/target/classes:$(cat "$cp_file")"
exec java -Xmx256m -Dlogback.configurationFile="$here/logback.xml" -cp "$cp" "$here/VmBench.java" "$rounds" "$image_dir"

#!/usr/bin/env bash
# bench/fabric/run.sh [ROUNDS] [IMAGE_DIR] — csemu fabric benchmark (see docs/benchmarks/fabric.md).
# Deploy-to-Ready of hello-web with 1, 2 and 4 instances, then reboot / reimage / rebuild of one instance, each timed
# from the request to ReadyRole, next to the VM part of each (the guest's own boot: domain started -> Ready, from the
# event log) so the fabric's overhead is visible. Real guests (TCG); every domain and file is removed at the end.
# Needs: libvirtd running (./csemu setup), the base image built (samples/images/build-base-image.sh), root.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
rounds="${1:-1}"
image_dir="${2:-/var/lib/csemu/image-cache/csemu-base-latest}"
cd "$root"
. "$root/bench/lib/common.sh"
cp_file="$(mktemp)"
data_dir="$(mktemp -d /var/lib/csemu/bench-fabric.XXXXXX)"
chmod 755 "$data_dir"   # libvirt-qemu must reach the disks
trap 'rm -f "$cp_file"; rm -rf "$data_dir"' EXIT
bench_mvn -pl emulator-fabric -am compile dependency:build-classpath \
    -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=runtime
cp="$root/emulator-fabric/target/classes:$root/emulator-core/target/classes:$root/emulator-lb/target/classes:$root/schemas/target/classes:$(cat "$cp_file")"
java -Xmx512m -Dlogback.configurationFile="$here/logback.xml" -cp "$cp" "$here/FabricBench.java" \
    "$rounds" "$image_dir" "$data_dir" "$root/samples/hello-web"

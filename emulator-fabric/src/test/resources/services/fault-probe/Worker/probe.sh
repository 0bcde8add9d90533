#!/bin/sh
# lifecycle-probe: the guest's own evidence for the lifecycle contract suite. Counts this boot on the OS disk and in
# the local resources Clean (cleanOnRoleRecycle="true") and Keep ("false"), writes the three counters to
# DIR/state.txt and, with a PORT, serves DIR over http. A counter that went on survived the operation; one back at 1
# was lost (the host tells a wipe from a new disk by the disk file).
# usage: probe.sh [DIR [PORT|-]]   (defaults: /run/csemu-probe 8100, as the image service runs it)
set -eu
dir=${1:-/run/csemu-probe}
port=${2:-8100}
mkdir -p /var/lib/csemu-probe "$dir" /csemu/local/Clean /csemu/local/Keep
count() {
    n=$(cat "$1" 2>/dev/null || echo 0)
    n=$((n + 1))
    echo "$n" >"$1"
    echo "$n"
}
os=$(count /var/lib/csemu-probe/boots)
clean=$(count /csemu/local/Clean/boots)
keep=$(count /csemu/local/Keep/boots)
printf 'os=%s clean=%s keep=%s\n' "$os" "$clean" "$keep" >"$dir/state.txt"
sync
[ "$port" = - ] || exec httpd -f -p "$port" -h "$dir"

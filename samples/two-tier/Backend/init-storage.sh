#!/bin/sh
# Startup task: local storage survives reboot and reimage (cleanOnRoleRecycle="false"); count the boots in it.
set -eu
mkdir -p "$SCRATCH"
boots=$(cat "$SCRATCH/boots" 2>/dev/null || echo 0)
echo $((boots + 1)) > "$SCRATCH/boots"

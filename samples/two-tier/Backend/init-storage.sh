#!/bin/sh
# Startup task: local storage survives reboot and reimage (cleanOnRoleRecycle="false"); count the boots in it.
set -eu
mkdir -p "$SCRATCH"
boots=$(cat "$SCRATCH/boots" 2>/dev/null || echo 0)
echo $((boots + 1)) > "$SCRATCH/boots"
# the Changing handler (see on-changing.sh)
mkdir -p /etc/csemu/changing.d
cp /csemu/approot/on-changing.sh /etc/csemu/changing.d/backend
chmod 0755 /etc/csemu/changing.d/backend

#!/bin/sh
# Counts boots on the OS disk (the overlay) and in local storage, and publishes both on the site.
set -eu
mkdir -p /var/lib/csemu-probe /csemu/local/Keep /csemu/sitesroot/0
os=$(cat /var/lib/csemu-probe/os-boots 2>/dev/null || echo 0)
os=$((os + 1))
echo "$os" > /var/lib/csemu-probe/os-boots
local_boots=$(cat /csemu/local/Keep/boots 2>/dev/null || echo 0)
local_boots=$((local_boots + 1))
echo "$local_boots" > /csemu/local/Keep/boots
printf 'os=%s local=%s\n' "$os" "$local_boots" > /csemu/sitesroot/0/state.txt
sync

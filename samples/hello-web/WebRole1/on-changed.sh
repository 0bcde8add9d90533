#!/bin/sh
# hello-web's RoleEnvironment.Changed handler (the guest agent runs /etc/csemu/changed.d/* after a configuration
# change, with the new settings already in place): render the page again with the new Greeting, no restart.
set -eu
. /csemu/config/csemu/instance.env
GREETING="$(csemu-role setting Greeting)" INSTANCE_ID="$CSEMU_INSTANCE_ID" UPDATE_DOMAIN="$CSEMU_UPDATE_DOMAIN" \
    sh /csemu/approot/make-page.sh

#!/bin/sh
# Startup task of hello-web: writes the site's index page, naming the instance that serves it, and installs the
# role's Changed handler (on-changed.sh), so a new Greeting is shown without a restart.
set -eu
site=/csemu/sitesroot/0
mkdir -p "$site"
cat > "$site/index.html" <<PAGE
<!doctype html>
<html><head><meta charset="utf-8"><title>hello-web</title><link rel="stylesheet" href="style.css"></head>
<body>
<h1>${GREETING}</h1>
<p>served by <b id="instance">${INSTANCE_ID}</b> (update domain ${UPDATE_DOMAIN}, host $(hostname))</p>
</body></html>
PAGE
printf '%s\n' "${INSTANCE_ID}" > "$site/instance.txt"
printf '%s\n' "${GREETING}" > "$site/greeting.txt"
if [ -f /csemu/approot/on-changed.sh ]; then
    mkdir -p /etc/csemu/changed.d
    cp /csemu/approot/on-changed.sh /etc/csemu/changed.d/hello-web
    chmod 0755 /etc/csemu/changed.d/hello-web
fi

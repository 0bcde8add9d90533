#!/bin/sh
# Startup task of hello-web: writes the site's index page, naming the instance that serves it.
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

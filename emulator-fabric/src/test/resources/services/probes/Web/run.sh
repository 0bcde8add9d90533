#!/bin/sh
# Content on 8100 and 8102 (the endpoints), health on 8101 (/health only on _IN_0), a tcp listener on 8103.
mkdir -p /run/probes/content /run/probes/health
echo "$CSEMU_INSTANCE_ID" >/run/probes/content/index.html
case "$CSEMU_INSTANCE_ID" in *_IN_0) echo ok >/run/probes/health/health ;; esac
httpd -p 8101 -h /run/probes/health
httpd -p 8102 -h /run/probes/content
httpd -p 8103 -h /run/probes/content
exec httpd -f -p 8100 -h /run/probes/content

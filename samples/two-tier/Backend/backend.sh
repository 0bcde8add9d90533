#!/bin/sh
# The worker's entry point: serves /cgi-bin/work on the internal endpoint's port.
exec httpd -f -p "${API_PORT}" -h /csemu/approot/www

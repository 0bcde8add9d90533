#!/bin/sh
# The backend's RoleEnvironment.Changing handler: its server read WorkLabel once, at start (a Runtime environment
# variable), so a change of WorkLabel cancels the in-place change (non-zero exit): the fabric recycles the
# instance instead and the server starts again with the new value.
if grep -q '"name":"WorkLabel"' "$1"; then
    echo "WorkLabel changes: asking for a recycle"
    exit 1
fi
exit 0

#!/bin/sh
# The entry point: nothing to do but stay up (the tests read the certificates with exec).
while :; do sleep 3600; done

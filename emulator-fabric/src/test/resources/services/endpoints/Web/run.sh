#!/bin/sh
exec httpd -f -p 20000 -h /csemu/approot

#!/bin/sh
# Http (8097) and Direct (7000) serve /index.html (the instance's id) and /cgi-bin/range; each port of Range
# (7101-7103) serves "<instance> <port>". /cgi-bin/range asks every port of the peer's Range the way a role finds
# it: the role environment lists the peer's Range at <address>:<port> (this guest's proxy to the peer; its own
# Range is at 10.0.2.15:7101), port k of the range is at <port> + k.
www=/run/netrules/www
mkdir -p "$www/cgi-bin"
echo "$CSEMU_INSTANCE_ID" >"$www/index.html"
for p in 7101 7102 7103; do
    mkdir -p "/run/netrules/$p"
    echo "$CSEMU_INSTANCE_ID $p" >"/run/netrules/$p/index.html"
    httpd -p "$p" -h "/run/netrules/$p"
done
cat >"$www/cgi-bin/range" <<'EOF'
#!/bin/sh
env_doc=/csemu/config/csemu/RoleEnvironment.xml
endpoint=$(grep -o '<Endpoint [^>]*name="Range"[^>]*>' "$env_doc" | grep -v 'port="7101"' | head -n 1)
address=$(printf '%s' "$endpoint" | sed -n 's/.*address="\([^"]*\)".*/\1/p')
port=$(printf '%s' "$endpoint" | sed -n 's/.*port="\([^"]*\)".*/\1/p')
printf 'Content-Type: text/plain\r\n\r\n'
for k in 0 1 2; do
    printf 'GET /index.html HTTP/1.0\r\n\r\n' | nc -w 5 "$address" $((port + k)) | sed '1,/^\r*$/d' | grep . ||
        echo "no answer from $address:$((port + k))"
done
EOF
chmod +x "$www/cgi-bin/range"
httpd -p 7000 -h "$www"
exec httpd -f -p 8097 -h "$www"

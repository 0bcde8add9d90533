#!/bin/sh
# Http (8097) and Direct (7000) serve /index.html (the instance's id) and /cgi-bin/range; each port of Range
# (7101-7103) serves "<instance> <port>". /cgi-bin/range asks every port of the peer's Range the way a role finds
# it: the role environment lists the peer's Range at 10.0.2.2:<port>, port k of the range is at <port> + k.
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
endpoint=$(grep -o '<Endpoint [^>]*name="Range"[^>]*>' "$env_doc" | grep 'address="10.0.2.2"' | head -n 1)
port=$(printf '%s' "$endpoint" | sed -n 's/.*port="\([^"]*\)".*/\1/p')
printf 'Content-Type: text/plain\r\n\r\n'
for k in 0 1 2; do
    printf 'GET /index.html HTTP/1.0\r\n\r\n' | nc -w 5 10.0.2.2 $((port + k)) | sed '1,/^\r*$/d' | grep . ||
        echo "no answer from 10.0.2.2:$((port + k))"
done
EOF
chmod +x "$www/cgi-bin/range"
httpd -p 7000 -h "$www"
exec httpd -f -p 8097 -h "$www"

# Sourced by run.sh and cpu-per-request.sh: the HAProxy reference both measure against, written in one place so
# the two scripts can never compare csemu with different HAProxy setups.
# write_haproxy_config FILE VIP_PORT BACKEND1_PORT BACKEND2_PORT : TCP mode, one thread, round robin, loopback only.
write_haproxy_config() {
    cat > "$1" <<CONF
global
  nbthread 1
  maxconn 4096
defaults
  mode tcp
  timeout connect 5s
  timeout client 60s
  timeout server 60s
frontend vip
  bind 127.0.0.1:$2
  default_backend nginx
backend nginx
  balance roundrobin
  server s1 127.0.0.1:$3
  server s2 127.0.0.1:$4
CONF
}

#!/usr/bin/env bash
# Proxy CPU time per request: csemu's LB vs HAProxy (TCP mode, one thread) in front of the same two nginx backends.
# For each mode (one connection per request, keep-alive) and proxy: utime+stime of the proxy process, from
# /proc/<pid>/stat, across one bounded wrk run, divided by the requests served. Less sensitive to a noisy shared
# machine than requests/s. Needs what run.sh installs. Loopback only; stops what it started, by PID.
# CSEMU_TRANSPORT=io_uring|epoll|nio forces csemu's transport (default: its own choice).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
. "$ROOT/bench/lb/haproxy-config.sh"
. "$ROOT/bench/lib/common.sh"
bench_need wrk wrk
bench_need haproxy haproxy
bench_need nginx nginx-light
DURATION="${DURATION:-4}"
WORK="$(mktemp -d /tmp/csemu-bench-lb-cpu.XXXXXX)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_port() { for _ in $(seq 1 200); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.05; done; return 1; }
B1=$(free_port); B2=$(free_port); HA=$(free_port); CS=$(free_port)
cat > "$WORK/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $WORK/nginx.pid;
error_log $WORK/error.log warn;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 1000000;
  client_body_temp_path $WORK; proxy_temp_path $WORK; fastcgi_temp_path $WORK; uwsgi_temp_path $WORK; scgi_temp_path $WORK;
  server { listen 127.0.0.1:$B1; location / { return 200 "ok\n"; } }
  server { listen 127.0.0.1:$B2; location / { return 200 "ok\n"; } } }
CONF
write_haproxy_config "$WORK/haproxy.cfg" "$HA" "$B1" "$B2"
"$(command -v nginx || echo /usr/sbin/nginx)" -c "$WORK/nginx.conf" -p "$WORK" & PIDS+=($!)
"$(command -v haproxy || echo /usr/sbin/haproxy)" -db -f "$WORK/haproxy.cfg" >"$WORK/haproxy.log" 2>&1 & HP=$!; PIDS+=($HP)
bench_mvn -pl emulator-lb -am test-compile dependency:build-classpath \
   -Dmdep.outputFile="$WORK/cp.txt" -Dmdep.includeScope=test
CP="$ROOT/emulator-lb/target/test-classes:$ROOT/emulator-lb/target/classes:$(cat "$WORK/cp.txt")"
java ${CSEMU_JVM-$(sed -n 's/^daemon_jvm_opts="\(.*\)"$/\1/p' "$ROOT/csemu")} \
  ${CSEMU_TRANSPORT:+-Dcsemu.lb.transport=$CSEMU_TRANSPORT} -cp "$CP" \
  org.csemu.lb.bench.LbBenchMain "$CS" 1 "$B1" "$B2" >"$WORK/csemu.log" 2>&1 & JP=$!; PIDS+=($JP)
wait_port "$B1"; wait_port "$HA"; wait_port "$CS"
{ grep -m1 READY "$WORK/csemu.log" || true; } >&2; echo "load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
wrk -t1 -c32 -d5s "http://127.0.0.1:$CS/" >/dev/null                        # JIT warm-up, discarded
wrk -t1 -c32 -d8s -H 'Connection: close' "http://127.0.0.1:$CS/" >/dev/null  # the connection path compiles later
HZ=$(getconf CLK_TCK)
cpu() { awk '{print $14, $15}' "/proc/$1/stat"; }
for mode in close keepalive; do
  for t in "csemu $JP $CS" "haproxy $HP $HA"; do
    set -- $t
    hdr=(); [ "$mode" = close ] && hdr=(-H 'Connection: close')
    read -r u0 s0 <<<"$(cpu "$2")"
    n=$(wrk -t1 -c32 -d"${DURATION}s" "${hdr[@]}" "http://127.0.0.1:$3/" | awk '/requests in/ {print $1}')
    read -r u1 s1 <<<"$(cpu "$2")"
    awk -v n="$n" -v u=$((u1-u0)) -v s=$((s1-s0)) -v hz="$HZ" -v name="$1" -v m="$mode" 'BEGIN {
      printf "%-8s %-9s %7d requests  %6.1f us CPU/request (user %5.1f, kernel %5.1f)\n",
             name, m, n, (u+s)/hz*1e6/n, u/hz*1e6/n, s/hz*1e6/n }'
  done
done

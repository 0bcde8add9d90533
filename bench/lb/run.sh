#!/usr/bin/env bash
# csemu VIP load balancer vs HAProxy (TCP mode, one thread), both in front of the same two nginx `return 200`
# backends, measured with wrk in the same run: direct, via HAProxy, via csemu; keep-alive and one connection per
# request. Loopback only, every load run bounded in time. Stops everything it started, by PID.
#
#   bench/lb/run.sh                 # 5 rounds, 4 s per measurement, after 31 s warm-up per proxy (about 3.5 minutes)
#   ROUNDS=2 DURATION=6 PIN=none LB_LOOPS=2 bench/lb/run.sh   # variants (see docs/benchmarks/lb.md)
#   CSEMU_TRANSPORT=epoll bench/lb/run.sh                       # force csemu's transport: io_uring, epoll or nio
#
# Core split on this 2-core machine (the same for every target): wrk on CPU 0, backends and the proxy under test on
# CPU 1 (`taskset`). Targets alternate within each round so drift in the shared machine's load hits all of them.
set -euo pipefail
export LC_ALL=C

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
. "$ROOT/bench/lb/haproxy-config.sh"
. "$ROOT/bench/lib/common.sh"
ROUNDS="${ROUNDS:-5}"
DURATION="${DURATION:-4}"
CONNS="${CONNS:-32}"
WARMUP="${WARMUP:-10}"
WARMUP_CLOSE="${WARMUP_CLOSE:-15}"
LOOPS="${LB_LOOPS:-1}"
MODES="${MODES:-keepalive close}"
# JVM flags of the csemu process: by default exactly the daemon's, as the ./csemu launcher sets them
CSEMU_JVM="${CSEMU_JVM-$(sed -n 's/^daemon_jvm_opts="\(.*\)"$/\1/p' "$ROOT/csemu")}"
CSEMU_TRANSPORT="${CSEMU_TRANSPORT:-}"  # io_uring|epoll|nio: forces csemu's transport (default: its own choice)
JAVA_OPTS="${JAVA_OPTS:-}"  # extra flags for experiments (GC/JIT logging), appended
LOG_DIR="${LOG_DIR:-}"  # when set: keep csemu's log there, with each window's wall-clock times and per-thread CPU
PIN="${PIN:-split}"   # split: wrk on CLIENT_CPU, servers on SERVER_CPU; none: no pinning
CLIENT_CPU="${CLIENT_CPU:-0}"
SERVER_CPU="${SERVER_CPU:-1}"
WORK="$(mktemp -d /tmp/csemu-bench-lb.XXXXXX)"
PIDS=()

cleanup() {
  for pid in "${PIDS[@]:-}"; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]:-}"; do
    [ -n "$pid" ] && wait "$pid" 2>/dev/null || true
  done
  [ -n "$LOG_DIR" ] && cp "$WORK"/csemu.log "$LOG_DIR"/ 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM
[ -n "$LOG_DIR" ] && mkdir -p "$LOG_DIR"

bench_need wrk wrk
bench_need haproxy haproxy
bench_need nginx nginx-light
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
HAPROXY="$(command -v haproxy || echo /usr/sbin/haproxy)"

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
wait_port() { # port
  for _ in $(seq 1 200); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.05
  done
  echo "port $1 did not open" >&2; cat "$WORK"/nginx/error.log "$WORK"/*.log >&2 2>/dev/null; return 1
}

if [ "$PIN" = split ]; then SRV="taskset -c $SERVER_CPU"; CLI="taskset -c $CLIENT_CPU"; else SRV=""; CLI=""; fi
B1=$(free_port); B2=$(free_port); HA=$(free_port); CS=$(free_port)

# ---- backends: nginx, one worker, `return 200` on two loopback ports ----
mkdir -p "$WORK/nginx"
cat > "$WORK/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path $WORK/nginx;
  proxy_temp_path $WORK/nginx;
  fastcgi_temp_path $WORK/nginx;
  uwsgi_temp_path $WORK/nginx;
  scgi_temp_path $WORK/nginx;
  server { listen 127.0.0.1:$B1 reuseport; location / { return 200 "ok\n"; } }
  server { listen 127.0.0.1:$B2 reuseport; location / { return 200 "ok\n"; } }
}
CONF
$SRV "$NGINX" -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" &
PIDS+=($!)
wait_port "$B1"; wait_port "$B2"

# ---- HAProxy: TCP mode, one thread ----
write_haproxy_config "$WORK/haproxy.cfg" "$HA" "$B1" "$B2"
$SRV "$HAPROXY" -db -f "$WORK/haproxy.cfg" >"$WORK/haproxy.log" 2>&1 &
PIDS+=($!)
wait_port "$HA"

# ---- csemu: the bench main from emulator-lb's test classes, fixed heap ----
bench_mvn -pl emulator-lb -am test-compile dependency:build-classpath \
   -Dmdep.outputFile="$WORK/cp.txt" -Dmdep.includeScope=test
CP="$ROOT/emulator-lb/target/test-classes:$ROOT/emulator-lb/target/classes:$(cat "$WORK/cp.txt")"
$SRV java $CSEMU_JVM $JAVA_OPTS ${CSEMU_TRANSPORT:+-Dcsemu.lb.transport=$CSEMU_TRANSPORT} -cp "$CP" org.csemu.lb.bench.LbBenchMain \
  "$CS" "$LOOPS" "$B1" "$B2" >"$WORK/csemu.log" 2>&1 &
CSPID=$!
PIDS+=($CSPID)
wait_port "$CS"
grep -m1 READY "$WORK/csemu.log" >&2 || true
echo "csemu JVM flags: ${CSEMU_JVM:-(none)} $JAVA_OPTS; load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2

WRK=($CLI wrk -t1 -c"$CONNS" --latency)
to_ms() { # wrk latency like 512.00us / 1.20ms / 1.01s
  awk -v v="$1" 'BEGIN { n=v+0; if (v ~ /us$/) n/=1000; else if (v ~ /ms$/) n=n; else if (v ~ /s$/) n*=1000; printf "%.3f", n }'
}
measure() { # name port mode(keepalive|close) -> appends "name mode rps p50 p99" to results
  local hdr=()
  [ "$3" = close ] && hdr=(-H 'Connection: close')
  local out t0
  t0=$(date -u +%H:%M:%S.%3N)
  [ -n "$LOG_DIR" ] && [ "$1" = csemu ] && thread_cpu >"$WORK/threads.before"
  out=$("${WRK[@]}" -d"${DURATION}s" "${hdr[@]}" "http://127.0.0.1:$2/" 2>&1)
  local rps p50 p99 errs
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(to_ms "$(awk '$1=="50%" {print $2}' <<<"$out")")
  p99=$(to_ms "$(awk '$1=="99%" {print $2}' <<<"$out")")
  errs=$(awk '/Socket errors|Non-2xx/ {print}' <<<"$out" | tr '\n' ' ')
  printf '%-8s %-9s %10.0f %8s %8s %s\n' "$1" "$3" "$rps" "$p50" "$p99" "$errs" | tee -a "$WORK/results.txt" >&2
  if [ -n "$LOG_DIR" ]; then
    echo "$t0-$(date -u +%H:%M:%S.%3N) $1 $3 $rps $p50 $p99 load $(cut -d' ' -f1-3 /proc/loadavg)" >>"$LOG_DIR/windows.txt"
    if [ "$1" = csemu ]; then # CPU ticks per csemu thread during the window (threads that used any)
      thread_cpu | join - "$WORK/threads.before" | awk -v w="$t0 $3" '$2-$3>0 {printf "%s %s %d ticks\n", w, $1, $2-$3}' \
        >>"$LOG_DIR/threads.txt"
    fi
  fi
}
thread_cpu() { # "<thread-name> <utime+stime ticks>" per thread of the csemu process, sorted by name
  for t in /proc/"$CSPID"/task/*; do
    awk '{ match($0, /\(.*\)/); name = substr($0, RSTART + 1, RLENGTH - 2); gsub(/ /, "_", name);
           split(substr($0, RSTART + RLENGTH + 1), f, " "); print name "#" FILENAME, f[12] + f[13] }' "$t/stat" 2>/dev/null
  done | sed 's#/proc/[0-9]*/task/\([0-9]*\)/stat#\1#' | sort
}

# The same warm-up for both proxies (csemu needs it for the JIT; HAProxy gets it too so neither starts cold)
echo "warming up csemu and haproxy (${WARMUP}s keep-alive + ${WARMUP_CLOSE}s close + 3 s of each again, discarded)" >&2
# Then 3 s of each mode again: the close phase re-profiles code the keep-alive path shares, and without the second
# keep-alive phase C2 recompiles it during the first measured keep-alive window (up to 180 ms of compiler CPU on the
# proxy's core, docs/benchmarks/lb.md).
for p in $CS $HA; do
  "${WRK[@]}" -d"${WARMUP}s" "http://127.0.0.1:$p/" >/dev/null
  "${WRK[@]}" -d"${WARMUP_CLOSE}s" -H 'Connection: close' "http://127.0.0.1:$p/" >/dev/null
  "${WRK[@]}" -d3s "http://127.0.0.1:$p/" >/dev/null
  "${WRK[@]}" -d3s -H 'Connection: close' "http://127.0.0.1:$p/" >/dev/null
done
# A young JVM copies its start-up objects between the survivor spaces in every young collection until they are 15
# collections old (~4 ms pauses instead of ~0.3 ms, docs/benchmarks/lb.md); a daemon that has been up for a few
# minutes is past that. One full collection after the warm-up puts csemu in that state.
if command -v jcmd >/dev/null 2>&1; then jcmd "$CSPID" GC.run >/dev/null; else echo "jcmd missing: csemu measured young" >&2; fi

printf '%-8s %-9s %10s %8s %8s\n' target mode 'req/s' 'p50 ms' 'p99 ms' >&2
for r in $(seq 1 "$ROUNDS"); do
  echo "round $r" >&2
  if [ $((r % 2)) -eq 1 ]; then order="direct haproxy csemu"; else order="csemu haproxy direct"; fi
  for mode in $MODES; do
    for t in $order; do
      case $t in direct) p=$B1 ;; haproxy) p=$HA ;; csemu) p=$CS ;; esac
      measure "$t" "$p" "$mode"
    done
  done
done

median() { sort -g | awk '{v[NR]=$1} END {if (NR%2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }
summary() { # target mode -> "median_rps median_p50 median_p99" over the rounds (robust to a noisy neighbour's burst)
  local rows; rows=$(awk -v t="$1" -v m="$2" '$1==t && $2==m' "$WORK/results.txt")
  printf '%.0f %.3f %.3f' "$(awk '{print $3}' <<<"$rows" | median)" "$(awk '{print $4}' <<<"$rows" | median)" \
    "$(awk '{print $5}' <<<"$rows" | median)"
}
echo >&2
echo "median of $ROUNDS rounds (wrk -t1 -c$CONNS -d${DURATION}s; pinning $PIN: wrk CPU $CLIENT_CPU, nginx+proxy CPU $SERVER_CPU; csemu loops $LOOPS):" >&2
for mode in $MODES; do
  for t in direct haproxy csemu; do
    read -r rps p50 p99 <<<"$(summary "$t" "$mode")"
    printf '  %-8s %-9s %8s req/s  p50 %7s ms  p99 %7s ms\n' "$t" "$mode" "$rps" "$p50" "$p99" >&2
  done
done
ratio() { # mode field(1 rps, 3 p99)
  read -r c1 _ c3 <<<"$(summary csemu "$1")"; read -r h1 _ h3 <<<"$(summary haproxy "$1")"
  if [ "$2" = 1 ]; then awk -v a="$c1" -v b="$h1" 'BEGIN{printf "%.2f", a/b}'; else awk -v a="$c3" -v b="$h3" 'BEGIN{printf "%.2f", a/b}'; fi
}
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
best_p99() { # target mode -> the lowest p99 over the rounds: the round least disturbed by the neighbours
  awk -v t="$1" -v m="$2" '$1==t && $2==m {print $5}' "$WORK/results.txt" | sort -g | head -1
}
echo "p99 ratio csemu/haproxy, quietest round of each: $(awk -v a="$(best_p99 csemu keepalive)" -v b="$(best_p99 haproxy keepalive)" 'BEGIN{printf "%.2f", a/b}') (keep-alive) $(awk -v a="$(best_p99 csemu close)" -v b="$(best_p99 haproxy close)" 'BEGIN{printf "%.2f", a/b}') (close)"
echo "p99 ratio csemu/haproxy: $(ratio keepalive 3) (keep-alive) $(ratio close 3) (close)"
echo "throughput ratio csemu/haproxy: $(ratio keepalive 1) (keep-alive) $(ratio close 1) (close)"

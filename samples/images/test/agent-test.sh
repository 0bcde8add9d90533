#!/bin/sh
# Host-side tests of the csemu guest agent, run under busybox sh with busybox applets first on PATH (as in the
# guest). They cover what a boot cannot show cheaply: JSON escaping of hostile strings, the host-message parser,
# acks and hook vetoes, the first-boot answer file, startup-task failure, role-code commands. The guest itself is
# proven by samples/images/smoke-test.sh.
#
# usage: busybox sh samples/images/test/agent-test.sh      (exit 0 when every test passes)
# Starts only its own processes (in its own sessions) and kills them by pid on exit.
set -u
here="$(cd "$(dirname "$0")" && pwd)"
agent="$here/../agent/csemu-agent"
role="$here/../agent/csemu-role"
busybox="${BUSYBOX:-/bin/busybox}"; [ -x "$busybox" ] || { echo "agent-test: $busybox is missing (apt-get install busybox-static)" >&2; exit 1; }
tmp="$(mktemp -d /tmp/csemu-agent-test.XXXXXX)"
mkdir -p "$tmp/bin"
# AGENT_TEST_DISTRO_TOOLS=1 runs against the host's own tools (dash, GNU coreutils, mawk/gawk): a normal distribution.
[ -n "${AGENT_TEST_DISTRO_TOOLS:-}" ] || for a in $("$busybox" --list); do ln -s "$busybox" "$tmp/bin/$a"; done
cp "$role" "$tmp/bin/csemu-role" && chmod +x "$tmp/bin/csemu-role"
PATH="$tmp/bin:$PATH"
export PATH
pids=""
cleanup() {
    for p in $pids; do kill -KILL "-$p" 2>/dev/null; kill -KILL "$p" 2>/dev/null; done
    for f in "$tmp"/*/root/run/csemu/services/*.pid "$tmp"/*/root/run/csemu/tasks/*.pid; do
        [ -f "$f" ] && kill -KILL "-$(cat "$f")" 2>/dev/null
    done
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

failures=0
tests=0
pass() { tests=$((tests + 1)); echo "ok   $1"; }
fail() { tests=$((tests + 1)); failures=$((failures + 1)); echo "FAIL $1"; [ -n "${2:-}" ] && printf '     %s\n' "$2"; }
expect_eq() { if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "expected: $3
     got:      $2"; fi; }

# wait_for SECONDS FILE PATTERN : poll until FILE has a line matching the grep -E PATTERN
wait_for() {
    _n=0
    while ! grep -qE "$3" "$2" 2>/dev/null; do
        _n=$((_n + 1)); [ "$_n" -gt $(($1 * 20)) ] && return 1
        sleep 0.05
    done
}

# --- library mode: JSON ---------------------------------------------------------------------------------------
# Library mode only defines functions; every path is under the test's root.
CSEMU_AGENT_ROOT="$tmp/lib/root" CSEMU_AGENT_SYS="$tmp/lib/sys" CSEMU_AGENT_CONSOLE="$tmp/lib/console" CSEMU_AGENT_LIB=1
CSEMU_AGENT_SHELL_TTY="$tmp/lib/no-hvc0"
export CSEMU_AGENT_ROOT CSEMU_AGENT_SYS CSEMU_AGENT_CONSOLE CSEMU_AGENT_LIB CSEMU_AGENT_SHELL_TTY
. "$agent"

out="$(json_body task command:s='a "q" \ b' exitCode:n=-3 bad:n=12x ok:b=true no:b=maybe raw:j='{"k":[1,2]}' empty:j=)"
expect_eq "json: quotes, backslash, numbers, booleans, raw" "$out" \
    '"type":"task","command":"a \"q\" \\ b","exitCode":-3,"bad":null,"ok":true,"no":false,"raw":{"k":[1,2]},"empty":null'

tailv="$(printf 'l1\nl2\ttab\001ctl\033[0m\r\n\377bad \303\251 \342\202\254 \360\237\230\200 \300\257')"
out="$(json_body task outputTail:s="$tailv")"
expect_eq "json: control characters, invalid UTF-8 -> U+FFFD, valid multibyte kept" "$out" \
    "\"type\":\"task\",\"outputTail\":\"l1\\nl2\\ttab\\u0001ctl\\u001b[0m\\r\\n\\ufffdbad $(printf '\303\251') $(printf '\342\202\254') $(printf '\360\237\230\200') \\ufffd\\ufffd\""

long="$(awk 'BEGIN { for (i = 0; i < 3000; i++) printf "%c", 1 }')x"
out="$(json_body task outputTail:t="$long")"
len=${#out}
case "$out" in
    *'\u0001x"') if [ "$len" -le 2700 ]; then pass "json: outputTail keeps the tail, bounded ($len bytes), no cut escape"
                 else fail "json: outputTail bounded" "length $len"; fi ;;
    *) fail "json: outputTail keeps the tail" "$(printf '%.80s' "$out")" ;;
esac
case "$out" in *'"outputTail":"\u0001'*) pass "json: outputTail starts on a whole escape" ;; *) fail "json: outputTail starts on a whole escape" "$(printf '%.60s' "$out")" ;; esac

expect_eq "json: string literal" "$(json_string 'x"y')" '"x\"y"'

if command -v python3 >/dev/null 2>&1; then
    if printf '{%s}\n' "$(json_body log message:s="$tailv" tail:t="$long")" | python3 -c 'import json,sys; json.loads(sys.stdin.read())' 2>/dev/null; then
        pass "json: python3 parses the escaped output"
    else
        fail "json: python3 parses the escaped output"
    fi
fi

# --- library mode: host message parsing -------------------------------------------------------------------------
eval "$(json_fields '{"v":1,"roles":{"type":"nested","id":"inner"},"type":"topology","id":"t-1"}' type id v)"
expect_eq "parse: top-level keys only" "$J_type|$J_id|$J_v" '"topology"|"t-1"|1'
J_type="" J_id=""
eval "$(json_fields ' { "id" : "a\"}b" , "type":"changed", "changes":[{"kind":"setting","name":"x}"}] } ' type id)"
expect_eq "parse: escaped quotes and braces inside strings" "$J_type|$J_id" '"changed"|"a\"}b"'
J_id=""
eval "$(json_fields '{"type":"stopping","id":42,"then":"reboot"}' id then)"
expect_eq "parse: numeric id, then" "$J_id|$J_then" '42|"reboot"'
if json_fields 'not json' type >/dev/null; then fail "parse: rejects a non-object"; else pass "parse: rejects a non-object"; fi
if json_fields '{"type":"x",' type >/dev/null; then fail "parse: rejects a truncated object"; else pass "parse: rejects a truncated object"; fi
J_evil=""
eval "$(json_fields "{\"type\":\"x'; touch $tmp/pwned; '\"}" type)"
[ -e "$tmp/pwned" ] && fail "parse: values are shell-quoted" || pass "parse: values are shell-quoted"

# --- library mode: acks through the writer ---------------------------------------------------------------------
t="$tmp/lib"
mkdir -p "$RUN" "$LOGDIR" "$HOOKS/changing.d"
mkfifo "$OUT_FIFO"
BOOT_ID=test-boot
: >"$t/port"
exec 3>>"$t/port"
setsid sh -c '. "$1"; BOOT_ID=test-boot; writer' writer "$agent" 3>>"$t/port" &
pids="$pids $!"
handle_host_message '{"v":1,"type":"changing","id":"c-1","changes":[{"kind":"setting","name":"Greeting"}]}'
wait_for 5 "$t/port" '"id":"c-1"' || true
expect_eq "ack: changing without hooks is not cancelled" "$(grep '"c-1"' "$t/port")" \
    '{"v":1,"boot":"test-boot","seq":1,"type":"ack","id":"c-1","cancel":false}'
printf '#!/bin/sh\nexit 1\n' >"$HOOKS/changing.d/veto" && chmod +x "$HOOKS/changing.d/veto"
handle_host_message '{"v":1,"type":"changing","id":"c-2","changes":[]}'
wait_for 5 "$t/port" '"id":"c-2"' || true
expect_eq "ack: a failing changing.d hook cancels (recycle instead)" "$(grep '"c-2"' "$t/port")" \
    '{"v":1,"boot":"test-boot","seq":2,"type":"ack","id":"c-2","cancel":true}'
handle_host_message '{"v":1,"type":"topology","id":"t-9","roles":{"Web":[]}}'
wait_for 5 "$t/port" '"id":"t-9"' || true
expect_eq "ack: topology, message kept for role code" "$(grep '"t-9"' "$t/port")|$(cat "$RUN/topology.json")" \
    '{"v":1,"boot":"test-boot","seq":3,"type":"ack","id":"t-9"}|{"v":1,"type":"topology","id":"t-9","roles":{"Web":[]}}'
# changed: the host rewrote the drive in place (same size); the agent replaces its csemu/ copy before the hooks
# run (they see the new value) and leaves approot, which role code runs from, alone
mkdir -p "$t/drv/csemu/answer" "$t/drv/approot" "$SYS/block/vdb" "$R/dev" "$CONFIG/approot" "$HOOKS/changed.d"
echo csemu-config >"$SYS/block/vdb/serial"
echo 1 >"$t/drv/csemu/version"
printf "CSEMU_SETTING_COUNT='1'\nCSEMU_SETTING_0_NAME='Greeting'\nCSEMU_SETTING_0_VALUE='new value'\n" >"$t/drv/csemu/answer/settings.env"
echo "drive approot" >"$t/drv/approot/app.sh"
tar -cf "$R/dev/vdb" -C "$t/drv" csemu approot && truncate -s 1M "$R/dev/vdb"
mkdir -p "$DRIVE/answer"
printf "CSEMU_SETTING_COUNT='1'\nCSEMU_SETTING_0_NAME='Greeting'\nCSEMU_SETTING_0_VALUE='old value'\n" >"$DRIVE/answer/settings.env"
echo "running approot" >"$CONFIG/approot/app.sh"
printf '#!/bin/sh\ncat "%s/answer/settings.env" >"%s/hook-saw"\n' "$DRIVE" "$t" >"$HOOKS/changed.d/record" && chmod +x "$HOOKS/changed.d/record"
handle_host_message '{"v":1,"type":"changed","id":"g-1","changes":[{"kind":"setting","name":"Greeting"}]}'
wait_for 5 "$t/port" '"id":"g-1"' || true
expect_eq "changed: acknowledged after the hooks" "$(grep '"g-1"' "$t/port")" \
    '{"v":1,"boot":"test-boot","seq":4,"type":"ack","id":"g-1"}'
expect_eq "changed: settings refreshed from the drive before the hooks ran" \
    "$(grep -c 'new value' "$DRIVE/answer/settings.env")|$(grep -c 'new value' "$t/hook-saw" 2>/dev/null)" '1|1'
expect_eq "changed: approot of the running role untouched" "$(cat "$CONFIG/approot/app.sh")" "running approot"
handle_host_message 'garbage'
handle_host_message '{"type":"frobnicate","id":"f-1"}'
wait_for 5 "$t/port" '"id":"f-1"' && pass "ack: unknown types are acknowledged" || fail "ack: unknown types are acknowledged"
grep -q '"type":"log","level":"warn","message":"ignored a host line that is not a JSON object: garbage"' "$t/port" &&
    pass "log: a bad host line is reported as a log message" || fail "log: a bad host line is reported" "$(cat "$t/port")"
# exec: the base64 command runs (elevated: as this user), every output line then the exit code, in order
handle_host_message '{"v":1,"type":"exec","id":"x-1","command64":"'"$(printf 'echo "a \\"quoted\\" line"; echo err >&2; exit 5' | base64 | tr -d '\n')"'","elevated":true}'
wait_for 5 "$t/port" '"id":"x-1","exitCode"' || true
expect_eq "exec: ack, output lines (stderr too), then the exit code" \
    "$(grep '"x-1"' "$t/port" | sed -E 's/"seq":[0-9]+,//')" \
    '{"v":1,"boot":"test-boot","type":"ack","id":"x-1"}
{"v":1,"boot":"test-boot","type":"exec","id":"x-1","output":"a \"quoted\" line"}
{"v":1,"boot":"test-boot","type":"exec","id":"x-1","output":"err"}
{"v":1,"boot":"test-boot","type":"exec","id":"x-1","exitCode":5}'
handle_host_message '{"v":1,"type":"exec","id":"x-2","command64":"%%%","elevated":true}'
wait_for 5 "$t/port" '"id":"x-2","exitCode"' || true
expect_eq "exec: a command that is not base64 is refused with 126" "$(grep -c '"id":"x-2","exitCode":126' "$t/port")" 1
stdin64="$(printf 'line one\nline "two"\n\001bin' | base64 | tr -d '\n')"
handle_host_message '{"v":1,"type":"exec","id":"x-3","command64":"'"$(printf 'wc -c; exit 4' | base64 | tr -d '\n')"'","stdin64":"'"$stdin64"'"}'
wait_for 5 "$t/port" '"id":"x-3","exitCode"' || true
expect_eq "exec: stdin64 is the command's stdin, byte for byte" \
    "$(grep '"x-3"' "$t/port" | grep -v ack | sed -E 's/"seq":[0-9]+,//; s/"output":" *([0-9]+)"/"output":"\1"/')" \
    '{"v":1,"boot":"test-boot","type":"exec","id":"x-3","output":"24"}
{"v":1,"boot":"test-boot","type":"exec","id":"x-3","exitCode":4}'
expect_eq "exec: the stdin file is removed afterwards" "$(ls "$RUN" | grep -c '\.in$')" 0
handle_host_message '{"v":1,"type":"exec","id":"x-4","command64":"'"$(printf 'cat' | base64 | tr -d '\n')"'","stdin64":"%%%"}'
wait_for 5 "$t/port" '"id":"x-4","exitCode"' || true
expect_eq "exec: stdin that is not base64 is refused with 126" "$(grep -c '"id":"x-4","exitCode":126' "$t/port")" 1
# shell: without the virtio console the host is told why, with 126 (the terminal itself is proven in real VMs)
handle_host_message '{"v":1,"type":"shell","id":"s-1","elevated":true,"rows":30,"cols":100}'
wait_for 5 "$t/port" '"id":"s-1","exitCode"' || true
expect_eq "shell: no terminal device -> the reason, then 126" \
    "$(grep '"s-1"' "$t/port" | sed -E 's/"seq":[0-9]+,//')" \
    '{"v":1,"boot":"test-boot","type":"ack","id":"s-1"}
{"v":1,"boot":"test-boot","type":"exec","id":"s-1","output":"csemu-agent: this guest has no terminal for csemu shell (a virtio console '"$CSEMU_AGENT_SHELL_TTY"' with '"'csemu-agent terminal'"' on it)"}
{"v":1,"boot":"test-boot","type":"exec","id":"s-1","exitCode":126}'
handle_host_message '{"v":1,"type":"shell-close","id":"s-2"}'
wait_for 5 "$t/port" '"id":"s-2"' && pass "shell-close: acknowledged without a terminal" || fail "shell-close: acknowledged"
# hang-up: a session on a terminal (a pty from util-linux's script) with a job in its own process group; the session
# leader dies of its SIGHUP first, which takes the terminal from the session, and the job must still get it
if command -v script >/dev/null 2>&1; then
    h="$tmp/hangup"; mkdir -p "$h"
    sleep 60 | script -qc "sh -c 'set -m; tty >$h/tty; sleep 301 & echo \$! >$h/job; echo \$\$ >$h/leader; exec sleep 302'" \
        /dev/null >/dev/null 2>&1 &
    pids="$pids $!"
    wait_for 5 "$h/leader" '[0-9]' || true
    leader="$(cat "$h/leader" 2>/dev/null)" job="$(cat "$h/job" 2>/dev/null)"
    pids="$pids $leader $job"
    (SHELL_TTY="$(cat "$h/tty" 2>/dev/null)"; hang_up)
    gone=""
    for p in $leader $job; do [ -d "/proc/$p" ] || gone="$gone$p "; done
    expect_eq "hang-up: the session leader and its background job both end" "$gone" "$leader $job "
else
    fail "hang-up: util-linux's script is missing (apt-get install bsdutils)"
fi
# a service that exits at once (the base image's vm-info when unconfigured) is reported without a stall
start_service quick quick "" elevated "exit 0"
wait_for 5 "$t/port" '"name":"quick","state":"started"' || true
expect_eq "service: one that exits at once does not stall the boot (no 'did not start' warning)" \
    "$(grep -c '"name":"quick","state":"started"' "$t/port")|$(grep -c 'service quick did not start' "$LOGDIR/agent.log" 2>/dev/null)" \
    '1|0'
exec 3>&-

# --- the whole agent, first boot then second boot, on a fake root (dry run: no reboot) ---------------------------
# make_drive DIR : a config drive tree; the caller adds tasks/runtime
make_drive() {
    mkdir -p "$1/csemu/answer/files/etc/motd.d" "$1/csemu/tasks" "$1/approot"
    echo 1 >"$1/csemu/version"
    printf "CSEMU_DEPLOYMENT_ID='d1'\nCSEMU_INSTANCE_ID='Worker_IN_3'\nCSEMU_ROLE_NAME='Worker'\nCSEMU_RECYCLE_ID='%s'\nCSEMU_HEARTBEAT_SECONDS='1'\n" "$2" >"$1/csemu/instance.env"
    echo "worker-in-3" >"$1/csemu/answer/hostname"
    echo "alice:1500:/home/alice:/bin/sh" >"$1/csemu/answer/users"
    echo "welcome" >"$1/csemu/answer/files/etc/motd.d/csemu"
    printf "CSEMU_SETTING_COUNT='1'\nCSEMU_SETTING_0_NAME='Mode'\nCSEMU_SETTING_0_VALUE='fast'\n" >"$1/csemu/answer/settings.env"
    printf "CSEMU_LOCAL_COUNT='2'\nCSEMU_LOCAL_0_NAME='cache'\nCSEMU_LOCAL_0_CLEAN='true'\nCSEMU_LOCAL_1_NAME='keep'\nCSEMU_LOCAL_1_CLEAN='false'\n" >"$1/csemu/localstorage.env"
}

# boot NAME DRIVE_DIR : run the agent on root $tmp/NAME/root with DRIVE_DIR as its config drive
boot() {
    b="$tmp/$1"
    mkdir -p "$b/root/dev" "$b/root/etc" "$b/sys/class/virtio-ports/vport9p1" "$b/sys/block/vdb" "$b/sys/block/vda"
    [ -f "$b/root/etc/passwd" ] || printf 'root:x:0:0::/root:/bin/sh\n' >"$b/root/etc/passwd"
    touch "$b/root/etc/group" "$b/root/etc/shadow" "$b/root/etc/hosts"
    echo org.csemu.agent.0 >"$b/sys/class/virtio-ports/vport9p1/name"
    echo csemu-config >"$b/sys/block/vdb/serial"
    echo "" >"$b/sys/block/vda/serial"
    (cd "$2" && tar -cf "$b/root/dev/vdb" .)
    : >"$b/root/dev/vport9p1"
    rm -f "$b/root/run/csemu/stopped"
    CSEMU_AGENT_ROOT="$b/root" CSEMU_AGENT_SYS="$b/sys" CSEMU_AGENT_CONSOLE="$b/console" CSEMU_AGENT_DRY_RUN=1 \
        CSEMU_AGENT_LIB="" setsid sh "$agent" </dev/null >>"$b/agent.out" 2>&1 &
    pids="$pids $!"
    port="$b/root/dev/vport9p1"
}
unset CSEMU_AGENT_LIB CSEMU_AGENT_ROOT CSEMU_AGENT_SYS CSEMU_AGENT_CONSOLE

d1="$tmp/drive1"
make_drive "$d1" r1
cat >"$d1/csemu/tasks/000.env" <<'EOF'
TASK_COMMAND='echo "task sees $CSEMU_INSTANCE_ID $MY_VAR $CSEMU_SETTING_0_VALUE in $(pwd)"; echo x > "$CSEMU_LOCAL_ROOT/cache/old"; echo y > "$CSEMU_LOCAL_ROOT/keep/old"'
TASK_TYPE='simple'
TASK_CONTEXT='elevated'
EOF
echo "MY_VAR='from vars'" >"$d1/csemu/tasks/000.vars"
printf "TASK_COMMAND='sleep 1; exit 4'\nTASK_TYPE='foreground'\nTASK_CONTEXT='limited'\n" >"$d1/csemu/tasks/001.env"
printf "ENTRY_KIND='program'\nENTRY_COMMAND='echo \"\$ROLE_X\" > entry.out; csemu-role ready; exec sleep 30'\nENTRY_READY_ON_START='false'\n" >"$d1/csemu/runtime.env"
echo "ROLE_X='runtime var'" >"$d1/csemu/runtime.vars"

boot vm "$d1"
if wait_for 10 "$b/root/run/csemu/stopped" 'would reboot'; then pass "first boot: ends with the setup restart"; else fail "first boot: ends with the setup restart" "$(cat "$b/agent.out" "$b/console" 2>/dev/null)"; fi
expect_eq "first boot: hello firstBoot=true, then setup restart" \
    "$(sed -E 's/"boot":"[^"]*"/"boot":B/' "$port" | grep -E '"type":"(hello|setup)"')" \
    '{"v":1,"boot":B,"seq":1,"type":"hello","agent":"csemu-agent/1.0","instance":"Worker_IN_3","firstBoot":true}
{"v":1,"boot":B,"seq":2,"type":"setup","phase":"applied","restart":true}'
expect_eq "first boot: answer file applied (hostname, user, files)" \
    "$(cat "$b/root/etc/hostname")|$(grep '^alice:' "$b/root/etc/passwd")|$(cat "$b/root/etc/motd.d/csemu")" \
    'worker-in-3|alice:x:1500:1500::/home/alice:/bin/sh|welcome'
[ -e "$b/root/var/lib/csemu-agent/firstboot.done" ] && pass "first boot: marker written" || fail "first boot: marker written"
for p in $pids; do kill -KILL "-$p" 2>/dev/null; done; pids=""

boot vm "$d1"
wait_for 15 "$port" '"type":"status","status":"Ready"' || true
msgs="$(sed -E 's/"boot":"[^"]*",//; s/"seq":[0-9]+,//; s/"pid":[0-9]+/"pid":P/' "$port" | grep -v '"type":"heartbeat"')"
expect_eq "second boot: hello, tasks, entry point, Ready only after the program said ready" "$(printf '%s\n' "$msgs" | grep -v '"index":1')" \
'{"v":1,"type":"hello","agent":"csemu-agent/1.0","instance":"Worker_IN_3","firstBoot":false}
{"v":1,"type":"task","index":0,"command":"echo \"task sees $CSEMU_INSTANCE_ID $MY_VAR $CSEMU_SETTING_0_VALUE in $(pwd)\"; echo x > \"$CSEMU_LOCAL_ROOT/cache/old\"; echo y > \"$CSEMU_LOCAL_ROOT/keep/old\"","taskType":"simple","state":"started"}
{"v":1,"type":"task","index":0,"command":"echo \"task sees $CSEMU_INSTANCE_ID $MY_VAR $CSEMU_SETTING_0_VALUE in $(pwd)\"; echo x > \"$CSEMU_LOCAL_ROOT/cache/old\"; echo y > \"$CSEMU_LOCAL_ROOT/keep/old\"","taskType":"simple","state":"exited","exitCode":0,"outputTail":"task sees Worker_IN_3 from vars fast in '"$b"'/root/csemu/approot\n"}
{"v":1,"type":"service","name":"entrypoint","state":"started","pid":P}
{"v":1,"type":"status","status":"Ready","reason":"all auto-start services started"}'
expect_eq "second boot: runtime variables reach the entry point" "$(cat "$b/root/csemu/approot/entry.out" 2>/dev/null)" "runtime var"
wait_for 5 "$port" '"index":1,.*"state":"exited","exitCode":4' && pass "foreground task: exit reported with its code" ||
    fail "foreground task: exit reported" "$(grep '"index":1' "$port")"
wait_for 5 "$port" '"type":"heartbeat","status":"Ready"' && pass "heartbeat: reports Ready" || fail "heartbeat: reports Ready"

CSEMU_AGENT_ROOT="$b/root" csemu-role busy "draining connections"
wait_for 5 "$port" '"status":"Busy","reason":"draining connections"' && pass "role code: busy" || fail "role code: busy"
CSEMU_AGENT_ROOT="$b/root" csemu-role ready
wait_for 5 "$port" '"status":"Ready","reason":"role code is ready"' && pass "role code: ready again" || fail "role code: ready again"
expect_eq "role code: setting and local resource lookups" \
    "$(CSEMU_AGENT_ROOT="$b/root" csemu-role setting Mode)|$(CSEMU_AGENT_ROOT="$b/root" csemu-role local keep)" "fast|$b/root/csemu/local/keep"
CSEMU_AGENT_ROOT="$b/root" csemu-role setting Nope 2>/dev/null && fail "role code: unknown setting fails" || pass "role code: unknown setting fails"
CSEMU_AGENT_ROOT="$b/root" csemu-role recycle
wait_for 5 "$port" '"status":"Recycle","reason":"requested by role code"' && pass "role code: recycle request" || fail "role code: recycle request"
for p in $pids; do kill -KILL "-$p" 2>/dev/null; done; pids=""
for f in "$b"/root/run/csemu/services/*.pid; do [ -f "$f" ] && kill -KILL "-$(cat "$f")" 2>/dev/null; done

# Local storage: a new recycle id wipes cleanOnRoleRecycle resources only.
make_drive "$d1" r2
rm -f "$d1/csemu/tasks/"*
printf "ENTRY_KIND='none'\n" >"$d1/csemu/runtime.env"
: >"$b/root/dev/vport9p1"
boot vm "$d1"
wait_for 10 "$port" '"status":"Ready"' || true
expect_eq "local storage: recycle id change wipes clean=true, keeps clean=false" \
    "$(ls "$b/root/csemu/local/cache" | tr '\n' ' ')|$(cat "$b/root/csemu/local/keep/old" 2>/dev/null)" "|y"
for p in $pids; do kill -KILL "-$p" 2>/dev/null; done; pids=""

# A failing simple task: reported with exit code and output tail, and the role never becomes Ready.
d2="$tmp/drive2"
make_drive "$d2" r1
printf "TASK_COMMAND='echo \"installing\"; echo \"oops: \\\"bad\\\" thing\" >&2; exit 3'\nTASK_TYPE='simple'\nTASK_CONTEXT='elevated'\n" >"$d2/csemu/tasks/000.env"
printf "TASK_COMMAND='echo never'\nTASK_TYPE='simple'\nTASK_CONTEXT='elevated'\n" >"$d2/csemu/tasks/001.env"
mkdir -p "$tmp/vm2/root/var/lib/csemu-agent" && : >"$tmp/vm2/root/var/lib/csemu-agent/firstboot.done"
boot vm2 "$d2"
wait_for 10 "$port" '"state":"failed"' || true
expect_eq "failing task: state failed, exit code, escaped output tail" \
    "$(grep '"state":"failed"' "$port" | sed -E 's/.*("state":.*)/\1/')" \
    '"state":"failed","exitCode":3,"outputTail":"installing\noops: \"bad\" thing\n"}'
wait_for 3 "$port" '"type":"heartbeat","status":"Starting"' && pass "failing task: heartbeat stays Starting" || fail "failing task: heartbeat stays Starting"
grep -q '"status":"Ready"' "$port" && fail "failing task: never Ready" || pass "failing task: never Ready"
grep -q '"index":1' "$port" && fail "failing task: later tasks do not run" || pass "failing task: later tasks do not run"

# A drive of another version is ignored (log warning), the agent still reaches Ready with nothing to run.
d3="$tmp/drive3"
make_drive "$d3" r1
echo 2 >"$d3/csemu/version"
printf "TASK_COMMAND='exit 9'\nTASK_TYPE='simple'\nTASK_CONTEXT='elevated'\n" >"$d3/csemu/tasks/000.env"
mkdir -p "$tmp/vm3/root/var/lib/csemu-agent" && : >"$tmp/vm3/root/var/lib/csemu-agent/firstboot.done"
boot vm3 "$d3"
wait_for 10 "$port" '"status":"Ready"' || true
expect_eq "drive version 2: ignored with a warning, no task run, Ready" \
    "$(grep -c '"message":"config drive version .2. is not supported (want 1): drive ignored"' "$port")|$(grep -c '"type":"task"' "$port")|$(grep -c '"status":"Ready"' "$port")" "1|0|1"
for p in $pids; do kill -KILL "-$p" 2>/dev/null; done; pids=""

# Porting convention: a task 'X.cmd args' runs 'sh X.sh args' when the role ships X.sh (backslash paths too); the
# reported command stays the one the definition wrote. Without X.sh the .cmd runs as written (and fails under sh).
d4="$tmp/drive4"
make_drive "$d4" r1
mkdir -p "$d4/approot/bin"
printf 'echo "ported $*"\n' >"$d4/approot/bin/Startup.sh"
printf "TASK_COMMAND='bin\\\\Startup.cmd one two'\nTASK_TYPE='simple'\nTASK_CONTEXT='elevated'\n" >"$d4/csemu/tasks/000.env"
printf "TASK_COMMAND='Missing.cmd'\nTASK_TYPE='simple'\nTASK_CONTEXT='elevated'\n" >"$d4/csemu/tasks/001.env"
mkdir -p "$tmp/vm4/root/var/lib/csemu-agent" && : >"$tmp/vm4/root/var/lib/csemu-agent/firstboot.done"
boot vm4 "$d4"
wait_for 10 "$port" '"index":1,.*"state":"failed"' || true
expect_eq ".cmd task: X.sh runs with the arguments, reported as written" \
    "$(grep '"index":0,.*"state":"exited"' "$port" | sed 's/.*"command":"\([^"]*\)".*"outputTail":"\([^"]*\)".*/\1|\2/')" \
    'bin\\Startup.cmd one two|ported one two\n'
grep -q '"index":1,"command":"Missing.cmd",.*"state":"failed"' "$port" && pass ".cmd task without X.sh: runs as written and fails" ||
    fail ".cmd task without X.sh: runs as written and fails" "$(grep '"index":1' "$port")"
for p in $pids; do kill -KILL "-$p" 2>/dev/null; done; pids=""

# A role the fabric found not runnable here: nothing of it runs; NotRunnable with the reason, heartbeats say so too.
d5="$tmp/drive5"
make_drive "$d5" r1
printf "TASK_COMMAND='touch \"\$CSEMU_APPROOT/task-ran\"'\nTASK_TYPE='simple'\nTASK_CONTEXT='elevated'\n" >"$d5/csemu/tasks/000.env"
printf "ENTRY_KIND='netfx'\nENTRY_COMMAND='Worker.dll'\nENTRY_READY_ON_START='true'\nROLE_NOT_RUNNABLE='its NetFxEntryPoint is .NET'\n" >"$d5/csemu/runtime.env"
mkdir -p "$tmp/vm5/root/var/lib/csemu-agent" && : >"$tmp/vm5/root/var/lib/csemu-agent/firstboot.done"
boot vm5 "$d5"
wait_for 10 "$port" '"type":"heartbeat","status":"NotRunnable"' || true
expect_eq "not runnable: status NotRunnable with the reason, no task, never Ready, heartbeats NotRunnable" \
    "$(grep -c '"type":"status","status":"NotRunnable","reason":"its NetFxEntryPoint is .NET"' "$port")|$(grep -c '"type":"task"' "$port")|$(grep -c '"status":"Ready"' "$port")|$(grep -c '"type":"heartbeat","status":"NotRunnable"' "$port" | sed 's/^[1-9][0-9]*$/some/')|$(ls "$b/root/csemu/approot" 2>/dev/null | grep -c task-ran)" \
    "1|0|0|some|0"
for p in $pids; do kill -KILL "-$p" 2>/dev/null; done; pids=""

# Certificates: installed per store with the modes their permission level asks for, listed for role code.
# The role user's group is this user's own here (the test host may have no csemu group, and may not be root).
CSEMU_AGENT_ROLE_GROUP="$(id -gn)"; export CSEMU_AGENT_ROLE_GROUP
d6="$tmp/drive6"
make_drive "$d6" r1
mkdir -p "$d6/csemu/certificates"
printf "CERT_NAME='Site'\nCERT_THUMBPRINT='%s'\nCERT_STORE_LOCATION='LocalMachine'\nCERT_STORE_NAME='My'\nCERT_PERMISSION_LEVEL='limitedOrElevated'\n" \
    "$(printf 'AB%.0s' 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20)" >"$d6/csemu/certificates/000.env"
printf -- '-----BEGIN CERTIFICATE-----\nsite\n-----END CERTIFICATE-----\n' >"$d6/csemu/certificates/000.pem"
printf -- '-----BEGIN PRIVATE KEY-----\nsitekey\n-----END PRIVATE KEY-----\n' >"$d6/csemu/certificates/000.key"
printf "CERT_NAME='It'\\\\''s signing'\nCERT_THUMBPRINT='%s'\nCERT_STORE_LOCATION='CurrentUser'\nCERT_STORE_NAME='Root'\nCERT_PERMISSION_LEVEL='elevated'\n" \
    "$(printf 'CD%.0s' 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20)" >"$d6/csemu/certificates/001.env"
printf -- '-----BEGIN CERTIFICATE-----\nsigning\n-----END CERTIFICATE-----\n' >"$d6/csemu/certificates/001.pem"
printf -- '-----BEGIN PRIVATE KEY-----\nsigningkey\n-----END PRIVATE KEY-----\n' >"$d6/csemu/certificates/001.key"
printf "CERT_NAME='Evil'\nCERT_THUMBPRINT='%s'\nCERT_STORE_LOCATION='..'\nCERT_STORE_NAME='etc'\nCERT_PERMISSION_LEVEL='elevated'\n" \
    "$(printf 'EF%.0s' 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20)" >"$d6/csemu/certificates/002.env"
printf -- 'x\n' >"$d6/csemu/certificates/002.pem"
chmod 0700 "$d6/csemu/certificates"; chmod 0600 "$d6/csemu/certificates/"*.key
printf "TASK_COMMAND='echo \"\$CSEMU_CERTIFICATE_COUNT \$CSEMU_CERTIFICATE_0_NAME \$CSEMU_CERTIFICATE_0_PATH \$CSEMU_CERTIFICATE_1_KEY\"'\nTASK_TYPE='simple'\nTASK_CONTEXT='elevated'\n" >"$d6/csemu/tasks/000.env"
mkdir -p "$tmp/vm6/root/var/lib/csemu-agent" && : >"$tmp/vm6/root/var/lib/csemu-agent/firstboot.done"
boot vm6 "$d6"
wait_for 10 "$port" '"status":"Ready"' || true
c="$b/root/csemu/certificates"
site="$c/LocalMachine/My/$(printf 'AB%.0s' 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20)"
sign="$c/CurrentUser/Root/$(printf 'CD%.0s' 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20)"
expect_eq "certificates: one PEM per store, keys 0640 (limitedOrElevated) and 0600 (elevated)" \
    "$(cat "$site.pem" | sed -n 2p)|$(stat -c %a "$site.pem")|$(stat -c %a "$site.key")|$(stat -c %a "$sign.pem")|$(stat -c %a "$sign.key")|$(cat "$sign.key" | sed -n 2p)" \
    "site|644|640|644|600|signingkey"
expect_eq "certificates: the limitedOrElevated key belongs to the role user's group" \
    "$(stat -c %G "$site.key")" "$CSEMU_AGENT_ROLE_GROUP"
expect_eq "certificates: a store that is not one path segment is skipped, with a warning to the host" \
    "$(ls -A "$b/root/csemu" | grep -c '^etc$')|$(grep -c "skipped certificate 'Evil': bad store '../etc'" "$b/root/var/log/csemu/agent.log")|$(grep -c '"type":"log","level":"warn","message":"skipped certificate .Evil.: bad store' "$port")" "0|1|1"
expect_eq "certificates: the drive's copy is root's alone" "$(stat -c %a "$b/root/csemu/config/csemu/certificates")" "700"
expect_eq "certificates: role code sees the list (name, path, key)" \
    "$(grep '"index":0,.*"state":"exited"' "$port" | sed 's/.*"outputTail":"\([^"]*\)".*/\1/')" \
    "2 Site $site.pem $sign.key\\n"
expect_eq "certificates: csemu-role certificate and certificate-key" \
    "$(CSEMU_AGENT_ROOT="$b/root" csemu-role certificate Site)|$(CSEMU_AGENT_ROOT="$b/root" csemu-role certificate-key "It's signing")" \
    "$site.pem|$sign.key"
CSEMU_AGENT_ROOT="$b/root" csemu-role certificate Nope 2>/dev/null && fail "certificates: an unknown name fails" || pass "certificates: an unknown name fails"
thumb_ab="$(printf 'AB%.0s' 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20)"
expect_eq "sites: an http binding is busybox httpd" \
    "$(CERTS="$c" RUN="$tmp/tlsrun"; site_command 8080 "8443:$thumb_ab" /csemu/sitesroot/0)" \
    "exec httpd -f -p 8080 -h '/csemu/sitesroot/0'"
expect_eq "sites: an https binding is socat with its certificate and key, httpd -i behind it" \
    "$(CERTS="$c" RUN="$tmp/tlsrun"; site_command 8443 "8080:x 8443:$thumb_ab" /csemu/sitesroot/0)" \
    "exec socat OPENSSL-LISTEN:8443,reuseaddr,fork,cert=$tmp/tlsrun/tls/8443.pem,verify=0 'EXEC:httpd -i -h /csemu/sitesroot/0'"
expect_eq "sites: the https port's certificate and key in one file, root's alone" \
    "$(sed -n '2p;5p' "$tmp/tlsrun/tls/8443.pem" | tr '\n' ' ')$(stat -c %a "$tmp/tlsrun/tls/8443.pem")" "site sitekey 600"
(CERTS="$c" RUN="$tmp/tlsrun" OUT_FIFO="$tmp/tlsrun/no-host"; site_command 9443 "9443:$(printf 'EF%.0s' 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20)" /x) \
    >/dev/null 2>&1 && fail "sites: an https port whose certificate is not installed is not served" ||
    pass "sites: an https port whose certificate is not installed is not served"
for p in $pids; do kill -KILL "-$p" 2>/dev/null; done; pids=""
unset CSEMU_AGENT_ROLE_GROUP

# Traffic gates and proxies on loopback (in a guest: gate and proxy in two guests, the same port, the host between):
# the gate on 127.0.0.2, the proxy on 127.0.0.3 sending its role's secret to 127.0.0.2, the backend on 127.0.0.1.
if command -v socat >/dev/null 2>&1; then
    gr="$tmp/gates/root"
    mkdir -p "$gr/csemu/config/csemu" "$gr/run/csemu" "$gr/var/log/csemu"
    gport=$((42000 + $$ % 4000 * 2)); tport=$((gport + 1))
    setsid socat TCP4-LISTEN:$tport,bind=127.0.0.1,reuseaddr,fork SYSTEM:'read -r l; echo "backend got $l"' \
        </dev/null >/dev/null 2>&1 &
    pids="$pids $!"
    printf "ROLE_SECRET='aaaa'\nGATES='%s:%s:aaaa,bbbb'\nPROXIES='%s/tcp'\n" "$gport" "$tport" "$gport" \
        >"$gr/csemu/config/csemu/gates.env"
    gates_env() {
        env CSEMU_AGENT_ROOT="$gr" CSEMU_AGENT_CONSOLE="$tmp/gates/console" CSEMU_AGENT_SELF="env -u CSEMU_AGENT_LIB sh $agent" \
            CSEMU_AGENT_GUEST_ADDRESS=127.0.0.1 CSEMU_AGENT_GATEWAY=127.0.0.2 CSEMU_AGENT_GATE_BIND=127.0.0.2 \
            CSEMU_AGENT_PROXY_BIND=127.0.0.3 CSEMU_AGENT_LIB=1 "$@"
    }
    gates_env sh -c ". '$agent'; start_gates"
    for f in "$gr"/run/csemu/gates/*.pid; do pids="$pids $(cat "$f")"; done
    ask() { printf '%s' "$2" | timeout 10 socat -t 5 - "TCP4:$1" 2>/dev/null; }
    wait_for 10 /dev/null '^$' 2>/dev/null # (no file to wait on) the listeners start within a moment:
    _n=0; until [ "$(ask 127.0.0.3:$gport 'hello
')" = "backend got hello" ] || [ $_n -ge 50 ]; do sleep 0.1; _n=$((_n + 1)); done
    expect_eq "gates: through the proxy (its role's secret first) to the role's port, the answer and the close back" \
        "$(ask 127.0.0.3:$gport 'hello
')" "backend got hello"
    expect_eq "gates: straight to the gate without a secret: closed unanswered" "$(ask 127.0.0.2:$gport 'hello
')" ""
    expect_eq "gates: a secret the gate does not allow: closed unanswered" "$(ask 127.0.0.2:$gport 'csemu-gate cccc
hello
')" ""
    expect_eq "gates: an allowed secret, written by hand: through" "$(ask 127.0.0.2:$gport 'csemu-gate bbbb
hi
')" "backend got hi"
    expect_eq "gates: each refusal logged" "$(grep -c 'refused a connection that showed no allowed role' "$gr/var/log/csemu/agent.log")" "2"
    before_pids="$(cat "$gr"/run/csemu/gates/*.pid | sort | tr '\n' ' ')"
    gates_env sh -c ". '$agent'; start_gates"
    expect_eq "gates: an unchanged gates.env leaves every listener running" \
        "$(cat "$gr"/run/csemu/gates/*.pid | sort | tr '\n' ' ')" "$before_pids"
    # a connection made through proxy and gate outlives a change that replaces the listeners (a peer came)
    eport=$((gport + 2))
    setsid socat TCP4-LISTEN:$((eport + 1)),bind=127.0.0.1,reuseaddr,fork SYSTEM:'while read -r l; do echo "echo $l"; done' \
        </dev/null >/dev/null 2>&1 &
    pids="$pids $!"
    printf "ROLE_SECRET='aaaa'\nGATES='%s:%s:aaaa %s:%s:aaaa'\nPROXIES='%s/tcp %s/tcp'\n" "$gport" "$tport" "$eport" \
        "$((eport + 1))" "$gport" "$eport" >"$gr/csemu/config/csemu/gates.env"
    gates_env sh -c ". '$agent'; start_gates"
    for f in "$gr"/run/csemu/gates/*.pid; do pids="$pids $(cat "$f")"; done
    mkfifo "$tmp/gates/in"
    _n=0; until [ "$(ask 127.0.0.3:$eport 'x
')" = "echo x" ] || [ $_n -ge 50 ]; do sleep 0.1; _n=$((_n + 1)); done
    (timeout 20 socat STDIO TCP4:127.0.0.3:$eport <"$tmp/gates/in" >"$tmp/gates/out" 2>/dev/null) &
    exec 7>"$tmp/gates/in"
    echo one >&7
    wait_for 10 "$tmp/gates/out" '^echo one$' || true
    printf "\nPROXIES='%s/tcp %s/tcp %s/tcp'\n" "$gport" "$eport" "$((eport + 2))" >>"$gr/csemu/config/csemu/gates.env"
    replaced_before="$(cat "$gr"/run/csemu/gates/*.pid | sort | tr '\n' ' ')"
    gates_env sh -c ". '$agent'; start_gates"
    for f in "$gr"/run/csemu/gates/*.pid; do pids="$pids $(cat "$f")"; done
    echo two >&7
    wait_for 10 "$tmp/gates/out" '^echo two$' || true
    exec 7>&-
    expect_eq "gates: a changed gates.env replaces the listeners; a connection made before goes on" \
        "$([ "$(cat "$gr"/run/csemu/gates/*.pid | sort | tr '\n' ' ')" != "$replaced_before" ] && echo replaced)|$(tr '\n' ' ' <"$tmp/gates/out")" \
        "replaced|echo one echo two "
    gates_env sh -c ". '$agent'; stop_gates"
    _n=0; while [ -n "$(ask 127.0.0.3:$gport 'x
')" ] && [ $_n -lt 50 ]; do sleep 0.1; _n=$((_n + 1)); done
    expect_eq "gates: stop_gates closes the listeners" "$(ls "$gr"/run/csemu/gates/*.pid 2>/dev/null | wc -l)" "0"
else
    fail "gates: socat is missing on this host (apt-get install socat; ./csemu setup installs it)"
fi

# Safety: without the virtio port (not a csemu guest) the agent exits before touching anything.
mkdir -p "$tmp/noport/root" "$tmp/noport/sys/class"
CSEMU_AGENT_ROOT="$tmp/noport/root" CSEMU_AGENT_SYS="$tmp/noport/sys" CSEMU_AGENT_CONSOLE="$tmp/noport/console" \
    CSEMU_AGENT_PORT_WAIT=1 sh "$agent" 2>"$tmp/noport/err"
rc=$?
expect_eq "no port: exit 1, nothing created" "$rc|$(ls -A "$tmp/noport/root")|$(grep -c 'not a csemu guest' "$tmp/noport/err")" "1||1"

echo "agent-test: $((tests - failures))/$tests passed"
[ "$failures" -eq 0 ]

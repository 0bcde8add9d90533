#!/usr/bin/env bash
# Boots the csemu guest base image once with raw `virsh create` (no csemu Java code involved) and checks the guest
# agent's whole first-boot protocol from the channel socket:
#   hello(firstBoot=true) -> setup(restart=true) -> [guest reboots] -> hello(firstBoot=false)
#   -> task (simple: started, exited 0; background: started) -> service (site, entry point) -> status Ready
# then an HTTP request through the loopback host forward (busybox httpd + a CGI script in the guest), a `stopping`
# with then=reboot (ack, the guest reboots, no first-boot setup again, Ready), and a `stopping` with then=poweroff
# (ack, the guest powers itself off and the transient domain disappears).
# It is also the "raw virsh" reference for benchmarks: it prints seconds since `virsh create` for every step.
#
# usage: smoke-test.sh [IMAGE_DIR]   (default: ${CSEMU_IMAGE_CACHE:-/var/lib/csemu/image-cache}/csemu-base-latest)
# env:   CSEMU_SMOKE_KEEP=1 keeps the work directory (console.log, channel.log) for inspection
# Needs: libvirtd answering on qemu:///system, socat (both from ./csemu setup). Cleans up its domain and files on
# any exit.
set -euo pipefail
export LC_ALL=C
export PATH="${PATH:-/usr/bin:/bin}:/usr/local/sbin:/usr/sbin:/sbin"

cache="${CSEMU_IMAGE_CACHE:-/var/lib/csemu/image-cache}"
image="$(readlink -f "${1:-$cache/csemu-base-latest}")"
uri="qemu:///system"
name="csemu-smoke-$$"
work_root="${CSEMU_DATA_DIR:-/var/lib/csemu}/smoke"
work="$work_root/$name"
deadline_s="${CSEMU_SMOKE_TIMEOUT:-120}"

die() { echo "smoke-test: FAIL: $*" >&2; [[ -f "$work/console.log" ]] && { echo "--- console.log (tail)" >&2; tail -n 30 "$work/console.log" >&2; }; exit 1; }
for c in virsh socat qemu-img mkfs.ext4 tar; do command -v "$c" >/dev/null || die "'$c' is missing: run ./csemu setup"; done
[[ -f "$image/image.json" ]] || die "no image at $image: run ./csemu setup (or samples/images/build-base-image.sh)"
virsh -c "$uri" version >/dev/null 2>&1 || die "libvirtd does not answer on $uri: run ./csemu setup"

socat_pid=""
cleanup() {
    set +e
    [[ -n "$socat_pid" ]] && kill "$socat_pid" 2>/dev/null
    if virsh -c "$uri" domstate "$name" >/dev/null 2>&1; then virsh -c "$uri" destroy "$name" >/dev/null 2>&1; fi
    if [[ -z "${CSEMU_SMOKE_KEEP:-}" ]]; then rm -rf "$work"; else echo "smoke-test: kept $work" >&2; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$work"
chmod 0755 "$work_root" "$work"

# --- per-instance disks: overlay on the read-only base, a local-storage disk, a config drive (raw tar) ---------
base="$image/rootfs.qcow2"
base_sum_before="$(sha256sum <"$base")"
qemu-img create -q -f qcow2 -F qcow2 -b "$base" "$work/overlay.qcow2"
truncate -s 64M "$work/local.img"
mkfs.ext4 -q -F -L csemu-local "$work/local.img"

d="$work/drive"
mkdir -p "$d/csemu/answer" "$d/csemu/tasks" "$d/csemu/sites" "$d/approot" "$d/sitesroot/0/cgi-bin"
echo 1 >"$d/csemu/version"
cat >"$d/csemu/instance.env" <<EOF
CSEMU_DEPLOYMENT_ID='smoke'
CSEMU_INSTANCE_ID='WebRole1_IN_0'
CSEMU_ROLE_NAME='WebRole1'
CSEMU_UPDATE_DOMAIN='0'
CSEMU_FAULT_DOMAIN='0'
CSEMU_RECYCLE_ID='r1'
CSEMU_HEARTBEAT_SECONDS='2'
EOF
echo "webrole1-in-0" >"$d/csemu/answer/hostname"
cat >"$d/csemu/answer/settings.env" <<'EOF'
CSEMU_SETTING_COUNT='1'
CSEMU_SETTING_0_NAME='Greeting'
CSEMU_SETTING_0_VALUE='it'\''s "quoted"'
EOF
printf 'CSEMU_LOCAL_COUNT=%s\nCSEMU_LOCAL_0_NAME=%s\nCSEMU_LOCAL_0_SIZE_MB=%s\nCSEMU_LOCAL_0_CLEAN=%s\n' \
    "'1'" "'scratch'" "'16'" "'true'" >"$d/csemu/localstorage.env"
cat >"$d/csemu/tasks/000.env" <<'EOF'
TASK_COMMAND='echo "startup \"task\" ran as $(id -un) in $(pwd)"; printf "tab\there\n"; csemu-role setting Greeting'
TASK_TYPE='simple'
TASK_CONTEXT='elevated'
EOF
echo "TASK_MARKER='from-vars'" >"$d/csemu/tasks/000.vars"
cat >"$d/csemu/tasks/001.env" <<'EOF'
TASK_COMMAND='echo background > /csemu/local/scratch/bg.txt; sleep 600'
TASK_TYPE='background'
TASK_CONTEXT='limited'
EOF
cat >"$d/csemu/runtime.env" <<'EOF'
ENTRY_KIND='program'
ENTRY_COMMAND='exec sh ./run.sh'
ENTRY_READY_ON_START='false'
EOF
echo "ROLE_GREETING='hello from the entry point'" >"$d/csemu/runtime.vars"
cat >"$d/approot/run.sh" <<'EOF'
#!/bin/sh
echo "$ROLE_GREETING" > /csemu/local/scratch/entry.txt
# busybox nc works in the guest: fetch the site (started before the entry point) through it.
i=0
while [ $i -lt 100 ]; do
    printf 'GET / HTTP/1.0\r\n\r\n' | nc 127.0.0.1 80 > /csemu/local/scratch/nc.txt 2>/dev/null
    grep -q "csemu smoke site" /csemu/local/scratch/nc.txt && break
    i=$((i + 1)); sleep 0.05
done
csemu-role ready
exec sleep 100000
EOF
printf "SITE_NAME='Web'\nSITE_PORTS='80'\n" >"$d/csemu/sites/0.env"
echo "csemu smoke site" >"$d/sitesroot/0/index.html"
cat >"$d/sitesroot/0/cgi-bin/info" <<'EOF'
#!/bin/sh
printf 'Content-Type: text/plain\r\n\r\n'
echo "instance=$CSEMU_INSTANCE_ID host=$(hostname) nc=$(grep -c 'csemu smoke site' /csemu/local/scratch/nc.txt)"
EOF
chmod +x "$d/sitesroot/0/cgi-bin/info" "$d/approot/run.sh"
(cd "$d" && find . -mindepth 1 -print0 | sort -z |
    tar --null --no-recursion --owner=0 --group=0 --numeric-owner --mtime=@1704067200 -cf "$work/config.tar" -T -)
size=$(stat -c %s "$work/config.tar")
truncate -s $(( (size + 1048575) / 1048576 * 1048576 )) "$work/config.tar"

domain_type=qemu
grep -q '"kvmUsable": true' "${CSEMU_DATA_DIR:-/var/lib/csemu}/host.json" 2>/dev/null && domain_type=kvm
cmdline="$(cat "$image/cmdline")"
# free_port : a loopback port nothing listens on (the create below retries if it was taken meanwhile)
free_port() {
    local p
    for p in $(shuf -i 20000-39999 -n 50); do
        (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return 0; }
    done
    return 1
}
write_domain_xml() {
cat >"$work/domain.xml" <<EOF
<domain type='$domain_type' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>
  <name>$name</name>
  <memory unit='MiB'>128</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='q35'>hvm</type>
    <kernel>$image/vmlinux</kernel>
    <initrd>$image/initrd.img</initrd>
    <cmdline>$cmdline</cmdline>
  </os>
  <features><acpi/></features>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2' cache='unsafe' discard='unmap'/>
      <source file='$work/overlay.qcow2'/>
      <backingStore type='file'>
        <format type='qcow2'/>
        <source file='$base'><seclabel model='dac' relabel='no'/></source>
        <backingStore/>
      </backingStore>
      <target dev='vda' bus='virtio'/>
    </disk>
    <disk type='file' device='disk'>
      <driver name='qemu' type='raw'/>
      <source file='$work/config.tar'/>
      <target dev='vdb' bus='virtio'/>
      <serial>csemu-config</serial>
      <readonly/>
    </disk>
    <disk type='file' device='disk'>
      <driver name='qemu' type='raw' cache='unsafe'/>
      <source file='$work/local.img'/>
      <target dev='vdc' bus='virtio'/>
      <serial>csemu-local</serial>
    </disk>
    <controller type='usb' model='none'/>
    <serial type='file'><source path='$work/console.log'/><target port='0'/></serial>
    <console type='file'><source path='$work/console.log'/><target type='serial' port='0'/></console>
    <channel type='unix'>
      <source mode='bind' path='$work/agent.sock'/>
      <target type='virtio' name='org.csemu.agent.0'/>
    </channel>
    <video><model type='none'/></video>
    <memballoon model='none'/>
  </devices>
  <qemu:commandline>
    <qemu:arg value='-netdev'/>
    <qemu:arg value='user,id=csemu0,hostfwd=tcp:127.0.0.1:$port-:80'/>
    <qemu:arg value='-device'/>
    <qemu:arg value='virtio-net-pci,netdev=csemu0,romfile=,bus=pcie.0,addr=0x10'/>
  </qemu:commandline>
</domain>
EOF
}

now() { date +%s.%N; }
since() { awk -v a="$t0" -v b="$(now)" 'BEGIN {printf "%.2f", b - a}'; }

for attempt in 1 2 3 4 5; do
    port="$(free_port)" || die "no free loopback port found"
    write_domain_xml
    t0=$(now)
    if virsh -c "$uri" create "$work/domain.xml" >/dev/null 2>"$work/create.err"; then break; fi
    grep -q 'Could not set up host forwarding rule' "$work/create.err" && [[ $attempt -lt 5 ]] && continue
    die "virsh create failed: $(cat "$work/create.err")"
done
t_created=$(since)
echo "smoke-test: $name created in ${t_created} s (virsh create, $domain_type)"

# Connect to the channel at once: the agent's writes block until the host side is connected.
for ((i = 0; i < 200; i++)); do [[ -S "$work/agent.sock" ]] && break; sleep 0.02; done
[[ -S "$work/agent.sock" ]] || die "the channel socket $work/agent.sock did not appear"
mkfifo "$work/to-guest"
exec 7<>"$work/to-guest" # host->guest lines go through this FIFO into the same connection
: >"$work/channel.log"
socat "UNIX-CONNECT:$work/agent.sock" - <&7 >>"$work/channel.log" 2>"$work/socat.err" &
socat_pid=$!

# expect TYPE REGEX : wait for the next channel line of TYPE matching REGEX (in order), print its time
cursor=0
expect() {
    local type="$1" re="$2" line n
    while :; do
        n=$(wc -l <"$work/channel.log")
        while (( cursor < n )); do
            cursor=$((cursor + 1))
            line="$(sed -n "${cursor}p" "$work/channel.log")"
            [[ "$line" == *"\"type\":\"$type\""* ]] || continue
            if [[ "$line" =~ $re ]]; then
                printf 'smoke-test: %6s s  %s\n' "$(since)" "$line"
                LAST="$line"
                return 0
            fi
        done
        [[ $(awk -v a="$t0" -v b="$(now)" 'BEGIN {print (b - a < '"$deadline_s"') ? 1 : 0}') == 1 ]] ||
            die "no '$type' message matching /$re/ within $deadline_s s (channel.log has $n lines)"
        kill -0 "$socat_pid" 2>/dev/null || die "the channel connection closed"
        sleep 0.05
    done
}

expect hello '"firstBoot":true'
boot1="$(sed -E 's/.*"boot":"([^"]*)".*/\1/' <<<"$LAST")"
[[ "$LAST" == *'"seq":1,'* ]] || die "the first hello is not seq 1: $LAST"
expect setup '"restart":true'
expect hello '"firstBoot":false'
boot2="$(sed -E 's/.*"boot":"([^"]*)".*/\1/' <<<"$LAST")"
[[ "$boot1" != "$boot2" ]] || die "the second boot has the same boot id"
expect task '"index":0.*"state":"started"'
expect task '"index":0.*"state":"exited","exitCode":0'
[[ "$LAST" == *'startup \"task\" ran as root in /csemu/approot\ntab\there\nit'"'"'s \"quoted\"'* ]] ||
    die "the simple task's outputTail is not the escaped output: $LAST"
expect task '"index":1.*"taskType":"background","state":"started"'
expect service '"name":"site:Web:80","state":"started"'
expect service '"name":"entrypoint","state":"started"'
expect status '"status":"Ready"'
t_ready=$(since)

# The site through the host forward (loopback only), including a CGI script.
t_http=""
for ((i = 0; i < 100; i++)); do
    if body="$(exec 3<>"/dev/tcp/127.0.0.1/$port" && printf 'GET /cgi-bin/info HTTP/1.0\r\nHost: x\r\n\r\n' >&3 && cat <&3)"; then
        if [[ "$body" == *"instance=WebRole1_IN_0 host=webrole1-in-0 nc=1"* ]]; then t_http=$(since); break; fi
    fi
    sleep 0.1
done
[[ -n "$t_http" ]] || die "the CGI page on 127.0.0.1:$port did not answer as expected: ${body:-no answer}"
echo "smoke-test: $(printf '%6s' "$t_http") s  HTTP 127.0.0.1:$port/cgi-bin/info -> instance=WebRole1_IN_0 host=webrole1-in-0 nc=1 (CGI; nc in the guest fetched the site)"
expect heartbeat '"status":"Ready"'

# A reboot through the agent: ack, the guest restarts itself, and the next boot is not a first boot (the marker is
# on the overlay), so it goes straight to tasks and Ready.
printf '{"v":1,"type":"stopping","id":"reboot-1","then":"reboot"}\n' >&7
expect ack '"id":"reboot-1"'
t_reboot_start=$(since)
expect hello '"firstBoot":false'
boot3="$(sed -E 's/.*"boot":"([^"]*)".*/\1/' <<<"$LAST")"
[[ "$boot3" != "$boot2" ]] || die "no new boot after the reboot request"
expect status '"status":"Ready"'
t_reboot_ready=$(awk -v a="$t_reboot_start" -v b="$(since)" 'BEGIN {printf "%.2f", b - a}')
grep -q '"type":"setup"' <(sed -n "/$boot3/p" "$work/channel.log") && die "the reboot ran the first-boot setup again"

# Graceful stop through the agent: ack, then the guest powers off and the transient domain disappears.
printf '{"v":1,"type":"stopping","id":"stop-1","then":"poweroff"}\n' >&7
expect ack '"id":"stop-1"'
for ((i = 0; i < 300; i++)); do
    virsh -c "$uri" domstate "$name" >/dev/null 2>&1 || break
    sleep 0.1
done
virsh -c "$uri" domstate "$name" >/dev/null 2>&1 && die "the guest did not power off within 30 s of stopping"
t_off=$(since)
echo "smoke-test: $(printf '%6s' "$t_off") s  domain gone (guest powered off)"

[[ "$(sha256sum <"$base")" == "$base_sum_before" ]] || die "the base image changed"
# seq increases by one per boot, from 1
awk -F'"seq":' -v b="$boot3" 'index($0, b) { split($2, a, ","); if (a[1] != ++n) { print "seq gap: " $0; exit 1 } }' \
    "$work/channel.log" || die "sequence numbers of boot $boot3 are not 1, 2, 3, ..."
echo "smoke-test: OK  created ${t_created} s, Ready ${t_ready} s, HTTP ${t_http} s (seconds since virsh create; the first start includes the setup reboot); agent reboot to Ready ${t_reboot_ready} s; powered off at ${t_off} s"

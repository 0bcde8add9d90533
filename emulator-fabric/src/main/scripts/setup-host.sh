#!/usr/bin/env bash
# csemu host setup (`./csemu setup`): prepares a Debian 12 machine to run csemu role instances as QEMU VMs.
# Idempotent and fast when nothing is missing. Every step, and why, is in docs/host-setup.md; `csemu doctor`
# checks the same things.
#
#   1. installs the Debian packages csemu needs (apt-get update only when something is missing)
#   2. makes /dev/kvm usable by libvirt's QEMU user (the 76 s re-probe trap) and records whether KVM really works
#   3. starts virtlogd + libvirtd under a child subreaper (tini -s) when no service manager runs them
#   4. makes sure libvirt's `default` NAT network is neither defined nor running (never starts a network)
#   5. builds the guest base image (cached by content hash), readable by every user (their daemons share it)
#   6. with --user NAME: lets that user run csemu without root (group kvm, for KVM where the host has it)
#
# Only this step needs root: afterwards any user runs `./csemu run ...` with a daemon of their own on libvirt's
# session daemon (docs/user-guide.md, "System and user daemons").
#
# usage: setup-host.sh [--restart-libvirtd] [--skip-image] [--quiet] [--user NAME]...
# env:   CSEMU_IMAGE_CACHE (default /var/lib/csemu/image-cache), CSEMU_DATA_DIR (default /var/lib/csemu)
set -euo pipefail
export LC_ALL=C
export PATH="${PATH:-/usr/bin:/bin}:/usr/local/sbin:/usr/sbin:/sbin"

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$script_dir/../../../.." && pwd)"
state_dir="${CSEMU_DATA_DIR:-/var/lib/csemu}"
export CSEMU_IMAGE_CACHE="${CSEMU_IMAGE_CACHE:-$state_dir/image-cache}"
log_dir="/var/log/csemu"
run_dir="/run/csemu-host"
uri="qemu:///system"
# chromium: the dashboard's end-to-end test drives it headless (CliLifecycleVmTest); bsdutils (script, a pty): the agent test
# of a terminal hang-up; curl: the https test checks the VIP with curl --cacert, as the user guide does
packages=(libvirt-daemon-system libvirt-clients qemu-system-x86 qemu-utils busybox-static kmod cpio e2fsprogs
          xz-utils tini socat chromium bsdutils curl)

restart=0 skip_image=0 quiet=0
users=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --restart-libvirtd) restart=1 ;;
        --skip-image) skip_image=1 ;;
        --quiet) quiet=1 ;;
        --user) [[ $# -ge 2 ]] || { echo "csemu setup: --user needs a user name" >&2; exit 2; }
                users+=("$2"); shift ;;
        -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "csemu setup: unknown option '$1' (see --help)" >&2; exit 2 ;;
    esac
    shift
done

t0=$(date +%s.%N)
summary=()
say() { [[ $quiet -eq 1 ]] || echo "csemu setup: $*" >&2; }
ok() { summary+=("  ok    $1"); }
note() { summary+=("  note  $1"); }
die() {
    echo "csemu setup: FAILED: $1" >&2
    [[ -n "${2:-}" ]] && echo "csemu setup: fix: $2" >&2
    exit 1
}

[[ $(id -u) -eq 0 ]] || die "must run as root once (it installs packages and starts libvirtd); afterwards csemu runs as any user" "sudo ./csemu setup"
[[ -f /etc/debian_version ]] || die "this script supports Debian 12 (apt-get, dpkg); /etc/debian_version is missing"
mkdir -p "$state_dir" "$log_dir" "$run_dir"
chmod 0755 "$state_dir" # libvirt-qemu must traverse it to reach images and instance disks

# --- 1. packages -------------------------------------------------------------------------------------------
missing=()
for p in "${packages[@]}"; do
    status="$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)"
    [[ "$status" == ii* ]] || missing+=("$p")
done
if [[ ${#missing[@]} -gt 0 ]]; then
    say "installing ${missing[*]}"
    # Keep package scripts from starting daemons (no init system here): we start libvirtd ourselves below.
    policy_added=0
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
        printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 0755 /usr/sbin/policy-rc.d && policy_added=1
    fi
    install_ok=1
    { DEBIAN_FRONTEND=noninteractive apt-get update -q &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"; } \
        >"$log_dir/apt.log" 2>&1 || install_ok=0
    [[ $policy_added -eq 1 ]] && rm -f /usr/sbin/policy-rc.d
    [[ $install_ok -eq 1 ]] || die "apt-get install ${missing[*]} failed (log: $log_dir/apt.log)" \
        "check network access to the Debian mirror, then run ./csemu setup again"
    ok "installed ${missing[*]}"
else
    ok "packages present (${#packages[@]})"
fi

# --- 2. /dev/kvm ---------------------------------------------------------------------------------------------
kvm_changed=0
kvm_usable=false
kvm_reason=""
if [[ -e /dev/kvm ]]; then
    getent group kvm >/dev/null || groupadd --system kvm
    if getent group kvm >/dev/null; then
        if [[ "$(stat -c '%G %a' /dev/kvm)" != "kvm 660" ]]; then
            chgrp kvm /dev/kvm && chmod 0660 /dev/kvm
            kvm_changed=1
        fi
        id -nG libvirt-qemu 2>/dev/null | grep -qw kvm || usermod -a -G kvm libvirt-qemu 2>/dev/null || true
    fi
    if ! grep -qwE 'vmx|svm' /proc/cpuinfo; then
        kvm_reason="the CPU has no vmx/svm flag (nested virtualization is off)"
    elif ! echo quit | timeout 15 qemu-system-x86_64 -accel kvm -machine none -nodefaults -display none \
            -monitor stdio >"$log_dir/kvm-probe.log" 2>&1; then
        kvm_reason="QEMU could not initialize KVM (see $log_dir/kvm-probe.log)"
    else
        kvm_usable=true
        kvm_reason="vmx/svm present and QEMU initialized KVM"
    fi
else
    kvm_reason="/dev/kvm does not exist"
fi
if [[ $kvm_usable == true ]]; then ok "KVM usable: $kvm_reason"; else note "KVM not usable ($kvm_reason): TCG will be used"; fi

# --- 3. virtlogd + libvirtd under a child subreaper ------------------------------------------------------------
alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1" 2>/dev/null)" 2>/dev/null; }
libvirt_answers() { timeout 5 virsh -c "$uri" version >/dev/null 2>&1; }
ours="$run_dir/libvirt-supervisor.pid"

stop_ours() {
    alive "$ours" || return 0
    local pid; pid="$(cat "$ours")"
    say "stopping the libvirtd this script started (supervisor pid $pid)"
    [[ -f /run/libvirtd.pid ]] && kill "$(cat /run/libvirtd.pid)" 2>/dev/null || true
    local i
    for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill "$pid" 2>/dev/null || true
    rm -f "$ours"
}

if [[ $restart -eq 1 || ( $kvm_changed -eq 1 && -f "$ours" ) ]]; then
    stop_ours
fi
if [[ $kvm_changed -eq 1 ]]; then
    # libvirt cached capabilities probed with the old /dev/kvm mode: force a fresh probe.
    rm -rf /var/cache/libvirt/qemu/capabilities/*
fi

started_libvirtd=0
if alive /run/libvirtd.pid && libvirt_answers; then
    ok "libvirtd already running (pid $(cat /run/libvirtd.pid))"
elif libvirt_answers; then
    ok "libvirt answers on $uri (a daemon managed elsewhere: left alone)"
elif alive /run/libvirtd.pid; then
    die "libvirtd runs (pid $(cat /run/libvirtd.pid)) but does not answer on $uri" \
        "look at $log_dir/libvirtd.log, or stop it and run ./csemu setup --restart-libvirtd"
else
    [[ $kvm_changed -eq 1 ]] && say "cleared libvirt's cached QEMU capabilities after fixing /dev/kvm"
    # A freshly installed libvirt-daemon-config-network defines `default` with autostart: libvirtd would start it
    # (a bridge with a private-range address) the moment it starts. Undefine it offline first.
    if [[ -e /etc/libvirt/qemu/networks/default.xml || -L /etc/libvirt/qemu/networks/autostart/default.xml ]]; then
        rm -f /etc/libvirt/qemu/networks/autostart/default.xml /etc/libvirt/qemu/networks/default.xml
        say "removed libvirt's 'default' network definition before starting libvirtd"
    fi
    say "starting virtlogd and libvirtd under tini -s (child subreaper)"
    rm -f /run/libvirtd.pid
    # tini -s makes itself the subreaper of everything libvirtd spawns: a killed QEMU is reaped (and libvirt's
    # STOPPED event sent) in milliseconds instead of waiting for PID 1's slow reaping.
    setsid tini -s -- sh -c '
        if ! { [ -f /run/virtlogd.pid ] && kill -0 "$(cat /run/virtlogd.pid)" 2>/dev/null; }; then virtlogd -d; fi
        exec libvirtd' </dev/null >>"$log_dir/libvirtd.log" 2>&1 &
    echo $! >"$ours"
    started_libvirtd=1
    deadline=$(( $(date +%s) + 90 ))
    until libvirt_answers; do
        alive "$ours" || die "libvirtd exited during startup (log: $log_dir/libvirtd.log)" \
            "read the log; a stale /run/libvirt lock or a broken /etc/libvirt config are the usual causes"
        [[ $(date +%s) -lt $deadline ]] || die "libvirtd did not answer on $uri within 90 s (log: $log_dir/libvirtd.log)"
        sleep 0.2
    done
    ok "libvirtd started under tini -s (supervisor pid $(cat "$ours"), libvirtd pid $(cat /run/libvirtd.pid 2>/dev/null || echo ?))"
fi
if alive /run/virtlogd.pid; then ok "virtlogd running (pid $(cat /run/virtlogd.pid))"
else die "virtlogd is not running" "run: virtlogd -d   (QEMU's console logs go through it)"; fi

# The subreaper: libvirtd's parent must have set PR_SET_CHILD_SUBREAPER (tini -s, systemd, ...).
lv_pid="$(cat /run/libvirtd.pid 2>/dev/null || true)"
parent="$( [[ -n "$lv_pid" ]] && awk '/^PPid:/ {print $2}' "/proc/$lv_pid/status" 2>/dev/null || true)"
if [[ -z "$parent" ]]; then
    note "no /run/libvirtd.pid: cannot tell whether libvirt's daemon runs under a child subreaper (see ./csemu doctor)"
    parent=-1
fi
parent_name="$(cat "/proc/$parent/comm" 2>/dev/null || echo '?')"
if [[ "$parent" == -1 ]]; then
    :
elif [[ "$parent" == 1 ]]; then
    pid1="$(cat /proc/1/comm 2>/dev/null)"
    if [[ "$pid1" == systemd ]]; then ok "libvirtd is supervised by systemd (reaps at once)"
    else note "libvirtd's parent is PID 1 ($pid1), which may reap slowly: crash events can take ~1.8 s; run ./csemu setup --restart-libvirtd"; fi
else
    ok "libvirtd's parent is $parent_name (pid $parent)"
fi

# --- 4. the default NAT network: never defined, never running -------------------------------------------------
if virsh -c "$uri" net-info default >/dev/null 2>&1; then
    if virsh -c "$uri" net-info default 2>/dev/null | grep -qE '^Active:[[:space:]]+yes'; then
        virsh -c "$uri" net-destroy default >/dev/null
    fi
    virsh -c "$uri" net-undefine default >/dev/null
    ok "libvirt 'default' network removed (csemu uses QEMU user-mode networking only)"
else
    ok "libvirt 'default' network absent"
fi

# --- 5. the guest base image ----------------------------------------------------------------------------------
image_dir=""
if [[ $skip_image -eq 0 ]]; then
    image_dir="$(bash "$repo/samples/images/build-base-image.sh" 2>"$log_dir/image-build.log" | tail -n 1)" ||
        die "building the guest base image failed: $(tail -n 3 "$log_dir/image-build.log")" \
            "read $log_dir/image-build.log"
    [[ -f "$image_dir/image.json" ]] || die "the image build printed no image directory (log: $log_dir/image-build.log)"
    # every user's daemon boots from this one copy, read-only: directories a+rx, files a+r (never writable)
    chmod a+rx "$CSEMU_IMAGE_CACHE" "$image_dir"
    chmod a+r "$image_dir"/*
    ok "guest image $image_dir (readable by every user)"
fi

# --- 6. users who run csemu without root -------------------------------------------------------------------------
for u in ${users[@]+"${users[@]}"}; do
    id "$u" >/dev/null 2>&1 || die "no user '$u'" "create it first (useradd -m $u), then: sudo ./csemu setup --user $u"
    if [[ -e /dev/kvm ]] && getent group kvm >/dev/null && ! id -nG "$u" | grep -qw kvm; then
        usermod -a -G kvm "$u"
        ok "$u added to group kvm (KVM for their guests where the host has it; takes effect at their next login)"
    else
        ok "$u can run csemu (their daemon uses qemu:///session; no group needed$([[ -e /dev/kvm ]] && echo ', already in kvm'))"
    fi
done

# --- facts for the fabric and `csemu doctor` ----------------------------------------------------------------
accel=tcg; [[ $kvm_usable == true ]] && accel=kvm
tmp="$(mktemp "$state_dir/.host.json.XXXXXX")"
cat >"$tmp" <<EOF
{
  "kvmUsable": $kvm_usable,
  "kvmReason": "$kvm_reason",
  "accel": "$accel",
  "domainType": "$([[ $accel == kvm ]] && echo kvm || echo qemu)",
  "libvirtUri": "$uri",
  "imageCache": "$CSEMU_IMAGE_CACHE",
  "image": "$image_dir"
}
EOF
chmod 0644 "$tmp"
mv -f "$tmp" "$state_dir/host.json"

elapsed=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}')
if [[ $quiet -eq 0 ]]; then
    echo "csemu setup: done in ${elapsed} s"
    printf '%s\n' "${summary[@]}"
    echo "  accel $accel; host facts in $state_dir/host.json; check any time with: ./csemu doctor"
fi

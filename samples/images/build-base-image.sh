#!/usr/bin/env bash
# Builds the csemu guest base image from Debian packages only, reproducibly, into a content-addressed cache:
#   ${CSEMU_IMAGE_CACHE:-/var/lib/csemu/image-cache}/<hash>/{vmlinux,initrd.img,rootfs.qcow2,cmdline,image.json}
# and points ${CSEMU_IMAGE_CACHE}/csemu-base-latest at it. <hash> covers every input (this script, the agent,
# the rootfs and initramfs files, the kernel .deb, busybox-static and the .debs of socat and its libraries), so an
# unchanged recipe is never rebuilt.
# The last line on stdout is the image directory. Details and reasons: docs/host-setup.md.
#
# usage: build-base-image.sh [--force] [--out DIR] [--print-hash]
#   --force       rebuild even when the cache already holds this hash
#   --out DIR     build into DIR (must not exist) instead of the cache; no symlink (used by the reproducibility test)
#   --print-hash  print the input hash and exit
# env: CSEMU_IMAGE_CACHE, CSEMU_DEB_CACHE (default /var/lib/csemu/debs), CSEMU_KERNEL_DEB (a linux-image .deb to
#      use instead of resolving linux-image-amd64), SOURCE_DATE_EPOCH (default fixed below).
set -euo pipefail
export LC_ALL=C
export PATH="${PATH:-/usr/bin:/bin}:/usr/local/sbin:/usr/sbin:/sbin"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${CSEMU_IMAGE_CACHE:-/var/lib/csemu/image-cache}"
deb_cache="${CSEMU_DEB_CACHE:-/var/lib/csemu/debs}"
epoch="${SOURCE_DATE_EPOCH:-1704067200}" # 2024-01-01T00:00:00Z: every timestamp in the image
fs_uuid="6a1e7c2e-5c3b-4c1e-9d59-0c5e6d0c5e00"
hash_seed="2f0b4a7e-1d2c-4b3a-8e9f-5a6b7c8d9e0f"
rootfs_size="1G"
image_name="csemu-base"
# pvpanic-mmio: the ISA pvpanic device (ACPI QEMU0001) tells QEMU, hence libvirt, that the guest kernel panicked.
modules_wanted="virtio_pci virtio_blk virtio_net virtio_console ext4 pvpanic-mmio"
# The PVH vmlinux + these flags are the measured fast path under TCG (host-facts.md). root= is part of it:
# the fabric must attach the OS disk as the first virtio disk (vda). sysrq_always_enabled=1: the guest-crash fault
# sends Alt+SysRq+C through libvirt, a real kernel panic that pvpanic reports to libvirt (docs/lifecycle.md).
cmdline="console=ttyS0 root=/dev/vda rw quiet mitigations=off init_on_alloc=0 nokaslr audit=0 lsm= tsc=reliable no_timer_check cryptomgr.notests 8250.nr_uarts=1 random.trust_cpu=on sysrq_always_enabled=1"

force=0 out="" print_hash=0
while [[ $# -gt 0 ]]; do
    case "$1" in
        --force) force=1 ;;
        --out) out="${2:?--out needs a directory}"; shift ;;
        --print-hash) print_hash=1 ;;
        -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
        *) echo "build-base-image: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
    shift
done

die() { echo "build-base-image: $*" >&2; exit 1; }
log() { echo "build-base-image: $*" >&2; }
need() { command -v "$1" >/dev/null 2>&1 || die "'$1' is missing: run ./csemu setup (or apt-get install $2)"; }
need busybox busybox-static; need cpio cpio; need mkfs.ext4 e2fsprogs; need qemu-img qemu-utils
need depmod kmod; need modprobe kmod; need xz xz-utils; need dpkg-deb dpkg; need sha256sum coreutils
busybox_bin="/bin/busybox"
[[ -x "$busybox_bin" ]] || die "$busybox_bin is missing: apt-get install busybox-static"

# --- the kernel package --------------------------------------------------------------------------------------
resolve_kernel_deb() {
    if [[ -n "${CSEMU_KERNEL_DEB:-}" ]]; then
        [[ -f "$CSEMU_KERNEL_DEB" ]] || die "CSEMU_KERNEL_DEB=$CSEMU_KERNEL_DEB does not exist"
        echo "$CSEMU_KERNEL_DEB"; return
    fi
    local pkg
    pkg="$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9].*-amd64$/ {print $2; exit}')"
    if [[ -z "$pkg" && -z "$(ls -1 "$deb_cache"/linux-image-[0-9]*-amd64_*_amd64.deb 2>/dev/null)" ]]; then
        log "no apt metadata for linux-image-amd64: apt-get update"
        apt-get update -q >&2 || die "apt-get update failed"
        pkg="$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9].*-amd64$/ {print $2; exit}')"
    fi
    if [[ -z "$pkg" ]]; then
        # No apt metadata (e.g. offline, lists cleaned): use the newest .deb already downloaded.
        local have
        have="$(ls -1 "$deb_cache"/linux-image-[0-9]*-amd64_*_amd64.deb 2>/dev/null | sort -V | tail -n 1 || true)"
        [[ -n "$have" ]] || die "cannot resolve linux-image-amd64 (run apt-get update) and no kernel .deb in $deb_cache"
        echo "$have"; return
    fi
    local found
    found="$(ls -1 "$deb_cache/${pkg}"_*_amd64.deb 2>/dev/null | sort -V | tail -n 1 || true)"
    if [[ -z "$found" ]]; then
        mkdir -p "$deb_cache"
        log "downloading $pkg (apt-get download) into $deb_cache"
        (cd "$deb_cache" && apt-get download -q -o APT::Sandbox::User=root "$pkg" >&2) || die "apt-get download $pkg failed"
        found="$(ls -1 "$deb_cache/${pkg}"_*_amd64.deb 2>/dev/null | sort -V | tail -n 1 || true)"
        [[ -n "$found" ]] || die "apt-get download $pkg left no .deb in $deb_cache"
    fi
    echo "$found"
}
kernel_deb="$(resolve_kernel_deb)"
kernel_pkg="$(dpkg-deb -f "$kernel_deb" Package)"
kernel_pkg_version="$(dpkg-deb -f "$kernel_deb" Version)"
kver="${kernel_pkg#linux-image-}"
busybox_version="$(dpkg-query -W -f='${Version}' busybox-static 2>/dev/null || echo unknown)"

# --- socat for https sites: the binary and the shared libraries it loads, copied by name out of Debian's .debs ----
# busybox httpd has no TLS; socat terminates it in front of an `httpd -i` per connection (docs/guest-agent.md).
socat_debs="socat libc6 libssl3 libwrap0 libnsl2 libtirpc3 libgssapi-krb5-2 libkrb5-3 libk5crypto3 libcom-err2
            libkrb5support0 libkeyutils1"
socat_libs="ld-linux-x86-64.so.2 libc.so.6 libresolv.so.2 libssl.so.3 libcrypto.so.3 libwrap.so.0 libnsl.so.2
            libtirpc.so.3 libgssapi_krb5.so.2 libkrb5.so.3 libk5crypto.so.3 libcom_err.so.2 libkrb5support.so.0
            libkeyutils.so.1"

# fetch_deb PACKAGE : the path of PACKAGE's amd64 .deb in $deb_cache, downloaded when apt's candidate is not there
# (without apt metadata: the newest one already downloaded)
fetch_deb() {
    local pkg="$1" version file
    version="$(apt-cache show --no-all-versions "$pkg" 2>/dev/null | awk '/^Version:/ {print $2; exit}')"
    if [[ -z "$version" && -z "$(ls -1 "$deb_cache/${pkg}"_*_amd64.deb 2>/dev/null)" ]]; then
        log "no apt metadata for $pkg: apt-get update"
        apt-get update -q >&2 || die "apt-get update failed"
        version="$(apt-cache show --no-all-versions "$pkg" 2>/dev/null | awk '/^Version:/ {print $2; exit}')"
    fi
    if [[ -z "$version" ]]; then
        file="$(ls -1 "$deb_cache/${pkg}"_*_amd64.deb 2>/dev/null | sort -V | tail -n 1 || true)"
        [[ -n "$file" ]] || die "cannot resolve $pkg (run apt-get update) and no .deb of it in $deb_cache"
        echo "$file"; return
    fi
    file="$deb_cache/${pkg}_${version//:/%3a}_amd64.deb"
    if [[ ! -f "$file" ]]; then
        mkdir -p "$deb_cache"
        log "downloading $pkg $version (apt-get download) into $deb_cache"
        (cd "$deb_cache" && apt-get download -q -o APT::Sandbox::User=root "$pkg=$version" >&2) ||
            die "apt-get download $pkg=$version failed"
        [[ -f "$file" ]] || die "apt-get download $pkg=$version left no $file"
    fi
    echo "$file"
}
socat_deb_files=()
for pkg in $socat_debs; do socat_deb_files+=("$(fetch_deb "$pkg")"); done

# --- the input hash ----------------------------------------------------------------------------------------
input_hash() {
    {
        echo "recipe-format 1"
        echo "epoch $epoch uuid $fs_uuid seed $hash_seed size $rootfs_size"
        echo "cmdline $cmdline"
        echo "modules $modules_wanted"
        echo "kernel $kernel_pkg $kernel_pkg_version $(sha256sum <"$kernel_deb" | cut -d' ' -f1)"
        echo "busybox $busybox_version $(sha256sum <"$busybox_bin" | cut -d' ' -f1)"
        for f in "${socat_deb_files[@]}"; do echo "deb ${f##*/} $(sha256sum <"$f" | cut -d' ' -f1)"; done
        echo "socat-libs $socat_libs"
        (cd "$here" && find build-base-image.sh agent initramfs rootfs \( -type f -o -type l \) -print0 | sort -z |
            while IFS= read -r -d '' f; do
                if [[ -L "$f" ]]; then echo "link $f $(readlink "$f")"
                else echo "file $f $(stat -c %a "$f") $(sha256sum <"$f" | cut -d' ' -f1)"; fi
            done)
    } | sha256sum | cut -c1-16
}
hash="$(input_hash)"
if [[ $print_hash -eq 1 ]]; then echo "$hash"; exit 0; fi

if [[ -z "$out" ]]; then
    dest="$cache/$hash"
    if [[ $force -eq 0 && -f "$dest/image.json" ]]; then
        ln -sfn "$hash" "$cache/csemu-base-latest"
        log "cached: $dest"
        echo "$dest"
        exit 0
    fi
    mkdir -p "$cache"
    chmod 0755 "$cache"
    work="$(mktemp -d "$cache/.build-$hash.XXXXXX")"
else
    [[ -e "$out" ]] && die "--out $out already exists"
    dest="$out"
    mkdir -p "$(dirname "$out")"
    work="$(mktemp -d "$(dirname "$out")/.build-$hash.XXXXXX")"
fi
trap 'rm -rf "$work"' EXIT
started=$(date +%s.%N)
log "building $image_name $hash (kernel $kernel_pkg $kernel_pkg_version, busybox $busybox_version)"

# --- 1. the kernel: the uncompressed ELF vmlinux out of the bzImage, and the modules the initramfs needs --------
kx="$work/kernel"
mkdir -p "$kx"
dpkg-deb --fsys-tarfile "$kernel_deb" | tar -x -C "$kx" --wildcards \
    "./boot/vmlinuz-$kver" "./boot/config-$kver" \
    "./lib/modules/$kver/modules.order" "./lib/modules/$kver/modules.builtin" "./lib/modules/$kver/modules.builtin.modinfo" \
    "./lib/modules/$kver/kernel/drivers/virtio/*" "./lib/modules/$kver/kernel/drivers/block/virtio_blk.ko" \
    "./lib/modules/$kver/kernel/drivers/net/virtio_net.ko" "./lib/modules/$kver/kernel/drivers/net/net_failover.ko" \
    "./lib/modules/$kver/kernel/net/core/*" "./lib/modules/$kver/kernel/drivers/char/virtio_console.ko" "./lib/modules/$kver/kernel/drivers/misc/pvpanic/*" \
    "./lib/modules/$kver/kernel/fs/ext4/*" "./lib/modules/$kver/kernel/fs/jbd2/*" "./lib/modules/$kver/kernel/fs/mbcache.ko" \
    "./lib/modules/$kver/kernel/lib/*" "./lib/modules/$kver/kernel/crypto/*" \
    || die "cannot extract kernel and modules from $kernel_deb"
bz="$kx/boot/vmlinuz-$kver"

# Read little-endian unsigned integers out of a file: u FILE OFFSET BYTES
u() { od -An -t "u$3" -j "$2" -N "$3" "$1" | tr -d ' \n'; }

# The bzImage header (Documentation/x86/boot.rst): the protected-mode part starts at (setup_sects + 1) * 512;
# payload_offset (0x248) and payload_length (0x24c) locate the compressed vmlinux inside it.
[[ "$(dd if="$bz" bs=1 skip=$((0x202)) count=4 status=none)" == "HdrS" ]] || die "$bz is not a bzImage"
setup_sects=$(u "$bz" $((0x1f1)) 1)
[[ $setup_sects -eq 0 ]] && setup_sects=4
payload_offset=$(u "$bz" $((0x248)) 4)
payload_length=$(u "$bz" $((0x24c)) 4)
payload_start=$(( (setup_sects + 1) * 512 + payload_offset ))
magic="$(od -An -t x1 -j "$payload_start" -N 6 "$bz" | tr -d ' \n')"
case "$magic" in
    fd377a585a00*) decompress="xz -dc --single-stream" ;;
    1f8b*) decompress="gzip -dc" ;;
    28b52ffd*) need zstd zstd; decompress="zstd -dcq" ;;
    425a68*) need bzip2 bzip2; decompress="bzip2 -dc" ;;
    5d0000*) decompress="xz -dc --format=lzma" ;;
    *) die "unknown compression of the kernel payload (magic $magic)" ;;
esac
tail -c +$((payload_start + 1)) "$bz" | $decompress >"$work/vmlinux" 2>/dev/null || true
[[ "$(od -An -c -N 4 "$work/vmlinux" | tr -d ' ')" == '177ELF' ]] || die "the decompressed kernel payload is not an ELF file"

# PVH direct boot needs the XEN_ELFNOTE_PHYS32_ENTRY note (name "Xen", type 18) in a PT_NOTE segment.
has_pvh_note() {
    local f="$1" phoff phentsize phnum i ph type off size pos end namesz descsz ntype name
    phoff=$(u "$f" 32 8); phentsize=$(u "$f" 54 2); phnum=$(u "$f" 56 2)
    for ((i = 0; i < phnum; i++)); do
        ph=$((phoff + i * phentsize))
        type=$(u "$f" "$ph" 4)
        [[ $type -eq 4 ]] || continue
        off=$(u "$f" $((ph + 8)) 8); size=$(u "$f" $((ph + 32)) 8)
        pos=$off; end=$((off + size))
        while ((pos + 12 <= end)); do
            namesz=$(u "$f" "$pos" 4); descsz=$(u "$f" $((pos + 4)) 4); ntype=$(u "$f" $((pos + 8)) 4)
            name="$(dd if="$f" bs=1 skip=$((pos + 12)) count=3 status=none)"
            [[ "$name" == "Xen" && $ntype -eq 18 ]] && return 0
            pos=$((pos + 12 + (namesz + 3) / 4 * 4 + (descsz + 3) / 4 * 4))
        done
    done
    return 1
}
has_pvh_note "$work/vmlinux" || die "vmlinux of $kernel_pkg has no PVH entry note (XEN_ELFNOTE_PHYS32_ENTRY): cannot direct-boot it"

# Modules in dependency order (modprobe --show-depends over a depmod of the extracted tree). Debian's System.map
# is a placeholder, so completeness is checked against the depends= field every .ko carries from its build.
depmod -b "$kx" "$kver" 2>"$work/depmod.err" || die "depmod failed: $(cat "$work/depmod.err")"
: >"$work/modules.list"
for m in $modules_wanted; do
    modprobe -d "$kx" -S "$kver" --show-depends "$m" >"$work/deps" 2>&1 || die "modprobe --show-depends $m: $(cat "$work/deps")"
    while read -r verb path _; do
        case "$verb" in
            insmod) rel="${path#"$kx"/lib/modules/"$kver"/}"
                    grep -qxF "$rel" "$work/modules.list" || echo "$rel" >>"$work/modules.list" ;;
            builtin) ;;
            *) die "unexpected modprobe output for $m: $verb $path" ;;
        esac
    done <"$work/deps"
done
sed 's|.*/||; s|\.ko$||; s|-|_|g' "$work/modules.list" >"$work/modules.names"
while read -r rel; do
    for dep in $(modinfo -F depends "$kx/lib/modules/$kver/$rel" | tr ',' ' '); do
        grep -qxF "${dep//-/_}" "$work/modules.names" || die "module $rel needs $dep, which was not extracted from $kernel_pkg"
    done
done <"$work/modules.list"

# --- 2. the initramfs: busybox + modules + /init, a sorted newc cpio with fixed owners and times ----------------
ir="$work/initramfs"
mkdir -p "$ir"/{bin,dev,proc,sys,newroot,lib/modules}
cp "$busybox_bin" "$ir/bin/busybox"
ln -s busybox "$ir/bin/sh"
install -m 0755 "$here/initramfs/init" "$ir/init"
cp "$work/modules.list" "$ir/modules.list"
while read -r rel; do
    mkdir -p "$ir/lib/modules/$(dirname "$rel")"
    cp "$kx/lib/modules/$kver/$rel" "$ir/lib/modules/$rel"
done <"$work/modules.list"
mknod -m 0600 "$ir/dev/console" c 5 1
mknod -m 0666 "$ir/dev/null" c 1 3
find "$ir" -exec touch -h -d "@$epoch" {} +
(cd "$ir" && find . -print0 | sort -z | cpio --quiet --null -o -H newc -R 0:0 --reproducible) >"$work/initrd.img"

# --- 3. the root filesystem: busybox with all applets, the agent, init; mkfs.ext4 -d, no loop mount ----------
rf="$work/rootfs"
mkdir -p "$rf"
cp -a "$here/rootfs/." "$rf/"
mkdir -p "$rf"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,run,tmp,root,home/csemu,mnt,var/log,var/lib/csemu-agent,var/www,csemu/config,csemu/local,csemu/approot,csemu/sitesroot,lib/systemd/system}
cp "$busybox_bin" "$rf/bin/busybox"
"$busybox_bin" --list-full | sort | while read -r applet; do
    [[ -e "$rf/$applet" || -L "$rf/$applet" ]] && continue
    mkdir -p "$rf/$(dirname "$applet")"
    ln -s /bin/busybox "$rf/$applet"
done
# socat and its libraries; the libraries go where Debian's ld.so looks without a cache, the loader where socat's
# ELF header names it. Checked by running the copied socat with the copied loader and nothing else.
dx="$work/debs"
mkdir -p "$dx" "$rf/lib/x86_64-linux-gnu" "$rf/lib64"
for f in "${socat_deb_files[@]}"; do dpkg-deb -x "$f" "$dx" || die "cannot extract $f"; done
install -m 0755 "$dx/usr/bin/socat" "$rf/usr/bin/socat"
for lib in $socat_libs; do
    src="$(find "$dx/lib" "$dx/usr/lib" -name "$lib" \( -type f -o -type l \) 2>/dev/null | sort | head -n 1)"
    [[ -n "$src" ]] || die "$lib is in none of: $socat_debs"
    install -m 0755 "$(readlink -f "$src")" "$rf/lib/x86_64-linux-gnu/$lib"
done
mv "$rf/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2" "$rf/lib64/ld-linux-x86-64.so.2"
socat_ld=("$rf/lib64/ld-linux-x86-64.so.2" --inhibit-cache --library-path "$rf/lib/x86_64-linux-gnu")
socat_deps="$("${socat_ld[@]}" --list "$rf/usr/bin/socat" 2>&1)" || die "the image's socat cannot load: $socat_deps"
outside="$(awk '/=>/ && $3 !~ "^'"$rf"'/" {print}' <<<"$socat_deps")"
[[ -z "$outside" ]] || die "the image's socat needs libraries the image lacks: $outside"
socat_check="$("${socat_ld[@]}" "$rf/usr/bin/socat" -V 2>&1)" || die "the image's socat does not run: $socat_check"
grep -q 'WITH_OPENSSL 1' <<<"$socat_check" || die "the image's socat has no OpenSSL: $socat_check"
socat_version="$(awk '/socat version/ {print $3; exit}' <<<"$socat_check")"

install -m 0755 "$here/agent/csemu-agent" "$rf/usr/sbin/csemu-agent"
install -m 0755 "$here/agent/csemu-role" "$rf/usr/bin/csemu-role"
install -m 0644 "$here/agent/csemu-agent.service" "$rf/lib/systemd/system/csemu-agent.service"
chmod 0700 "$rf/root"
chmod 1777 "$rf/tmp"
chmod 0640 "$rf/etc/shadow"
chown 1000:1000 "$rf/home/csemu"
echo "csemu-base $hash (kernel $kver, busybox $busybox_version, socat $socat_version)" >"$rf/etc/csemu/image-release"
find "$rf" -exec touch -h -d "@$epoch" {} +
truncate -s "$rootfs_size" "$work/rootfs.raw"
E2FSPROGS_FAKE_TIME="$epoch" mkfs.ext4 -q -F -t ext4 -L csemu-root -U "$fs_uuid" -b 4096 -I 256 \
    -E "hash_seed=$hash_seed,root_owner=0:0,lazy_itable_init=0,lazy_journal_init=0" -d "$rf" "$work/rootfs.raw" \
    || die "mkfs.ext4 -d failed"
# mkfs.ext4 1.47.0 copies each file's ctime, which nobody can set: pin every used inode's ctime with debugfs.
inodes_total=$(dumpe2fs -h "$work/rootfs.raw" 2>/dev/null | awk -F: '/^Inode count/ {print $2 + 0}')
inodes_free=$(dumpe2fs -h "$work/rootfs.raw" 2>/dev/null | awk -F: '/^Free inodes/ {print $2 + 0}')
{
    echo "sif <2> ctime @$epoch"
    for ((ino = 11; ino <= inodes_total - inodes_free; ino++)); do echo "sif <$ino> ctime @$epoch"; done
} >"$work/debugfs.cmds"
E2FSPROGS_FAKE_TIME="$epoch" debugfs -w -f "$work/debugfs.cmds" "$work/rootfs.raw" >/dev/null 2>"$work/debugfs.err" ||
    die "debugfs failed: $(tail -n 3 "$work/debugfs.err")"
grep -qv '^debugfs ' "$work/debugfs.err" && die "debugfs: $(grep -v '^debugfs ' "$work/debugfs.err" | head -n 3)"
E2FSPROGS_FAKE_TIME="$epoch" e2fsck -fn "$work/rootfs.raw" >"$work/fsck.log" 2>&1 || die "the root filesystem does not check clean: $(tail -n 5 "$work/fsck.log")"
qemu-img convert -q -f raw -O qcow2 "$work/rootfs.raw" "$work/rootfs.qcow2" || die "qemu-img convert failed"
rm -f "$work/rootfs.raw"

# --- 4. the image directory ---------------------------------------------------------------------------------
d="$work/image"
mkdir -p "$d"
mv "$work/vmlinux" "$work/initrd.img" "$work/rootfs.qcow2" "$d/"
printf '%s\n' "$cmdline" >"$d/cmdline"
files_json=""
for f in vmlinux initrd.img rootfs.qcow2 cmdline; do
    files_json+="${files_json:+,}
    {\"name\": \"$f\", \"sha256\": \"$(sha256sum <"$d/$f" | cut -d' ' -f1)\", \"size\": $(stat -c %s "$d/$f")}"
done
cat >"$d/image.json" <<EOF
{
  "name": "$image_name",
  "formatVersion": 1,
  "hash": "$hash",
  "kernel": "vmlinux",
  "initrd": "initrd.img",
  "disk": "rootfs.qcow2",
  "diskFormat": "qcow2",
  "rootDevice": "/dev/vda",
  "cmdline": "$cmdline",
  "kernelPackage": "$kernel_pkg",
  "kernelPackageVersion": "$kernel_pkg_version",
  "kernelVersion": "$kver",
  "busyboxVersion": "$busybox_version",
  "socatVersion": "$socat_version",
  "agentProtocolVersion": 1,
  "agentPort": "org.csemu.agent.0",
  "sourceDateEpoch": $epoch,
  "files": [$files_json
  ]
}
EOF
chmod 0444 "$d"/*
touch -h -d "@$epoch" "$d"/*
chmod 0755 "$d"

if [[ -z "$out" ]]; then
    if [[ -f "$dest/image.json" && $force -eq 0 ]]; then
        log "another build finished $dest first: keeping it (same inputs, same bytes)"
    else
        rm -rf "$dest"
        mv "$d" "$dest"
    fi
    ln -sfn "$hash" "$cache/csemu-base-latest"
else
    mv "$d" "$dest"
fi
log "built $dest in $(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b - a}') s"
echo "$dest"

#!/usr/bin/env bash
# bench/mkdisks.sh OUT WORKLOAD...
#
# Build the disks of the boot benchmark in OUT (build/bench), one set per
# workload (small: smart-os as built; big: the same with 64 MiB of random
# data appended to the initrd; debian: Debian's own 8 MB kernel instead of
# smart-os's with that 68 MB initrd -- the issues' reference load -- booted
# as far as `Linux version`).  Within a workload every loader gets a copy
# of ONE filesystem image, so the kernel and the initrd sit in the same
# blocks for all of them:
#
#   OUT/root-W/             the staging tree: build/rootfs + the loaders'
#                           files + the bench's power-off hook
#   OUT/W/plain.img         that tree on a disk, no boot code (the direct boot
#                           uses it as its root disk)
#   OUT/W/smartboot-32.img  smartboot, 32-bit hand-off   \ build/mbr.bin and
#   OUT/W/smartboot-16.img  smartboot, 16-bit hand-off   | build/stage2.bin,
#   OUT/W/smartboot-native.img  the native disk driver   / smartboot.cfg
#   OUT/W/grub-32.img       GRUB 2 i386-pc, `linux`      \ boot.img + core.img in
#   OUT/W/grub-16.img       GRUB 2 i386-pc, `linux16`    / the MBR gap, modules on /boot/grub
#   OUT/W/extlinux.img      EXTLINUX (needs root: its installer wants a mount)
#   OUT/W/probe.img         bench/probe.asm: raw INT 13h reads, no loader
#
# Also writes OUT/W/cases.tsv (what bench.py runs) and OUT/footprint.tsv.
# No root needed except for EXTLINUX, which is skipped, with a message,
# without it.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out=$1; shift
workloads=("$@")
build=$top/build
cmdline=${BENCH_CMDLINE:?}
part_offset=$((2048 * 512))          # scripts/mkdisk.sh: partition 1 at LBA 2048
grub_lib=/usr/lib/grub/i386-pc
extlinux_mbr=/usr/lib/EXTLINUX/mbr.bin
probe_mib=${BENCH_PROBE_MIB:-64}

mkdir -p "$out"
say() { echo "bench: $*"; }

# smartboot as `make` built it (build/mbr.bin, build/stage2.bin); what it
# boots comes from /boot/smartboot.cfg, like any install.
nasm -f bin -o "$out/probe.bin" "$top/bench/probe.asm"

# --- GRUB: core.img with what it needs to read /boot/grub ------------------------------
# Like grub-install: the disk driver, the partition map and the filesystem
# in core.img, everything else loaded from $prefix/i386-pc at run time.
have_grub=0
if [ -f "$grub_lib/boot.img" ] && command -v grub-mkimage >/dev/null; then
    have_grub=1
    grub-mkimage -O i386-pc -o "$out/grub-core.img" -p '(hd0,msdos1)/boot/grub' \
        biosdisk part_msdos ext2
else
    say "SKIP GRUB: grub-pc-bin is not installed (scripts/deps.sh installs it)"
fi
have_extlinux=0
if ! command -v extlinux >/dev/null || [ ! -f "$extlinux_mbr" ]; then
    say "SKIP EXTLINUX: extlinux / syslinux-common are not installed (scripts/deps.sh installs them)"
elif [ "$(id -u)" -ne 0 ]; then
    say "SKIP EXTLINUX: its installer only works on a mounted filesystem, and mounting needs root"
else
    have_extlinux=1
fi

grub_cfg() {   # grub_cfg linux|linux16
    local s=; [ "$1" = linux16 ] && s=16
    cat <<EOF
# make bench: boot at once, no menu.
set timeout=0
menuentry smart-os {
	linux$s /boot/bzImage $cmdline
	initrd$s /boot/initrd
}
EOF
}

smartboot_cfg() {   # smartboot_cfg 32|16 [bios|native]
    cat <<EOF
# make bench: boot at once, no menu; read the disk through INT 13h (bios),
# the path this benchmark is about, or with a native driver if one matches.
timeout 0
disk ${2:-bios}
entry smart-os
  kernel /boot/bzImage
  initrd /boot/initrd
  cmdline $cmdline
  handoff $1
EOF
}

# set_file IMG PATH FILE: replace PATH in IMG's filesystem by FILE.
set_file() {
    debugfs -w -R "rm $2" "$1?offset=$part_offset" >/dev/null 2>&1
    debugfs -w -R "write $3 $2" "$1?offset=$part_offset" >/dev/null 2>&1
}

# stage ROOT INITRD [KERNEL]: the staging tree, identical for every loader.
stage() {
    local root=$1 initrd=$2 kernel=${3:-}
    rm -rf "$root"
    cp -a "$build/rootfs" "$root"
    cp "$initrd" "$root/boot/initrd"
    [ -z "$kernel" ] || cp "$kernel" "$root/boot/bzImage"
    # QEMU exits when smart-os powers off: the end of the measured boot.
    cat > "$root/etc/init.d/S99bench-poweroff" <<'EOF'
#!/bin/sh
# make bench only: power off as soon as the boot is done.
[ "$1" = start ] && poweroff
exit 0
EOF
    chmod 755 "$root/etc/init.d/S99bench-poweroff"
    if [ $have_grub = 1 ]; then
        mkdir -p "$root/boot/grub/i386-pc"
        cp "$grub_lib"/*.mod "$grub_lib"/*.lst "$root/boot/grub/i386-pc/"
        grub_cfg linux16 > "$root/boot/grub/grub.cfg"
    fi
    smartboot_cfg 32 > "$root/boot/smartboot.cfg"
    mkdir -p "$root/boot/extlinux"
    cat > "$root/boot/extlinux/extlinux.conf" <<EOF
# make bench: boot at once, no prompt.
DEFAULT smart-os
PROMPT 0
TIMEOUT 0
LABEL smart-os
  LINUX /boot/bzImage
  INITRD /boot/initrd
  APPEND $cmdline
EOF
    find "$root" -newer "$build/rootfs.manifest" -exec touch -h -d "@${SOURCE_DATE_EPOCH:-1704067200}" {} +
}

# debian_kernel: Debian's own kernel (linux-image-amd64's bzImage, 8 MB,
# relocatable, init_size 64 MiB), for the "debian" workload: the load the
# issues' reference figures were taken with (8 MB kernel + 68 MB initrd),
# and the cost of the 32-bit hand-off with a kernel like the ones users boot.  Only
# /boot/vmlinuz-* is taken from the package, kept in build/debs/.
debian_kernel() {
    local pkg deb k
    pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
    [ -n "$pkg" ] || return 1
    k=$build/debs/$pkg.vmlinuz
    if [ ! -s "$k" ]; then
        mkdir -p "$build/debs"
        deb=$(ls "$build/debs/${pkg}"_*.deb 2>/dev/null | head -1)
        if [ -z "$deb" ]; then
            (cd "$build/debs" && apt-get download -q "$pkg" >/dev/null 2>&1) || return 1
            deb=$(ls "$build/debs/${pkg}"_*.deb 2>/dev/null | head -1)
            [ -n "$deb" ] || return 1
        fi
        dpkg-deb --fsys-tarfile "$deb" | tar -xO --wildcards './boot/vmlinuz-*' > "$k.tmp" && mv "$k.tmp" "$k"
    fi
    echo "$k"
}

# copy_of W NAME: a fresh copy of W's plain disk.
copy_of() { cp --sparse=always "$out/$1/plain.img" "$out/$1/$2.img"; echo "$out/$1/$2.img"; }

footprint=$out/footprint.tsv
: > "$footprint"
fp() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >> "$footprint"; }

for w in "${workloads[@]}"; do
    d=$out/$w; mkdir -p "$d"
    kernel=
    case $w in
        small)  initrd=$build/initrd ;;
        big)    initrd=$d/initrd; python3 "$top/bench/patch.py" big-initrd "$build/initrd" "$initrd" 64 ;;
        debian) kernel=$(debian_kernel) || { say "SKIP debian: could not fetch Debian's linux-image-amd64"; continue; }
                initrd=$d/initrd; python3 "$top/bench/patch.py" big-initrd "$build/initrd" "$initrd" 64 ;;
        *)      echo "mkdisks: unknown workload '$w' (small, big, debian)" >&2; exit 2 ;;
    esac
    say "$w: disks (kernel $(( $(stat -c %s "${kernel:-$build/bzImage}") / 1024 )) KiB, initrd $(( $(stat -c %s "$initrd") / 1024 )) KiB)"
    stage "$out/root-$w" "$initrd" "$kernel"
    "$top/scripts/mkdisk.sh" -b -t ext2 "$out/root-$w" "$d/plain.img" >/dev/null
    cases=$d/cases.tsv
    printf 'id\tkind\tentry\tdisk\tkernel\tinitrd\n' > "$cases"
    kbytes=$(stat -c %s "$out/root-$w/boot/bzImage") ibytes=$(stat -c %s "$out/root-$w/boot/initrd")
    add() { printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$kbytes" "$ibytes" >> "$cases"; }

    # smartboot-32 and -16 read through INT 13h; smartboot-native as
    # stage 2 does by default: a native driver if one matches (PIIX IDE on
    # -M pc), else INT 13h.
    for e in 32 16 native; do
        img=$(copy_of "$w" smartboot-$e)
        case $e in
            16)     smartboot_cfg 16 > "$d/smartboot-$e.cfg" ;;
            native) smartboot_cfg 32 native > "$d/smartboot-$e.cfg" ;;
        esac
        [ $e = 32 ] || set_file "$img" /boot/smartboot.cfg "$d/smartboot-$e.cfg"
        "$build/smartboot-install" --stage1 "$build/mbr.bin" --stage2 "$build/stage2.bin" \
            --backup "$img.backup" "$img" >/dev/null
        rm -f "$img.backup"
        add smartboot-$e boot "${e/native/32}" "$img"
    done

    if [ $have_grub = 1 ]; then
        for e in 32 16; do
            img=$(copy_of "$w" grub-$e)
            if [ $e = 32 ]; then
                grub_cfg linux > "$d/grub.cfg"
                set_file "$img" /boot/grub/grub.cfg "$d/grub.cfg"
            fi
            python3 "$top/bench/patch.py" grub-setup "$img" "$grub_lib/boot.img" "$out/grub-core.img"
            add grub-$e boot $e "$img"
        done
        # For the footprint: the same boot, listing the modules GRUB loaded
        # (lsmod, on the serial line; bench.py grub-modules reads it).
        if [ "$w" = "${workloads[0]}" ]; then
            cp --sparse=always "$d/grub-16.img" "$out/grub-lsmod.img"
            { echo "serial --unit=0 --speed=115200"; echo "terminal_output serial"
              grub_cfg linux16 | sed 's/^}$/\tlsmod\n}/'; } > "$d/grub-lsmod.cfg"
            set_file "$out/grub-lsmod.img" /boot/grub/grub.cfg "$d/grub-lsmod.cfg"
        fi
    fi

    if [ $have_extlinux = 1 ]; then
        img=$(copy_of "$w" extlinux)
        mnt=$(mktemp -d)
        mount -o loop,offset=$part_offset "$img" "$mnt"
        if extlinux --install "$mnt/boot/extlinux" >"$d/extlinux.log" 2>&1; then
            ok=1
            [ "$w" = "${workloads[0]}" ] && for f in ldlinux.sys ldlinux.c32; do
                fp extlinux "$f" "$(stat -c %s "$mnt/boot/extlinux/$f")"; done
        else
            ok=0
        fi
        umount "$mnt"; rmdir "$mnt"
        [ $ok = 1 ] || { cat "$d/extlinux.log" >&2; exit 1; }
        dd if="$extlinux_mbr" of="$img" bs=440 count=1 conv=notrunc status=none
        add extlinux boot 16 "$img"
    fi

    add direct direct 16 "$d/plain.img"

    [ "$w" = debian ] && continue           # the probe needs no other kernel
    # The probe reads the partition: it must be at least probe_mib long.
    img=$(copy_of "$w" probe)
    sectors=$(( probe_mib * 2048 ))
    part_sectors=$(( $(stat -c %s "$img") / 512 - 2048 ))
    [ $sectors -le $part_sectors ] || sectors=$(( part_sectors / 128 * 128 ))
    python3 "$top/bench/patch.py" probe "$img" "$out/probe.bin" 2048 $sectors 128
    printf 'probe\tprobe\t-\t%s\t%s\t0\n' "$img" $((sectors * 512)) >> "$cases"
done

# --- Footprints: what each loader puts on the disk ---------------------------------
s2=$(stat -c %s "$build/stage2.bin")
fp smartboot "stage 1 (mbr.bin, code)" 440
fp smartboot "stage 2 (stage2.bin)" "$s2"
if [ $have_grub = 1 ]; then
    fp grub "boot.img" 512
    fp grub "core.img (biosdisk part_msdos ext2)" "$(stat -c %s "$out/grub-core.img")"
fi
[ $have_extlinux = 1 ] && fp extlinux "mbr.bin" "$(stat -c %s "$extlinux_mbr")"
true

#!/usr/bin/env bash
# mkinitrd.sh OUT
#
# Build the smart-os initrd, OUT: a gzip'd cpio archive ("newc" format, the
# one the kernel unpacks) holding the static BusyBox, a link per applet and
# rootfs/initrd/init.  No root needed: cpio -R 0:0 records every file as
# root's whatever its owner on the build machine.
#
# Needs build/debs/busybox-static (scripts/get-deb.sh) and the kernel tree
# (build/kernel/usr/gen_init_cpio, see below).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out=$1
busybox=$top/build/debs/busybox-static/bin/busybox
gen_init_cpio=$top/build/kernel/usr/gen_init_cpio
# Every file gets this modification time, so that the same inputs give the
# same initrd, byte for byte.
epoch=${SOURCE_DATE_EPOCH:-1704067200}

for f in "$busybox" "$gen_init_cpio" "$top/rootfs/initrd/init"; do
    [ -e "$f" ] || { echo "mkinitrd: $f missing" >&2; exit 1; }
done
# The initrd has no C library: a dynamic BusyBox would not even start.
if readelf -l "$busybox" | grep -q 'program interpreter'; then
    echo "mkinitrd: $busybox is dynamically linked; the initrd needs busybox-static" >&2; exit 1
fi

stage=$out.d
rm -rf "$stage"
mkdir -p "$stage"/{bin,dev,proc,sys,newroot}
install -m 0755 "$busybox" "$stage/bin/busybox"
install -m 0755 "$top/rootfs/initrd/init" "$stage/init"
# One link per applet, all in /bin (the initrd's whole PATH), made by one
# perl process rather than 270 `ln` processes (perl-base is in every
# Debian system).
"$busybox" --list | (cd "$stage/bin" &&
    perl -nle 'symlink("busybox", $_) or die "$_: $!\n" unless $_ eq "busybox"')
find "$stage" -exec touch -h -d "@$epoch" {} +

# The kernel opens /dev/console for init's stdin/out/err before it runs
# /init.  Without the node there, /init would start with no console at
# all, and its first messages (until it mounts devtmpfs) would be lost.
# Making a device node needs root, so it cannot come from the staging
# directory; the kernel's own gen_init_cpio writes it straight into a
# second archive.  The kernel unpacks concatenated archives one after the
# other, as if they were one.
printf '%s\n' 'dir /dev 0755 0 0' 'nod /dev/console 0600 0 0 c 5 1' > "$out.console"

{
    # Sorted names and --reproducible (no inode or device numbers) make
    # the archive depend on the files only.
    (cd "$stage" && find . -mindepth 1 | LC_ALL=C sort |
        cpio -o -H newc -R 0:0 --reproducible --quiet)
    "$gen_init_cpio" -t "$epoch" "$out.console"
} | gzip -9 -n > "$out.tmp"
rm -f "$out.console"
mv "$out.tmp" "$out"
echo "initrd: $out ($(du -k "$out" | cut -f1) KiB, $(find "$stage" -mindepth 1 | wc -l) files)"

#!/usr/bin/env bash
# mkrootfs.sh [--gcc] OUTDIR
#
# Assemble the smart-os root filesystem in the staging directory OUTDIR
# (build/rootfs): BusyBox and its applet links, the glibc pieces they need,
# the /etc files of rootfs/skel, the demo module, the kernel and initrd in
# /boot.  --gcc adds gcc, binutils and the C headers and libraries from the
# host's Debian packages.  scripts/mkdisk.sh then turns OUTDIR into a disk.
#
# Inputs (made by mk/smartos.mk): build/bzImage, build/initrd,
# build/module/hello.ko, build/kernel (the kernel tree), build/debs/busybox.
# Environment: ROOT_PASSWORD (default "smartos"), SOURCE_DATE_EPOCH.
#
# OUTDIR is rebuilt from scratch every time (a second or two; with --gcc a
# few more), so a file removed from rootfs/skel disappears from the image
# too.  OUTDIR.manifest lists every file with its checksum; it is rewritten
# only when something changed, and the disk image depends on it.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=$top/build

gcc=0
[ "${1:-}" = --gcc ] && { gcc=1; shift; }
out=${1:?usage: mkrootfs.sh [--gcc] OUTDIR}
password=${ROOT_PASSWORD-smartos}
epoch=${SOURCE_DATE_EPOCH:-1704067200}

busybox=$build/debs/busybox/bin/busybox
kver=$(cat "$build/kernel/include/config/kernel.release" 2>/dev/null || true)
for f in "$busybox" "$build/bzImage" "$build/initrd" "$build/module/hello.ko"; do
    [ -e "$f" ] || { echo "rootfs: $f missing (run make)" >&2; exit 1; }
done
[ -n "$kver" ] || { echo "rootfs: no kernel release in build/kernel (run make kernel)" >&2; exit 1; }

stage=$out.tmp
rm -rf "$stage"
mkdir -p "$stage"

# --- Directories ---------------------------------------------------------------
# The classic layout, not Debian's merged /usr: small and easy to read.
# /dev, /proc, /sys, /run, /tmp are mount points (filled at boot).
(cd "$stage" && mkdir -p bin sbin usr/bin usr/sbin lib lib64 etc boot home \
    dev proc sys run tmp mnt/sdb var/log var/tmp root)
chmod 1777 "$stage/tmp" "$stage/var/tmp"
chmod 0700 "$stage/root"
ln -s ../run "$stage/var/run"            # pid files land on the tmpfs

# --- /etc and friends ----------------------------------------------------------
cp -a "$top/rootfs/skel/." "$stage/"
# The root password, hashed (SHA-512 crypt, "$6$") with BusyBox's own
# mkpasswd, so the build needs no other tool.  The salt is derived from the
# password: the same password always gives the same image.
salt=$(printf '%s' "$password" | sha256sum | cut -c1-16)
hash=$("$busybox" mkpasswd -m sha512 "$password" "$salt")
sed "s|@ROOT_HASH@|$hash|" "$stage/etc/shadow.in" > "$stage/etc/shadow"
rm "$stage/etc/shadow.in"
chmod 0600 "$stage/etc/shadow"

# --- BusyBox -------------------------------------------------------------------
# Debian's dynamic BusyBox (linked against glibc: users, groups and host
# names are looked up through NSS, like on any Debian system).  Each applet
# is a symlink at the place --list-full names (sbin/init, bin/sh, ...).
install -m 0755 "$busybox" "$stage/bin/busybox"
# One perl process makes the 400 links: 400 `ln` processes take seconds
# on a slow machine.  (perl-base is part of every Debian system.)
"$busybox" --list-full | (cd "$stage" &&
    perl -nle 'symlink("/bin/busybox", $_) or die "$_: $!\n" unless -e $_ or -l $_')

# --- The demo module -----------------------------------------------------------
# Where modprobe looks: /lib/modules/<kernel release>/, with the index
# depmod writes.  extra/ is the customary place for out-of-tree modules.
moddir=$stage/lib/modules/$kver
install -D -m 0644 "$build/module/hello.ko" "$moddir/extra/hello.ko"
# The kernel's own modules (modules.order lists them) and the list of
# what is built in, so that `modprobe ext4` says "built in" instead of
# "not found".
while read -r m; do
    install -D -m 0644 "$build/kernel/$m" "$moddir/kernel/$m"
done < "$build/kernel/modules.order"
cp "$build/kernel/modules.order" "$build/kernel/modules.builtin" \
    "$build/kernel/modules.builtin.modinfo" "$moddir/"
depmod -b "$stage" "$kver"

# --- The kernel and the initrd ---------------------------------------------------
# Where the boot loader reads them.
install -m 0644 "$build/bzImage" "$stage/boot/bzImage"
install -m 0644 "$build/initrd" "$stage/boot/initrd"

# --- gcc (WITH_GCC=1) ----------------------------------------------------------
if [ $gcc -eq 1 ]; then
    "$top/scripts/add-gcc.sh" "$stage"
fi

# --- glibc -----------------------------------------------------------------------
# Every shared library the programs above need, found from their dynamic
# sections, and the loader at /lib64/ld-linux-x86-64.so.2.
"$top/scripts/copy-libs.sh" "$stage"
# The NSS modules for "files" and "dns" (see /etc/nsswitch.conf).  In glibc
# 2.36 both are built into libc.so.6 and these two files are empty
# placeholders; we ship them so that a program built against an older
# glibc that links them by name still starts.
for nss in libnss_files.so.2 libnss_dns.so.2; do
    cp -a "/lib/x86_64-linux-gnu/$nss" "$stage/lib/x86_64-linux-gnu/"
done

# --- Done ----------------------------------------------------------------------
# Fixed modification times: the image depends on the contents only.
find "$stage" -exec touch -h -d "@$epoch" {} +
rm -rf "$out"
mv "$stage" "$out"

# The manifest: one line per file (type, mode, size, symlink target,
# checksum).  Rewritten only when different, so make rebuilds the disk
# only when the contents changed.
manifest=$out.manifest
(cd "$out" && find . -printf '%y %m %s %p -> %l\n' | LC_ALL=C sort &&
    find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) > "$manifest.tmp"
if cmp -s "$manifest.tmp" "$manifest"; then
    rm "$manifest.tmp"
else
    mv "$manifest.tmp" "$manifest"
    flavour=; [ $gcc -eq 1 ] && flavour=", with gcc"
    echo "rootfs: $out ($(du -sm "$out" | cut -f1) MiB, $(find "$out" | wc -l) files$flavour)"
fi

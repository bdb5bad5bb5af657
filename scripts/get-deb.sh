#!/usr/bin/env bash
# get-deb.sh PACKAGE DEBDIR
#
# Fetch Debian's PACKAGE as a .deb into DEBDIR (once: the .deb is the cache)
# and unpack it into DEBDIR/PACKAGE/, without installing it on the host;
# DEBDIR/PACKAGE.unpacked marks a complete unpack.
#
# Why not `apt-get install`: busybox and busybox-static conflict (both own
# /bin/busybox), and we need both: the dynamic one for the root filesystem,
# the static one for the initrd, which has no C library.  `apt-get download`
# works without root and without touching the host's installed packages.
set -euo pipefail
pkg=$1 debdir=$2
mkdir -p "$debdir"
cd "$debdir"

# download: fetch the .deb into the current directory.  apt-get warns when
# root downloads into a directory its sandbox user (_apt) cannot write; the
# download works all the same.
download() { apt-get download -q "$pkg" 2>&1 | grep -v 'unsandboxed' || true; }
found() { deb=$(ls "${pkg}"_*.deb 2>/dev/null | head -n 1 || true); [ -n "$deb" ]; }

if ! found; then
    echo "deb: downloading $pkg"
    download
    if ! found; then
        # A fresh machine may have no package lists yet ("Unable to locate
        # package"): refresh them, as scripts/deps.sh does, and try again.
        echo "deb: updating the package lists and trying again"
        sudo=; [ "$(id -u)" -eq 0 ] || sudo=sudo
        $sudo apt-get update -q >/dev/null || true
        download
        found || { echo "deb: 'apt-get download $pkg' failed (is the Debian archive reachable?)" >&2; exit 1; }
    fi
fi

# Unpack into a fresh directory, then rename: an interrupted run leaves no
# half-unpacked tree behind that a later run would take for complete.
rm -rf "$pkg.tmp"
dpkg-deb -x "$deb" "$pkg.tmp"
rm -rf "$pkg"
mv "$pkg.tmp" "$pkg"
# dpkg-deb keeps the packaged file times, which are older than anything
# here; make looks at this stamp instead.
touch "$pkg.unpacked"
echo "deb: $deb unpacked in $debdir/$pkg"

#!/usr/bin/env bash
# scripts/fuzz-iso-seeds.sh DIR: the seed images of the ISO 9660 fuzz target
# (tests/host/fuzz_iso9660.c), small (-no-pad: at most 128 KiB) xorriso
# images.  Their output is committed in tests/fuzz/fuzz-iso9660/; run this
# again only to change the seeds.
set -eu
out=$1
top=$(cd "$(dirname "$0")/.." && pwd)
w=$(mktemp -d); trap 'rm -rf "$w"' EXIT
mkdir -p "$out" "$w/t/boot" "$w/t/a/b/c/d/e/f/g/h/i" "$w/t/names" "$w/t/m"
printf 'kernel\n' >"$w/t/boot/bzImage"
printf 'title live\n' >"$w/t/boot/smartboot.cfg"
printf 'deep\n' >"$w/t/a/b/c/d/e/f/g/h/i/deep"
printf 'long\n' >"$w/t/names/$(printf 'a-long-rock-ridge-name-%.0s' 1 2 3 4 5 6 7 8)end"
head -c 12288 /dev/zero | tr '\0' 'm' >"$w/t/m/three"
ln -s boot/bzImage "$w/t/link"
mk() { xorriso -as mkisofs -no-pad "$@" -o "$w/x.iso" "$w/t" >/dev/null 2>&1; }
mk -R -J -V RR;  cp "$w/x.iso" "$out/rock-ridge.iso"
mk --norock;     cp "$w/x.iso" "$out/iso-names.iso"
mk -R -V MULTI;  python3 "$top/tests/iso-craft.py" split "$w/x.iso" /m three 3
cp "$w/x.iso" "$out/multi-extent.iso"
ls -l "$out"

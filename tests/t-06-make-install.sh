#!/usr/bin/env bash
# expect: 9 host
# `make install` / `make uninstall` into a temporary DESTDIR and PREFIX, and
# the installed smartboot-install used as a system tool:
#   - the program, its two stages and its manual page land where the page
#     says (PREFIX/sbin, PREFIX/lib/smartboot, PREFIX/share/man/man8), with
#     modes 0755 and 0644, the stages byte-identical to the build's;
#   - the page renders without a warning (groff -ww -man, and man -l);
#   - the installed program, given no --stage1/--stage2, finds the installed
#     stages (nothing lies beside it in sbin) and installs them on a scratch
#     MBR image: sector 1 is stage2.bin's first sector, MBR bytes 0-439 are
#     stage 1's code with the patch fields; and it still does after the
#     whole prefix is moved elsewhere (it looks relative to itself);
#   - make uninstall removes every installed file.
source "$(dirname "$0")/lib.sh"
work=$TLOG/make-install; rm -rf "$work"; mkdir -p "$work"
for f in smartboot-install mbr.bin stage2.bin; do
    [ -f "$BUILD/$f" ] || { fail "build/$f exists" "run make first"; exit 1; }
done
dest=$work/dest prefix=/opt/sb
if ! make -s -C "$TOP" install DESTDIR="$dest" PREFIX="$prefix" > "$work/install.log" 2>&1; then
    fail "make install DESTDIR=... PREFIX=$prefix" "$(tail -5 "$work/install.log")"; exit 1
fi
root=$dest$prefix
mode_is() { [ "$(stat -c %a "$1")" = "$2" ]; }
check "make install: sbin/smartboot-install, mode 0755" mode_is "$root/sbin/smartboot-install" 755
check "make install: lib/smartboot/mbr.bin is build/mbr.bin, mode 0644" \
    bash -c "cmp -s '$root/lib/smartboot/mbr.bin' '$BUILD/mbr.bin' && [ \$(stat -c %a '$root/lib/smartboot/mbr.bin') = 644 ]"
check "make install: lib/smartboot/stage2.bin is build/stage2.bin, mode 0644" \
    bash -c "cmp -s '$root/lib/smartboot/stage2.bin' '$BUILD/stage2.bin' && [ \$(stat -c %a '$root/lib/smartboot/stage2.bin') = 644 ]"
check "make install: share/man/man8/smartboot-install.8" cmp -s "$root/share/man/man8/smartboot-install.8" "$TOP/tools/smartboot-install.8"

# The manual page: no warning from groff at its strictest, and man -l shows
# the sections.
warn=$(groff -ww -man -Tutf8 -z "$root/share/man/man8/smartboot-install.8" 2>&1)
[ -z "$warn" ] && pass "smartboot-install.8 renders without a warning (groff -ww -man)" \
    || fail "smartboot-install.8 renders without a warning (groff -ww -man)" "$(head -3 <<<"$warn")"
page=$(MANWIDTH=80 man -l "$root/share/man/man8/smartboot-install.8" 2>"$work/man.err" | col -b)
if [ ! -s "$work/man.err" ] && grep -q '^SYNOPSIS' <<<"$page" && grep -q '^EXIT STATUS' <<<"$page" && grep -q 'lib/smartboot/stage2.bin' <<<"$page"; then
    pass "man -l shows the page (SYNOPSIS, EXIT STATUS, FILES with the stages' place)"
else
    fail "man -l shows the page" "$(head -3 "$work/man.err")"
fi

# A scratch disk: an MBR with one partition at sector 2048, nothing else.
scratch() {
    truncate -s 4M "$1"
    printf 'label: dos\nlabel-id: 0x12345678\nstart=2048, type=83\n' | sfdisk -q --no-reread --no-tell-kernel "$1"
}
# installed_ok IMG: smartboot is on IMG, with the build's stages.
installed_ok() {
    cmp -s -n 512 "$BUILD/stage2.bin" <(dd if="$1" bs=512 skip=1 count=1 status=none) &&
    cmp -s -n 432 "$BUILD/mbr.bin" "$1" &&              # stage 1's code and data (0x000-0x1AF)
    [ "$(od -An -tu4 -j $((0x1B0)) -N4 "$1" | tr -d ' ')" = 1 ]     # stage2_lba = 1
}
scratch "$work/a.img"
if "$root/sbin/smartboot-install" --backup "$work/a.backup" "$work/a.img" > "$work/a.log" 2>&1 && installed_ok "$work/a.img"; then
    pass "the installed smartboot-install finds its stages in PREFIX/lib/smartboot and installs them ($(head -c 90 "$work/a.log")...)"
else
    fail "the installed smartboot-install installs its stages from PREFIX/lib/smartboot" "$(head -3 "$work/a.log")"
fi
mv "$dest/opt/sb" "$dest/opt/moved"
scratch "$work/b.img"
if "$dest/opt/moved/sbin/smartboot-install" --backup "$work/b.backup" "$work/b.img" > "$work/b.log" 2>&1 && installed_ok "$work/b.img"; then
    pass "a moved prefix still works: the stages are found relative to the program"
else
    fail "a moved prefix still works" "$(head -3 "$work/b.log")"
fi
mv "$dest/opt/moved" "$dest/opt/sb"

if make -s -C "$TOP" uninstall DESTDIR="$dest" PREFIX="$prefix" > "$work/uninstall.log" 2>&1 &&
   [ -z "$(find "$dest" -type f)" ]; then
    pass "make uninstall removes every installed file"
else
    fail "make uninstall removes every installed file" "left: $(find "$dest" -type f | tr '\n' ' ')"
fi

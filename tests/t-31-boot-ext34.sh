#!/usr/bin/env bash
# smartboot boots smart-os from ext3 and ext4 disks as mke2fs makes them
# today (Debian 12's default features, 1 KiB blocks: ext4 is then 64bit,
# extent, flex_bg, metadata_csum, huge_file, dir_nlink, extra_isize), made
# here from build/rootfs with scripts/mkdisk.sh (mke2fs -d, sfdisk, dd; no
# root, no mounts) and smartboot-install.  And on serial:
#   - ext3 whose journal needs recovery: the loader warns and boots (the
#     kernel replays the journal);
#   - ext4 with the 'encrypt' feature: the loader refuses, naming it.
# expect: 8 boot
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/boot-lib.sh"
work=$(mktemp -d "$TLOG/t-31.XXXXXX")
trap 'rm -rf "$work"' EXIT

# boots NAME FS WHAT EXPECT...: make the disk (after FIX, a debugfs request,
# if set), boot it, wait for each EXPECT on serial; then, if NEVER is set,
# watch 15 s more for it (a regex) and fail if it appears or QEMU is gone.
boots() {
    local name=$1 fs=$2 what=$3 img; shift 3
    if ! img=$(new_fs_disk "$name" "$fs" 2>"$work/$name.err"); then
        fail "$what" "$(cat "$work/$name.err")"; return
    fi
    [ -n "${FIX:-}" ] && debugfs -w -R "$FIX" "$img$PART" >/dev/null 2>&1
    dumpe2fs -h "$img$PART" 2>/dev/null | grep -E '^(Filesystem features|Block size):' > "$work/$name.features"
    local steps=() e
    for e in "$@"; do steps+=(-e "$e"); done
    [ -n "${NEVER:-}" ] && steps+=(-d 15 -n "$NEVER" -a)
    if console "t-31-$name" -t 120 "${steps[@]}" -- -drive "file=$img,format=raw,if=ide" \
            2>"$work/$name.err"; then
        pass "$what"
    else
        fail "$what" "$(head -c 600 "$work/$name.err")"
    fi
    rm -f "$img"
}
# The loader said nothing about checksums or damage on the way.
clean_log() {
    if tr -d '\r' < "$TLOG/t-31-$1.log" | grep -E '^ext[234]: ' | grep -v 'warning: the journal'; then
        fail "$2" "the loader complained (above)"
    else
        pass "$2"
    fi
}

boots ext3 ext3 "ext3, 1 KiB blocks: smartboot loads the kernel and initrd, smart-os reaches init" \
    'loading /boot/bzImage .* ok' 'loading /boot/initrd .* ok' 'smart-os: init reached'
clean_log ext3 "ext3: no loader message about the filesystem"

boots ext4 ext4 "ext4 (Debian's defaults, 1 KiB blocks): smartboot loads the kernel and initrd, smart-os reaches init" \
    'loading /boot/bzImage .* ok' 'loading /boot/initrd .* ok' 'smart-os: init reached'
clean_log ext4 "ext4: no checksum mismatch or other loader message about the filesystem"
f=$(tr -s ' ' < "$work/ext4.features")
if echo "$f" | grep -q 'Block size: 1024' &&
        for x in 64bit extent flex_bg metadata_csum huge_file dir_nlink extra_isize; do
            echo "$f" | grep -qw -- "$x" || exit 1; done; then
    pass "ext4: the disk had 1 KiB blocks and 64bit, extent, flex_bg, metadata_csum, huge_file, dir_nlink, extra_isize"
else
    fail "ext4: the disk had Debian's ext4 features and 1 KiB blocks" "$f"
fi

FIX="feature needs_recovery" boots ext3-recover ext3 \
    "ext3 that needs recovery: the loader warns that files may be stale, and smart-os still reaches init" \
    'ext3: warning: the journal needs recovery; files may be stale' 'smart-os: init reached'

# No kernel is started: in the 15 s after the refusal (the kernel is
# loaded and started in 3 s here), no hand-off line and no kernel line,
# and QEMU still runs (the menu or a visible halt).  The log must hold the
# refusal: a boot that never got there proves nothing.  (Planted: a reader
# that ignores 'encrypt' loads the kernel, and this check fails.)
FIX="feature encrypt" NEVER='booting \(|Linux version' boots ext4-encrypt ext4 \
    "ext4 with 'encrypt': the loader refuses, naming the feature, and does not boot" \
    "ext4: unsupported incompatible feature 'encrypt' \\(0x10000\\)"
log=$TLOG/t-31-ext4-encrypt.log
if [ -s "$log" ] && grep -q "unsupported incompatible feature 'encrypt'" "$log" &&
        ! grep -qE 'booting \(|Linux version' "$log"; then
    pass "ext4 with 'encrypt': no kernel is started (15 s watched after the refusal)"
else
    fail "ext4 with 'encrypt': no kernel is started" "$(tr -d '\r' < "$log" 2>/dev/null | grep -E 'encrypt|booting|Linux version' | head -3)"
fi

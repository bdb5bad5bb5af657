#!/usr/bin/env bash
# smartboot boots smart-os from ext3 and ext4 disks as mke2fs makes them
# today (Debian 12's default features, 1 KiB blocks: ext4 is then 64bit,
# extent, flex_bg, metadata_csum, huge_file, dir_nlink, extra_isize), made
# here from build/rootfs with scripts/mkdisk.sh (mke2fs -d, sfdisk, dd; no
# root, no mounts) and smartboot-install.  And on serial:
#   - ext3 whose journal needs recovery: the loader warns and boots (the
#     kernel replays the journal);
#   - ext4 with the 'encrypt' feature: the loader refuses, naming it.
source "$(dirname "$0")/lib.sh"
work=$(mktemp -d "$TLOG/t-31.XXXXXX")
trap 'rm -rf "$work"' EXIT
PART="?offset=$((2048 * 512))"      # debugfs's way into the partition

# disk NAME FS: a smart-os disk with an FS filesystem of 1 KiB blocks and
# smartboot installed; prints its path.
disk() {
    local img=$work/$1.img
    "$TOP/scripts/mkdisk.sh" -b -t "$2" -B 1024 "$BUILD/rootfs" "$img" >"$work/$1.log" 2>&1 &&
        "$BUILD/smartboot-install" --stage1 "$BUILD/mbr.bin" --stage2 "$BUILD/stage2.bin" \
            --backup "$img.backup" "$img" >>"$work/$1.log" 2>&1 ||
        { echo "making the $2 disk failed: $(tail -3 "$work/$1.log")" >&2; return 1; }
    echo "$img"
}

# boots NAME FS WHAT EXPECT...: make the disk (after FIX, a debugfs request,
# if set), boot it, wait for each EXPECT on serial.
boots() {
    local name=$1 fs=$2 what=$3 img; shift 3
    if ! img=$(disk "$name" "$fs" 2>"$work/$name.err"); then
        fail "$what" "$(cat "$work/$name.err")"; return
    fi
    [ -n "${FIX:-}" ] && debugfs -w -R "$FIX" "$img$PART" >/dev/null 2>&1
    dumpe2fs -h "$img$PART" 2>/dev/null | grep -E '^(Filesystem features|Block size):' > "$work/$name.features"
    local steps=() e
    for e in "$@"; do steps+=(-e "$e"); done
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

FIX="feature encrypt" boots ext4-encrypt ext4 \
    "ext4 with 'encrypt': the loader refuses, naming the feature, and does not boot" \
    "ext4: unsupported incompatible feature 'encrypt' \\(0x10000\\)"
if grep -q 'Linux version' "$TLOG/t-31-ext4-encrypt.log" 2>/dev/null; then
    fail "ext4 with 'encrypt': no kernel is started"
else
    pass "ext4 with 'encrypt': no kernel is started"
fi

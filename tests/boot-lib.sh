# shellcheck shell=bash
# Helpers for the boot tests (tests/t-3*, t-4*, t-5*, t-6*, t-8*), sourced
# after lib.sh: private smart-os disks with smartboot installed, files
# written into their ext2 partition without root or mounts, and a boot that
# also checks the loader wrote nothing.
#
#   work=$TLOG/NAME; mkdir -p "$work"   (each test sets its directory first)

PART_OFFSET=$((2048 * 512))         # the smart-os partition (scripts/mkdisk.sh)
PART="?offset=$PART_OFFSET"         # debugfs's way to reach it inside the image

# new_disk NAME [STAGE2]: a private copy of the smart-os disk with smartboot
# installed: the build's stage 1 and STAGE2 (default build/stage2.bin, the
# 32-bit entry; build/stage2-entry16.bin for the other build); prints its
# path ($work/NAME.img).  On failure, says why on stderr.
new_disk() {
    local img=$work/$1.img out
    cp --sparse=always "$BUILD/smartos.img" "$img" || return 1
    out=$("$BUILD/smartboot-install" --stage1 "$BUILD/mbr.bin" --stage2 "${2:-$BUILD/stage2.bin}" \
          --backup "$img.backup" "$img" 2>&1) || { echo "smartboot-install $img: $out" >&2; return 1; }
    rm -f "$img.backup"
    echo "$img"
}

# new_fs_disk NAME FS: a smart-os disk made here from build/rootfs with an
# FS filesystem (ext2, ext3, ext4) of 1 KiB blocks (scripts/mkdisk.sh:
# mke2fs -d, no root, no mounts) and smartboot installed; prints its path.
new_fs_disk() {
    local img=$work/$1.img
    "$TOP/scripts/mkdisk.sh" -b -t "$2" -B 1024 "$BUILD/rootfs" "$img" >"$work/$1.log" 2>&1 &&
        "$BUILD/smartboot-install" --stage1 "$BUILD/mbr.bin" --stage2 "$BUILD/stage2.bin" \
            --backup "$img.backup" "$img" >>"$work/$1.log" 2>&1 ||
        { echo "making the $2 disk failed: $(tail -3 "$work/$1.log")" >&2; return 1; }
    rm -f "$img.backup"
    echo "$img"
}

# fs IMG REQUEST...: debugfs requests on the image's ext2 partition (write).
fs() {
    local img=$1; shift
    local r
    for r in "$@"; do debugfs -w -R "$r" "$img$PART" >/dev/null 2>&1; done
}

# put IMG LOCALFILE PATH: copy a file into the partition (holes stay holes).
put() {
    fs "$1" "rm $3" "write $2 $3"
    debugfs -R "stat $3" "$1$PART" 2>/dev/null | grep -q 'Size:' || { echo "could not write $3" >&2; return 1; }
}

# blocks IMG PATH: the filesystem blocks of a file (data and indirect), one a line.
blocks() {
    debugfs -R "blocks $2" "$1$PART" 2>/dev/null | tr ' ' '\n' | grep -E '^[0-9]+$'
}

# lba_of IMG PATH N: the LBA of the first sector of the Nth block of PATH
# (counted from 0 in file order; 4 KiB blocks, 8 sectors each).
lba_of() {
    local bs blk
    bs=$(debugfs -R "stats" "$1$PART" 2>/dev/null | awk '/^Block size:/ {print $3}')
    blk=$(debugfs -R "bmap $2 $3" "$1$PART" 2>/dev/null)
    echo $(( PART_OFFSET / 512 + blk * bs / 512 ))
}

# blkdebug CONFIG IMG: the -drive argument of IMG behind QEMU's blkdebug
# driver, which fails the reads CONFIG names (tests/t-61-disk-faults.sh).
blkdebug() {
    echo "driver=raw,file.driver=blkdebug,file.config=$1,file.image.filename=$2,if=ide"
}

# loader_boot NAME IMG STEPS... -- QEMU-ARGS...: console NAME (lib.sh) and
# afterwards check that IMG is byte-identical to before: stage 1, stage 2
# and every error path of them never write.  (console.py also checks QEMU's
# write counter at the hand-off.)  stderr goes to $work/NAME.err.  Boots
# may run in parallel (in subshells): the tally is kept in files.
loader_boot() {
    local name=$1 img=$2 before rc; shift 2
    before=$(sha256sum < "$img")
    console "$name" "$@" 2>"$work/$name.err"; rc=$?
    echo "$name" >> "$work/.boots"
    [ "$(sha256sum < "$img")" = "$before" ] || echo "$name" >> "$work/.changed"
    return $rc
}

# why NAME: the end of a failed boot's stderr, for the FAIL line.
why() { head -c 900 "$work/$1.err"; }

# unchanged_summary: one PASS/FAIL for all the loader_boot calls of a test.
# It fails when nothing was booted, and when a boot that showed stage 2 has
# no write count from QEMU (console.py fails such a boot too): "0 writes"
# must be 0 counted, never 0 of 0.  (Planted: a test whose boots all fail
# before QEMU starts, or a console.py without its QMP socket, fails here.)
unchanged_summary() {
    local boots counted=0 uncounted=() b
    boots=$(wc -l < "$work/.boots" 2>/dev/null || echo 0)
    while read -r b; do
        if grep -q 'console.py: disk writes .*: 0$' "$work/$b.err" 2>/dev/null; then
            counted=$((counted + 1))
        elif grep -q 'smartboot: stage 2' "$TLOG/$b.log" 2>/dev/null; then
            uncounted+=("$b")
        fi
    done < <(cat "$work/.boots" 2>/dev/null)
    if [ "$boots" -eq 0 ]; then
        fail "the disk image is byte-identical after every boot" "no boot ran"
    elif [ -s "$work/.changed" ]; then
        fail "the disk image is byte-identical after every boot" "changed by: $(tr '\n' ' ' < "$work/.changed")"
    elif [ ${#uncounted[@]} -gt 0 ] || [ "$counted" -eq 0 ]; then
        fail "QEMU counted 0 disk writes in every boot that reached stage 2" \
            "no count from QEMU in: ${uncounted[*]:-every boot} ($boots boots)"
    else
        pass "the disk image is byte-identical after each of the $boots boots; QEMU counted 0 writes in $counted of them (the others ended before stage 2)"
    fi
}

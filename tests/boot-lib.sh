# shellcheck shell=bash
# Helpers for the boot tests that break things on purpose (tests/t-6*-*.sh),
# sourced after lib.sh: private smart-os disks with smartboot installed,
# files written into their ext2 partition without root or mounts, and a boot
# that also checks the loader wrote nothing.
#
#   work=$TLOG/NAME; mkdir -p "$work"   (each test sets its directory first)

PART_OFFSET=$((2048 * 512))         # the smart-os partition (scripts/mkdisk.sh)
PART="?offset=$PART_OFFSET"         # debugfs's way to reach it inside the image

# new_disk NAME: a private copy of the smart-os disk with smartboot (the
# build's stage 1 and 32-bit stage 2) installed; prints its path.
new_disk() {
    local img=$work/$1.img
    cp --sparse=always "$BUILD/smartos.img" "$img"
    "$BUILD/smartboot-install" --backup "$img.backup" "$img" >/dev/null || return 1
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
unchanged_summary() {
    local boots qmp
    boots=$(wc -l < "$work/.boots" 2>/dev/null || echo 0)
    qmp=$(cat "$work"/*.err 2>/dev/null | grep -c 'console.py: disk writes .*: 0$')
    if [ ! -s "$work/.changed" ]; then
        pass "the disk image is byte-identical after each of the $boots boots; QEMU counted 0 writes in $qmp of them"
    else
        fail "the disk image is byte-identical after every boot" "changed by: $(tr '\n' ' ' < "$work/.changed")"
    fi
}

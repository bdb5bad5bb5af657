#!/usr/bin/env bash
# expect: 99 host
# Crafted filesystems aimed at the reader's caches and bounds (issue 13):
# extent indexes and leaves at block 0, 1 or in the group descriptors; an
# index at a block the cache holds for another inode or depth; an extent
# block that failed its checksum, then asked for again (by its number, or
# by block 0, the number an empty cache slot used to carry); extents of
# length 0; rec_len 0 in blocks under 64 KiB; directories whose block map
# or extent tree repeats one block; an indirect block pointer at the
# superblock.  Each must fail with its message, within `timeout 20`, built
# three ways: gcc -O2 without sanitizers (how stage 2 is optimised), ASan +
# UBSan, and MSan (uninitialised reads: make msan-build, mk/msan.mk).
# Images: mke2fs -d, then debugfs -w and dd (no root, no mounts).
#
# On the reader before this test (C=$(git log --format=%h -1 --
# tests/t-17-ext2-crafted.sh); git show $C^:stage2/fs/ext2.c >
# stage2/fs/ext2.c; rm build/host/msan/ext2_test; tests/run.sh tests/t-17-*),
# 19 of the 33 checks fail in each build: idx0 hangs at -O2 and with ASan
# (killed after 20 s) and is an MSan report (an error code never set);
# other-inode, csum-then-same and csum-then-0 read a file through an extent
# block never verified for it (metadata_csum bypassed), zero-len and
# zero-len-leaf read zeros where data is, dir-repeat(-blocks, -extents)
# list one block again and again: all without an error; the rest fail with
# a less precise
# message (block 0 or 1 "outside the filesystem", rec_len 0 reported as
# 65536, the descriptors read as an extent node).  other-depth passes on
# both: the depth check caught it.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/fs-lib.sh"
W=$(mktemp -d "$BUILD/tests/crafted.XXXXXX")
trap 'rm -rf "$W"' EXIT

# ---- The reader, three ways ----
# Built by make (mk/host.mk, mk/msan.mk): -O2, ASan + UBSan, MSan.
make -s -C "$TOP" build/host/ext2_test-o2 build/host/ext2_test >"$W/build.log" 2>&1 ||
    { fail "ext2_test builds at -O2 and with ASan" "$(tail -3 "$W/build.log")"; exit 1; }
cp "$BUILD/host/ext2_test-o2" "$W/o2"; cp "$BUILD/host/ext2_test" "$W/asan"
if make -s -C "$TOP" "build/host/msan/ext2_test" >"$W/msan.log" 2>&1; then
    cp "$BUILD/host/msan/ext2_test" "$W/msan"
else
    fail "ext2_test builds with MSan" "$(tail -3 "$W/msan.log")"; exit 1
fi
export MSAN_OPTIONS=halt_on_error=1:exitcode=86

# ---- The images ----
T=$W/tree
python3 - "$T" "$W" <<'EOF'
import os, random, sys
root, work = sys.argv[1], sys.argv[2]
rnd = random.Random(1313)
def put(path, data):
    p = os.path.join(root, path); os.makedirs(os.path.dirname(p), exist_ok=True)
    open(p, 'wb').write(data)
for n in ('small2', 'small3'):
    put(n, rnd.randbytes(3000))                 # one extent each, rewritten below
put('big', rnd.randbytes(20000))                # past the 12 direct blocks of 1 KiB
put('d/x', b'x\n'); put('d/y', b'y\n')
for i in range(80):                             # every other one freed to fragment /frag
    put('fill/%02d' % i, rnd.randbytes(3000))
open(os.path.join(work, 'frag'), 'wb').write(rnd.randbytes(40 * 3000))
EOF
# mkimg NAME MKE2FS-ARGS...: 1 KiB blocks; on ext4, /frag written into the
# holes of the fillers: some 40 extents, a block below the inode.
mkimg() {
    local name=$1 img=$W/$1.img; shift
    mke2fs -q -F -b 1024 -d "$T" -E root_owner=0:0 "$@" "$img" 8M >"$W/$name.log" 2>&1 ||
        { fail "$name: mke2fs $*" "$(tail -1 "$W/$name.log")"; return 1; }
    for i in $(seq 1 2 79); do printf 'rm /fill/%02d\n' "$i"; done > "$W/$name.cmds"
    echo "write $W/frag /frag" >> "$W/$name.cmds"
    debugfs -w -f "$W/$name.cmds" "$img" >>"$W/$name.log" 2>&1
}
mkimg csum -t ext4 || exit 1                 # Debian 12's ext4: metadata_csum
mkimg nocsum -t ext4 -O ^metadata_csum || exit 1
mkimg ext2 -t ext2 || exit 1

# poke IMAGE OFFSET HEX: overwrite bytes (HEX like 3412 for the word 0x1234).
poke() { printf "$(echo "$3" | sed 's/../\\x&/g')" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none; }
fs() { debugfs -w -R "$2" "$1" >/dev/null 2>&1; }
ino() { debugfs -R "stat $2" "$1" 2>/dev/null | sed -n 's/^Inode: \([0-9]*\).*/\1/p'; }
# idx IMAGE PATH DEPTH BLOCK: PATH's extent tree becomes a root of depth
# DEPTH with one index entry, to BLOCK (debugfs fixes the inode's checksum).
idx() {
    debugfs -w -f - "$1" >/dev/null 2>&1 <<EOF
sif $2 block[0] 0x0001F30A
sif $2 block[1] $(( 4 | $3 << 16 ))
sif $2 block[2] 0
sif $2 block[3] 0
sif $2 block[4] $4
sif $2 block[5] 0
EOF
}
ETB=$(debugfs -R "stat /frag" "$W/csum.img" 2>/dev/null | grep -o '(ETB0):[0-9]*' | cut -d: -f2)
NETB=$(debugfs -R "stat /frag" "$W/nocsum.img" 2>/dev/null | grep -o '(ETB0):[0-9]*' | cut -d: -f2)
[ -n "$ETB" ] && [ -n "$NETB" ] || { fail "/frag has an extent block" "see $W/csum.log"; exit 1; }
S2=$(ino "$W/csum.img" /small2) S3=$(ino "$W/csum.img" /small3) FR=$(ino "$W/csum.img" /frag)
OUT="outside the filesystem (8192 blocks)"

cases=()
# crafted NAME BASE: a copy of BASE.img to damage; then the ext2_test
# script (stdin) is stored for the three runs below.
crafted() { cp "$W/$2.img" "$W/$1.img"; cases+=("$1"); cat > "$W/$1.script"; }

# Extent indexes and leaves where no node can be.
crafted idx0 csum <<<"readfails /small2 ECORRUPT ext4: inode $S2: block 0 $OUT"
idx "$W/idx0.img" /small2 1 0
crafted idx1 csum <<<"readfails /small2 ECORRUPT ext4: inode $S2: block 1 $OUT"
idx "$W/idx1.img" /small2 1 1
crafted idx-gdt csum <<<"readfails /small2 ECORRUPT ext4: extent block 2 checksum mismatch"
idx "$W/idx-gdt.img" /small2 1 2
crafted idx-far csum <<<"readfails /small2 ECORRUPT ext4: inode $S2: block 8192 $OUT"
idx "$W/idx-far.img" /small2 1 8192
crafted leaf0 csum <<<"readfails /small2 ECORRUPT ext4: inode $S2: block 0 $OUT"
fs "$W/leaf0.img" "sif /small2 block[5] 0"                       # ee_start_lo of the one extent
crafted leaf1 csum <<<"readfails /small2 ECORRUPT ext4: inode $S2: block 1 $OUT"
fs "$W/leaf1.img" "sif /small2 block[5] 1"

# An index at the extent block the cache holds for /frag: checksummed for
# /frag's inode, it is no node of /small2's (metadata_csum seeds with the
# inode).  Without checksums, a node of the wrong depth.
crafted other-inode csum <<EOF
file /frag $W/frag
readfails /small2 ECORRUPT ext4: extent block $ETB checksum mismatch
file /frag $W/frag
EOF
idx "$W/other-inode.img" /small2 1 "$ETB"
crafted other-depth nocsum <<EOF
file /frag $W/frag
readfails /small2 ECORRUPT ext4: inode $S2: bad extent tree node at depth 1
file /frag $W/frag
EOF
idx "$W/other-depth.img" /small2 2 "$NETB"

# /frag's extent block fails its checksum; asked for again by number (from
# /small2) and by block 0 (from /small3: an empty slot was block 0, and kept
# the failed block's bytes).
crafted csum-then-same csum <<EOF
readfails /frag ECORRUPT ext4: extent block $ETB checksum mismatch
readfails /small2 ECORRUPT ext4: extent block $ETB checksum mismatch
readfails /small3 ECORRUPT ext4: inode $S3: block 0 $OUT
EOF
poke "$W/csum-then-same.img" $((ETB * 1024 + 8)) 01              # its eh_generation
idx "$W/csum-then-same.img" /small2 1 "$ETB"
idx "$W/csum-then-same.img" /small3 1 0
crafted csum-then-0 csum <<EOF
readfails /frag ECORRUPT ext4: extent block $ETB checksum mismatch
readfails /small3 ECORRUPT ext4: inode $S3: block 0 $OUT
EOF
poke "$W/csum-then-0.img" $((ETB * 1024 + 8)) 01
idx "$W/csum-then-0.img" /small3 1 0

# Extents of length 0: in the inode, and in the block below /frag's.
crafted zero-len csum <<<"readfails /small2 ECORRUPT ext4: inode $S2: bad extent tree node at depth 0"
fs "$W/zero-len.img" "sif /small2 block[4] 0"                    # ee_len 0, ee_start_hi 0
crafted zero-len-leaf nocsum <<<"readfails /frag ECORRUPT ext4: inode $FR: bad extent tree node at depth 1"
poke "$W/zero-len-leaf.img" $((NETB * 1024 + 12 + 12 + 4)) 0000  # the second extent's ee_len

# rec_len 0 in 1 KiB directory blocks (only 64 KiB blocks store 65536 so).
for base in ext2 nocsum; do
    P=$([ $base = ext2 ] && echo ext2 || echo ext4)
    crafted reclen0-$base $base <<EOF
fails /d/x ECORRUPT $P: directory inode $(ino "$W/$base.img" /d): bad entry at byte 12 (rec_len 0, name_len 2)
listfails /d ECORRUPT (rec_len 0, name_len 2)
file /big $T/big
EOF
    poke "$W/reclen0-$base.img" $(( $(debugfs -R "bmap /d 0" "$W/$base.img" 2>/dev/null) * 1024 + 12 + 4 )) 0000
done

# A directory of 268 blocks, all one block: i_block[0..11] and an indirect
# block of 256 copies.  Its size is more than the 2 sectors it owns; with
# i_blocks forged to match, the repeat is refused at the second block.
D=$(ino "$W/ext2.img" /d) DB=$(debugfs -R "bmap /d 0" "$W/ext2.img" 2>/dev/null)
IB=$(debugfs -R "ffb 1 6000" "$W/ext2.img" 2>/dev/null | grep -o '[0-9][0-9]*' | tail -1)
repeat_dir() {
    local cmds=$W/repeat.cmds i
    { echo "sif /d size $(( 268 * 1024 ))"; for i in $(seq 1 11); do echo "sif /d block[$i] $DB"; done
      echo "sif /d block[IND] $IB"; [ -n "${1:-}" ] && echo "sif /d blocks $1"; } > "$cmds"
    python3 -c "import struct,sys; sys.stdout.buffer.write(struct.pack('<256I', *[$DB] * 256))" |
        dd of="$W/$img" bs=1024 seek="$IB" conv=notrunc status=none
    debugfs -w -f "$cmds" "$W/$img" >/dev/null 2>&1
}
crafted dir-repeat ext2 <<EOF
listfails /d ECORRUPT ext2: directory inode $D: size 274432 is too large
fails /d/x ECORRUPT ext2: directory inode $D: size 274432 is too large
file /big $T/big
EOF
img=dir-repeat.img repeat_dir
crafted dir-repeat-blocks ext2 <<EOF
listfails /d ECORRUPT ext2: directory inode $D: block 1 is a hole or the one before again
file /big $T/big
EOF
img=dir-repeat-blocks.img repeat_dir 600

# The same through an extent tree: four extents of one block, all at the
# directory's one block (i_blocks forged to match the size).
ND=$(ino "$W/nocsum.img" /d) NDB=$(debugfs -R "bmap /d 0" "$W/nocsum.img" 2>/dev/null)
crafted dir-repeat-extents nocsum <<EOF2
listfails /d ECORRUPT ext4: directory inode $ND: block 1 is a hole or the one before again
file /big $T/big
EOF2
{ echo "sif /d size 4096"; echo "sif /d blocks 8"
  echo "sif /d block[0] 0x0004F30A"; echo "sif /d block[1] 4"
  slot=(0 1 2 3 4 5 6 7 8 9 10 11 IND DIND TIND)      # (debugfs's names for 12-14)
  for e in 0 1 2 3; do
      echo "sif /d block[${slot[3 + 3 * e]}] $e"; echo "sif /d block[${slot[4 + 3 * e]}] 1"
      echo "sif /d block[${slot[5 + 3 * e]}] $NDB"
  done; } | debugfs -w -f - "$W/dir-repeat-extents.img" >/dev/null 2>&1

# A block map's indirect block at the superblock.
crafted ind1 ext2 <<<"readfails /big ECORRUPT ext2: inode $(ino "$W/ext2.img" /big): block 1 $OUT"
fs "$W/ind1.img" "sif /big block[IND] 1"

# ---- Each case, each build: the message, within 20 s ----
for build in o2 asan msan; do
    for c in "${cases[@]}"; do
        timeout 20 "$W/$build" "$build/$c" "$W/$c.img" < "$W/$c.script" 2>"$W/$build-$c.err"; rc=$?
        case $rc in
        0|1) ;;
        124) fail "$build/$c" "hung: killed after 20 s" ;;
        86)  fail "$build/$c" "MemorySanitizer: $(grep -m1 SUMMARY "$W/$build-$c.err")"
             cp "$W/$build-$c.err" "$TLOG/crafted-$build-$c.err" ;;
        *)   fail "$build/$c" "crashed (exit $rc): $(grep -m1 -E 'ERROR|SUMMARY|runtime error' "$W/$build-$c.err")"
             cp "$W/$build-$c.err" "$TLOG/crafted-$build-$c.err" ;;
        esac
    done
done

#!/usr/bin/env bash
# Bad filesystems: the ext2 structures stage 2 trusts nothing of, damaged one
# at a time on private copies of the smart-os disk.  Each must give the
# reader's message and then either the menu (the damage is in one file) or
# a visible halt (the filesystem cannot be mounted): never a crash, a hang,
# a triple fault (QEMU runs with -no-reboot, so a reset would end it before
# the message) or a write.  The boots are short and run in parallel.
# expect: 23 boot
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/boot-lib.sh"
work=$TLOG/badfs; rm -rf "$work"; mkdir -p "$work"

base=$(new_disk base) || { fail "a smart-os disk with smartboot"; exit 1; }
BS=4096                                          # the smart-os filesystem's block size
SB=$((PART_OFFSET + 1024))                       # the superblock
GD=$((PART_OFFSET + BS))                         # group descriptor 0 (block 1 with 4 KiB blocks)
BOOTDIR=$((PART_OFFSET + $(debugfs -R "bmap /boot 0" "$base$PART" 2>/dev/null) * BS))
KINO=$(debugfs -R "stat /boot/bzImage" "$base$PART" 2>/dev/null | sed -n 's/^Inode: \([0-9]*\).*/\1/p')
IND=$(debugfs -R "stat /boot/bzImage" "$base$PART" 2>/dev/null | sed -n 's/.*(IND):\([0-9]*\).*/\1/p')

# poke IMG OFFSET FORMAT VALUE: store VALUE (python struct FORMAT, e.g. <I)
# at byte OFFSET of the image.
poke() {
    python3 -c 'import struct,sys; f=open(sys.argv[1],"r+b"); f.seek(int(sys.argv[2]));
f.write(struct.pack(sys.argv[3], int(sys.argv[4], 0)))' "$@"
}
# disk NAME: a copy of the base disk to damage.
disk() { cp --sparse=always "$base" "$work/$1.img"; echo "$work/$1.img"; }

HALT=(-e 'smartboot: ext2: cannot read the filesystem on partition 1' -e 'smartboot: cannot boot; system halted' -d 0.3 -a)
MENU=(-e "could not boot 'smart-os'\\. Press a key for the menu" -n 'booting \(' -s 'x' -e '> 1\. smart-os')

cases=()      # NAME|CHECK, run in the background; steps in $work/NAME.steps
# case NAME CHECK IMG STEPS...: queue a boot of IMG expecting STEPS.
case_() {
    local name=$1 check=$2 img=$3; shift 3
    printf '%s\0' "$@" > "$work/$name.steps"
    cases+=("$name|$check|$img")
}

i=$(disk magic); poke "$i" $((SB + 0x38)) '<H' 0x1234
case_ magic "superblock magic 0x1234" "$i" -e 'ext[234]: bad superblock magic 0x1234 \(want 0xEF53\)' "${HALT[@]}"
i=$(disk logbs); poke "$i" $((SB + 0x18)) '<I' 20
case_ logbs "block size 2^30 (s_log_block_size 20)" "$i" -e 'ext[234]: bad block size \(s_log_block_size 20\)' "${HALT[@]}"
i=$(disk blocks-big); poke "$i" $((SB + 0x04)) '<I' 32767
case_ blocks-big "s_blocks_count larger than the partition" "$i" \
    -e 'ext[234]: the filesystem \(32767 blocks of 4096 bytes\) is larger than the partition' "${HALT[@]}"
i=$(disk blocks-small); poke "$i" $((SB + 0x04)) '<I' 900
case_ blocks-small "s_blocks_count too small for the kernel's blocks" "$i" \
    -e 'ext[234]: inode [0-9]+: block [0-9]+ outside the filesystem \(900 blocks\)' -e 'linux: could not read /boot/bzImage' "${MENU[@]}"
i=$(disk inodes); poke "$i" $((SB + 0x00)) '<I' 12345
case_ inodes "s_inodes_count that disagrees with the groups" "$i" \
    -e 'ext[234]: 12345 inodes, but 1 groups of 10240 inodes' "${HALT[@]}"
i=$(disk bpg); poke "$i" $((SB + 0x20)) '<I' 0
case_ bpg "zero blocks per group" "$i" -e 'ext[234]: bad geometry: 10240 blocks, 0 blocks and 10240 inodes per group' "${HALT[@]}"
i=$(disk isize); poke "$i" $((SB + 0x58)) '<H' 100
case_ isize "inode size 100" "$i" -e 'ext[234]: bad inode size 100' "${HALT[@]}"
i=$(disk firstblock); poke "$i" $((SB + 0x14)) '<I' 1
case_ firstblock "first data block 1 with 4 KiB blocks" "$i" -e 'ext[234]: bad first data block 1 for 4096-byte blocks' "${HALT[@]}"
i=$(disk feature); poke "$i" $((SB + 0x60)) '<I' 0x10002
case_ feature "an unknown incompatible feature" "$i" -e "ext[234]: unsupported incompatible feature 'encrypt' \\(0x10000\\)" "${HALT[@]}"
i=$(disk gd-out); poke "$i" $((GD + 8)) '<I' 0xffffff00
case_ gd-out "group descriptor: inode table outside the disk" "$i" \
    -e 'ext[234]: inode 2: block 4294967040 outside the filesystem \(10240 blocks\)' "${HALT[@]}"
i=$(disk gd-wrong); poke "$i" $((GD + 8)) '<I' 9000
case_ gd-wrong "group descriptor: inode table at the wrong (empty) blocks" "$i" -e 'ext[234]: inode 2 is not in use' "${HALT[@]}"
i=$(disk rootmode); fs "$i" "sif <2> mode 0100644"
case_ rootmode "a root inode that is not a directory" "$i" -e 'ext[234]: the root inode is not a directory' "${HALT[@]}"
i=$(disk blockptr); fs "$i" "sif /boot/bzImage block[5] 0x7ffffff0"
case_ blockptr "an inode block pointer outside the filesystem" "$i" \
    -e "ext[234]: inode $KINO: block 2147483632 outside the filesystem \\(10240 blocks\\)" -e 'linux: could not read /boot/bzImage' "${MENU[@]}"
i=$(disk indptr); fs "$i" "sif /boot/bzImage block[IND] 12000"
case_ indptr "an indirect block pointer outside the filesystem" "$i" \
    -e "ext[234]: inode $KINO: block 12000 outside the filesystem" -e 'linux: could not read /boot/bzImage' "${MENU[@]}"
i=$(disk indjunk); head -c $BS /dev/urandom | dd of="$i" bs=1 seek=$((PART_OFFSET + IND * BS)) conv=notrunc status=none
case_ indjunk "an indirect block full of random numbers" "$i" \
    -e "ext[234]: inode $KINO: block [0-9]+ outside the filesystem" -e 'linux: could not read /boot/bzImage' "${MENU[@]}"
i=$(disk hugesize); fs "$i" "sif /boot/bzImage size 0x10000000000"
case_ hugesize "a kernel inode claiming 1 TiB" "$i" -e 'linux: /boot/bzImage: kernel file too large' "${MENU[@]}"
i=$(disk extents); fs "$i" "sif /boot/bzImage flags 0x80000"
case_ extents "an inode flagged as extents over a block map" "$i" \
    -e "ext[234]: inode $KINO: [^\n]*extent" "${MENU[@]}"
i=$(disk reclen); poke "$i" $((BOOTDIR + 4)) '<H' 5
case_ reclen "a directory entry with rec_len 5" "$i" \
    -e 'ext[234]: directory inode [0-9]+: bad entry at byte 0 \(rec_len 5, name_len 1\)' \
    -e '/boot/smartboot.cfg: could not read it; ignored' -e 'linux: could not read /boot/bzImage' "${MENU[@]}"
i=$(disk reclen-long); poke "$i" $((BOOTDIR + 12 + 4)) '<H' 0x2000
case_ reclen-long "a directory entry whose rec_len runs past its block" "$i" \
    -e 'ext[234]: directory inode [0-9]+: bad entry at byte 12 \(rec_len 8192, name_len 2\)' "${MENU[@]}"
i=$(disk dirino); poke "$i" $((BOOTDIR + 0)) '<I' 99999999
case_ dirino "a directory entry naming an inode past s_inodes_count" "$i" \
    -e 'ext[234]: directory inode [0-9]+: bad entry at byte 0' "${MENU[@]}"

# ext4: extent trees (a small ext4 partition holding only the kernel and a
# smartboot.cfg whose one entry has no initrd).
mkdir -p "$work/e4tree/boot" && cp "$BUILD/bzImage" "$work/e4tree/boot/"
printf 'timeout 0\nentry smart-os\n  kernel /boot/bzImage\n  cmdline console=ttyS0\n' > "$work/e4tree/boot/smartboot.cfg"
e4=$work/ext4-base.img
truncate -s 16M "$e4"
printf 'label: dos\nstart=2048, type=83\n' | sfdisk -q "$e4" 2>/dev/null
mke2fs -q -t ext4 -E offset=$PART_OFFSET -d "$work/e4tree" "$e4" 15M
"$BUILD/smartboot-install" --backup "$work/e4.backup" "$e4" >/dev/null || fail "smartboot on an ext4 test disk"
E4INO=$(debugfs -R "stat /boot/bzImage" "$e4$PART" 2>/dev/null | sed -n 's/^Inode: \([0-9]*\).*/\1/p')
i=$work/extent-deep.img; cp --sparse=always "$e4" "$i"; fs "$i" "sif /boot/bzImage block[1] 0x00060004"
case_ extent-deep "an extent tree claiming depth 6 (at most 5)" "$i" \
    -e "ext4: inode $E4INO: bad extent tree node at depth 0" -e 'linux: could not read /boot/bzImage' "${MENU[@]}"
# Two extents overlapping (the second starts inside the first): an error,
# not a kernel read from the wrong blocks.
i=$work/extent-overlap.img; cp --sparse=always "$e4" "$i"; fs "$i" "sif /boot/bzImage block[6] 10"
case_ extent-overlap "extents that overlap (file blocks 0-14 and 10-2086)" "$i" \
    -e "ext4: inode $E4INO: extents out of order or overlapping at depth 0" -e 'linux: could not read /boot/bzImage' "${MENU[@]}"
# The root made an index of depth 1 pointing at block 0.  Before issue 13's
# fix the extent cache's empty slot "was" block 0: the kernel read as zeros,
# or the read never ended.  (More such trees: tests/t-17-ext2-crafted.sh.)
i=$work/extent-idx0.img; cp --sparse=always "$e4" "$i"
fs "$i" "sif /boot/bzImage block[0] 0x0001F30A" "sif /boot/bzImage block[1] 0x00010004" \
    "sif /boot/bzImage block[3] 0" "sif /boot/bzImage block[4] 0" "sif /boot/bzImage block[5] 0"
case_ extent-idx0 "an extent index pointing at block 0" "$i" \
    -e "ext4: inode $E4INO: block 0 outside the filesystem" -e 'linux: could not read /boot/bzImage' "${MENU[@]}"

for c in "${cases[@]}"; do
    IFS='|' read -r name check img <<<"$c"
    (
        mapfile -d '' steps < "$work/$name.steps"
        if loader_boot "$name" "$img" -t 30 "${steps[@]}" -- -drive "file=$img,format=raw,if=ide"; then
            echo ok > "$work/$name.result"
        fi
    ) &
    while [ "$(jobs -rp | wc -l)" -ge "$(nproc)" ]; do wait -n; done
done
wait
for c in "${cases[@]}"; do
    IFS='|' read -r name check img <<<"$c"
    if [ -e "$work/$name.result" ] && grep -q 'booting (' "$TLOG/$name.log"; then
        fail "$check" "not detected: the loader read the kernel and booted it"
    elif [ -e "$work/$name.result" ]; then
        pass "$check: $(tr -d '\r' < "$TLOG/$name.log" | grep -E '^(ext[234]|linux): ' | head -1)"
    else
        fail "$check" "$(why "$name")"
    fi
done
unchanged_summary
rm -f "$work"/*.img

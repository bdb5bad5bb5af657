# Lab 4: /boot/bzImage's blocks, checked with debugfs (e2fsprogs: an
# implementation that is not smartboot's).
source "$TOP/labs/lib.sh"
img=$BUILD/disk.img
need "$img" "the disk ./run.sh boots"
start=2048                                   # partition 1 (scripts/mkdisk.sh)
dfs() { debugfs -R "$1" "$img?offset=$((start * 512))" 2>/dev/null; }
file=/boot/bzImage

bs=$(dfs stats | awk '/^Block size:/ { print $3 }')
expect_num block_size "$bs" "the block size"
expect_num inodes_per_group "$(dfs stats | awk '/^Inodes per group:/ { print $4 }')" "inodes per group"
expect_num inode_size "$(dfs stats | awk -F: '/^Inode size:/ { gsub(/[ \t]/, "", $2); print $2 }')" "the inode size"
stat=$(dfs "stat $file")
expect_num inode "$(sed -n 's/^Inode: *\([0-9]*\).*/\1/p' <<<"$stat")" "the inode number"
imap=$(dfs "imap $file")
expect_num group "$(sed -n 's/.*part of block group \([0-9]*\).*/\1/p' <<<"$imap")" "its group"
expect_num inode_block "$(sed -n 's/.*located at block \([0-9]*\),.*/\1/p' <<<"$imap")" "the block of its inode"
expect_num inode_offset "$(sed -n 's/.*offset \(0x[0-9a-f]*\).*/\1/p' <<<"$imap")" "the inode's offset in it"
expect_num size "$(sed -n 's/.*Size: *\([0-9]*\).*/\1/p' <<<"$stat" | head -1)" "the size"
first=$(dfs "bmap $file 0")
expect_num first_block "$first" "the first data block"
expect_num first_lba $((start + first * bs / 512)) "the first LBA"
lab_end

#!/usr/bin/env bash
# smart-os on ext3 and ext4 (scripts/mkdisk.sh -t, what FS=ext3|ext4 uses),
# and the initrd's handling of the root mount options:
#   - ext3, no rootfstype: mount finds the type itself; "ro" on the command
#     line: the root is mounted read-only and rcS leaves it so;
#   - ext4 with rootfstype=ext4: mounted as ext4, read-write.
# expect: 6 boot
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/smartos-lib.sh"
need "$BUILD/bzImage" "$BUILD/initrd" "$BUILD/rootfs"

# boot FS MODE KERNEL-ARGS...: make an FS disk from build/rootfs, boot it to
# the end of rcS, look at the initrd's report and at what rcS said.
boot() {
    local fs=$1 mode=$2; shift 2
    local img=$TLOG/t-22-$fs.img
    if ! "$TOP/scripts/mkdisk.sh" -b -t "$fs" "$BUILD/rootfs" "$img" >/dev/null 2>"$TLOG/t-22-$fs.err"; then
        fail "$fs: make the disk" "$(cat "$TLOG/t-22-$fs.err")"; return
    fi
    direct "$img" "$@"
    console "t-22-$fs" -t 120 -e 'smart-os initrd: switching' -e 'smart-os: boot finished' \
        -- "${QARGS[@]}" 2>"$TLOG/t-22-$fs.err" ||
        fail "$fs: boot to the end of rcS" "$(head -c 600 "$TLOG/t-22-$fs.err")"
    expect_line "t-22-$fs" "$fs ($*): the initrd mounted /dev/sda1 as $fs, $mode" \
        "^smart-os initrd: switching to /dev/sda1 \\($fs, $mode\\)"
    expect_line "t-22-$fs" "$fs: BusyBox init ran rcS to its end" '^smart-os: boot finished'
}

boot ext3 ro ro
expect_line t-22-ext3 "ext3: with ro, rcS leaves / read-only" '^smart-os: / stays read-only'
boot ext4 rw rootfstype=ext4
if log_has t-22-ext4 'stays read-only'; then fail "ext4: without ro, rcS keeps / read-write"; else pass "ext4: without ro, rcS keeps / read-write"; fi

#!/usr/bin/env bash
# The initrd, given a root it cannot use, says what went wrong and starts a
# shell on the console; the kernel must not panic:
#   - root=/dev/sdz9, a disk that never appears: after the default 10 s
#     wait, the message names the device;
#   - rootfstype=vfat for an ext2 partition: the mount fails and the
#     message names the device, the type and the error.
# In each case the rescue shell must really run commands.
# expect: 7 boot
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/smartos-lib.sh"
need "$BUILD/bzImage" "$BUILD/initrd" "$BUILD/smartos.img"

disk=$(disk_copy "$BUILD/smartos.img" t-23-disk)
RESCUE='\(initrd rescue\) # '

# rescue NAME CHECK-NAME KERNEL-ARGS...
rescue() {
    local name=$1 what=$2; shift 2
    direct "$disk" "$@"
    console "$name" -t 120 -e 'Run /init as init process' \
        -t 30 -e 'starting a rescue shell' -e "$RESCUE" \
        -s 'echo "rescue-$((6 * 7))"\n' -e '^rescue-42' \
        -n 'Kernel panic' -- "${QARGS[@]}" 2>"$TLOG/$name.err"
    local rc=$?
    if log_has "$name" 'Kernel panic'; then
        fail "$what: no kernel panic" "$(tr -d '\r' < "$TLOG/$name.log" | grep -m1 'Kernel panic')"
    else
        pass "$what: no kernel panic"
    fi
    if [ $rc -eq 0 ]; then pass "$what: the rescue shell runs commands"
    else fail "$what: the rescue shell runs commands" "$(head -c 600 "$TLOG/$name.err")"; fi
}

rescue t-23-missing "root=/dev/sdz9" root=/dev/sdz9
expect_line t-23-missing "root=/dev/sdz9: the message names the device and the wait" \
    '^smart-os initrd: /dev/sdz9 did not appear within 10 s'
expect_line t-23-missing "root=/dev/sdz9: the disks that do exist are listed" \
    '^smart-os initrd: block devices: .*sda1'

rescue t-23-badfs "rootfstype=vfat" rootfstype=vfat
expect_line t-23-badfs "rootfstype=vfat: the message names device, type and error" \
    '^smart-os initrd: cannot mount /dev/sda1 as vfat \(rw\): .+'

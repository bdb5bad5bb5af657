#!/usr/bin/env bash
# Disk faults, injected with QEMU's blkdebug driver: reads of chosen sectors
# fail with EIO, once or twice (a transient error) or always (a bad sector).
# SeaBIOS turns that into an INT 13h error (status 0x0C); the native IDE
# driver sees a DMA error and hands over to INT 13h.
#   - transient errors anywhere: the boot goes on (stage 1 and stage 2 retry,
#     with a reset between tries);
#   - a bad sector in stage 2: stage 1's "smartboot: read error 0C", halted;
#   - a bad sector in the kernel or the initrd: the LBA, the BIOS status and
#     the file being read, then the menu;
#   - a bad sector under the superblock: the message, then a visible halt;
#     under a directory on the kernel's path: the file named, then the menu.
# Every run also checks that the disk image is byte-identical afterwards.
# expect: 9 boot
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/boot-lib.sh"
work=$TLOG/faults; rm -rf "$work"; mkdir -p "$work"

img=$(new_disk faults) || { fail "a smart-os disk with smartboot"; exit 1; }
# The defaults, but with no_timer_check: a loaded host can make the kernel's
# IO-APIC timer check fail under TCG, which has nothing to do with disks.
printf 'timeout 0\nentry smart-os\n  kernel /boot/bzImage\n  initrd /boot/initrd\n  cmdline %s\n' \
    "root=/dev/sda1 console=ttyS0 no_timer_check" > "$work/smartboot.cfg"
put "$img" "$work/smartboot.cfg" /boot/smartboot.cfg || fail "write smartboot.cfg"
STAGE2_LBA=5                                     # inside stage 2 (LBA 1..N)
KERNEL_LBA=$(lba_of "$img" /boot/bzImage 300)    # a block in the middle of the kernel
INITRD_LBA=$(lba_of "$img" /boot/initrd 100)
SUPER_LBA=$((PART_OFFSET / 512 + 2))             # the ext2 superblock: byte 1024 of the partition
BOOTDIR_LBA=$(lba_of "$img" /boot 0)             # the /boot directory's first block
echo "kernel block at LBA $KERNEL_LBA, initrd block at $INITRD_LBA, /boot at $BOOTDIR_LBA" >&2

# rules NAME SECTOR ONCE [COUNT]: a blkdebug config failing reads of SECTOR
# with EIO: COUNT times (once = "on": each rule fires once) or always.
rules() {
    local i
    for i in $(seq "${4:-1}"); do
        printf '[inject-error]\nevent = "read_aio"\nerrno = "5"\nsector = "%s"\nonce = "%s"\n\n' "$2" "$3"
    done > "$work/$1.cfg"
    echo "$work/$1.cfg"
}
# run NAME CHECK-NAME CONFIG STEPS...: boot the disk behind blkdebug.
run() {
    local name=$1 check=$2 cfg=$3; shift 3
    if loader_boot "$name" "$img" "$@" -- -drive "$(blkdebug "$cfg" "$img")"; then
        pass "$check"
    else
        fail "$check" "$(why "$name")"
    fi
}
# seen NAME REGEX: the boot's serial log has it (CRs removed).
seen() { tr -d '\r' < "$TLOG/$1.log" | grep -oE "$2" | head -1; }

# (A native driver's error and the switch to INT 13h interrupt the progress
# line of the kernel: the initrd's line, after it, is the one to wait for.)
BOOTED=(-t 60 -e 'loading /boot/bzImage' -e 'loading /boot/initrd .* ok' -e 'booting \(32-bit entry' -e 'Linux version')

# Stage 1 reads stage 2.
run stage2-bad "a bad sector in stage 2 (LBA $STAGE2_LBA): stage 1 says 'smartboot: read error 0C' and halts" \
    "$(rules stage2-bad $STAGE2_LBA off)" -t 20 -e 'smartboot: read error 0C' -d 2 -n 'smartboot: stage 2' -a
# Not a read error but damage: a byte of stage 2 changed on the disk.
cp --sparse=always "$img" "$work/damaged.img"
python3 -c 'import sys; f = open(sys.argv[1], "r+b"); f.seek(3 * 512 + 100); b = f.read(1)[0]
f.seek(3 * 512 + 100); f.write(bytes([b ^ 0x5a]))' "$work/damaged.img"
if loader_boot stage2-damaged "$work/damaged.img" -t 20 -e 'smartboot: bad stage2' -d 1 -n 'smartboot: stage 2' -a \
        -- -drive "file=$work/damaged.img,format=raw,if=ide"; then
    pass "a changed byte in stage 2 (LBA 3): stage 1's checksum says 'smartboot: bad stage2' and halts"
else
    fail "a changed byte in stage 2: 'smartboot: bad stage2'" "$(why stage2-damaged)"
fi
rm -f "$work/damaged.img"
run stage2-transient "stage 2's sectors fail twice, then read: stage 1's retries boot" \
    "$(rules stage2-transient $STAGE2_LBA on 2)" -t 20 -e 'smartboot: stage 2' "${BOOTED[@]}"

# Stage 2 reads the kernel and the initrd.
run kernel-transient "a kernel sector fails twice, then reads: the retries boot smart-os" \
    "$(rules kernel-transient "$KERNEL_LBA" on 2)" "${BOOTED[@]}"
run kernel-bad "a bad sector in the kernel: LBA, BIOS status and file named, then the menu" \
    "$(rules kernel-bad "$KERNEL_LBA" off)" -t 60 \
    -e "disk: read error 0x0c at LBA $KERNEL_LBA after 3 tries" -e 'linux: could not read /boot/bzImage' \
    -e "could not boot 'smart-os'\\. Press a key for the menu" -n 'booting \(' -s 'x' -e '> 1\. smart-os'
[ -s "$TLOG/kernel-bad.log" ] && echo "kernel-bad: $(seen kernel-bad 'disk: read error[^\n]*')" >&2
run initrd-bad "a bad sector in the initrd: the same, naming /boot/initrd" \
    "$(rules initrd-bad "$INITRD_LBA" off)" -t 60 \
    -e 'loading /boot/bzImage .* ok' -e "disk: read error 0x0c at LBA $INITRD_LBA after 3 tries" \
    -e 'linux: could not read /boot/initrd' -e "could not boot 'smart-os'" -n 'booting \(' -s 'x' -e '> 1\. smart-os'

# Stage 2 reads the filesystem's own structures.
run super-bad "a bad sector under the superblock: the LBA, then 'cannot read the filesystem' and a visible halt" \
    "$(rules super-bad $SUPER_LBA off)" -t 30 -e "disk: read error 0x0c at LBA $SUPER_LBA after 3 tries" \
    -e 'smartboot: ext2: cannot read the filesystem on partition 1' -e 'smartboot: cannot boot; system halted'
run bootdir-bad "a bad sector in /boot's directory block: the file being looked up is named, then the menu" \
    "$(rules bootdir-bad "$BOOTDIR_LBA" off)" -t 30 -e "disk: read error 0x0c at LBA $BOOTDIR_LBA after 3 tries" \
    -e 'linux: could not read /boot/bzImage' -e "could not boot 'smart-os'" -n 'booting \(' -s 'x' -e '> 1\. smart-os'
unchanged_summary

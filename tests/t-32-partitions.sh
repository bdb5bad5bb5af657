#!/usr/bin/env bash
# expect: 10 boot
# Booting smart-os from the partition layouts users have (docs/partitions.md),
# each made with sgdisk or sfdisk, the root filesystem copied in with dd (no
# root, no loop devices) and smartboot installed by the installer:
#   - GPT in Debian's layout (BIOS boot partition 1, root on sda2) on -M pc
#     and -M q35, through INT 13h and the native driver, to init;
#   - a GPT whose primary header is damaged: stage 2 says so and boots from
#     the backup (and Linux, given `gpt`, too);
#   - DOS disks with the root on sda5 and on sda6 behind a FAT primary
#     (mkfs.fat), nothing active;
#   - an EBR chain that loops, one that points outside the extended
#     partition: their messages, then the halt.
# Every boot stops at the first marker that proves the point.  The installer's
# side of GPT (refusals, backup/restore) is tests/t-07-installer-gpt.sh.
source "$(dirname "$0")/lib.sh"
source "$TOP/tests/boot-lib.sh"
work=$TLOG/partitions; rm -rf "$work"; mkdir -p "$work"

[ -f "$BUILD/smartos.img" ] || { skip "partition boots" "no build/smartos.img (make all)"; exit 0; }

# The smart-os root filesystem, out of its disk (partition 1 at 2048).
root=$work/root.part
dd if="$BUILD/smartos.img" of="$root" bs=1M skip=1 conv=sparse status=none
P=$(( $(stat -c %s "$root") / 512 ))

# cfg IMG START ROOT [LINES...]: a verbose smartboot.cfg in the filesystem at
# LBA START, booting root=ROOT at once.
cfg() {
    local img=$1 start=$2 rootdev=$3; shift 3
    { echo "timeout 0"; echo "verbose on"; printf '%s\n' "$@"
      echo "entry smart-os"; echo "kernel /boot/bzImage"; echo "initrd /boot/initrd"
      echo "cmdline root=$rootdev console=ttyS0$CMDLINE_EXTRA"; } > "$img.cfg"
    debugfs -w -R "write $img.cfg /boot/smartboot.cfg" "$img?offset=$((start * 512))" >/dev/null 2>&1
}
# place IMG START: the root filesystem into the disk at LBA START.
place() { dd if="$root" of="$1" bs=512 seek="$2" conv=sparse,notrunc status=none; }
install() { "$BUILD/smartboot-install" --backup "$1.backup" "$1" >"$1.install" 2>&1 || { cat "$1.install" >&2; return 1; }; }
# boot NAME STEPS... -- QEMU-ARGS: a boot to Linux's init.  (Linux writes its
# root; console.py checks that nothing was written before the hand-off.)
boot() { local name=$1; shift; console "$name" "$@" 2>"$work/$name.err"; }

# ---- GPT, Debian's layout ------------------------------------------------------
gpt=$work/gpt.img
truncate -s $(( (4096 + P + 2048) * 512 )) "$gpt"
sgdisk -n 1:2048:4095 -t 1:EF02 -n 2:4096:0 -t 2:8300 "$gpt" >/dev/null && place "$gpt" 4096 && install "$gpt" ||
    fail "a GPT disk in Debian's layout with smartboot"

# gpt_boot NAME MACHINE DISK-KEY DRIVER-REGEX: boot a copy, to init.
gpt_boot() {
    local name=$1 machine=$2 key=$3 want=$4 img=$work/$1.img drive
    cp --sparse=always "$gpt" "$img"; cfg "$img" 4096 /dev/sda2 "disk $key"
    if [ "$machine" = q35 ]; then
        drive=(-M q35 -drive "file=$img,format=raw,if=none,id=d0" -device ide-hd,drive=d0,bus=ide.0)
    else
        drive=(-M pc -drive "file=$img,format=raw,if=ide")
    fi
    boot "$name" -t 60 -e 'disk: drive 0x80, partition 2 at LBA 4096' \
        -e 'part: GPT, header at LBA 1, 128 entries of 128 bytes at LBA 2' -e 'part:   sda2 +LBA 4096\+' \
        -e 'part: booting from sda2: the first Linux one' -e "$want" -e 'booting \(32-bit entry' \
        -e 'smart-os initrd: switching to /dev/sda2' -e 'smart-os: init reached' -- "${drive[@]}"
}
CMDLINE_EXTRA=
for run in "pc bios" "pc native" "q35 bios" "q35 native"; do
    set -- $run
    case $1-$2 in
        *-bios) want='config: ' ;;
        pc-native) want='disk: using the ide 0:0 driver' ;;
        q35-native) want='disk: using the ahci 0 driver' ;;
    esac
    if gpt_boot gpt-$1-$2 "$1" "$2" "$want" &&
       { [ "$2" = native ] || ! grep -q 'disk: using the' "$TLOG/gpt-$1-$2.log"; }; then
        pass "GPT (Debian's layout), -M $1, disk $2: stage 2 reads sda2 and Linux mounts root=/dev/sda2"
    else
        fail "GPT (Debian's layout), -M $1, disk $2" "$(why gpt-$1-$2)"
    fi
done

# ---- GPT with a damaged primary header ------------------------------------------
# Linux reads the backup GPT only when told (`gpt` on its command line: its
# efi.c trusts a damaged primary's absence less than a firmware would).
img=$work/gpt-backup.img
cp --sparse=always "$gpt" "$img"
CMDLINE_EXTRA=' gpt' cfg "$img" 4096 /dev/sda2
printf '\xff' | dd of="$img" bs=1 seek=$((512 + 0x30)) conv=notrunc status=none   # last usable LBA
last=$(( $(stat -c %s "$img") / 512 - 1 ))
if boot gpt-backup -t 60 \
        -e "disk: GPT: the primary header \\(LBA 1\\) has a bad header CRC32 0x[0-9a-f]+ \\(computed 0x[0-9a-f]+\\); using the backup header at LBA $last" \
        -e 'disk: drive 0x80, partition 2 at LBA 4096' -e "part: GPT, header at LBA $last" \
        -e 'smart-os initrd: switching to /dev/sda2' -e 'smart-os: init reached' -- -drive "file=$img,format=raw,if=ide"; then
    pass "GPT with a damaged primary header: stage 2 says so, boots from the backup at LBA $last (Linux too, with 'gpt')"
else
    fail "GPT with a damaged primary header boots from the backup" "$(why gpt-backup)"
fi

# ---- DOS: the root on a logical partition behind a FAT primary, nothing active ----
fat=$work/fat.part
mkfs.fat -C -n SMARTFAT "$fat" 4096 >/dev/null 2>&1 || fail "mkfs.fat"
# dos NAME SFDISK-LINES: a disk with a FAT sda1 and the root where the lines say.
dos() {
    local img=$work/$1.img
    truncate -s $(( (16384 + P + 2048) * 512 )) "$img"
    printf "label: dos\nlabel-id: 0x50415254\n$2" | sfdisk -q "$img" >/dev/null 2>&1 &&
        dd if="$fat" of="$img" bs=512 seek=2048 conv=notrunc status=none
}
dos sda5 "start=2048, size=8192, type=c\nstart=10240, type=5\nstart=12288, size=$P, type=83\n" &&
    place "$work/sda5.img" 12288 && install "$work/sda5.img" && cfg "$work/sda5.img" 12288 /dev/sda5 ||
    fail "a DOS disk with the root on sda5"
if boot dos-sda5 -t 60 -e 'disk: drive 0x80, partition 5 at LBA 12288' \
        -e 'part: DOS partition table, disk signature 0x50415254' -e 'part:   sda1 +LBA 2048\+8192, type 0x0c' \
        -e 'part:   sda5 +LBA 12288\+[0-9]+, type 0x83 \(Linux\), logical, PARTUUID 50415254-05' \
        -e 'part: booting from sda5: the first Linux one' -e 'booting \(32-bit entry' \
        -e 'smart-os initrd: switching to /dev/sda5' -e 'smart-os: init reached' \
        -- -M pc -drive "file=$work/sda5.img,format=raw,if=ide"; then
    pass "DOS, FAT sda1, root on logical sda5, nothing active: boots sda5 (-M pc)"
else
    fail "DOS, root on logical sda5" "$(why dos-sda5)"
fi
dos sda6 "start=2048, size=8192, type=c\nstart=10240, type=f\nstart=12288, size=2048, type=82\nstart=16384, size=$P, type=83\n" &&
    place "$work/sda6.img" 16384 && install "$work/sda6.img" && cfg "$work/sda6.img" 16384 /dev/sda6 ||
    fail "a DOS disk with the root on sda6"
if boot dos-sda6 -t 60 -e 'disk: drive 0x80, partition 6 at LBA 16384' \
        -e 'booting \(32-bit entry' -e 'smart-os initrd: switching to /dev/sda6' -e 'smart-os: init reached' \
        -- -M q35 -drive "file=$work/sda6.img,format=raw,if=none,id=d0" -device ide-hd,drive=d0,bus=ide.0; then
    pass "DOS, FAT sda1, extended (0x0F) with swap sda5 and root sda6, nothing active: boots sda6 (-M q35)"
else
    fail "DOS, root on logical sda6" "$(why dos-sda6)"
fi

# ---- Broken EBR chains: the message, then a visible halt ---------------------------
# sda6's disk: the first EBR is at 10240, the second (sda6's) where its link says.
ebr2=$((10240 + $(od -An -tu4 -j $((10240 * 512 + 0x1ce + 8)) -N4 "$work/sda6.img")))
# bad NAME ENTRY-HEX MESSAGE-REGEX WHAT: the second EBR's link entry replaced,
# then a boot that must show the message and halt (and write nothing).
bad() {
    local img=$work/$1.img
    cp --sparse=always "$work/sda6.img" "$img"
    printf "$(echo "$2" | sed 's/../\\x&/g')" | dd of="$img" bs=1 seek=$((ebr2 * 512 + 0x1ce)) conv=notrunc status=none
    if loader_boot "$1" "$img" -t 30 -e "disk: $3" -e 'disk: no partition to boot from' -a \
            -- -drive "file=$img,format=raw,if=ide"; then
        pass "$1: stage 2 names the LBAs ($4) and halts"
    else
        fail "$1: stage 2 says '$3' and halts" "$(why "$1")"
    fi
}
# Type 0x05, relative start 0: back to the first EBR.
bad ebr-loop 00000000050000000000000001000000 \
    "the EBR at LBA $ebr2 links to LBA 10240, an EBR already read: the chain of logical partitions is a loop" \
    "a loop back to the first EBR"
ext_end=$(( $(stat -c %s "$work/sda6.img") / 512 - 1 ))
bad ebr-outside 00000000050000000000000101000000 \
    "the EBR at LBA $ebr2 links to LBA $((10240 + 0x01000000)), outside the extended partition \\(LBA 10240\\.\\.$ext_end\\)" \
    "a link past the extended partition's end"

unchanged_summary

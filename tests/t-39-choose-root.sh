#!/usr/bin/env bash
# Choosing the partition (docs/partitions.md "Choosing the partition"): the
# kernel and initrd are on a filesystem made with mke2fs -U/-L -d, on
# another partition than the one stage 2 reads its configuration from, and
# only there:
#   - grub.cfg's `search --fs-uuid` (the UUID written in upper case) finds
#     it on hd0,2 of a DOS disk;
#   - smartboot.cfg: the default entry's `root UUID=` matches nothing: the
#     message, the menu; then the entry with `root LABEL=` boots;
#   - a GPT disk: `root PARTUUID=` (sgdisk -u) names partition 3;
#   - two disks (-drive twice): `root hd1,msdos1` with a missing kernel
#     fails and gives everything back, then `root LABEL=` finds the
#     filesystem on the second disk (read through INT 13h drive 0x81).
# Each boot stops at stage 2's "booting (" line: the kernel and initrd were
# read from the partition chosen.
source "$(dirname "$0")/lib.sh"
source "$TOP/tests/boot-lib.sh"
work=$TLOG/choose-root; rm -rf "$work"; mkdir -p "$work"

[ -f "$BUILD/bzImage" ] && [ -f "$BUILD/initrd" ] || { skip "choosing the partition" "no build/bzImage (make all)"; exit 0; }

UUID=0C1E5A2B-3C4D-4E5F-8A9B-0123456789AB
uuid=$(echo "$UUID" | tr A-F a-f)
GUID=5A3C1E0B-7D2F-4B6A-9C8E-1F2E3D4C5B6A
guid=$(echo "$GUID" | tr A-F a-f)

# The kernel's filesystem (6 MiB), and the small one holding the configuration.
mkdir -p "$work/k/boot" "$work/c/boot/grub"
cp "$BUILD/bzImage" "$BUILD/initrd" "$work/k/boot/"
mke2fs -q -F -t ext2 -U "$UUID" -L SMARTKERN -d "$work/k" "$work/k.fs" 6M >/dev/null 2>&1 &&
    mke2fs -q -F -t ext2 -L CONFIG -d "$work/c" "$work/c.fs" 2M >/dev/null 2>&1 ||
    { fail "mke2fs -U -L -d"; exit 1; }

# at IMG FS LBA: the filesystem image FS into IMG at LBA.
at() { dd if="$2" of="$1" bs=512 seek="$3" conv=notrunc,sparse status=none; }
install() { "$BUILD/smartboot-install" --backup "$1.backup" "$1" >"$1.install" 2>&1 || { cat "$1.install" >&2; return 1; }; }
# cfg IMG LBA FILE TEXT: the configuration file FILE into the filesystem at LBA.
cfg() {
    printf '%s\n' "$4" > "$1.cfg"
    debugfs -w -R "write $1.cfg $3" "$1?offset=$(($2 * 512))" >/dev/null 2>&1
}
boot() { local name=$1 img=$2; shift 2; loader_boot "$name" "$img" "$@"; }

# ---- DOS: the configuration on sda1 (active), the kernel on sda2 --------------
dos=$work/dos.img
truncate -s $(( (8192 + 12288) * 512 )) "$dos"
printf 'start=2048, size=4096, type=83, bootable\nstart=8192, size=12288, type=83\n' | sfdisk -q "$dos" >/dev/null 2>&1 &&
    at "$dos" "$work/c.fs" 2048 && at "$dos" "$work/k.fs" 8192 && install "$dos" ||
    { fail "a DOS disk with two ext2 partitions and smartboot"; exit 1; }

img=$work/search.img; cp --sparse=always "$dos" "$img"
cfg "$img" 2048 /boot/grub/grub.cfg "set timeout=0
search --no-floppy --fs-uuid --set=root --hint-bios=hd0,msdos2 $UUID
menuentry 'smart-os' {
    linux /boot/bzImage console=ttyS0
    initrd /boot/initrd
}"
if boot search "$img" -t 60 -e 'disk: drive 0x80, partition 1 at LBA 2048' \
        -e "root: UUID=$uuid is hd0,2 \\(drive 0x80, PARTUUID [0-9a-f]{8}-02\\)" \
        -e 'booting \(32-bit entry' -- -drive "file=$img,format=raw,if=ide"; then
    pass "grub.cfg search --fs-uuid (upper case) finds the kernel's filesystem on hd0,2 and boots from it"
else
    fail "grub.cfg search --fs-uuid finds hd0,2" "$(why search)"
fi

img=$work/label.img; cp --sparse=always "$dos" "$img"
cfg "$img" 2048 /boot/smartboot.cfg "timeout 0
entry nowhere
  root UUID=deadbeef-0000-4000-8000-000000000000
  kernel /boot/bzImage
entry by label
  root LABEL=SMARTKERN
  kernel /boot/bzImage
  initrd /boot/initrd
  cmdline console=ttyS0"
if boot label "$img" -t 60 \
        -e 'root: UUID=deadbeef-0000-4000-8000-000000000000: no partition matches \(BIOS disks looked at: 1\)' \
        -e "could not boot 'nowhere'\\. Press a key" -s ' ' -e 'Up/Down or 1-2: choose' \
        -s '2' -e '> 2\. by label' -s '\r' -e 'root: LABEL=SMARTKERN is hd0,2 \(drive 0x80' \
        -e 'booting \(32-bit entry' -- -drive "file=$img,format=raw,if=ide"; then
    pass "smartboot.cfg root UUID= that matches nothing: the message and the menu"
    pass "smartboot.cfg root LABEL= boots from hd0,2"
else
    fail "root UUID= matching nothing, then root LABEL=" "$(why label)"
fi

# ---- GPT: the configuration on sda2 (the first Linux one), the kernel on sda3 ----
gpt=$work/gpt.img
truncate -s $(( (8192 + 12288 + 2048) * 512 )) "$gpt"
sgdisk -n 1:2048:4095 -t 1:EF02 -n 2:4096:8191 -t 2:8300 -n 3:8192:20479 -t 3:8300 -u "3:$GUID" "$gpt" >/dev/null &&
    at "$gpt" "$work/c.fs" 4096 && at "$gpt" "$work/k.fs" 8192 && install "$gpt" &&
    cfg "$gpt" 4096 /boot/smartboot.cfg "timeout 0
root PARTUUID=$GUID
entry smart-os
  kernel /boot/bzImage
  initrd /boot/initrd
  cmdline console=ttyS0" ||
    fail "a GPT disk with the kernel on sda3 (sgdisk -u)"
if boot gpt "$gpt" -t 60 -e 'disk: drive 0x80, partition 2 at LBA 4096' \
        -e "root: PARTUUID=$guid is hd0,3 \\(drive 0x80, PARTUUID $guid\\)" \
        -e 'booting \(32-bit entry' -- -drive "file=$gpt,format=raw,if=ide"; then
    pass "GPT: a global root PARTUUID= (sgdisk's unique GUID, upper case) boots from sda3"
else
    fail "GPT root PARTUUID=" "$(why gpt)"
fi

# ---- Two disks: the configuration on the first, the kernel on the second --------
one=$work/one.img two=$work/two.img
truncate -s $(( (2048 + 4096) * 512 )) "$one"
truncate -s $(( (2048 + 12288) * 512 )) "$two"
echo 'start=2048, type=83' | sfdisk -q "$one" >/dev/null 2>&1 && at "$one" "$work/c.fs" 2048 && install "$one" &&
    echo 'start=2048, type=83' | sfdisk -q "$two" >/dev/null 2>&1 && at "$two" "$work/k.fs" 2048 &&
    cfg "$one" 2048 /boot/smartboot.cfg "timeout 0
entry missing kernel
  root hd1,msdos1
  kernel /boot/nothing
entry second disk
  root LABEL=SMARTKERN
  kernel /boot/bzImage
  initrd /boot/initrd
  cmdline console=ttyS0" ||
    fail "two disks, the kernel on the second"
if boot two "$one" -t 60 -e 'root: hd1,msdos1 is hd1,1 \(drive 0x81' -e 'ext2: /boot/nothing: no such file' \
        -e "could not boot 'missing kernel'\\. Press a key" -s ' ' -e 'Up/Down or 1-2: choose' \
        -s '2' -e '> 2\. second disk' -s '\r' -e 'root: LABEL=SMARTKERN is hd1,1 \(drive 0x81' \
        -e 'booting \(32-bit entry' -- -drive "file=$one,format=raw,if=ide" -drive "file=$two,format=raw,if=ide"; then
    pass "root hd1,msdos1: the second BIOS disk's partition is read (a missing kernel: the menu comes back)"
    pass "root LABEL= looks at the boot disk, then finds the filesystem on the second disk and boots from it"
else
    fail "an entry on the second disk (-drive twice)" "$(why two)"
fi
unchanged_summary
rm -f "$work"/*.img "$work"/*.fs

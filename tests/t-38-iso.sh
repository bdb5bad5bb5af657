#!/usr/bin/env bash
# expect: 9 boot
# build/smartos.iso (make iso, scripts/mkiso.sh, docs/iso.md): one hybrid
# image that smartboot boots from a CD by El Torito and as a disk.
#   - the image as xorriso and sfdisk see it (independent oracles): a
#     no-emulation boot image /boot/smartboot.bin of 4 virtual sectors with
#     a boot information table, an MBR with one active partition over the
#     whole image, stage 2 in sectors 1-62;
#   - four boots, each with a timeout, from the serial console: -cdrom on
#     -M pc (an IDE CD) to a root shell whose / is the RAM filesystem, -cdrom
#     on -M q35 (an AHCI CD), the same file as -hda and as a USB stick on
#     xHCI, each to the login prompt.  The live initrd needs no driver for
#     the medium after the loader, so the stick boots without USB drivers
#     in the kernel.
source "$(dirname "$0")/lib.sh"
work=$TLOG/iso; rm -rf "$work"; mkdir -p "$work"
ISO=$BUILD/smartos.iso
if ! make -s -C "$TOP" iso >"$work/make.log" 2>&1; then
    fail "make iso" "$(tail -3 "$work/make.log")"; exit 1
fi
pass "make iso: $(( $(stat -c %s "$ISO") / 1024 )) KiB"

# ---- The image, as the oracles see it ----
xorriso -indev "$ISO" -report_el_torito plain >"$work/eltorito.txt" 2>/dev/null
if grep -qE 'El Torito boot img : +1 +BIOS +y +none +0x0000 +0x00 +4 ' "$work/eltorito.txt" &&
   grep -q 'El Torito img path : *1 */boot/smartboot.bin' "$work/eltorito.txt" &&
   grep -q 'boot-info-table' "$work/eltorito.txt"; then
    pass "xorriso: a bootable no-emulation image /boot/smartboot.bin, 4 virtual sectors, boot info table"
else
    fail "xorriso's El Torito report" "$(cat "$work/eltorito.txt")"
fi
sectors=$(( $(stat -c %s "$ISO") / 512 ))
sfdisk -d "$ISO" >"$work/sfdisk.txt" 2>&1
if grep -qE "start= *0, size= *$sectors, type=83, bootable" "$work/sfdisk.txt"; then
    pass "sfdisk: one active partition of type 0x83 from LBA 0 over all $sectors sectors"
else
    fail "sfdisk: the hybrid partition" "$(grep -v '^$' "$work/sfdisk.txt" | tail -3)"
fi
if cmp -s -n 31744 -i 512:0 "$ISO" "$BUILD/stage2-iso.bin" 2>/dev/null ||
   [ "$(dd if="$ISO" bs=512 skip=1 count=62 status=none | head -c "$(stat -c %s "$BUILD/stage2-iso.bin")" | md5sum)" = \
     "$(md5sum < "$BUILD/stage2-iso.bin")" ]; then
    pass "stage 2 is in sectors 1-62 of the system area"
else
    fail "stage 2 is in sectors 1-62 of the system area"
fi

# ---- Boots ----
LOGIN=(-e 'smart-os initrd: live: running /sbin/init from RAM' -e 'smart-os: init reached' -e 'login:')
LOADER=(-t 60 -e 'loading /boot/bzImage .* ok' -e 'loading /boot/initrd .* ok'
        -e 'booting \(32-bit entry' -t 120)

# A root shell, and what / is: the initramfs (rootfs), not a disk.
if console iso-pc-cdrom -t 30 -e 'smartboot: stage 2, boot drive 0xe0' -e 'disk: drive 0xe0, a CD: the whole disc' \
        "${LOADER[@]}" "${LOGIN[@]}" \
        -s 'root\n' -e 'Password:' -s 'smartos\n' -e 'root@smart-os:[^\n]*# ' \
        -s 'awk '"'"'$2 == "/" { print "ROOT-IS-" $3 }'"'"' /proc/mounts\n' -e 'ROOT-IS-rootfs' \
        -s 'poweroff\n' -t 60 -x \
        -- -M pc -drive "file=$ISO,format=raw,media=cdrom,if=ide,index=2,readonly=on" -boot d \
        2>"$work/pc.err"; then
    pass "-cdrom on -M pc (IDE CD): El Torito, stage 2 on the 2048-byte CD, live smart-os to a root shell on the RAM filesystem"
else
    fail "-cdrom on -M pc (IDE CD)" "$(head -c 600 "$work/pc.err")"
fi

if console iso-q35-cdrom -t 30 -e 'disk: drive 0x[0-9a-f]+, a CD: the whole disc' "${LOADER[@]}" "${LOGIN[@]}" \
        -- -M q35 -cdrom "$ISO" -boot d 2>"$work/q35.err"; then
    pass "-cdrom on -M q35 (AHCI CD): live smart-os to the login prompt"
else
    fail "-cdrom on -M q35 (AHCI CD)" "$(head -c 600 "$work/q35.err")"
fi

# As a disk: a copy (the loader never writes, console.py checks; the
# kernel does not touch it either, but a test must not risk the build's).
cp "$ISO" "$work/disk.iso"
if console iso-hda -t 30 -e 'smartboot: stage 2, boot drive 0x80' -e 'disk: drive 0x80, partition 1 at LBA 0' \
        "${LOADER[@]}" "${LOGIN[@]}" \
        -- -M pc -drive "file=$work/disk.iso,format=raw,if=ide,index=0" 2>"$work/hda.err"; then
    pass "the same file as -hda: the hybrid MBR, stage 2 from sectors 1-62, ISO 9660 in partition 1, live smart-os to the login prompt"
else
    fail "the same file as -hda" "$(head -c 600 "$work/hda.err")"
fi

if console iso-usb -t 60 -e 'smartboot: stage 2, boot drive 0x80' -e 'disk: drive 0x80, partition 1 at LBA 0' \
        "${LOADER[@]}" "${LOGIN[@]}" \
        -- -M pc -device qemu-xhci -drive "if=none,id=stick,file=$work/disk.iso,format=raw" \
        -device usb-storage,drive=stick,bootindex=0 2>"$work/usb.err"; then
    pass "the same file as a USB stick on xHCI: live smart-os to the login prompt (no USB driver needed after the loader)"
else
    fail "the same file as a USB stick on xHCI" "$(head -c 600 "$work/usb.err")"
fi
rm -f "$work/disk.iso"

# ---- Under Bochs: its own BIOS's El Torito (not SeaBIOS's), from the CD ----
# bochs/bochsrc with the disk replaced by a CD drive holding the image.
# Bochs is slow: to smart-os's init, within ISO_BOCHS_SECS (default 600).
if command -v bochs >/dev/null; then
    sed -e 's|^ata0-master: .*|ata0-master: type=cdrom, path=$BOCHS_CD, status=inserted|' \
        -e 's|^boot: disk|boot: cdrom|' "$TOP/bochs/bochsrc" >"$work/bochsrc"
    echo c >"$work/bochs.rc"; : >"$work/bochs.serial"
    BOCHS_CD=$ISO BOCHS_SERIAL=$work/bochs.serial BOCHS_LOG=$work/bochs.log BOCHS_MEGS=256 BOCHS_MAGIC=0 \
        bochs -q -f "$work/bochsrc" -rc "$work/bochs.rc" </dev/null >"$work/bochs.out" 2>&1 & pid=$!
    for _ in $(seq $(( ${ISO_BOCHS_SECS:-600} * 2 ))); do
        grep -q 'smart-os: init reached' "$work/bochs.serial" && break
        kill -0 $pid 2>/dev/null || break
        sleep 0.5
    done
    kill $pid 2>/dev/null; wait $pid 2>/dev/null
    if grep -q 'disk: drive 0x[0-9a-f]*, a CD: the whole disc' "$work/bochs.serial" &&
       grep -q 'smart-os: init reached' "$work/bochs.serial"; then
        pass "under Bochs's BIOS from the CD: El Torito, stage 2 on the CD, live smart-os to its init"
    else
        fail "under Bochs's BIOS from the CD" "$(tr -d '\r' < "$work/bochs.serial" | tail -3)"
    fi
else
    skip "under Bochs from the CD" "bochs is not installed (make deps)"
fi

#!/usr/bin/env bash
# mkiso.sh OUT: build/smartos.iso, a live smart-os on one hybrid image that
# boots from a CD (El Torito, no emulation) and from a disk or USB stick
# (the MBR in the system area).  smartboot is its only loader.  docs/iso.md
# draws the layout.
#
# Inputs (make iso builds them): build/rootfs/ (scripts/mkrootfs.sh),
# build/bzImage, build/mbr.bin, build/cd.bin, build/stage2-iso.bin, the kernel
# tree's gen_init_cpio, boot/smartboot-iso.cfg.
#
#   1. The live initrd: the whole root filesystem (build/rootfs without
#      /boot) with the initrd's /init, which runs /sbin/init from RAM when
#      the command line says `live` (rootfs/initrd/init): the kernel needs
#      no CD or USB driver, the loader has read everything.
#   2. The tree: /boot/bzImage, /boot/initrd, /boot/smartboot.cfg and the
#      El Torito boot image /boot/smartboot.bin = build/cd.bin (2048 bytes)
#      + build/stage2-iso.bin, padded to whole blocks.
#   3. xorriso -as mkisofs: Rock Ridge (-R) and Joliet (-J) names, the boot
#      catalog, the boot information table cd.asm reads.
#   4. The system area (the first 32 KiB, which ISO 9660 leaves alone):
#      sector 0 = build/mbr.bin with its patch fields set and one active
#      partition covering the image from LBA 0; sectors 1-62 = stage 2, as
#      smartboot-install lays out a disk (docs/layout.md).  The installer
#      itself will not write there: it refuses a disk that holds a
#      filesystem of its own, which an ISO image is.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out=$1
b=$top/build
gen_init_cpio=$b/kernel/usr/gen_init_cpio
epoch=${SOURCE_DATE_EPOCH:-1704067200}
export SOURCE_DATE_EPOCH=$epoch          # xorriso takes its dates from it

for f in "$b/rootfs/sbin/init" "$b/bzImage" "$b/mbr.bin" "$b/cd.bin" "$b/stage2-iso.bin" \
         "$gen_init_cpio" "$top/boot/smartboot-iso.cfg" "$top/rootfs/initrd/init"; do
    [ -e "$f" ] || [ -L "$f" ] || { echo "mkiso: $f missing" >&2; exit 1; }
done
command -v xorriso >/dev/null || { echo "mkiso: xorriso not installed (make deps)" >&2; exit 1; }

w=$out.d
rm -rf "$w"
mkdir -p "$w/live" "$w/tree/boot"

# --- 1. The live initrd ----------------------------------------------------------------
cp -a "$b/rootfs/." "$w/live/"
rm -rf "$w/live/boot"
mkdir -p "$w/live/boot"
install -m 0755 "$top/rootfs/initrd/init" "$w/live/init"
# / is the RAM filesystem: no /dev/sda1 line for rcS's `mount -a` to try.
sed -i '\|^/dev/sda1[[:space:]]*/[[:space:]]|d' "$w/live/etc/fstab"
find "$w/live" -exec touch -h -d "@$epoch" {} +
# /dev/console from gen_init_cpio (a device node needs root to make; see
# scripts/mkinitrd.sh), in a second archive the kernel unpacks after the first.
printf '%s\n' 'dir /dev 0755 0 0' 'nod /dev/console 0600 0 0 c 5 1' > "$w/console.list"
{
    (cd "$w/live" && find . -mindepth 1 | LC_ALL=C sort |
        cpio -o -H newc -R 0:0 --reproducible --quiet)
    "$gen_init_cpio" -t "$epoch" "$w/console.list"
} | gzip -6 -n > "$w/tree/boot/initrd"

# --- 2. The tree -------------------------------------------------------------------------
cp "$b/bzImage" "$w/tree/boot/bzImage"
cp "$top/boot/smartboot-iso.cfg" "$w/tree/boot/smartboot.cfg"
cat "$b/cd.bin" "$b/stage2-iso.bin" > "$w/tree/boot/smartboot.bin"
# Whole blocks: cd.asm sums the image by dwords and reads it by blocks.
truncate -s %2048 "$w/tree/boot/smartboot.bin"
find "$w/tree" -exec touch -h -d "@$epoch" {} +

# --- 3. The image ------------------------------------------------------------------------
# -boot-load-size 4: the BIOS loads cd.asm's 2048 bytes (4 virtual sectors),
# cd.asm the rest.  -no-pad: no 300 KiB of zeros at the end (a CD writer
# wants them; a disk, QEMU and a stick do not).
xorriso -as mkisofs -quiet -R -J -V SMARTOS -no-pad \
    -b boot/smartboot.bin -c boot/boot.cat -no-emul-boot -boot-load-size 4 -boot-info-table \
    -o "$out.tmp" "$w/tree"

# --- 4. The system area: MBR, partition, stage 2 -----------------------------------------
python3 - "$out.tmp" "$b/mbr.bin" "$b/stage2-iso.bin" <<'EOF'
import struct, sys
image, mbr, stage2 = sys.argv[1], open(sys.argv[2], 'rb').read(), open(sys.argv[3], 'rb').read()
SECTOR = 512
PATCH = 0x1B0               # boot/mbr.asm's patch fields: stage2_lba, stage2_sectors, stage2_checksum
PART = 446                  # the partition table
assert len(mbr) == SECTOR and mbr[510:] == b'\x55\xaa'
sectors = (len(stage2) + SECTOR - 1) // SECTOR
assert 1 + sectors <= 63, 'stage 2 does not fit sectors 1-62'
stage2 += b'\0' * (sectors * SECTOR - len(stage2))
checksum = sum(struct.unpack('<%dH' % (len(stage2) // 2), stage2)) & 0xFFFF   # mbr.asm's .sum loop
with open(image, 'r+b') as f:
    f.seek(0, 2)
    size = f.tell() // SECTOR
    f.seek(0)
    assert f.read(32768) == b'\0' * 32768, 'xorriso wrote into the system area'
    sa = bytearray(mbr)
    sa[PATCH:PATCH + 8] = struct.pack('<IHH', 1, sectors, checksum)
    # One partition, active (some BIOSes boot no stick without one), type
    # 0x83 (smartboot's stage 2 looks for it), from LBA 0 over the whole
    # image; CHS fields say "use LBA" (0xFE/0xFF/0xFF).
    sa[PART:PART + 16] = struct.pack('<B3sB3sII', 0x80, b'\x00\x01\x00', 0x83, b'\xfe\xff\xff', 0, size)
    f.seek(0)
    f.write(bytes(sa) + stage2)
EOF
mv "$out.tmp" "$out"
rm -rf "$w"
echo "iso: $out ($(( $(stat -c %s "$out") / 1024 )) KiB; initrd and all: a live smart-os)"

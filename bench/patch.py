#!/usr/bin/env python3
"""Disk-image surgery for make bench, all on image files, without root.

    patch.py grub-setup DISK BOOT_IMG CORE_IMG
        Put GRUB 2 (i386-pc) on DISK the way grub-bios-setup embeds it on an
        MBR-partitioned disk: boot.img in sector 0, core.img from sector 1 on,
        in the gap before the first partition.  (grub-bios-setup itself insists
        on guessing a root device from the host's /dev, which a container has
        not got; the format it writes is small and documented in GRUB's
        include/grub/i386/pc/boot.h and diskboot.S, so we write it here.)

    patch.py probe DISK PROBE_BIN LBA SECTORS CHUNK
        Put bench/probe.asm's boot sector on DISK with its three fields set.

    patch.py big-initrd SMALL OUT MIB
        OUT = the initrd SMALL, then an uncompressed cpio holding
        /bench/random.bin: MIB MiB of incompressible (pseudo-random, fixed
        seed) bytes.  The kernel unpacks concatenated archives in order.
"""
import random
import struct
import sys

SECTOR = 512

# GRUB's boot.img (include/grub/i386/pc/boot.h).
BPB_START, BPB_END = 0x03, 0x5A      # a floppy's BIOS parameter block: the disk's, kept
KERNEL_SECTOR = 0x5C                 # u64: LBA of core.img's first sector
BOOT_DRIVE = 0x64                    # u8: 0xFF = use the drive the BIOS passed in DL
DRIVE_CHECK = 0x66                   # a 2-byte jump, NOPed on hard disks (BIOSes that pass a bad DL)
NT_MAGIC, PART_END = 0x1B8, 0x1FE    # disk signature and partition table: the disk's, kept
NOP = 0x90
# core.img's first sector is diskboot.img; its last 12 bytes are the first
# entry of a list of (u64 LBA, u16 sectors, u16 load segment) extents that
# grows downwards and ends with an all-zero entry (diskboot.S).
BLOCKLIST = SECTOR - 12
CORE_SEGMENT = 0x820                 # the rest of core.img loads at 0x8200, after diskboot


def grub_setup(disk, boot_img, core_img):
    boot = bytearray(open(boot_img, "rb").read())
    core = bytearray(open(core_img, "rb").read())
    if len(boot) != SECTOR:
        sys.exit("patch.py: %s is not one sector" % boot_img)
    nsec = (len(core) + SECTOR - 1) // SECTOR
    core += bytes(nsec * SECTOR - len(core))
    with open(disk, "r+b") as f:
        mbr = f.read(SECTOR)
        first_part = min([struct.unpack_from("<I", mbr, 0x1BE + 16 * i + 8)[0]
                          for i in range(4) if mbr[0x1BE + 16 * i + 4]] or [0])
        if 1 + nsec > first_part:
            sys.exit("patch.py: core.img (%d sectors) does not fit before LBA %d" % (nsec, first_part))
        boot[BPB_START:BPB_END] = mbr[BPB_START:BPB_END]
        boot[DRIVE_CHECK:DRIVE_CHECK + 2] = bytes([NOP, NOP])
        boot[NT_MAGIC:PART_END] = mbr[NT_MAGIC:PART_END]
        boot[BOOT_DRIVE] = 0xFF
        struct.pack_into("<Q", boot, KERNEL_SECTOR, 1)
        # One extent: sectors 2.. (diskboot.img itself is sector 1), then the
        # terminator just below it.
        struct.pack_into("<QHH", core, BLOCKLIST, 2, nsec - 1, CORE_SEGMENT)
        struct.pack_into("<QHH", core, BLOCKLIST - 12, 0, 0, 0)
        f.seek(0)
        f.write(boot)
        f.write(core)


def probe(disk, probe_bin, lba, sectors, chunk):
    code = bytearray(open(probe_bin, "rb").read())
    struct.pack_into("<IIH", code, 0x1AC, int(lba), int(sectors), int(chunk))
    with open(disk, "r+b") as f:
        f.write(code[:0x1B8])        # not the disk signature or the partition table


def newc(name, mode, data=b""):
    """One cpio "newc" member (the format in the kernel's
    Documentation/driver-api/early-userspace/buffer-format.rst)."""
    name = name.encode() + b"\0"
    fields = [0, mode, 0, 0, 1, 1704067200, len(data), 0, 0, 0, 0, len(name), 0]
    out = b"070701" + b"".join(b"%08X" % v for v in fields) + name
    out += bytes(-len(out) % 4) + data
    return out + bytes(-len(out) % 4)


def big_initrd(small, out, mib):
    data = open(small, "rb").read()
    # The kernel looks for the next archive at a 4-byte boundary.
    data += bytes(-len(data) % SECTOR)
    blob = random.Random(7).randbytes(int(mib) << 20)
    data += newc("bench", 0o040755) + newc("bench/random.bin", 0o100644, blob)
    data += newc("TRAILER!!!", 0)
    with open(out, "wb") as f:
        f.write(data)


if __name__ == "__main__":
    cmds = {"grub-setup": (grub_setup, 3), "probe": (probe, 5), "big-initrd": (big_initrd, 3)}
    if len(sys.argv) < 2 or sys.argv[1] not in cmds or len(sys.argv) != cmds[sys.argv[1]][1] + 2:
        sys.exit(__doc__)
    cmds[sys.argv[1]][0](*sys.argv[2:])

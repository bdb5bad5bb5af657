#!/usr/bin/env python3
"""Lab 4, a solution: /boot/bzImage's inode and first block, by hand.

    labs/solutions/04-ext2-blocks/find-blocks.py [DISK] > answers.txt

What the lab does with xxd, written down: the superblock, group 0's
descriptor, the inode table, the directories on the way, the inode.  Reads
only the structures of docs/ext2.md (direct blocks: enough for these
directories and for the first block of any file).
"""
import struct
import sys

SECTOR = 512
PART_LBA = 2048                        # partition 1 of build/disk.img
ROOT_INODE = 2

disk = open(sys.argv[1] if len(sys.argv) > 1 else "build/disk.img", "rb")
base = PART_LBA * SECTOR


def read(offset, size):
    disk.seek(base + offset)
    return disk.read(size)


sb = read(1024, 1024)                  # the superblock
inodes_per_group = struct.unpack_from("<I", sb, 0x28)[0]
block_size = 1024 << struct.unpack_from("<I", sb, 0x18)[0]
inode_size = struct.unpack_from("<H", sb, 0x58)[0]   # rev 1; 128 in rev 0
first_data_block = struct.unpack_from("<I", sb, 0x14)[0]
gdt = (first_data_block + 1) * block_size            # the block after the superblock's


def block(n):
    return read(n * block_size, block_size)


def where(ino):
    """(group, block, offset) of inode ino."""
    group, index = divmod(ino - 1, inodes_per_group)
    desc = read(gdt + 32 * group, 32)
    table = struct.unpack_from("<I", desc, 8)[0]       # bg_inode_table
    blk, off = divmod(index * inode_size, block_size)
    return group, table + blk, off


def inode(ino):
    _, blk, off = where(ino)
    raw = block(blk)[off:off + inode_size]
    size = struct.unpack_from("<I", raw, 4)[0] | struct.unpack_from("<I", raw, 0x6C)[0] << 32
    return size, struct.unpack_from("<15I", raw, 0x28)       # i_size, i_block[]


def lookup(dir_ino, name):
    size, blocks = inode(dir_ino)
    for b in blocks[:12]:
        if not b:
            continue
        data, pos = block(b), 0
        while pos < block_size:
            ino, rec_len, name_len = struct.unpack_from("<IHB", data, pos)
            if ino and data[pos + 8:pos + 8 + name_len] == name:
                return ino
            if rec_len == 0:
                break
            pos += rec_len
    sys.exit("no %r in directory inode %d" % (name, dir_ino))


ino = ROOT_INODE
for part in b"/boot/bzImage".split(b"/")[1:]:
    ino = lookup(ino, part)
group, blk, off = where(ino)
size, blocks = inode(ino)
print("# Lab 4: made by labs/solutions/04-ext2-blocks/find-blocks.py")
print("block_size       = %d" % block_size)
print("inodes_per_group = %d" % inodes_per_group)
print("inode_size       = %d" % inode_size)
print("inode            = %d" % ino)
print("group            = %d" % group)
print("inode_block      = %d" % blk)
print("inode_offset     = 0x%x" % off)
print("size             = %d" % size)
print("first_block      = %d" % blocks[0])
print("first_lba        = %d" % (PART_LBA + blocks[0] * block_size // SECTOR))

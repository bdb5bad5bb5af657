#!/usr/bin/env python3
"""iso-craft.py - make the ISO 9660 images xorriso will not make, by editing
ones it made (tests/t-25-iso-host.sh).  A small ISO 9660 reader of its own
(ECMA-119 9.1 records, SUSP NM names), written apart from stage2/fs/iso9660.c
so that the two do not share a mistake; xorriso reads the results back as
the oracle where it can.

  iso-craft.py split IMAGE DIR NAME N     the file DIR/NAME (one extent) becomes
                                          N records, each extent but the last
                                          flagged multi-extent (0x80)
  iso-craft.py huge IMAGE DIR NAME        the file DIR/NAME becomes two records
                                          of 4 GiB - 2 KiB and 600 MiB; the
                                          volume (and the file, sparsely) grows
  iso-craft.py ce-loop IMAGE              the first SUSP continuation area (CE)
                                          points to itself
  iso-craft.py both IMAGE                 the primary descriptor's volume size
                                          halves differ
"""
import struct
import sys

B = 2048


def both32(v):
    return struct.pack('<I', v) + struct.pack('>I', v)


def records(img, blk, size):
    """(block, offset in block, record bytes) of each record of a directory."""
    for i in range((size + B - 1) // B):
        img.seek((blk + i) * B)
        data = img.read(B)
        off = 0
        while off < B and data[off]:
            n = data[off]
            yield blk + i, off, data[off:off + n]
            off += n


def name_of(r):
    nl = r[32]
    sua = 33 + nl + (0 if nl % 2 else 1)
    name, p = b'', sua
    while p + 4 <= len(r) and r[p]:
        sig, n = r[p:p + 2], r[p + 2]
        if n < 4:
            break
        if sig == b'NM':
            name += r[p + 5:p + n]
        p += n
    return name or r[33:33 + nl].split(b';')[0]


def root(img):
    img.seek(16 * B)
    pvd = img.read(B)
    assert pvd[1:6] == b'CD001' and pvd[0] == 1, 'no primary volume descriptor at block 16'
    r = pvd[156:190]
    return struct.unpack_from('<I', r, 2)[0], struct.unpack_from('<I', r, 10)[0]


def find(img, path):
    blk, size = root(img)
    for part in path:
        for b, off, r in records(img, blk, size):
            if name_of(r) == part.encode():
                found = (b, off, r)
                break
        else:
            sys.exit('iso-craft: %s not found' % part)
        blk, size = struct.unpack_from('<I', found[2], 2)[0], struct.unpack_from('<I', found[2], 10)[0]
    return found


def rewrite(img, blk, off, old, new):
    """Replace the record at blk:off with the records in new (same block)."""
    img.seek(blk * B)
    data = bytearray(img.read(B))
    rest = data[off + len(old):]
    out = data[:off] + b''.join(new) + rest
    while out[-1:] == b'\0' and len(out) > B:
        out = out[:-1]
    assert len(out) <= B, 'no room in the directory block for the new records'
    img.seek(blk * B)
    img.write(bytes(out) + b'\0' * (B - len(out)))


def with_extent(r, blk, size, multi):
    r = bytearray(r)
    r[2:10] = both32(blk)
    r[10:18] = both32(size)
    r[25] = (r[25] | 0x80) if multi else (r[25] & ~0x80)
    return bytes(r)


def main():
    cmd, image = sys.argv[1], sys.argv[2]
    with open(image, 'r+b') as img:
        if cmd == 'split':
            d, name, n = sys.argv[3], sys.argv[4], int(sys.argv[5])
            blk, off, r = find(img, [p for p in d.split('/') if p] + [name])
            ext, size = struct.unpack_from('<I', r, 2)[0], struct.unpack_from('<I', r, 10)[0]
            chunk = (size // n + B - 1) // B * B
            new = []
            for i in range(n):
                part = min(chunk, size - i * chunk)
                new.append(with_extent(r, ext + i * chunk // B, part, i < n - 1))
            rewrite(img, blk, off, r, new)
        elif cmd == 'huge':
            d, name = sys.argv[3], sys.argv[4]
            blk, off, r = find(img, [p for p in d.split('/') if p] + [name])
            ext = struct.unpack_from('<I', r, 2)[0]
            first = (1 << 32) - B
            second = 600 << 20
            rewrite(img, blk, off, r, [with_extent(r, ext, first, True),
                                      with_extent(r, ext + first // B, second, False)])
            blocks = ext + first // B + second // B + 16
            img.seek(16 * B + 80)
            img.write(both32(blocks))
            img.truncate(blocks * B)          # sparse: nothing is written
        elif cmd == 'ce-loop':
            img.seek(0)
            data = img.read()
            p = data.find(b'CE\x1c\x01', 17 * B)
            assert p > 0, 'no CE entry in the image'
            blk, off = struct.unpack_from('<I', data, p + 4)[0], struct.unpack_from('<I', data, p + 12)[0]
            img.seek(p + 20)
            img.write(both32(28))
            img.seek(blk * B + off)
            img.write(b'CE\x1c\x01' + both32(blk) + both32(off) + both32(28))
        elif cmd == 'both':
            img.seek(16 * B + 84)
            img.write(b'\x00\x00\x00\x07')
        else:
            sys.exit(__doc__)


main()

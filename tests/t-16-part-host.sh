#!/usr/bin/env bash
# expect: 38 host
# Host tests of the partition table reader (stage2/part/: MBR, EBR chains,
# GPT), the same source stage 2 and the installer run, built for the host
# with the sanitizers (mk/part.mk).  Disks are made with sfdisk and sgdisk
# (no root, no loop devices); the reader's listing is compared field by
# field with `sfdisk -J` and `sgdisk -i` (tests/part_oracle.py), and the
# damaged tables must give their message.
source "$(dirname "$0")/lib.sh"
W=$BUILD/tests/part
bin=$BUILD/host/part_test
rm -rf "$W"; mkdir -p "$W"

if ! make -s -C "$TOP" part-host >"$W/build.log" 2>&1; then
    fail "the partition reader's host test builds" "$(tail -5 "$W/build.log")"; exit 1
fi

# dos NAME SFDISK-SCRIPT: a 64 MiB DOS disk.
dos() { rm -f "$W/$1.img"; truncate -s 64M "$W/$1.img"; printf "label: dos\n$2" | sfdisk -q "$W/$1.img" >"$W/$1.sfdisk" 2>&1 ||
        fail "$1: sfdisk" "$(tail -1 "$W/$1.sfdisk")"; }
# gpt NAME SGDISK-ARGS...: a 64 MiB GPT disk.
gpt() { local n=$1; shift; rm -f "$W/$n.img"; truncate -s 64M "$W/$n.img"
        sgdisk "$@" "$W/$n.img" >"$W/$n.sgdisk" 2>&1 || fail "$n: sgdisk $*" "$(tail -1 "$W/$n.sgdisk")"; }
# list NAME [IMAGE [ARGS]]: the reader's listing of IMAGE (default NAME's) in NAME.json.
list() { "$bin" "${2:-$W/$1.img}" "${@:3}" >"$W/$1.json" 2>"$W/$1.err" ||
         fail "$1: part_test" "crashed (exit $?): $(head -3 "$W/$1.err")"; }
# The checks of the listings run at the end, in one tests/part_oracle.py:
# oracle NAME CHOSEN [ORACLE-IMAGE]: NAME.json against sfdisk/sgdisk on the
# image, and part_choose() picks sdaCHOSEN (0: none);
# says NAME TEXT: the reader's message (error or warning) contains TEXT;
# field NAME KEY JSON-VALUE WHAT: a top-level field of NAME.json.
checks=$W/checks
oracle() { printf 'oracle\t%s\t%s\t%s\t%s\n' "$1" "${3:-$W/$1.img}" "$W/$1.json" "$2" >> "$checks"; }
says() { printf 'says\t%s\t%s\t%s\n' "$1" "$W/$1.json" "$2" >> "$checks"; }
field() { printf 'field\t%s\t%s\t%s\t%s\t%s\n' "$1" "$W/$1.json" "$2" "$3" "$4" >> "$checks"; }
# poke IMAGE LBA OFFSET HEX: overwrite bytes of a sector.
poke() { printf "$(echo "$4" | sed 's/../\\x&/g')" |
         dd of="$1" bs=1 seek=$(($2 * 512 + $3)) conv=notrunc status=none; }
le32() { printf '%02x%02x%02x%02x' $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) $(($1 >> 24 & 255)); }

# ---- DOS: primaries, the active one, logicals -------------------------------
dos primaries 'label-id: 0x12345678\nstart=2048, size=20480, type=83\nstart=22528, size=20480, type=c, bootable\nstart=43008, type=83, bootable\n'
list primaries; oracle primaries 3            # the active Linux one, not the first

dos first-linux 'label-id: 0x0badcafe\nstart=2048, size=20480, type=c, bootable\nstart=22528, size=20480, type=83\nstart=43008, type=83\n'
list first-linux; oracle first-linux 2        # nothing active but a FAT: the first Linux one

# Debian's "root on a logical partition": FAT, then an extended partition
# with swap (sda5) and the root (sda6), nothing active.
for ext in 5 f 85; do
    dos logical-$ext "label-id: 0xdeadbeef\nstart=2048, size=8192, type=c\nstart=10240, type=$ext\nstart=12288, size=4096, type=82\nstart=18432, size=20480, type=83\nstart=40960, size=8192, type=83\n"
    list logical-$ext; oracle logical-$ext 6
done
dos root-sda5 'label-id: 0x00c0ffee\nstart=2048, size=8192, type=c\nstart=10240, type=5\nstart=12288, size=20480, type=83\nstart=34816, size=4096, type=82\n'
list root-sda5; oracle root-sda5 5
# Only logicals: the extended partition is the only primary.
dos only-logicals 'label-id: 0x0000abcd\nstart=2048, type=5\nstart=4096, size=8192, type=83\nstart=14336, size=8192, type=83\n'
list only-logicals; oracle only-logicals 5
# An active logical Linux partition wins over an inactive primary one.
dos active-logical 'label-id: 0x11112222\nstart=2048, size=8192, type=83\nstart=10240, type=5\nstart=12288, size=8192, type=83\nstart=22528, size=8192, type=83, bootable\n'
list active-logical; oracle active-logical 6
dos no-linux 'label-id: 0x33334444\nstart=2048, size=8192, type=c\n'
list no-linux; oracle no-linux 0

# ---- DOS: damaged chains ------------------------------------------------------
# logical-5's EBRs: the first at 10240 (sda5); its link (entry 2) says where
# the second (sda6) is, counted from 10240; the second links to the third.
ebr2=$((10240 + $(od -An -tu4 -j $((10240 * 512 + 0x1ce + 8)) -N4 "$W/logical-5.img")))
cp "$W/logical-5.img" "$W/ebr-loop.img"
poke "$W/ebr-loop.img" $ebr2 $((0x1ce + 8)) "$(le32 0)"          # back to the first EBR
list ebr-loop
says ebr-loop "the EBR at LBA $ebr2 links to LBA 10240, an EBR already read: the chain of logical partitions is a loop"
cp "$W/logical-5.img" "$W/ebr-outside.img"
poke "$W/ebr-outside.img" $ebr2 $((0x1ce + 8)) "$(le32 200000)"   # past the extended partition's end
list ebr-outside
says ebr-outside "the EBR at LBA $ebr2 links to LBA 210240, outside the extended partition (LBA 10240..131071)"
cp "$W/logical-5.img" "$W/logical-outside.img"
poke "$W/logical-outside.img" $ebr2 $((0x1be + 12)) "$(le32 300000)"   # sda6 runs past it
list logical-outside
says logical-outside "logical partition 6 (LBA 18432..318431, in the EBR at LBA $ebr2) is outside the extended partition (LBA 10240..131071)"
cp "$W/logical-5.img" "$W/logical-on-ebr.img"
poke "$W/logical-on-ebr.img" $ebr2 $((0x1be + 8)) "$(le32 0)"          # sda6 starts at its EBR
list logical-on-ebr; says logical-on-ebr "logical partition 6 starts on its own EBR (LBA $ebr2)"
cp "$W/logical-5.img" "$W/ebr-signature.img"
poke "$W/ebr-signature.img" $ebr2 510 0000
list ebr-signature; says ebr-signature "the EBR at LBA $ebr2 does not end in 0x55AA (found 0x0000)"
truncate -s 64M "$W/blank.img"
list blank "$W/blank.img"; says blank "no partition table (MBR signature 0x0000, want 0xaa55)"

# ---- GPT ------------------------------------------------------------------------
gpt debian -n 1:2048:4095 -t 1:EF02 -n 2:4096:0 -t 2:8300
list debian; oracle debian 2
# The Legacy BIOS Bootable attribute picks the partition; names; a root type.
gpt legacy -n 1:2048:4095 -t 1:EF02 -c 1:"BIOS boot" -n 2:4096:40959 -t 2:8300 -c 2:data \
    -n 3:40960:81919 -t 3:8300 -c 3:'the root "fs"' -A 3:set:2 -n 5:81920:0 -t 5:8304 -c 5:root
list legacy; oracle legacy 3
gpt x86-64-root -n 1:2048:4095 -t 1:EF02 -n 3:4096:8191 -t 3:0700 -n 4:8192:0 -t 4:8304 -A 1:set:0 -A 4:set:60
list x86-64-root; oracle x86-64-root 4
# A smaller entry array than the usual 128 entries (8: one sector).
gpt small-table -S 8 -n 1:2048:4095 -t 1:EF02 -n 2:4096:0 -t 2:8300
list small-table; oracle small-table 2
gpt no-linux-gpt -n 1:2048:4095 -t 1:EF02 -n 2:4096:0 -t 2:0700
list no-linux-gpt; oracle no-linux-gpt 0
# A hybrid MBR (partition 2 also in the MBR): read as GPT, flagged.
gpt hybrid -n 1:2048:4095 -t 1:EF02 -n 2:4096:0 -t 2:8300 -h 2
list hybrid; oracle hybrid 2
field hybrid hybrid true "recognised as a hybrid MBR"
field debian hybrid false "a protective MBR is not hybrid"

# Damaged primaries: the backup at the last LBA is read, and the reader
# says why.  The listing must still be sfdisk's of the undamaged disk.
last=$((64 * 2048 - 1))
cp "$W/debian.img" "$W/bad-header.img"; poke "$W/bad-header.img" 1 0x30 ff   # last usable LBA
list bad-header; oracle bad-header 2 "$W/debian.img"
says bad-header "GPT: the primary header (LBA 1) has a bad header CRC32 0x"
says bad-header "; using the backup header at LBA $last"
field bad-header from_backup true "read from the backup"
cp "$W/debian.img" "$W/bad-entries.img"; poke "$W/bad-entries.img" 2 0x20 ff    # entry 1's first LBA
list bad-entries; oracle bad-entries 2 "$W/debian.img"
says bad-entries "GPT: the primary header (LBA 1) has entries at LBA 2 with a bad CRC32 0x"
cp "$W/debian.img" "$W/no-signature.img"; poke "$W/no-signature.img" 1 0 00
list no-signature; says no-signature "GPT: the primary header (LBA 1) has no \"EFI PART\" signature; using the backup header at LBA $last"
# ... and when the BIOS does not say the disk's size, the protective entry does.
list unknown-size "$W/bad-header.img" --unknown-size; oracle unknown-size 2 "$W/debian.img"
# Both copies damaged: an error naming both.
cp "$W/bad-header.img" "$W/both-bad.img"; poke "$W/both-bad.img" $last 0x30 ff
list both-bad
says both-bad "GPT: the primary header (LBA 1) has a bad header CRC32"
says both-bad ", and the backup (LBA $last) has a bad header CRC32"
field both-bad error true "part_read fails"

# Entries of 256 bytes (allowed: at least 128, a multiple of 8) and 64-bit
# LBAs, which sgdisk cannot make: written here, checksummed with zlib's CRC32
# (an independent implementation), the expected listing stated directly.
python3 - "$W/wide.img" <<'EOF'
import struct, sys, uuid, zlib
path = sys.argv[1]
sectors = 1 << 16
esize, count = 256, 16
disk = bytearray(sectors * 512)
# Protective MBR.
disk[0x1be:0x1ce] = struct.pack('<B3sB3sII', 0, b'\0\0\2', 0xee, b'\xff\xff\xff', 1, sectors - 1)
disk[510:512] = b'\x55\xaa'
def guid(s): return uuid.UUID(s).bytes_le
entries = bytearray(esize * count)
def entry(i, type_, uniq, first, last, attrs, name):
    e = guid(type_) + guid(uniq) + struct.pack('<QQQ', first, last, attrs) + name.encode('utf-16-le').ljust(72, b'\0')
    entries[i * esize:i * esize + len(e)] = e
    entries[i * esize + 128:(i + 1) * esize] = b'\xa5' * (esize - 128)   # beyond 128: ignored, but in the CRC
entry(0, '21686148-6449-6E6F-744E-656564454649', '11111111-2222-3333-4444-555555555555', 64, 127, 0, 'bios')
entry(6, '0FC63DAF-8483-4772-8E79-3D69D8477DE4', '66666666-7777-4888-9999-aaaaaaaaaaaa', 128, 0x1_0000_0010, 0, 'r\u00f6\u00f6t')
def header(my, alt, entries_lba):
    h = bytearray(92)
    h[0:8] = b'EFI PART'
    struct.pack_into('<IIIIQQQQ16sQIII', h, 8, 0x10000, 92, 0, 0, my, alt, 34, 0x1_0000_0100,
                     guid('01234567-89ab-cdef-0123-456789abcdef'), entries_lba, count, esize, zlib.crc32(entries))
    struct.pack_into('<I', h, 16, zlib.crc32(h))
    return h
disk[512:512 + 92] = header(1, sectors - 1, 2)
disk[1024:1024 + len(entries)] = entries
# The disk claims to be larger than 2^32 sectors: the usable range says so
# (the reader bounds partitions by the header, not by the image).
open(path, 'wb').write(disk)
EOF
list wide
python3 - "$W/wide.json" <<'EOF' && pass "wide: 256-byte entries, a partition past LBA 2^32, a non-ASCII name as '?'" || fail "wide: 256-byte entries" "$(cat "$W/wide.json")"
import json, sys
t = json.load(open(sys.argv[1]))
p = {x['number']: x for x in t['partitions']}
assert t['scheme'] == 'gpt' and t['id'] == '01234567-89ab-cdef-0123-456789abcdef', t
assert sorted(p) == [1, 7], p
assert p[7]['start'] == 128 and p[7]['size'] == 0x1_0000_0010 - 128 + 1, p[7]
assert p[7]['uuid'] == '66666666-7777-4888-9999-aaaaaaaaaaaa' and p[7]['name'] == 'r??t', p[7]
assert p[1]['name'] == 'bios' and t['chosen'] == 7, t
EOF

# ---- Every read failing in turn: an error with a message, never a crash ----------
python3 "$TOP/tests/part_oracle.py" "$checks"

for n in logical-5 legacy bad-header; do
    out=$("$bin" "$W/$n.img" --faults 2>"$W/$n.faults.err"); rc=$?
    echo "${out//$W\//}"
    [ $rc -eq 0 ] || fail "$n: fault injection" "exit $rc: $(head -3 "$W/$n.faults.err")"
done

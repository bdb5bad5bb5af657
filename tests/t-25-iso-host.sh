#!/usr/bin/env bash
# expect: 38 host
# Host tests of the ISO 9660 reader (stage2/fs/iso9660.c): the same source
# stage 2 runs, built for the host with the address and undefined-behaviour
# sanitizers, reading images that xorriso makes from a tree of test files.
# The oracle is xorriso itself: `xorriso -osirrox on -extract` unpacks each
# image and tests/host/iso_test.c checks that the reader reads every file
# and directory the same, through 512-byte sectors (a hybrid image on a
# disk) and 2048-byte ones (a CD).  xorriso makes multi-extent files only
# above 4 GiB (-file_size_limit refuses files, it does not split them), so
# tests/iso-craft.py splits a 3 MiB file into three records and xorriso
# reads the result back first; the 4 GiB case is made the same way on a
# sparse file (a real one takes xorriso 78 s and 4.9 GB of writes here).
source "$(dirname "$0")/lib.sh"
W=$BUILD/tests/iso
bin=$W/iso_test
rm -rf "$W"; mkdir -p "$W"

# The reader as stage 2 links it (build/stage2-iso.bin: mk/smartos-iso.mk)
# must call nothing but klib.h (no libgcc: no 64-bit division).
obj=build/obj-iso/stage2/fs/iso9660.o
if log=$(make -s -C "$TOP" "$obj" build/host/iso_test 2>&1); then
    extra=$(nm -u "$TOP/$obj" | awk 'NF == 2 {print $2}' | sort -u |
            grep -vxE 'malloc|free|mem(cmp|cpy|move|set)|str(len|cmp|ncmp|chr)|v?s?n?printf')
    [ -z "$extra" ] && pass "iso9660.c builds for stage 2 ($(size -A "$TOP/$obj" | awk '$1 == ".text" {t = $2} $1 ~ /^\.rodata/ {r += $2} END {print t " + " r+0}') bytes of code + data) and calls only klib.h" ||
        fail "iso9660.c calls only klib.h" "it also needs: $(echo $extra)"
else
    fail "iso9660.c and tests/host/iso_test.c build" "$(echo "$log" | tail -5)"; exit 1
fi
cp "$BUILD/host/iso_test" "$bin"

# ---- The files ----
T=$W/tree
python3 - "$T" <<'EOF'
import os, random, sys
root = sys.argv[1]
rnd = random.Random(1616)
def put(path, content):
    path = os.path.join(root, path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'wb') as f: f.write(content)
put('boot/bzImage', rnd.randbytes(300000))
put('boot/smartboot.cfg', b'title live\n')
put('multi/three', rnd.randbytes(3 << 20))      # split into 3 extents by iso-craft.py
put('huge/huge', b'x' * 10)                     # made 4.6 GiB by iso-craft.py
for n in (1, 2047, 2048, 2049, 4096, 65537):
    put('sizes/s%d' % n, rnd.randbytes(n))
put('empty', b'')
put('MixedCase.Name.with.dots', b'mixed\n')
put('/'.join('level%d' % i for i in range(10)) + '/deep.txt', b'deep down\n')
put('names/' + 'a-rather-long-rock-ridge-name-' * 6 + 'end', b'long\n')   # 184 bytes: CE
for i in range(150):                            # a directory of several blocks
    put('many/file-with-a-long-name-number-%04d' % i, rnd.randbytes(i))
os.symlink('boot/bzImage', os.path.join(root, 'link'))
EOF
[ -f "$T/multi/three" ] || { fail "test files made"; exit 1; }

run_checks() {   # run_checks LABEL IMAGE SECTOR_SIZE < SCRIPT
    "$bin" "$@" 2>"$W/$1.stderr"; local rc=$?
    [ $rc -le 1 ] || fail "$1: iso_test" "crashed (exit $rc, see $W/$1.stderr)"
}
mkiso() {        # mkiso OUT XORRISO-MKISOFS-ARGS...
    local out=$1; shift
    xorriso -as mkisofs "$@" -o "$out" "$T" >"$out.log" 2>&1 ||
        { fail "xorriso $*" "$(tail -2 "$out.log")"; return 1; }
}
extract() {      # extract IMAGE DIR: the oracle's view of the image
    rm -rf "$2"
    xorriso -osirrox on -indev "$1" -extract / "$2" >"$2.log" 2>&1 && chmod -R u+w "$2"
}

# ---- Rock Ridge (and Joliet, which the reader ignores) ----
mkiso "$W/rr.iso" -R -J -V SMARTOS_TEST || exit 1
python3 "$TOP/tests/iso-craft.py" split "$W/rr.iso" /multi three 3
if extract "$W/rr.iso" "$W/rr" && cmp -s "$W/rr/multi/three" "$T/multi/three"; then
    pass "xorriso reads the 3-extent file iso-craft.py made back whole"
else
    fail "xorriso reads the 3-extent file iso-craft.py made" "$(tail -2 "$W/rr.log")"
fi
xorriso -indev "$W/rr.iso" -find /multi -exec report_lba 2>/dev/null | grep -c "'/multi/three'" |
    grep -qx 3 && pass "xorriso reports /multi/three in 3 extents" ||
    fail "xorriso reports /multi/three in 3 extents"
for ss in 512 2048; do
    run_checks "rr-$ss" "$W/rr.iso" $ss <<EOF
mountsays iso9660: "SMARTOS_TEST",
mountsays blocks on $ss-byte sectors, Rock Ridge
tree $W/rr
file /boot/bzImage $T/boot/bzImage
file /level0/level1/level2/level3/level4/level5/level6/level7/level8/level9/deep.txt $T/level0/level1/level2/level3/level4/level5/level6/level7/level8/level9/deep.txt
file /multi/./three $T/multi/three
file /multi/../boot//bzImage $T/boot/bzImage
fails /boot/bzimage ENOENT iso9660: /boot/bzimage: no such file or directory
fails /boot/bzImage/x ENOTDIR iso9660: /boot/bzImage/x: not a directory
fails /link EUNSUPPORTED iso9660: /link: symbolic links are not followed
faults /multi/three
EOF
done

# ---- Plain ISO 9660 names (no -R): ";1" dropped, case folded ----
mkiso "$W/plain.iso" --norock -V PLAIN || exit 1
run_checks plain "$W/plain.iso" 2048 <<EOF
mountsays iso9660: "PLAIN",
mountsays blocks on 2048-byte sectors, ISO names
file /boot/bzImage $T/boot/bzImage
file /BOOT/BZIMAGE $T/boot/bzImage
file /sizes/s2049 $T/sizes/s2049
fails /boot/bzImage;1 ENOENT no such file
EOF

# ---- Damaged images ----
cp "$W/rr.iso" "$W/huge.iso"
python3 "$TOP/tests/iso-craft.py" huge "$W/huge.iso" /huge huge
run_checks huge "$W/huge.iso" 2048 <<EOF
fails /huge/huge EUNSUPPORTED iso9660: /huge/huge: files of 4 GiB or more are not read
file /boot/bzImage $T/boot/bzImage
EOF
rm -f "$W/huge.iso"
head -c 100000 "$W/rr.iso" >"$W/short.iso"
run_checks truncated "$W/short.iso" 512 <<EOF
mountfails ECORRUPT iso9660: the volume is
EOF
cp "$W/rr.iso" "$W/badid.iso"; printf 'CD002' | dd of="$W/badid.iso" bs=1 seek=$((17 * 2048 + 1)) conv=notrunc status=none
run_checks badid "$W/badid.iso" 2048 <<EOF
mountfails ECORRUPT iso9660: bad volume descriptor set (block 17)
EOF
cp "$W/rr.iso" "$W/notiso.iso"; printf 'XX' | dd of="$W/notiso.iso" bs=1 seek=$((16 * 2048 + 1)) conv=notrunc status=none
run_checks notiso "$W/notiso.iso" 2048 <<EOF
mountfails EUNSUPPORTED
EOF
cp "$W/rr.iso" "$W/both.iso"; python3 "$TOP/tests/iso-craft.py" both "$W/both.iso"
run_checks both "$W/both.iso" 512 <<EOF
mountfails ECORRUPT iso9660: bad primary volume descriptor (block 16)
EOF
cp "$W/rr.iso" "$W/celoop.iso"; python3 "$TOP/tests/iso-craft.py" ce-loop "$W/celoop.iso"
run_checks celoop "$W/celoop.iso" 2048 <<EOF
fails /names/$(ls "$T/names") ECORRUPT more than 8 SUSP continuation areas (a loop?)
EOF

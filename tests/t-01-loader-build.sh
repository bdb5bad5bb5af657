#!/usr/bin/env bash
# Stage 1 is one 512-byte sector ending in 0x55AA with its code below the
# patch fields (0x1B0) and the partition table untouched; stage 2 fits its
# 31,744-byte budget, starts with the header stage 1 checks, and keeps its
# .bss below 64 KiB.
source "$(dirname "$0")/lib.sh"
mbr=$BUILD/mbr.bin
[ -f "$mbr" ] || { fail "build/mbr.bin exists" "run make first"; exit 1; }

size=$(stat -c %s "$mbr")
[ "$size" -eq 512 ] && pass "stage 1 is 512 bytes" || fail "stage 1 is 512 bytes" "it is $size"
sig=$(od -An -tx1 -j510 -N2 "$mbr" | tr -d ' ')
[ "$sig" = 55aa ] && pass "stage 1 ends in 0x55AA" || fail "stage 1 ends in 0x55AA" "got $sig"
code=$((16#$(awk '/times 0x1B0/ { print $2; exit }' "$BUILD/mbr.lst")))
[ "$code" -le $((0x1B0)) ] && pass "stage 1 code ends at $code, below 0x1B0 (440 is the hard limit)" \
    || fail "stage 1 code below 0x1B0" "ends at $code"
# Bytes 0x1B0..0x1FD (patch fields, disk signature, partition table) are zero
# in the image: the installer and the disk own them.
nz=$(od -An -v -tx1 -j$((0x1B0)) -N$((0x1FE - 0x1B0)) "$mbr" | tr -d ' \n' | tr -d 0)
[ -z "$nz" ] && pass "stage 1 leaves 0x1B0-0x1FD to the installer and the disk" \
    || fail "stage 1 leaves 0x1B0-0x1FD zero" "non-zero bytes there"

# The build must fail when stage 1 grows past 0x1B0: assemble a copy with
# 200 extra bytes of code.
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
sed 's/^msg_no_lba:/        times 200 nop\nmsg_no_lba:/' "$TOP/boot/mbr.asm" > "$tmp/big.asm"
if nasm -f bin -o "$tmp/big.bin" "$tmp/big.asm" 2>"$tmp/err"; then
    fail "an oversized stage 1 fails to build"
else
    grep -q "past 0x1B0" "$tmp/err" && pass "an oversized stage 1 fails to build, naming the limit" \
        || fail "an oversized stage 1 fails to build" "$(cat "$tmp/err")"
fi

for e in 16 32; do
    bin=$BUILD/stage2-entry$e.bin
    s2=$(stat -c %s "$bin")
    [ "$s2" -le 31744 ] && pass "stage 2 ($e-bit entry) is $s2 bytes, within 31,744" \
        || fail "stage 2 ($e-bit entry) within budget" "$s2 bytes"
    magic=$(dd if="$bin" bs=1 skip=4 count=4 status=none)
    [ "$magic" = SBT2 ] && pass "stage 2 ($e-bit entry) carries SBT2 at offset 4" \
        || fail "stage 2 magic" "got '$magic'"
    bss_end=$(nm "$BUILD/stage2-entry$e.elf" | awk '$3 == "__bss_end" { print $1 }')
    [ $((16#$bss_end)) -le $((0x10000)) ] && pass "stage 2 ($e-bit entry) .bss ends at 0x$bss_end, below 64 KiB" \
        || fail "stage 2 .bss below 64 KiB" "ends at 0x$bss_end"
done

# The linker script refuses an oversized stage 2.
if echo 'char big[40000] = {1};' | gcc -m32 -x c -c -o "$tmp/big.o" - &&
   ld -m elf_i386 -T "$TOP/linker/stage2.ld" -o "$tmp/big.elf" \
      $(find "$BUILD/obj" -name '*.o' ! -name 'main-entry16.o') "$tmp/big.o" 2>"$tmp/err"; then
    fail "an oversized stage 2 fails to link"
else
    grep -q "31,744" "$tmp/err" && pass "an oversized stage 2 fails to link, naming the budget" \
        || fail "an oversized stage 2 fails to link" "$(head -3 "$tmp/err")"
fi

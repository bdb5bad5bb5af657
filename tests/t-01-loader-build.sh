#!/usr/bin/env bash
# Stage 1 is one 512-byte sector ending in 0x55AA with its code below the
# patch fields (0x1B0) and the partition table untouched.  Stage 2 packed
# (build/stage2-entry*.bin) fits its 31,744-byte budget and starts with the
# header stage 1 checks; unpacked (build/stage2-entry*.elf) it keeps the
# limits of stage2/layout.h: the stub first, real-mode code and data below
# 64 KiB, the payload below PAYLOAD_LIMIT, .bss in its own place.  The
# build refuses each limit broken, naming it.  Each stage 2's extension
# (build/stage2-entry*.ext, stage2/ext/ext.h) is linked at EXT_BASE, ends
# below EXT_LIMIT with its .bss, and names its own stage 2's payload CRC.
# expect: 27 host
source "$(dirname "$0")/lib.sh"
mbr=$BUILD/mbr.bin
[ -f "$mbr" ] || { fail "build/mbr.bin exists" "run make first"; exit 1; }

size=$(stat -c %s "$mbr")
[ "$size" -eq 512 ] && pass "stage 1 is 512 bytes" || fail "stage 1 is 512 bytes" "it is $size"
sig=$(od -An -tx1 -j510 -N2 "$mbr" | tr -d ' ')
[ "$sig" = 55aa ] && pass "stage 1 ends in 0x55AA" || fail "stage 1 ends in 0x55AA" "got $sig"
code=$((16#$(awk '/times STAGE1_CODE_END/ { print $2; exit }' "$BUILD/mbr.lst")))
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
if nasm -f bin -I"$TOP/boot/" -I"$BUILD/inc/" -o "$tmp/big.bin" "$tmp/big.asm" 2>"$tmp/err"; then
    fail "an oversized stage 1 fails to build"
else
    grep -q "past 0x1B0" "$tmp/err" && pass "an oversized stage 1 fails to build, naming the limit" \
        || fail "an oversized stage 1 fails to build" "$(cat "$tmp/err")"
fi

# The limits, from the one place that defines them.
def() { awk -v n="$1" '$1 == "#define" && $2 == n { print $3; exit }' "$TOP/stage2/layout.h"; }
BUDGET=$(def STAGE2_BUDGET) BASE=$(($(def STAGE2_BASE))) REACH=$(($(def REAL_MODE_REACH)))
LIMIT=$(($(def PAYLOAD_LIMIT))) BSS=$(($(def BSS_START))) LOW_END=$(($(def LOW_MEMORY_END)))
[ "$BUDGET" = 31744 ] && pass "STAGE2_BUDGET is 31744 (62 sectors)" || fail "STAGE2_BUDGET is 31744" "$BUDGET"
le32() { od -An -tu4 -j"$2" -N4 "$1" | tr -d ' '; }

for e in 16 32; do
    bin=$BUILD/stage2-entry$e.bin elf=$BUILD/stage2-entry$e.elf
    sym() { nm "$elf" | awk -v s="$1" '$3 == s { print "0x" $1; exit }'; }
    s2=$(stat -c %s "$bin")
    [ "$s2" -le "$BUDGET" ] && pass "stage 2 ($e-bit entry) is $s2 bytes packed, within 31,744" \
        || fail "stage 2 ($e-bit entry) within budget" "$s2 bytes"
    magic=$(dd if="$bin" bs=1 skip=4 count=4 status=none)
    [ "$magic" = SBT2 ] && pass "stage 2 ($e-bit entry) carries SBT2 at offset 4" \
        || fail "stage 2 magic" "got '$magic'"
    # The header (stage2/entry/stub.h) agrees with the ELF and with the file.
    addr=$(le32 "$bin" 8) size=$(le32 "$bin" 12) packed=$(le32 "$bin" 16)
    pstart=$(($(sym __payload_start))) pend=$(($(sym __payload_end)))
    if [ "$addr" -eq "$pstart" ] && [ "$size" -eq $((pend - pstart)) ] && [ $((addr - BASE + packed)) -eq "$s2" ]; then
        pass "stage 2 ($e-bit entry): stub $((addr - BASE)) bytes, then the payload packed to $packed of $size bytes, as the header says"
    else
        fail "stage 2 ($e-bit entry) header" "payload at $addr ($pstart in the ELF), $size bytes ($((pend - pstart))), packed $packed, file $s2"
    fi
    # The stub first: the code that runs before the payload is unpacked.
    bad=
    for s in _start pm_entry stub_unpack unpack unpack_crc32c gdt gdt_descriptor realmode_idt; do
        a=$(($(sym $s))); [ "$a" -ge "$BASE" ] && [ "$a" -lt "$pstart" ] || bad="$bad $s=$(sym $s)"
    done
    [ "$(($(sym _start)))" -eq "$BASE" ] && [ -z "$bad" ] && [ "$(($(sym main)))" -ge "$pstart" ] \
        && pass "stage 2 ($e-bit entry): the header at 0x8000, the stub's code and GDT before the payload, main in it" \
        || fail "stage 2 ($e-bit entry): the stub first" "out of place:$bad"
    # What real mode reaches with CS = 0: the routines that switch to real
    # mode lie in .text16, which ends below 64 KiB.
    rend=$(($(sym __real_mode_end))) bad=
    for s in bios_int linux_enter16; do
        a=$(sym $s); [ -n "$a" ] && [ $((a)) -ge "$pstart" ] && [ $((a)) -lt "$rend" ] || bad="$bad $s=$a"
    done
    [ -z "$bad" ] && [ "$rend" -le "$REACH" ] \
        && pass "stage 2 ($e-bit entry): real-mode code and data (bios_int, linux_enter16) end at $(sym __real_mode_end), below 64 KiB" \
        || fail "stage 2 ($e-bit entry): real-mode code and data below 64 KiB" "ends at $(sym __real_mode_end);$bad"
    [ "$pend" -le "$LIMIT" ] && pass "stage 2 ($e-bit entry) unpacked ends at $(sym __payload_end), below PAYLOAD_LIMIT" \
        || fail "stage 2 ($e-bit entry) unpacked below PAYLOAD_LIMIT" "ends at $(sym __payload_end)"
    bs=$(($(sym __bss_start))) be=$(($(sym __bss_end)))
    [ "$bs" -eq "$BSS" ] && [ "$be" -le "$LOW_END" ] \
        && pass "stage 2 ($e-bit entry) .bss at $(sym __bss_start)-$(sym __bss_end), inside BSS_START..LOW_MEMORY_END" \
        || fail "stage 2 ($e-bit entry) .bss in its place" "$(sym __bss_start)-$(sym __bss_end)"
done

# The build refuses each limit broken.  link OBJ: link stage 2's objects
# and OBJ with the linker script the build uses; errors in $tmp/err.
# (Not the extension's objects: they are linked apart, stage2/ext/ext.h.)
link() {
    ld -m elf_i386 -nostdlib -T "$BUILD/obj/stage2.ld" -o "$tmp/big.elf" \
        $(find "$BUILD/obj" -name '*.o' ! -name 'main-entry16.o' ! -path '*/ext/header.o' ! -name 'multiboot*.o') "$1" 2>"$tmp/err"
}
# Unpacked over PAYLOAD_LIMIT.
echo 'char big[100000] = {1};' | gcc -m32 -x c -c -o "$tmp/big.o" -
if link "$tmp/big.o"; then
    fail "a stage 2 over PAYLOAD_LIMIT fails to link"
else
    grep -q "PAYLOAD_LIMIT" "$tmp/err" && pass "a stage 2 over PAYLOAD_LIMIT fails to link, naming the limit" \
        || fail "a stage 2 over PAYLOAD_LIMIT fails to link, naming the limit" "$(head -3 "$tmp/err")"
fi
# Real-mode code past 64 KiB (the payload itself still fits).
printf '.section .text16,"ax"\n.fill 40000,1,0x90\n' | as --32 -o "$tmp/t16.o"
if link "$tmp/t16.o"; then
    fail "real-mode code past 0x10000 fails to link"
else
    grep -q "0x10000" "$tmp/err" && pass "real-mode code past 0x10000 fails to link, naming the limit" \
        || fail "real-mode code past 0x10000 fails to link, naming the limit" "$(head -3 "$tmp/err")"
fi
# Packed over the budget: random bytes do not shrink.  Half of what is
# left under PAYLOAD_LIMIT unpacked (so the link keeps that limit): more
# than the budget has free, as stage 2 packs to about half its size.
head -c $(((LIMIT - pend) / 2)) /dev/urandom > "$tmp/random.bin"
(cd "$tmp" && objcopy -I binary -O elf32-i386 -B i386 random.bin random.o)
if link "$tmp/random.o" && objcopy -O binary "$tmp/big.elf" "$tmp/big.unpacked" &&
   ! "$BUILD/pack" "$tmp/big.unpacked" "$tmp/big.bin" 2>"$tmp/err"; then
    grep -q "over its budget of 31744 bytes" "$tmp/err" && [ ! -e "$tmp/big.bin" ] \
        && pass "a stage 2 over 31,744 bytes packed fails to build, naming the budget" \
        || fail "a stage 2 over 31,744 bytes packed fails to build, naming the budget" "$(head -3 "$tmp/err")"
else
    fail "a stage 2 over 31,744 bytes packed fails to build" "$(head -3 "$tmp/err")"
fi

# The extensions (EXT_BASE is PAYLOAD_LIMIT).
EXT_BASE=$LIMIT EXT_LIMIT=$(($(def EXT_LIMIT)))
u32() { od -An -tu4 -j "$2" -N4 "$1" | tr -d ' '; }
for e in 16 32; do
    x=$BUILD/stage2-entry$e.ext s2=$BUILD/stage2-entry$e.bin
    if [ ! -f "$x" ]; then fail "the $e-bit entry's extension is built" "no $x"; continue; fi
    size=$(stat -c %s "$x") hsize=$(u32 "$x" 4) bss=$(u32 "$x" 8)
    [ "$(head -c 4 "$x")" = SBX1 ] && [ "$hsize" -eq "$size" ] && [ $((EXT_BASE + size + bss)) -le "$EXT_LIMIT" ] \
        && pass "the $e-bit entry's extension: SBX1, $size bytes and $bss of .bss from EXT_BASE, below EXT_LIMIT" \
        || fail "the $e-bit entry's extension fits EXT_BASE..EXT_LIMIT" "magic $(head -c 4 "$x"), size $hsize (file $size), .bss $bss"
    [ "$(u32 "$x" 12)" = "$(u32 "$s2" 20)" ] \
        && pass "the $e-bit entry's extension names its stage 2's payload CRC ($(printf 0x%08x "$(u32 "$s2" 20)"))" \
        || fail "the $e-bit entry's extension names its stage 2's payload CRC" "$(u32 "$x" 12) vs $(u32 "$s2" 20)"
done

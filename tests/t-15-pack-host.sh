#!/usr/bin/env bash
# Host tests of stage 2's packing (docs/packing.md): the packer
# (tools/pack.c) and the stub's decompressor (stage2/entry/unpack.c), both built
# with the address and undefined-behaviour sanitizers.  The real images
# (build/stage2-entry16/32.bin) and made-up payloads (empty, one byte,
# zeros, random bytes, text, x86 calls up to the last byte, branches whose
# rel32s overlap) round-trip
# exactly, damage is caught, and pack refuses an image over the budget and
# malformed input, leaving no output behind.
# expect: 43 host
source "$(dirname "$0")/lib.sh"
work=$TLOG/pack; rm -rf "$work"; mkdir -p "$work"
build "pack host test builds (make host-tests)" host-tests
unpack_test=$BUILD/host/unpack_test pack=$BUILD/host/pack-san
host_run unpack_test 1 "$unpack_test"

# The images the build made (mk/loader.mk keeps the unpacked ones in obj/).
for e in 32 16; do
    u=$BUILD/obj/stage2-entry$e.unpacked
    [ -f "$u" ] || { fail "build/obj/stage2-entry$e.unpacked exists" "run make first"; continue; }
    host_run "unpack_test stage2-entry$e" 1 "$unpack_test" "$u" "$BUILD/stage2-entry$e.bin" "build/stage2-entry$e.bin"
    if "$pack" "$u" "$work/again$e.bin" && cmp -s "$work/again$e.bin" "$BUILD/stage2-entry$e.bin"; then
        pass "pack is deterministic: the sanitized build packs stage2-entry$e the same"
    else
        fail "pack is deterministic (stage2-entry$e)"
    fi
done

# image NAME: a stage 2 image made of a 32-byte stub (the header, then
# zeros) and the payload read from stdin.
image() {
    python3 -c '
import struct, sys
payload = sys.stdin.buffer.read()
stub = bytearray(32)
stub[0:4] = b"\xe9\x00\x00\x90"; stub[4:8] = b"SBT2"
struct.pack_into("<II", stub, 8, 0x8000 + len(stub), len(payload))
sys.stdout.buffer.write(bytes(stub) + payload)' > "$work/$1.img"
}
calls() {   # x86-like: calls, a few strings, and 0xE8 in the last 4 bytes
    python3 -c '
import random, struct, sys
r = random.Random(7); out = bytearray()
for i in range(3000):
    out += b"\x55\x89\xe5" + bytes([0xe8]) + struct.pack("<i", r.choice([-300, 1200, -4000, 77]) - len(out))
    if i % 50 == 0: out += b"error: no such file\0"
out += b"\x90\xe8\x01\x02"
sys.stdout.buffer.write(out)'
}
branches() {   # call/jmp/jcc opcodes packed close, their rel32 near and far, overlapping
    python3 -c '
import random, struct, sys
r = random.Random(11); out = bytearray()
ops = [b"\xe8", b"\xe9", b"\x0f\x84", b"\x0f\x8f", b"\xe8\xe8", b"\x0f"]
for i in range(6000):
    out += r.choice(ops)
    out += struct.pack("<i", r.choice([r.randrange(-70000, 70000), r.randrange(-2**31, 2**31),
                                       0x00ffffff, -0x1000000, 0x01000000 - len(out)]))[:r.choice([1, 2, 3, 4, 4, 4])]
out += b"\x0f\x85\x00\x00\x00"
sys.stdout.buffer.write(out)'
}
: | image empty
printf 'x' | image one
head -c 65536 /dev/zero | image zeros
head -c 20000 /dev/urandom | image random
cat "$TOP"/docs/*.md | head -c 50000 | image text
calls | image calls
branches | image branches
for c in empty one zeros random text calls branches; do
    if "$pack" "$work/$c.img" "$work/$c.bin" 2>"$work/$c.err"; then
        host_run "unpack_test payload '$c'" 1 "$unpack_test" "$work/$c.img" "$work/$c.bin" "payload '$c'"
    else
        fail "payload '$c' packs" "$(cat "$work/$c.err")"
    fi
done

# Over the budget: 40,000 random bytes cannot shrink into 31,744.
head -c 40000 /dev/urandom | image big
# (A refusal is exit 1 and a message: a sanitizer's report is not one.)
"$pack" "$work/big.img" "$work/big.bin" 2>"$work/big.err"; rc=$?
if [ $rc -eq 0 ]; then
    fail "pack refuses an image over the budget"
elif [ $rc -eq 1 ] && grep -q "over its budget of 31744 bytes" "$work/big.err" && [ ! -e "$work/big.bin" ] &&
        ! grep -qE "$SANITIZER_REPORT" "$work/big.err"; then
    pass "pack refuses an image over the budget, naming it, and writes nothing: $(head -c 120 "$work/big.err")..."
else
    fail "pack refuses an image over the budget, naming it" "$(cat "$work/big.err")"
fi

# Malformed input: no magic; a header whose sizes disagree with the file.
printf 'not a stage 2 image at all' > "$work/nomagic.img"
head -c 100 "$work/text.img" > "$work/short.img"
for c in nomagic short; do
    "$pack" "$work/$c.img" "$work/$c.bin" 2>"$work/$c.err"; rc=$?
    if [ $rc -ne 1 ] || grep -qE "$SANITIZER_REPORT" "$work/$c.err"; then
        fail "pack refuses a malformed image ($c)" "exit $rc: $(head -c 300 "$work/$c.err")"
    else
        pass "pack refuses a malformed image ($c): $(cat "$work/$c.err")"
    fi
done

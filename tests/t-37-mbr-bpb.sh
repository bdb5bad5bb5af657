#!/usr/bin/env bash
# Stage 1 survives a BIOS that writes a BIOS parameter block into the MBR.
# Some BIOSes booting a USB stick in floppy or ZIP emulation write their
# idea of the geometry into bytes 0x0B-0x59 (a FAT BPB) of the boot sector
# they load.  Stage 1 starts with `jmp short` + `nop` and keeps that range
# free (boot/mbr.asm), so:
#   - build/mbr.bin: EB xx 90, the jump lands at 0x5A, bytes 0x03-0x59 are 0;
#   - a copy of build/disk.img whose MBR bytes 0x0B-0x59 are overwritten
#     with a real FAT32 BPB (from mkfs.fat on a scratch file) boots to the
#     kernel's first line.
# Checked to fail before the fix: the same overwrite on the old stage 1
# (code from byte 0) never reached stage 2: nothing on serial in 30 s.
source "$(dirname "$0")/lib.sh"
work=$(mktemp -d "$TLOG/t-37.XXXXXX")
trap 'rm -rf "$work"' EXIT
[ -f "$BUILD/disk.img" ] || { fail "build/disk.img exists" "run make first"; exit 1; }

read -r b0 b1 b2 < <(od -An -tx1 -N3 "$BUILD/mbr.bin")
zeros=$(od -An -v -tx1 -j3 -N$((0x5A - 3)) "$BUILD/mbr.bin" | tr -d ' \n' | tr -d 0 | wc -c)
if [ "$b0 $b2" = "eb 90" ] && [ $((0x$b1 + 2)) -eq $((0x5A)) ] && [ "$zeros" -eq 0 ]; then
    pass "stage 1 starts with jmp short 0x5A + nop; bytes 0x03-0x59 are a dummy BPB (zeros)"
else
    fail "stage 1 starts with jmp short 0x5A + nop and a zero BPB" "bytes 0-2: $b0 $b1 $b2, $zeros non-zero digits in 0x03-0x59"
fi

# A FAT32 BPB fills the whole range up to 0x59 (FAT12/16 stop at 0x3D).
truncate -s 40M "$work/fat.img"
if ! mkfs.fat -F 32 -s 1 -n SMARTBPB "$work/fat.img" >"$work/mkfs.log" 2>&1; then
    fail "mkfs.fat makes a FAT32 scratch volume" "$(tail -2 "$work/mkfs.log")"; exit 1
fi
img=$work/bpb.img
cp --sparse=always "$BUILD/disk.img" "$img"
dd if="$work/fat.img" of="$img" bs=1 skip=$((0x0B)) seek=$((0x0B)) count=$((0x5A - 0x0B)) \
    conv=notrunc status=none
if cmp -s <(head -c $((0x5A)) "$img" | tail -c +$((0x0B + 1))) \
          <(head -c $((0x5A)) "$work/fat.img" | tail -c +$((0x0B + 1))) &&
   ! cmp -s <(head -c 512 "$img") <(head -c 512 "$BUILD/disk.img"); then
    pass "the installed MBR's bytes 0x0B-0x59 now hold mkfs.fat's FAT32 BPB (label '$(head -c 82 "$img" | tail -c 11 | tr -d ' ')' at 0x47)"
else
    fail "the FAT32 BPB is in the MBR copy"
fi
if console t-37-bpb -t 30 -e 'smartboot: stage 2' -t 90 -e 'booting \(' -e 'Linux version' \
        -- -drive "file=$img,format=raw,if=ide" 2>"$work/boot.err"; then
    pass "with a FAT32 BPB over MBR bytes 0x0B-0x59, smartboot still boots to the kernel"
else
    fail "with a FAT32 BPB over MBR bytes 0x0B-0x59, smartboot boots" "$(head -c 600 "$work/boot.err")"
fi

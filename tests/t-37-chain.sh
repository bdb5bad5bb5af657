#!/usr/bin/env bash
# Chainloading (stage2/proto/chain.c).  Three boots, each ended by what the
# chainloaded code prints:
#   1. smartboot.cfg: `chain 3` (a partition whose first sector has no
#      0x55AA) is refused by name and the menu comes back; then `chain 2`
#      starts tests/chain/bootsect.asm from partition 2, which prints the DL,
#      CS:IP, DS:SI it got, the partition entry's type and first LBA, and
#      whether INT 13h still reads the disk.  The oracle for the entry is
#      sfdisk -J on the image.
#   2. smartboot.cfg: `chain hd1`, the same boot sector as a second disk's
#      MBR: DL 0x81, SI 0 (no partition entry).
#   2b. `chain 5`, the same boot sector in logical partition 5: DS:SI at
#      0x800, a copy of its EBR entry whose start is the absolute LBA.
#   3. grub.cfg: `set root=(hd1)` + `chainloader +1` starts GRUB 2 installed
#      on a second disk (grub-mkimage and boot.img, as bench/mkdisks.sh
#      does); GRUB's own early config prints on COM1 the device it was
#      started from ($cmdpath), which GRUB derives from DL.
# expect: 7 boot
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/boot-lib.sh"
work=$TLOG/chain; rm -rf "$work"; mkdir -p "$work"

nasm -f bin -o "$work/bootsect.bin" "$TOP/tests/chain/bootsect.asm" ||
    { fail "tests/chain/bootsect.asm assembles"; exit 1; }

# Chainloading is in the default build (mk/loader.mk: CHAIN=1).
if nm "$BUILD/stage2.elf" 2>/dev/null | grep -q ' chain_enter$'; then
    s1=$BUILD/mbr.bin s2=$BUILD/stage2.bin
    pass "the build has chainloading (chain_enter in build/stage2.elf; $("$TOP/scripts/sizes.sh" "$BUILD" | sed -n 's/^stage 2: \([0-9]* of [0-9]*\) bytes packed.*/\1 bytes packed/p'))"
else
    fail "the build has chainloading" "no chain_enter in build/stage2.elf: a build made with CHAIN=0"; exit 1
fi

# The smart-os disk, 12 MiB longer: partition 2 (type 0x0c, FAT32 LBA, as a
# DOS partition would be) with our boot sector, partition 3 (0x83) zeros,
# partition 4 extended, holding logical partition 5 (0x0c) with our boot
# sector too.
img=$work/chain.img
cp --sparse=always "$BUILD/smartos.img" "$img" && truncate -s +12M "$img" &&
    printf 'size=4M, type=c\nsize=1M, type=83\ntype=5\nsize=1M, type=c\n' |
        sfdisk -q --append "$img" >/dev/null 2>&1 &&
    "$BUILD/smartboot-install" --stage1 "$s1" --stage2 "$s2" --backup "$img.backup" "$img" >/dev/null &&
    rm -f "$img.backup" ||
    { fail "a smart-os disk with partitions 2 and 3"; exit 1; }
read -r start2 type2 < <(sfdisk -J "$img" | python3 -c '
import json, sys
p = json.load(sys.stdin)["partitiontable"]["partitions"][1]
print(p["start"], int(p["type"], 16))')
start3=$(sfdisk -J "$img" | python3 -c 'import json,sys; print(json.load(sys.stdin)["partitiontable"]["partitions"][2]["start"])')
read -r start5 type5 < <(sfdisk -J "$img" | python3 -c '
import json, sys
p = [p for p in json.load(sys.stdin)["partitiontable"]["partitions"] if p["node"].endswith("img5")][0]
print(p["start"], int(p["type"], 16))')
dd if="$work/bootsect.bin" of="$img" bs=512 seek="$start2" conv=notrunc status=none
dd if="$work/bootsect.bin" of="$img" bs=512 seek="$start5" conv=notrunc status=none

cat > "$work/smartboot.cfg" <<'CFG'
timeout -1
entry no boot sector
  chain 3
entry own boot sector
  chain 2
entry other disk
  chain hd1
entry logical
  chain 5
CFG
put "$img" "$work/smartboot.cfg" /boot/smartboot.cfg || { fail "smartboot.cfg on partition 1"; exit 1; }

# 1. the refusal, then partition 2
want=$(printf 'chain-test: dl=80 cs=0000 ip=7c00 ds=0000 si=%04x type=%02x lba=%08x int13=ok end' \
       $((0x7be + 16)) "$type2" "$start2")
if loader_boot chain-part "$img" -t 30 -e 'Up/Down or 1-4: choose' -s '1' -s '\r' \
        -e "chain: 'no boot sector': drive 0x80, LBA $start3 is not a boot sector \\(its last two bytes are 0x00 0x00, want 0x55 0xaa\\)" \
        -e "could not boot 'no boot sector'\\. Press a key" -s ' ' -e 'Up/Down or 1-4: choose' \
        -s '2' -s '\r' -e 'chain: booting drive 0x80' -e 'chain-test: .* end' \
        -- -drive "file=$img,format=raw,if=ide"; then
    pass "a partition without 0x55AA is refused by name and the menu comes back"
    got=$(tr -d '\r' < "$TLOG/chain-part.log" | grep -o 'chain-test: .* end' | tail -1)
    if [ "$got" = "$want" ]; then
        pass "partition 2's boot sector runs at 0000:7c00 with DL 0x80, DS:SI at its entry (type 0x$(printf %02x "$type2"), LBA $start2 as sfdisk says), INT 13h still reads"
    else
        fail "the chainloaded boot sector's report" "got '$got', want '$want'"
    fi
else
    fail "chainload partition 2 after refusing partition 3" "$(why chain-part)"
fi

# 2. a second disk's MBR: our boot sector on a blank 1 MiB disk
disk2=$work/second.img
truncate -s 1M "$disk2" && dd if="$work/bootsect.bin" of="$disk2" conv=notrunc status=none
want='chain-test: dl=81 cs=0000 ip=7c00 ds=0000 si=0000 end'
if loader_boot chain-disk "$img" -t 30 -e 'Up/Down or 1-4: choose' -s '3' -s '\r' -e 'chain-test: .* end' \
        -- -drive "file=$img,format=raw,if=ide" -drive "file=$disk2,format=raw,if=ide"; then
    got=$(tr -d '\r' < "$TLOG/chain-disk.log" | grep -o 'chain-test: .* end' | tail -1)
    [ "$got" = "$want" ] && pass "chain hd1: the second disk's MBR runs with DL 0x81 and no partition entry (SI 0)" \
        || fail "chain hd1's report" "got '$got', want '$want'"
else
    fail "chain hd1" "$(why chain-disk)"
fi

# 2b. logical partition 5
want=$(printf 'chain-test: dl=80 cs=0000 ip=7c00 ds=0000 si=0800 type=%02x lba=%08x int13=ok end' "$type5" "$start5")
if loader_boot chain-logical "$img" -t 30 -e 'Up/Down or 1-4: choose' -s '4' -s '\r' -e 'chain-test: .* end' \
        -- -drive "file=$img,format=raw,if=ide"; then
    got=$(tr -d '\r' < "$TLOG/chain-logical.log" | grep -o 'chain-test: .* end' | tail -1)
    [ "$got" = "$want" ] && pass "chain 5: a logical partition's boot sector gets DS:SI at 0x800, its entry with the absolute start (LBA $start5, as sfdisk says)" \
        || fail "chain 5's report" "got '$got', want '$want'"
else
    fail "chain 5 (a logical partition)" "$(why chain-logical)"
fi

# 3. GRUB 2 on a second disk, from grub.cfg
grub_lib=/usr/lib/grub/i386-pc
if [ ! -f "$grub_lib/boot.img" ] || ! command -v grub-mkimage >/dev/null; then
    skip "GRUB 2 chainloaded from a second disk" "grub-pc-bin is not installed (scripts/deps.sh)"
else
    cat > "$work/early.cfg" <<'CFG'
serial --unit=0 --speed=115200
terminal_input serial
terminal_output serial
echo "grub-chain-test: GRUB 2 runs, cmdpath=$cmdpath"
CFG
    grubdisk=$work/grub.img
    grub-mkimage -O i386-pc -o "$work/core.img" -c "$work/early.cfg" -p '(hd1)/boot/grub' \
            biosdisk part_msdos serial terminal echo &&
        truncate -s 2M "$grubdisk" && echo 'start=2048, type=83' | sfdisk -q "$grubdisk" >/dev/null 2>&1 &&
        python3 "$TOP/bench/patch.py" grub-setup "$grubdisk" "$grub_lib/boot.img" "$work/core.img" ||
        { fail "a GRUB 2 disk (grub-mkimage, bench/patch.py grub-setup)"; exit 1; }
    cat > "$work/grub.cfg" <<'CFG'
set timeout=0
menuentry 'GRUB on the second disk' {
    set root=(hd1)
    chainloader +1
}
CFG
    fs "$img" "rm /boot/smartboot.cfg" "mkdir /boot/grub" && put "$img" "$work/grub.cfg" /boot/grub/grub.cfg ||
        { fail "grub.cfg on partition 1"; exit 1; }
    if loader_boot chain-grub "$img" -t 30 -e 'chain: booting drive 0x81 LBA 0' \
            -e 'grub-chain-test: GRUB 2 runs, cmdpath=\(hd1\)' \
            -- -drive "file=$img,format=raw,if=ide" -drive "file=$grubdisk,format=raw,if=ide"; then
        pass "grub.cfg's 'set root=(hd1)' + 'chainloader +1' starts GRUB 2 from the second disk, which finds itself on (hd1)"
    else
        fail "GRUB 2 chainloaded from the second disk" "$(why chain-grub)"
    fi
fi
unchanged_summary
rm -f "$work"/*.img

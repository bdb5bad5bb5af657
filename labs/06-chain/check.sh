# Lab 6: the student's boot sector, chainloaded by smartboot (one boot).
source "$TOP/labs/lib.sh"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
bin=$LAB_DIR/bootsect.bin
if [ ! -f "$bin" ] && [ -f "$LAB_DIR/bootsect.asm" ]; then
    bin=$work/bootsect.bin
    nasm -f bin -o "$bin" "$LAB_DIR/bootsect.asm" || { wrong "bootsect.asm assembles (nasm -f bin)"; lab_end; }
fi
[ -f "$bin" ] || { wrong "a boot sector" "no bootsect.bin or bootsect.asm in $LAB_DIR"; lab_end; }

expect_num load_address 0x7c00 "where a boot sector runs"
expect_num si_partition_2 $((0x600 + 446 + 16)) "DS:SI for partition 2 (the MBR copied to 0x600)"
expect_num entry_lba_offset 8 "the entry's first LBA"
expect_num signature_offset 510 "the signature"

size=$(stat -c %s "$bin")
[ "$size" = 512 ] && ok "the sector is 512 bytes" || { wrong "the sector's size" "$size bytes, not 512"; lab_end; }
sig=$(od -An -tx1 -j510 -N2 "$bin" | tr -d ' ')
[ "$sig" = 55aa ] && ok "it ends with 0x55, 0xAA" || { wrong "the signature" "the last two bytes are $sig, not 55aa"; lab_end; }

need "$BUILD/smartos.img" "the smart-os disk"
need "$BUILD/smartboot-install" "the installer"
read -r s1 s2 < <(chain_loader "$BUILD/lab-chain")   # kept: the next check reuses it
[ -n "$s2" ] || { missing "a loader that chainloads" "make CHAIN=1 failed: $(tail -2 "$BUILD/lab-chain.log")"; lab_end; }
img=$work/lab6.img
cp --sparse=always "$BUILD/smartos.img" "$img" && truncate -s +8M "$img" &&
    echo 'type=c' | sfdisk -q --append "$img" >/dev/null 2>&1 &&
    "$BUILD/smartboot-install" --stage1 "$s1" --stage2 "$s2" --backup "$work/backup" "$img" >/dev/null ||
    { missing "the disk for the boot" "could not make it (sfdisk, smartboot-install)"; lab_end; }
start=$(sfdisk -J "$img" | python3 -c 'import json,sys; print(json.load(sys.stdin)["partitiontable"]["partitions"][1]["start"])')
dd if="$bin" of="$img" bs=512 seek="$start" conv=notrunc status=none
printf 'timeout 0\nentry lab6\n  chain 2\n' > "$work/smartboot.cfg"
for r in "rm /boot/smartboot.cfg" "write $work/smartboot.cfg /boot/smartboot.cfg"; do
    debugfs -w -R "$r" "$img?offset=$((2048 * 512))" >/dev/null 2>&1
done
python3 "$TOP/tests/console.py" -l "$work/serial.log" -t 60 -e 'lab6: .*DL=[0-9A-Fa-f][0-9A-Fa-f]' -- \
    qemu-system-x86_64 -accel tcg -m 256M -display none -serial stdio -monitor none -no-reboot \
    -drive "file=$img,format=raw,if=ide" >/dev/null 2>&1
line=$(tr -d '\r' < "$work/serial.log" | grep -o 'lab6: .*DL=[0-9A-Fa-f][0-9A-Fa-f]' | head -1)
if [ -z "$line" ]; then
    wrong "chainloaded, it prints its line" "no 'lab6: … DL=XX' on COM1; the end of the output: $(tr -d '\r' < "$work/serial.log" | grep -v '^ *$' | tail -2 | tr '\n' ';')"
elif [ "${line: -2}" = 80 ]; then
    ok "chainloaded from partition 2, it says: $line"
else
    wrong "the DL it prints" "'$line': smartboot passed DL=80 (check that you save DL before you use DX)"
fi
lab_end

# Lab 5: the student's Multiboot kernel: its header, then booted by QEMU's
# Multiboot loader and (when smartboot has it) by smartboot.
source "$TOP/labs/lib.sh"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
elf=$LAB_DIR/kernel.elf
if [ ! -f "$elf" ] && [ -f "$LAB_DIR/kernel.asm" ]; then
    elf=$work/kernel.elf
    nasm -f elf32 -o "$work/kernel.o" "$LAB_DIR/kernel.asm" &&
        ld -m elf_i386 -Ttext-segment=0x100000 -o "$elf" "$work/kernel.o" ||
        { wrong "kernel.asm builds (nasm -f elf32, ld -m elf_i386 -Ttext-segment=0x100000)"; lab_end; }
fi
[ -f "$elf" ] || { wrong "a kernel" "no kernel.elf or kernel.asm in $LAB_DIR"; lab_end; }

# The header: the first 0x1BADB002 in the first 8 KiB on a 4-byte boundary,
# whose magic + flags + checksum is 0 (mod 2^32).
hdr=$(python3 - "$elf" <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read(8192)
for off in range(0, len(data) - 11, 4):
    magic, flags, check = struct.unpack_from("<III", data, off)
    if magic == 0x1BADB002:
        print(off, flags, (magic + flags + check) & 0xFFFFFFFF)
        break
PY
)
read -r off flags sum <<<"$hdr"
if [ -z "$off" ]; then
    wrong "the Multiboot header" "no 0x1BADB002 on a 4-byte boundary in the first 8 KiB"
    lab_end
fi
[ "$sum" = 0 ] && ok "the header at offset $off: its checksum adds up to 0" ||
    wrong "the header's checksum" "magic + flags + checksum = $sum, not 0"
[ $((flags & 2)) -ne 0 ] && ok "flags bit 1: the kernel asks for the memory information" ||
    wrong "the header's flags" "bit 1 (memory information) is not set: the loader need not give a map"
expect_num header_offset "$off" "where the header is"
expect_num entry_eax 0x2BADB002 "EAX at the entry"
expect_num info_flags_bit 6 "the information's flags bit for mmap"

# report LOG: the kernel's map lines, normalised to "BASE LENGTH TYPE" in decimal.
report() {
    tr -d '\r' < "$1" | sed -n 's/^lab5: mmap base=0x\([0-9a-fA-F]*\) length=0x\([0-9a-fA-F]*\) type=\([0-9]*\).*/\1 \2 \3/p' |
        while read -r b l t; do echo "$((16#$b)) $((16#$l)) $t"; done
}
# A map with conventional memory from 0 and RAM from 1 MiB, both usable.
plausible() { grep -q '^0 [0-9]* 1$' "$1" && grep -q '^1048576 [0-9]* 1$' "$1"; }

# 1. QEMU's Multiboot loader (Multiboot 1 ELF only).
if python3 "$TOP/tests/console.py" -l "$work/qemu.log" -t 60 -e 'lab5: done' -- \
        qemu-system-x86_64 -accel tcg -m 256M -display none -serial stdio -monitor none -no-reboot \
        -kernel "$elf" >/dev/null 2>&1; then
    report "$work/qemu.log" > "$work/qemu.map"
    if grep -q 'lab5: magic=0x2badb002' "$work/qemu.log" && plausible "$work/qemu.map"; then
        ok "QEMU -kernel: magic 0x2badb002 and a map of $(wc -l < "$work/qemu.map") entries (RAM at 0 and at 1 MiB)"
    else
        wrong "QEMU -kernel: the report" "$(tr -d '\r' < "$work/qemu.log" | grep 'lab5:' | head -3 | tr '\n' ';')"
    fi
else
    wrong "QEMU -kernel boots the kernel to 'lab5: done'" "$(tr -d '\r' < "$work/qemu.log" 2>/dev/null | tail -3 | tr '\n' ';')"
fi

# 2. smartboot, if this build speaks Multiboot (its extension, build/stage2.ext,
# which build/disk.img has as /boot/smartboot.ext; make MULTIBOOT=0 leaves it out).
if ! nm "$BUILD/stage2.elf" 2>/dev/null | grep -q ' ext_multiboot$' || [ ! -f "$BUILD/stage2.ext" ]; then
    missing "the boot with smartboot" "this smartboot has no Multiboot support (no build/stage2.ext, or build/stage2.elf has no ext_multiboot: a build from before it, or make MULTIBOOT=0): only QEMU's loader was checked"
    lab_end
fi
need "$BUILD/disk.img" "the disk ./run.sh boots"
cp --sparse=always "$BUILD/disk.img" "$work/disk.img"
printf 'verbose on\ntimeout 0\nentry lab5\n  multiboot /boot/lab5.elf\n' > "$work/smartboot.cfg"
for r in "rm /boot/smartboot.cfg" "write $elf /boot/lab5.elf" "write $work/smartboot.cfg /boot/smartboot.cfg"; do
    debugfs -w -R "$r" "$work/disk.img?offset=$((2048 * 512))" >/dev/null 2>&1
done
if python3 "$TOP/tests/console.py" -l "$work/smartboot.log" -t 60 -e 'lab5: done' -- \
        qemu-system-x86_64 -accel tcg -m 256M -display none -serial stdio -monitor none -no-reboot \
        -drive "file=$work/disk.img,format=raw,if=ide" >/dev/null 2>&1; then
    report "$work/smartboot.log" > "$work/sb.map"
    # smartboot's own table, "  START - END  TYPE", as BASE LENGTH TYPE
    tr -d '\r' < "$work/smartboot.log" | awk '/^memory map \(/ { on = 1; next } on && /^  [0-9a-f]/ { print; next } on { exit }' |
        while read -r s _ e type; do
            case $type in usable) t=1;; reserved) t=2;; ACPI) t=3;; *) t=x;; esac
            echo "$((16#$s)) $((16#$e - 16#$s + 1)) $t"
        done > "$work/table.map"
    if [ -s "$work/sb.map" ] && cmp -s "$work/sb.map" "$work/table.map"; then
        ok "smartboot: the kernel's map equals smartboot's own table ($(wc -l < "$work/sb.map") entries)"
    else
        wrong "smartboot: the kernel's map" "it printed $(wc -l < "$work/sb.map") entries; smartboot's table has $(wc -l < "$work/table.map"): $(diff "$work/sb.map" "$work/table.map" | head -4 | tr '\n' ';')"
    fi
else
    wrong "smartboot boots the kernel to 'lab5: done'" "$(tr -d '\r' < "$work/smartboot.log" 2>/dev/null | grep -v '^ *$' | tail -3 | tr '\n' ';')"
fi
lab_end

#!/usr/bin/env bash
# What the kernel receives at the hand-off, against independent oracles.
# For each of the 16-, 32- and 64-bit hand-offs, at -m 64M, 2G, 3584M (the
# PCI hole below 4 GiB) and 5G (RAM above 4 GiB), QEMU stops at the
# kernel's first instruction (a breakpoint at each entry point, read from
# the bzImage's own header: tests/console.py -b) and the zero page and the
# initrd it points to are saved from guest memory (-m):
#   - the initrd in memory (ramdisk_image/ramdisk_size at 0x218/0x21c, and
#     ext_ramdisk_* at 0x0c0/0x0c4) is byte for byte the file(s) on disk,
#     as debugfs reads them; with two initrd lines, the two files, the
#     second on the next page boundary, zeros between;
#   - the 32- and 64-bit hand-offs' E820 table in the zero page (count at
#     0x1e8, entries at 0x2d0) is the map the kernel gets from the BIOS
#     itself when it is started in real mode (the 16-bit hand-off: its
#     setup code asks INT 15h E820 and prints the result, "BIOS-e820:");
#   - the kernel prints the same map with each hand-off.
# Each boot ends once the kernel has printed its map.
#
# Planted defects that make this test fail (make test-the-tests):
# one byte of the loaded initrd changed, an E820 entry dropped by stage 2.
#
# expect: 41 boot
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/boot-lib.sh"
work=$TLOG/handoff; rm -rf "$work"; mkdir -p "$work"
ZERO_PAGE=0x20000       # REAL_MODE_BASE (stage2/proto/bzimage.h): the zero page

img=$(new_disk handoff) || { fail "a smart-os disk with smartboot"; exit 1; }
# A second initrd: an odd size, so the first file's page padding and the
# second's start are both tested.
head -c 5001 /dev/urandom > "$work/second.img"
put "$img" "$work/second.img" /boot/second.img || fail "write /boot/second.img"
{
    echo "timeout -1"
    for n in one two; do
        for e in 16 32 64; do
            echo "entry $n-$e"
            echo "  kernel /boot/bzImage"
            echo "  initrd /boot/initrd"
            [ $n = two ] && echo "  initrd /boot/second.img"
            echo "  cmdline root=/dev/sda1 console=ttyS0 no_timer_check"
            echo "  handoff $e"
        done
    done
} > "$work/smartboot.cfg"
put "$img" "$work/smartboot.cfg" /boot/smartboot.cfg || fail "write smartboot.cfg"
# The kernel's entry points, from its setup header (boot.rst): the 16-bit
# one is the setup code, 0x200 into the real-mode part at REAL_MODE_BASE;
# the 32-bit one is code32_start (0x214); the 64-bit one 0x200 after it.
debugfs -R "dump /boot/bzImage $work/bzImage" "$img$PART" >/dev/null 2>&1
code32=$(od -An -tu4 -j $((0x214)) -N4 "$work/bzImage" 2>/dev/null | tr -d ' ')
[ -n "$code32" ] || { fail "read code32_start from the disk's /boot/bzImage"; exit 1; }
entries=(-b $((ZERO_PAGE + 0x200)) -b "$code32" -b $((code32 + 0x200)))
# The files as an independent reader sees them on the disk.
debugfs -R "dump /boot/initrd $work/disk-initrd" "$img$PART" >/dev/null 2>&1
debugfs -R "dump /boot/second.img $work/disk-second" "$img$PART" >/dev/null 2>&1
cmp -s "$work/disk-second" "$work/second.img" || fail "debugfs reads back /boot/second.img"

# boot NAME MEM ITEM ENTRY: choose menu item ITEM, boot it until the kernel
# has printed its memory map, saving the zero page and the initrd in $work/NAME/.
boot() {
    local name=$1 mem=$2 item=$3 e=$4
    loader_boot "$name" "$img" "${entries[@]}" -m "$ZERO_PAGE:$work/$name" \
        -t 30 -e 'Up/Down or 1-6: choose' -s "$item" -e "> $item\\." -s '\r' \
        -e "booting \\($e-bit entry" -t 120 -e 'BIOS-e820: ' -e 'NX \(Execute Disable\)|DMI: |SMBIOS ' \
        -- -m "$mem" -drive "file=$img,format=raw,if=ide"
}
# kernel_e820 NAME: the map the kernel printed, one range a line.
kernel_e820() { tr -d '\r' < "$TLOG/$1.log" | grep -o 'BIOS-e820: \[mem [^]]*\] .*' | sed 's/^BIOS-e820: //'; }
# zero_page_e820 NAME: the zero page's E820 table, in the kernel's words.
zero_page_e820() {
    python3 - "$work/$1/zeropage.bin" <<'EOF'
import struct, sys
page = open(sys.argv[1], "rb").read()
names = {1: "usable", 2: "reserved", 3: "ACPI data", 4: "ACPI NVS", 5: "unusable"}
for i in range(page[0x1e8]):
    addr, size, kind = struct.unpack_from("<QQI", page, 0x2d0 + 20 * i)
    print("[mem 0x%016x-0x%016x] %s" % (addr, addr + size - 1, names.get(kind, "type %d" % kind)))
EOF
}
# initrd_ok NAME FILE...: the saved initrd is the FILEs, each from a page
# boundary, with zeros between; prints what it found.
initrd_ok() {
    python3 - "$work/$1/initrd.bin" "${@:2}" <<'EOF'
import sys
got = open(sys.argv[1], "rb").read()
want, at = b"", 0
for path in sys.argv[2:]:
    data = open(path, "rb").read()
    want += b"\0" * (-len(want) % 4096) + data
if got == want:
    print("%d bytes, %d file(s)" % (len(got), len(sys.argv) - 2))
    sys.exit(0)
diff = next((i for i in range(min(len(got), len(want))) if got[i] != want[i]), min(len(got), len(want)))
sys.exit("%d bytes in memory, %d expected; first difference at byte %d" % (len(got), len(want), diff))
EOF
}

item=0
declare -A files=([one]="$work/disk-initrd" [two]="$work/disk-initrd $work/disk-second")
# (HANDOFF_MEMS: fewer sizes, for make test-the-tests.)
for mem in ${HANDOFF_MEMS:-64M 2G 3584M 5G}; do
    case $mem in 2G|5G) n=two ;; *) n=one ;; esac
    for e in 16 32 64; do
        case $n-$e in one-16) item=1 ;; one-32) item=2 ;; one-64) item=3 ;;
                      two-16) item=4 ;; two-32) item=5 ;; two-64) item=6 ;; esac
        name=$e-$mem
        if ! boot "$name" "$mem" "$item" "$e"; then
            fail "-m $mem, $e-bit hand-off ($n initrd): boots until the kernel prints its map" "$(why "$name")"
            continue
        fi
        pass "-m $mem, $e-bit hand-off ($n initrd): boots until the kernel prints its map"
        # shellcheck disable=SC2086  # the file list
        if r=$(initrd_ok "$name" ${files[$n]} 2>&1); then
            pass "-m $mem, $e-bit hand-off: the initrd in memory at the hand-off is the file(s) on disk ($r)"
        else
            fail "-m $mem, $e-bit hand-off: the initrd in memory at the hand-off is the file(s) on disk" "$r"
        fi
    done
    bios=$(kernel_e820 "16-$mem")
    [ -n "$bios" ] || { fail "-m $mem: the kernel's own E820 probe (16-bit hand-off) printed a map"; continue; }
    for e in 32 64; do
        [ -s "$work/$e-$mem/zeropage.bin" ] || continue
        zp=$(zero_page_e820 "$e-$mem")
        if [ "$zp" = "$bios" ]; then
            pass "-m $mem, $e-bit hand-off: the zero page's E820 table is the BIOS's map ($(echo "$zp" | wc -l) ranges)"
        else
            fail "-m $mem, $e-bit hand-off: the zero page's E820 table is the BIOS's map" \
                "$(diff <(echo "$zp") <(echo "$bios") | grep '^[<>]' | head -6 | tr '\n' '|') (<: zero page, >: BIOS)"
        fi
        k=$(kernel_e820 "$e-$mem")
        if [ "$k" = "$bios" ]; then
            pass "-m $mem, $e-bit hand-off: the kernel prints the BIOS's map"
        else
            fail "-m $mem, $e-bit hand-off: the kernel prints the BIOS's map" \
                "$(diff <(echo "$k") <(echo "$bios") | grep '^[<>]' | head -6 | tr '\n' '|')"
        fi
    done
done
unchanged_summary
rm -f "$work"/*.img

#!/usr/bin/env bash
# Memory: machines too small for the kernel or its initrd get "not enough
# memory" with the figures (and the menu), never a crash in the kernel's
# decompressor; large machines, whose E820 map has a hole below 4 GiB and
# RAM above it (-m 3584M, -m 5G), get everything in usable RAM below 4 GiB.
#
# The smart-os kernel is not relocatable: it unpacks at pref_address 16 MiB
# and needs init_size (~14 MiB) there, so RAM must reach ~30 MiB; its 1 MiB
# initrd must fit above that.  -m 32M is enough (it boots), -m 31M is not.
# expect: 10 boot
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/boot-lib.sh"
work=$TLOG/memory; rm -rf "$work"; mkdir -p "$work"

img=$(new_disk mem) || { fail "a smart-os disk with smartboot"; exit 1; }
cat > "$work/smartboot.cfg" <<'CFG'
timeout 0
verbose on
entry smart-os
  kernel /boot/bzImage
  initrd /boot/initrd
  cmdline root=/dev/sda1 console=ttyS0 no_timer_check
CFG
put "$img" "$work/smartboot.cfg" /boot/smartboot.cfg || fail "write smartboot.cfg"
# The kernel's figures, from its header, for the expected messages.
read -r unpack_end < <(python3 - "$BUILD/bzImage" <<'EOF'
import struct, sys
d = open(sys.argv[1], "rb").read(1024)
pref, init = struct.unpack_from("<Q", d, 0x258)[0], struct.unpack_from("<I", d, 0x260)[0]
print("0x%x" % max(pref + init, 0x100000 + init))
EOF
)
MENU=(-e "could not boot 'smart-os'\\. Press a key for the menu" -n 'booting \(' -s 'x' -e '> 1\. smart-os')

# Too small: each size in its own (short) boot.
for mem in 30M 24M 16M 8M; do
    name=mem-$mem
    if loader_boot "$name" "$img" -t 30 \
            -e "linux: not enough memory: /boot/bzImage needs RAM from 0x100000 to $unpack_end \\([0-9.]+ MiB\\) to unpack; usable RAM there ends at 0x[0-9a-f]+ \\([0-9.]+ MiB\\)" \
            "${MENU[@]}" -- -m "$mem" -drive "file=$img,format=raw,if=ide"; then
        pass "-m $mem: '$(tr -d '\r' < "$TLOG/$name.log" | grep -o 'linux: not enough memory.*' | head -1)', then the menu"
    else
        fail "-m $mem: not enough memory for the kernel, with the figures" "$(why "$name")"
    fi
done
name=mem-31M
if loader_boot "$name" "$img" -t 30 \
        -e "linux: not enough memory for the initrd: [0-9.]+ MiB in 1 file\\(s\\), but the largest free range above the kernel \\($unpack_end\\) is [0-9.]+ MiB" \
        "${MENU[@]}" -- -m 31M -drive "file=$img,format=raw,if=ide"; then
    pass "-m 31M: the kernel fits, its initrd does not: '$(tr -d '\r' < "$TLOG/$name.log" | grep -o 'linux: not enough memory.*' | head -1)'"
else
    fail "-m 31M: not enough memory for the initrd, with the figures" "$(why "$name")"
fi

# Large enough: boot until the kernel has unpacked the initrd and starts
# /init (before it mounts the disk), then check where the trace says
# everything went against the E820 map it printed.
placed() {   # placed LOG: every piece inside one usable range below 4 GiB
    tr -d '\r' < "$TLOG/$1.log" | python3 -c '
import re, sys
log = sys.stdin.read()
usable = [(int(a, 16), int(b, 16) + 1) for a, b in re.findall(r"^  ([0-9a-f]{16}) - ([0-9a-f]{16})  usable$", log, re.M)]
m = re.search(r"^initrd: (\d+) bytes at 0x([0-9a-f]+),.* \(up to 0x([0-9a-f]+)\)$", log, re.M)
if not usable or not m:
    sys.exit("no E820 table or initrd placement in the trace")
size, at, kend = int(m.group(1)), int(m.group(2), 16), int(m.group(3), 16)
pieces = {"kernel (loaded and unpacking)": (0x100000, kend), "initrd": (at, at + size)}
for what, (a, b) in pieces.items():
    if b > 1 << 32 or not any(s <= a and b <= e for s, e in usable):
        sys.exit("%s at 0x%x-0x%x is not inside one usable range below 4 GiB: %s" % (what, a, b, usable))
print("initrd at 0x%x-0x%x, kernel 0x100000-0x%x; %d usable ranges, the highest ending at 0x%x" %
      (at, at + size, kend, len(usable), max(e for s, e in usable)))
'
}
for mem in 32M 3584M 5G; do
    name=mem-$mem
    if loader_boot "$name" "$img" -t 30 -e 'memory map \(e820\)' -e 'initrd: [0-9]+ bytes at' \
            -t 90 -e 'booting \(32-bit entry' -e 'Linux version' -e 'Freeing initrd memory' -e 'Run /init as init process' \
            -- -m "$mem" -drive "file=$img,format=raw,if=ide"; then
        if where=$(placed "$name" 2>&1); then
            pass "-m $mem: boots; $where"
        else
            fail "-m $mem: everything in usable RAM below 4 GiB" "$where"
        fi
    else
        fail "-m $mem: boots to the kernel's /init" "$(why "$name")"
    fi
done
# The kernel's own print of the map it was given (BIOS-e820: lines) has
# usable RAM starting at or above 4 GiB, and so does the loader's table.
# (tests/t-35-handoff.sh compares the whole map with the BIOS's.)
above4g='^  0000000[1-9][0-9a-f]{8} - [0-9a-f]{16}  usable$'
kabove4g='BIOS-e820: \[mem 0x0000000[1-9][0-9a-f]{8}-0x[0-9a-f]{16}\] usable'
tr -d '\r' < "$TLOG/mem-5G.log" | grep -qE "$above4g" && tr -d '\r' < "$TLOG/mem-5G.log" | grep -qE "$kabove4g" \
    && pass "-m 5G: the loader's map and the kernel's have usable RAM above 4 GiB, which smartboot leaves to the kernel" \
    || fail "-m 5G: usable RAM above 4 GiB reaches the kernel" "$(tr -d '\r' < "$TLOG/mem-5G.log" | grep -E 'BIOS-e820|^  0' | tr '\n' '|')"
unchanged_summary
rm -f "$work"/*.img

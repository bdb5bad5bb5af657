#!/usr/bin/env bash
# Native disk drivers: PIIX IDE (-M pc), AHCI (-M q35), virtio-blk; the
# boot disk found when it is the second disk; a native read error falls back
# to INT 13h; files loaded natively are the same bytes INT 13h reads.
# expect: 9 boot
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/boot-lib.sh"
work=$TLOG/native; mkdir -p "$work"

# disk NAME ROOT [KEY=VALUE lines...]: smart-os + smartboot + a verbose smartboot.cfg.
disk() {
    local name=$1 img root=$2; shift 2
    img=$(new_disk "$name") || return 1
    { echo "timeout 0"; echo "verbose on"; printf '%s\n' "$@"
      echo "entry smart-os"; echo "kernel /boot/bzImage"; echo "initrd /boot/initrd"
      echo "cmdline root=$root console=ttyS0"; } > "$work/$name.cfg"
    put "$img" "$work/$name.cfg" /boot/smartboot.cfg || return 1
    echo "$img"
}
fnv() { tr -d '\r' < "$TLOG/$1.log" | grep -E '^/boot/(bzImage|initrd): fnv1a'; }
# host_fnv IMG: the same two lines computed here from the files in IMG's
# filesystem (debugfs): the loader's FNV-1a over what it loaded, the
# kernel from the end of its real-mode part ((setup_sects + 1) * 512,
# 4 sectors when 0), the initrd whole.
host_fnv() {
    local k=$work/host-bzImage i=$work/host-initrd
    debugfs -R "dump /boot/bzImage $k" "$1$PART" >/dev/null 2>&1
    debugfs -R "dump /boot/initrd $i" "$1$PART" >/dev/null 2>&1
    python3 - "$k" "$i" <<'EOF'
import sys
def fnv(b):
    h = 2166136261
    for x in b:
        h = ((h ^ x) * 16777619) & 0xffffffff
    return h
k, i = (open(p, "rb").read() for p in sys.argv[1:])
setup = ((k[0x1f1] or 4) + 1) * 512
print("/boot/bzImage: fnv1a 0x%08x" % fnv(k[setup:]))
print("/boot/initrd: fnv1a 0x%08x" % fnv(i))
EOF
}
boot() {    # boot NAME "EXPECTED DRIVER LINE" QEMU-ARGS...
    local name=$1 want=$2; shift 2
    console "$name" -t 60 -e "$want" -e 'booting \(32-bit entry' -e 'smart-os: init reached' \
        -- "$@" 2>"$work/$name.err"
}

img=$(disk ide /dev/sda1)
if boot native-ide 'disk: using the ide 0:0 driver \(DMA\)' -M pc -drive "file=$img,format=raw,if=ide"; then
    pass "-M pc: the IDE bus-master DMA driver loads smart-os and the kernel mounts its root"
else
    fail "-M pc: IDE DMA boot" "$(head -c 600 "$work/native-ide.err")"
fi
img=$(disk bios /dev/sda1 "disk bios")
if boot native-bios 'memory map' -M pc -drive "file=$img,format=raw,if=ide" &&
   ! grep -q 'disk: using the' "$TLOG/native-bios.log"; then
    pass "disk bios: INT 13h only"
else
    fail "disk bios: INT 13h only" "$(head -c 600 "$work/native-bios.err")"
fi
# The oracle: the fingerprints computed on the host from the files.  (Both
# boots against it, not only against each other: a driver and INT 13h that
# read the same wrong bytes would agree.  Planted: a byte of the initrd
# changed on the disk after the host's sum makes both fail.)
h=$(host_fnv "$img")
a=$(fnv native-ide); b=$(fnv native-bios)
[ -n "$h" ] && [ "$a" = "$h" ] && pass "the IDE driver loads the files' bytes ($(echo $h | tr '\n' ' '), computed on the host)" \
    || fail "the IDE driver loads the files' bytes" "host: $h / native: $a"
[ -n "$h" ] && [ "$b" = "$h" ] && pass "INT 13h loads the files' bytes" \
    || fail "INT 13h loads the files' bytes" "host: $h / bios: $b"

img=$(disk ahci /dev/sda1)
if boot native-ahci 'disk: using the ahci 0 driver \(DMA\)' -M q35 \
        -drive "file=$img,format=raw,if=none,id=d0" -device ide-hd,drive=d0,bus=ide.0; then
    pass "-M q35: the AHCI driver loads smart-os and the kernel mounts its root"
else
    fail "-M q35: AHCI boot" "$(head -c 600 "$work/native-ahci.err")"
fi
[ -n "$h" ] && [ "$(fnv native-ahci)" = "$h" ] && pass "AHCI loads the files' bytes" || fail "AHCI loads the files' bytes" "host: $h / ahci: $(fnv native-ahci)"

img=$(disk virtio /dev/vda1)
if boot native-virtio 'disk: using the virtio driver \(DMA\)' -drive "file=$img,format=raw,if=virtio"; then
    pass "virtio-blk: the virtio driver loads smart-os and the kernel mounts /dev/vda1"
else
    fail "virtio-blk boot" "$(head -c 600 "$work/native-virtio.err")"
fi

# Two disks on the IDE bus, the boot disk second (bootindex): the driver
# must pick the slave, the one whose sectors match the BIOS drive's.
img=$(disk second /dev/sdb1)
cp --sparse=always "$BUILD/extra.img" "$work/first.img"
if boot native-second 'disk: using the ide 0:1 driver \(DMA\)' -M pc \
        -drive "file=$work/first.img,format=raw,if=none,id=a" -device ide-hd,drive=a,bus=ide.0,unit=0,bootindex=2 \
        -drive "file=$img,format=raw,if=none,id=b" -device ide-hd,drive=b,bus=ide.0,unit=1,bootindex=1; then
    pass "two disks, booted from the second: the right disk is chosen"
else
    fail "two disks, booted from the second" "$(head -c 600 "$work/native-second.err")"
fi

# A read error injected once in the kernel's blocks: the native read fails,
# smartboot says so and reads through INT 13h, which now succeeds.
img=$(disk fault /dev/sda1)
block=$(debugfs -R "bmap /boot/bzImage 64" "$img$PART" 2>/dev/null)
bs=$(debugfs -R stats "$img$PART" 2>/dev/null | awk '/^Block size:/ { print $3 }')
sector=$((2048 + block * bs / 512))
printf '[inject-error]\nevent = "read_aio"\nerrno = "5"\nsector = "%d"\nonce = "on"\n' "$sector" > "$work/blkdebug.conf"
if boot native-fault 'reading through INT 13h from now on' -M pc \
        -drive "file=blkdebug:$work/blkdebug.conf:$img,format=raw,if=ide"; then
    pass "a native read error (injected at LBA $sector) falls back to INT 13h and still boots"
else
    fail "native read error falls back to INT 13h" "$(head -c 600 "$work/native-fault.err")"
fi
rm -f "$work"/*.img

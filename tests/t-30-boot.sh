#!/usr/bin/env bash
# smartboot boots smart-os from `qemu -hda`: stage 1 -> stage 2 -> kernel ->
# initrd -> init -> login, with the 32-bit and the 16-bit hand-off, with
# 64 MiB and 2 GiB of RAM.  Checks, from the serial console:
#   - every phase's marker appears, in order, within its timeout;
#   - /proc/cmdline in the guest equals the command line the loader printed;
#   - with the 32-bit entry (our E820 map in the zero page) the kernel prints
#     the same map as with the 16-bit entry (where it asks the BIOS itself);
#   - and has the same alt_mem_k (E801h) and ext_mem_k (88h) in its
#     boot_params (/sys/kernel/boot_params/data in the guest), which it
#     sizes memory from when the E820 map is poor: the 16-bit entry's come
#     from the kernel's own probe (before the fix, the 32-bit entry's were 0);
#   - a disk without /boot/bzImage gives a clear error, not a hang.
# expect: 14 boot
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/boot-lib.sh"
work=$TLOG/boot; mkdir -p "$work"

# disk ENTRY: a private copy of the smart-os disk with smartboot installed,
# the ENTRY-bit stage 2.
disk() {
    new_disk "disk-entry$1" "$BUILD/stage2-entry$1.bin" ||
        { fail "install the $1-bit stage 2 on a copy of smartos.img"; return 1; }
}

# boot NAME ENTRY MEM: boot to a root shell, print /proc/cmdline, power off.
boot() {
    local name=$1 entry=$2 mem=$3 img
    img=$(disk "$entry") || return 1
    console "$name" \
        -t 20 -e 'smartboot: stage 2' -e 'A20 ok' -e 'memory: ' -e 'disk: drive 0x80' \
        -t 60 -e 'loading /boot/bzImage .* ok' -e 'loading /boot/initrd .* ok' \
        -e "booting \\($entry-bit entry" \
        -t 60 -e 'Linux version' -e 'smart-os initrd: switching to /dev/sda1' \
        -e 'smart-os: init reached' -e 'login:' \
        -s 'root\n' -e 'Password:' -s 'smartos\n' -e 'root@smart-os:[^\n]*# ' \
        -s 'echo "GUEST-CMDLINE=[$(cat /proc/cmdline)]"\n' -e 'GUEST-CMDLINE=\[[^$\n]*\]' \
        -s 'bp=/sys/kernel/boot_params/data; echo "GUEST-MEMK=[$(od -An -tu4 -j480 -N4 $bp | tr -d " ")' \
        -s ' $(od -An -tu2 -j2 -N2 $bp | tr -d " ")]"\n' -e 'GUEST-MEMK=\[[0-9]+ [0-9]+\]' \
        -s 'poweroff\n' -t 60 -x \
        -- -m "$mem" -drive "file=$img,format=raw,if=ide"
}

# Serial lines come with CR LF; the kernel's lines have a timestamp.
log_lines() { tr -d '\r' < "$TLOG/$1.log"; }
cmdline_matches() {
    local want got
    want=$(log_lines "$1" | sed -n 's/^command line: //p' | head -1)
    got=$(log_lines "$1" | sed -n 's/^GUEST-CMDLINE=\[\(.*\)\]$/\1/p' | head -1)
    [ -n "$want" ] && [ "$want" = "$got" ] || { echo "loader passed '$want', guest has '$got'" >&2; return 1; }
}
e820_of() { log_lines "$1" | grep -o 'BIOS-e820: \[mem [^]]*\] .*'; }

for run in "32 256M" "16 256M" "32 64M" "32 2G" "16 64M"; do
    set -- $run
    name=boot-entry$1-$2
    if boot "$name" "$1" "$2" 2>"$work/$name.err"; then
        pass "boots to a root shell with the $1-bit entry and -m $2"
        check "/proc/cmdline equals the loader's command line ($1-bit, $2)" cmdline_matches "$name"
    else
        fail "boots to a root shell with the $1-bit entry and -m $2" "$(head -c 600 "$work/$name.err")"
    fi
done

for mem in 256M 64M; do
    a=$(e820_of boot-entry32-$mem); b=$(e820_of boot-entry16-$mem)
    if [ -n "$a" ] && [ "$a" = "$b" ]; then
        pass "32-bit entry: the kernel's e820 map equals the firmware's (-m $mem, $(echo "$a" | wc -l) ranges)"
    else
        fail "32-bit entry: the kernel's e820 map equals the firmware's (-m $mem)" \
            "$(diff <(echo "$a") <(echo "$b") | head -10)"
    fi
done

# alt_mem_k (0x1e0) and ext_mem_k (0x002) in the kernel's boot_params: the
# same with our zero page as from the kernel's own 16-bit probe.
memk_of() { log_lines "$1" | sed -n 's/^GUEST-MEMK=\[\([0-9]*\) \([0-9]*\)\]$/\1 \2/p' | head -1; }
for mem in 256M 64M; do
    a=$(memk_of boot-entry32-$mem); b=$(memk_of boot-entry16-$mem)
    if [ -n "$a" ] && [ "$a" = "$b" ] && [ "${a%% *}" -ge $(( (${mem%M} - 2) * 1024 )) ]; then
        pass "32-bit entry: alt_mem_k and ext_mem_k equal the kernel's own probe (-m $mem: $a KiB)"
    else
        fail "32-bit entry: alt_mem_k and ext_mem_k equal the kernel's own probe (-m $mem)" \
            "32-bit entry: '$a', 16-bit entry: '$b' (alt_mem_k ext_mem_k, KiB)"
    fi
done

# The loader's message about low memory, A20 and the memory size are sane.
grep -q 'memory: 6[0-3] MiB usable' <(log_lines boot-entry32-64M) \
    && pass "stage 2 reports about 64 MiB with -m 64M" || fail "stage 2 reports about 64 MiB with -m 64M"

# A disk without /boot/bzImage: a clear error naming the file, then the
# menu (with no countdown: the user chooses again).
img=$(disk 32)
fs "$img" "rm /boot/bzImage"
if console missing-kernel -t 60 -e 'ext2: /boot/bzImage: no such file' \
        -e "could not boot 'smart-os'. Press a key for the menu" -s 'x' -e '> 1. smart-os' \
        -- -drive "file=$img,format=raw,if=ide" 2>"$work/missing.err"; then
    pass "a missing kernel prints 'ext2: /boot/bzImage: no such file' and offers the menu"
else
    fail "a missing kernel gives a clear error" "$(head -c 600 "$work/missing.err")"
fi
rm -f "$work"/*.img

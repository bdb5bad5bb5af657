#!/usr/bin/env bash
# expect: 4 boot
# The stock disk's menu (boot/smartboot.cfg, written into build/disk.img by
# `make disk`): what `make run` shows a new user.
#   - build/disk.img's /boot/smartboot.cfg is the file CONFIG named (debugfs
#     reads it back), and build/smartos.img, which the other boot tests
#     install smartboot on, has none: they still boot at once;
#   - a copy of build/disk.img shows the six entries and counts down 3, 2,
#     1 on the serial console, then boots the default to the login prompt;
#   - entry 2 prints the teaching trace, entry 5 gives a root shell with no
#     login (single user: rcS does not run, so the prompt has no host name), entry 6 the initrd's shell, whose `exit` goes on
#     with the boot (chosen with a number key and Enter, as on the serial
#     line, where Shift cannot be held).
source "$(dirname "$0")/lib.sh"
work=$TLOG/stock-menu; mkdir -p "$work"
PART="?offset=$((2048 * 512))"          # the smart-os partition (scripts/mkdisk.sh)
DISK=$BUILD/disk.img
[ -f "$DISK" ] || { fail "build/disk.img exists" "run make first"; exit 1; }

# --- The file on the disks --------------------------------------------------------
config=$(sed -n 's/^CONFIG=//p' "$BUILD/config-options" 2>/dev/null)
debugfs -R "cat /boot/smartboot.cfg" "$DISK$PART" > "$work/disk.cfg" 2>/dev/null
if [ "$config" = boot/smartboot.cfg ] || [ "$config" = "$TOP/boot/smartboot.cfg" ]; then
    check "build/disk.img's /boot/smartboot.cfg is boot/smartboot.cfg" cmp -s "$work/disk.cfg" "$TOP/boot/smartboot.cfg"
else
    skip "the stock menu" "build/disk.img was made with CONFIG='$config'"; exit 0
fi
if debugfs -R "stat /boot/smartboot.cfg" "$BUILD/smartos.img$PART" 2>/dev/null | grep -q 'Size:'; then
    fail "build/smartos.img (the tests' disk) has no smartboot.cfg: their boots do not wait"
else
    pass "build/smartos.img (the tests' disk) has no smartboot.cfg: their boots do not wait"
fi

# --- The boots ----------------------------------------------------------------------
# Each boots its own copy (smart-os writes to its root).
boot() {
    local name=$1; shift
    cp --sparse=always "$DISK" "$work/$name.img"
    console "$name" "$@" -- -drive "file=$work/$name.img,format=raw,if=ide" 2>"$work/$name.err"
    local rc=$?
    rm -f "$work/$name.img"
    return $rc
}
MENU=(-t 30 -e 'smartboot - smartboot\.cfg' -e '> 1\. smart-os\r?$' -e '2\. smart-os, with the teaching trace'
      -e '3\. smart-os, 16-bit hand-off' -e '4\. smart-os, 64-bit hand-off' -e '5\. smart-os, single user'
      -e '6\. initrd rescue shell')

if boot stock-default "${MENU[@]}" -e "booting 'smart-os' in 3 s" -e "booting 'smart-os' in 2 s" \
        -e "booting 'smart-os' in 1 s" -t 60 -e 'booting \(32-bit entry' -n 'memory map \(e820\)' \
        -t 90 -e 'smart-os: init reached' -e 'login:'; then
    pass "make run's disk shows the six entries and counts down 3, 2, 1"
    pass "after the countdown the default entry boots smart-os to the login prompt, without the trace"
else
    fail "make run's disk: the menu, its countdown and the default's boot" "$(head -c 600 "$work/stock-default.err")"
fi

if boot stock-trace "${MENU[@]}" -e "in 3 s" -s '2' -e '> 2\. ' -s '\r' \
        -t 60 -e 'mode: 32-bit protected mode' -e 'memory map \(e820\)' -e 'ext[234]: [0-9]+-byte blocks' \
        -e 'kernel header: protocol 2\.' -e 'booting \(32-bit entry'; then
    pass "entry 2 prints the teaching trace (mode, E820 map, filesystem, kernel header)"
else
    fail "entry 2 prints the teaching trace" "$(head -c 600 "$work/stock-trace.err")"
fi

if boot stock-single "${MENU[@]}" -e "in 3 s" -s '5' -e '> 5\. ' -s '\r' -t 90 -e 'root@[^:\n]*:[^\n]*# ' \
        -n 'login:' -s 'echo "single-$((6 * 7))"\n' -e '^single-42'; then
    pass "entry 5 (single user) gives a root shell without a login"
else
    fail "entry 5 (single user) gives a root shell without a login" "$(head -c 600 "$work/stock-single.err")"
fi

if boot stock-rescue "${MENU[@]}" -e "in 3 s" -s '6' -e '> 6\. ' -s '\r' -t 90 \
        -e 'smart-os initrd: rdshell on the command line' -e '\(initrd rescue\) # ' \
        -s 'echo "rescue-$((6 * 7))"\n' -e '^rescue-42' -s 'exit\n' \
        -e 'smart-os initrd: switching to /dev/sda1' -e 'login:'; then
    pass "entry 6 gives the initrd's shell before the root is mounted; exit goes on to the login"
else
    fail "entry 6 gives the initrd's shell; exit goes on" "$(head -c 600 "$work/stock-rescue.err")"
fi

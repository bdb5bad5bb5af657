#!/usr/bin/env bash
# The configuration file, grub.cfg, the menu, the editor, the prompt and the
# three hand-offs, driven over the serial line.
# expect: 11 boot
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/boot-lib.sh"      # new_disk, put
work=$TLOG/menu; mkdir -p "$work"
LOGIN=(-e 'login:' -s 'root\n' -e 'Password:' -s 'smartos\n' -e 'root@smart-os:[^\n]*# ')
CMDLINE=(-s 'echo "GUEST-CMDLINE=[$(cat /proc/cmdline)]"\n' -e 'GUEST-CMDLINE=\[[^$\n]*\]')
ESC=$'\e'

guest_cmdline() { tr -d '\r' < "$TLOG/$1.log" | sed -n 's/^GUEST-CMDLINE=\[\(.*\)\]$/\1/p' | tail -1; }

# An extra initrd that goes first: its /marker.txt and /marker.sh are
# unpacked before the main initrd; rdinit=/marker.sh runs the script, which
# shows that both archives are there, then hands over to the main /init.
mkdir -p "$work/marker"
echo "first-initrd-marker" > "$work/marker/marker.txt"
printf '#!/bin/sh\necho "MARKER: $(cat /marker.txt); main init: $(test -x /init && echo present)"\nexec /init "$@"\n' \
    > "$work/marker/marker.sh"
chmod +x "$work/marker/marker.sh"
(cd "$work/marker" && printf 'marker.txt\nmarker.sh\n' | cpio -o -H newc -R 0:0 --quiet | gzip -9) > "$work/marker.img"

cat > "$work/smartboot.cfg" <<'CFG'
# smartboot.cfg for the tests
timeout 3
default 1
verbose on

entry smart-os 32
  kernel /boot/bzImage
  initrd /boot/initrd
  cmdline root=/dev/sda1 console=ttyS0 sbtest=32
  handoff 32

entry smart-os 16
  kernel /boot/bzImage
  initrd /boot/initrd
  cmdline root=/dev/sda1 console=ttyS0 sbtest=16
  handoff 16

entry smart-os 64, two initrds
  kernel /boot/bzImage
  initrd /boot/marker.img
  initrd /boot/initrd
  cmdline root=/dev/sda1 console=ttyS0 sbtest=64 rdinit=/marker.sh
  handoff 64

entry broken
  kernal /boot/bzImage
CFG
img=$(new_disk cfg)
put "$img" "$work/smartboot.cfg" /boot/smartboot.cfg && put "$img" "$work/marker.img" /boot/marker.img \
    || fail "test disk with smartboot.cfg"

# 1. The default entry (32-bit) boots after the countdown, with the trace.
if console cfg-default -t 30 -e "smartboot.cfg:26: unknown key 'kernal'" \
        -e "smartboot.cfg:25: entry 'broken' has no kernel; skipped" \
        -e 'memory map \(e820\)' -e 'ext[234]: [0-9]+-byte blocks, [0-9]+ blocks, [0-9]+ per group' \
        -e 'config: smartboot.cfg, 3 entries' \
        -e "booting 'smart-os 32' in 3 s" -t 60 -e 'kernel header: protocol 2\.' -e '\[tsc \+[0-9]+\] loaded' \
        -e 'booting \(32-bit entry' -e 'smart-os: init reached' "${LOGIN[@]}" "${CMDLINE[@]}" \
        -- -drive "file=$img,format=raw,if=ide" 2>"$work/1.err"; then
    pass "smartboot.cfg: a typo is reported with its line, the valid entries load, the countdown boots the default"
    pass "verbose: the trace shows the E820 table, the filesystem, the kernel header and TSC stamps"
    [ "$(guest_cmdline cfg-default)" = "root=/dev/sda1 console=ttyS0 sbtest=32" ] \
        && pass "handoff 32: the guest's /proc/cmdline is the entry's cmdline" \
        || fail "handoff 32: /proc/cmdline" "got '$(guest_cmdline cfg-default)'"
else
    fail "smartboot.cfg boots its default entry" "$(head -c 700 "$work/1.err")"
fi

# 2. Pick entry 3 by its number: the 64-bit hand-off with two initrds.
if console cfg-64 -t 30 -e "booting 'smart-os 32' in" -s '3' -e '> 3\. smart-os 64' -s '\r' \
        -t 60 -e 'booting \(64-bit entry' \
        -e 'MARKER: first-initrd-marker; main init: present' -e 'smart-os: init reached' \
        "${LOGIN[@]}" "${CMDLINE[@]}" \
        -- -drive "file=$img,format=raw,if=ide" 2>"$work/2.err"; then
    pass "handoff 64 boots smart-os (long mode)"
    pass "two initrds: the guest sees the first one's file and the second one's /init"
    grep -q 'sbtest=64' <<<"$(guest_cmdline cfg-64)" && pass "handoff 64: /proc/cmdline" \
        || fail "handoff 64: /proc/cmdline" "got '$(guest_cmdline cfg-64)'"
else
    fail "handoff 64 with two initrds boots" "$(head -c 700 "$work/2.err")"
fi

# 3. Down arrow (as a terminal sends it) to entry 2, 'e', add an argument,
#    Enter: the 16-bit hand-off with the edited command line.
if console cfg-edit -t 30 -e "booting 'smart-os 32' in" -s "${ESC}[B" -e '> 2\. smart-os 16' \
        -s 'e' -e 'Edit the command line' -d 0.5 -s "${ESC}[D${ESC}[C edited=yes" -d 0.5 -s '\r' \
        -t 60 -e 'booting \(16-bit entry' -e 'smart-os: init reached' "${LOGIN[@]}" "${CMDLINE[@]}" \
        -- -drive "file=$img,format=raw,if=ide" 2>"$work/3.err"; then
    got=$(guest_cmdline cfg-edit)
    [ "$got" = "root=/dev/sda1 console=ttyS0 sbtest=16 edited=yes" ] \
        && pass "menu: the second entry, its command line edited, boots with the 16-bit hand-off" \
        || fail "menu: edited command line reaches /proc/cmdline" "got '$got'"
else
    fail "menu: pick the second entry and edit its command line" "$(head -c 700 "$work/3.err")"
fi

# 4. The prompt: ls, e820, then boot a kernel by hand.
if console cfg-prompt -t 30 -e "booting 'smart-os 32' in" -s 'c' -e 'smartboot> ' \
        -s 'ls /boot\r' -e 'bzImage' -e 'smartboot.cfg' -e 'smartboot> ' \
        -s 'e820\r' -e 'usable' -e 'smartboot> ' \
        -s 'cat /boot/nothing\r' -e 'ext2: /boot/nothing: no such file' -e 'smartboot> ' \
        -s 'initrd /boot/initrd\r' -e 'smartboot> ' \
        -s 'boot /boot/bzImage root=/dev/sda1 console=ttyS0 byhand=1\r' \
        -t 60 -e 'smart-os: init reached' "${LOGIN[@]}" "${CMDLINE[@]}" \
        -- -drive "file=$img,format=raw,if=ide" 2>"$work/4.err"; then
    [ "$(guest_cmdline cfg-prompt)" = "root=/dev/sda1 console=ttyS0 byhand=1" ] \
        && pass "prompt: ls, e820, cat errors, initrd and boot work" \
        || fail "prompt: boot by hand" "got '$(guest_cmdline cfg-prompt)'"
else
    fail "prompt: ls /boot, e820, boot by hand" "$(head -c 700 "$work/4.err")"
fi

# 5. A CPU without long mode, 64-bit hand-off asked for: a clear refusal and
#    the menu again.
if console cfg-qemu32 -t 30 -e "booting 'smart-os 32' in" -s '3\r' \
        -e 'this CPU has no long mode' -e "could not boot 'smart-os 64, two initrds'" \
        -- -cpu qemu32 -drive "file=$img,format=raw,if=ide" 2>"$work/5.err"; then
    pass "-cpu qemu32 with the 64-bit hand-off: a clear refusal"
else
    fail "-cpu qemu32 with the 64-bit hand-off: a clear refusal" "$(head -c 700 "$work/5.err")"
fi

# 6. grub.cfg as smart-os disks have it, and no smartboot.cfg.
cat > "$work/grub.cfg" <<'CFG'
set timeout=3
insmod ext2
menuentry "smart-os (grub.cfg)" {
    set root=(hd0,msdos1)
    linux /boot/bzImage root=/dev/sda1 console=ttyS0 quiet fromgrub=1
    initrd /boot/initrd
}
CFG
img=$(new_disk grub)
debugfs -w -R "mkdir /boot/grub" "$img$PART" >/dev/null 2>&1
put "$img" "$work/grub.cfg" /boot/grub/grub.cfg || fail "test disk with grub.cfg"
if console grub-cfg -t 30 -e "grub.cfg:2: 'insmod' not supported; skipped" \
        -e "booting 'smart-os \(grub.cfg\)' in 3 s" -t 60 -e 'smart-os: init reached' \
        "${LOGIN[@]}" "${CMDLINE[@]}" -- -drive "file=$img,format=raw,if=ide" 2>"$work/6.err"; then
    [ "$(guest_cmdline grub-cfg)" = "root=/dev/sda1 console=ttyS0 quiet fromgrub=1" ] \
        && pass "grub.cfg: smart-os's grub.cfg boots as is; unknown commands reported with their line" \
        || fail "grub.cfg: /proc/cmdline" "got '$(guest_cmdline grub-cfg)'"
else
    fail "grub.cfg boots" "$(head -c 700 "$work/6.err")"
fi

size=$(stat -c %s "$BUILD/stage2.bin")
[ "$size" -le 31744 ] && pass "stage 2 with the menu, config and long mode: $size of 31,744 bytes" \
    || fail "stage 2 within 31,744 bytes" "$size"
rm -f "$work"/*.img

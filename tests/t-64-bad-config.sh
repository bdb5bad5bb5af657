#!/usr/bin/env bash
# Bad configuration files, at boot: each mistake is reported with its file
# and line, and the valid entries are still offered (and boot).
#   1. a 10,000-line smartboot.cfg: unknown keys, keys without a value, a bad
#      number, an entry with no kernel, a default that names no entry, and
#      more errors than are worth printing; its valid entries are on lines 4,
#      14 and 9,995;
#   2. a grub.cfg with an unterminated quote, a missing '}', a menuentry in a
#      menuentry, an entry with no kernel, an unsupported command and a
#      default past the last entry.
# The parsers' own host tests (t-12) cover the same cases line by line.
# expect: 6 boot
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/boot-lib.sh"
work=$TLOG/badcfg; rm -rf "$work"; mkdir -p "$work"
BOOTED=(-t 60 -e 'booting \(32-bit entry' -e 'Linux version')

# ---- 1. smartboot.cfg, 10,000 lines --------------------------------------
python3 - "$work/smartboot.cfg" <<'EOF'
import sys
lines = ["# t-64: a long configuration with mistakes", "timeout -1", "default nosuch",
         "entry first", "  kernel /boot/bzImage", "  initrd /boot/initrd",
         "  cmdline root=/dev/sda1 console=ttyS0 t64=first no_timer_check",
         "kernal /boot/typo",                      # line 8: unknown key
         "initrd",                                 # line 9: no value
         "timeout soon",                           # line 10: not a number
         "entry no kernel here",                   # line 11: dropped at its end
         "  cmdline x",
         "  handoff 48",                           # line 13: bad value
         "entry second", "  kernel /boot/bzImage"] # line 14 ends the one before
while len(lines) < 9994:
    n = len(lines) + 1
    lines.append("bogus %d" % n if n % 400 == 0 else "#" if n % 2 else "")
lines += ["entry last", "  kernel /boot/bzImage", "  initrd /boot/initrd",
          "  cmdline root=/dev/sda1 console=ttyS0 t64=last no_timer_check", "", "# line 10000"]
assert len(lines) == 10000
open(sys.argv[1], "w").write("\n".join(lines) + "\n")
EOF
img=$(new_disk long) && put "$img" "$work/smartboot.cfg" /boot/smartboot.cfg || fail "a disk with the long smartboot.cfg"
if loader_boot long "$img" -t 30 \
        -e "smartboot.cfg:8: unknown key 'kernal'" -e "smartboot.cfg:9: no value for 'initrd'" \
        -e "smartboot.cfg:10: timeout wants a number of seconds \\(0 to 32767\\) or -1 'timeout'" \
        -e "smartboot.cfg:13: handoff wants 16, 32 or 64 'handoff'" \
        -e "smartboot.cfg:11: entry 'no kernel here' has no kernel; skipped" \
        -e "smartboot.cfg:400: unknown key 'bogus'" \
        -e 'smartboot.cfg:3: default names no entry \(there are 3\); the first is used' \
        -e 'smartboot.cfg: 9 more errors not shown' \
        -e '> 1\. first' -e '  3\. last' -e 'Up/Down or 1-3: choose' \
        -s '3' -e '> 3\. last' -s '\r' "${BOOTED[@]}" -e 'Kernel command line: .*t64=last' \
        -- -drive "file=$img,format=raw,if=ide"; then
    pass "10,000-line smartboot.cfg: each kind of mistake reported with its line, the rest counted"
    pass "10,000-line smartboot.cfg: the entries on lines 4, 14 and 9,995 are offered; the last one boots"
else
    fail "10,000-line smartboot.cfg: mistakes reported, valid entries offered" "$(why long)"
fi
# 29 mistakes in the lines: the first 20 are printed, the 9 others counted
# (checked above); the default naming no entry is reported after the whole
# file is read.  Fewer than 20 lines would mean errors lost, or no boot.
n=$(tr -d '\r' < "$TLOG/long.log" | grep -E '^smartboot\.cfg:[0-9]+: ' | grep -vc 'default names no entry')
[ "$n" -eq 20 ] && pass "only the first 20 errors are printed (then a count), not 29 ($n lines)" \
    || fail "exactly the first 20 errors are printed" "$n lines"

# ---- 2. grub.cfg -----------------------------------------------------------
cat > "$work/grub.cfg" <<'CFG'
set timeout=100
set default=7
insmod ext2
menuentry 'good one' {
    linux /boot/bzImage root=/dev/sda1 console=ttyS0 t64=grub no_timer_check
    initrd /boot/initrd
}
menuentry "unterminated quote {
    linux /boot/bzImage root=/dev/sda1 console=ttyS0
}
menuentry 'no kernel' {
    echo hello
}
menuentry 'open' {
    linux /boot/bzImage root=/dev/sda1 console=ttyS0
menuentry 'nested' {
    linux /boot/bzImage root=/dev/sda1 console=ttyS0
}
menuentry 'never closed' {
    linux /boot/bzImage root=/dev/sda1 console=ttyS0
CFG
img=$(new_disk grub) && fs "$img" "mkdir /boot/grub" && put "$img" "$work/grub.cfg" /boot/grub/grub.cfg \
    || fail "a disk with the broken grub.cfg"
if loader_boot grub "$img" -t 30 \
        -e "grub.cfg:3: 'insmod' not supported; skipped" \
        -e 'grub.cfg:8: a quote is not closed on this line' -e "grub.cfg:8: menuentry without '\\{' on its line" \
        -e "grub.cfg:12: 'echo' not supported; skipped" -e "grub.cfg:11: entry 'no kernel' has no kernel; skipped" \
        -e "grub.cfg:16: menuentry inside a menuentry \\(a '\\}' missing\\?\\)" \
        -e "grub.cfg:20: menuentry 'never closed' not closed with '\\}'" \
        -e 'grub.cfg:2: default names no entry \(there are 5\); the first is used' \
        -e '> 1\. good one' -e '5\. never closed' -e "booting 'good one' in 100 s" \
        -s '\r' "${BOOTED[@]}" -e 'Kernel command line: .*t64=grub' \
        -- -drive "file=$img,format=raw,if=ide"; then
    pass "grub.cfg: quote, brace, nesting, no kernel, unsupported command and default: each reported with its line"
    pass "grub.cfg: the five entries with a kernel are offered; the first boots"
else
    fail "grub.cfg: mistakes reported with their lines, valid entries offered" "$(why grub)"
fi
unchanged_summary
rm -f "$work"/*.img

#!/usr/bin/env bash
# A 64-bit kernel on a CPU without long mode (QEMU's -cpu qemu32, a 32-bit
# CPU: CPUID 80000001h EDX bit 29 clear) is refused by name before it is
# loaded, with every hand-off, and the menu comes back.  Before this check
# the 32-bit hand-off printed "booting (32-bit entry at 0x100000)" and hung
# silently in the kernel's decompressor (checked on the old stage 2: the
# 32-bit entry's steps below fail at the -n 'booting \(' guard); the 16-bit
# one loaded 8 MB before the kernel's own setup code said "This kernel
# requires an x86-64 CPU".
# One boot: a smartboot.cfg with the same kernel three times, handoff 32,
# 16 and 64; each is chosen from the menu in turn and each fails with the
# message (and nothing loaded), the menu coming back each time.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/boot-lib.sh"
work=$TLOG/no-long-mode; rm -rf "$work"; mkdir -p "$work"

cat > "$work/smartboot.cfg" <<'CFG'
timeout -1
entry smart-os 32
  kernel /boot/bzImage
  initrd /boot/initrd
  cmdline root=/dev/sda1 console=ttyS0
  handoff 32
entry smart-os 16
  kernel /boot/bzImage
  initrd /boot/initrd
  cmdline root=/dev/sda1 console=ttyS0
  handoff 16
entry smart-os 64
  kernel /boot/bzImage
  initrd /boot/initrd
  cmdline root=/dev/sda1 console=ttyS0
  handoff 64
CFG
img=$(new_disk nolm) && put "$img" "$work/smartboot.cfg" /boot/smartboot.cfg \
    || { fail "a smart-os disk with three entries"; exit 1; }
MSG='linux: /boot/bzImage is a 64-bit \(x86-64\) kernel and this CPU has no long mode \(CPUID 80000001h EDX bit 29\)'
AGAIN="could not boot 'smart-os %s'\\. Press a key for the menu"
steps=()
for n in 1 2 3; do
    bits=$(sed -n "${n}p" <<<$'32\n16\n64')
    steps+=(-s "$n" -e "> $n\\. smart-os $bits" -s '\r' -e "$MSG" -n 'loading /boot/bzImage' -n 'booting \('
            -e "$(printf "$AGAIN" "$bits")" -s 'x' -e '> 1\. smart-os 32')
done
if loader_boot nolm "$img" -t 30 -e '> 1\. smart-os 32' "${steps[@]}" \
        -- -cpu qemu32 -drive "file=$img,format=raw,if=ide"; then
    pass "-cpu qemu32: the 64-bit kernel is refused by name with the 32-, 16- and 64-bit hand-offs, nothing loaded, the menu back each time"
else
    fail "-cpu qemu32: the 64-bit kernel refused by name, the menu back" "$(why nolm)"
fi
unchanged_summary
rm -f "$work"/*.img

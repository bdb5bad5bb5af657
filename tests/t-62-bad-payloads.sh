#!/usr/bin/env bash
# Bad payloads (docs/errors.md, "Loading the kernel and the initrd"): each
# one gets its own message, the menu comes back, and nothing half-loaded is
# ever started.  All the cases are entries of ONE smartboot.cfg, booted one
# after another from the menu in a single QEMU run (a TCG boot costs
# seconds); the last entry is a good one and must still boot after all the
# failures.
# expect: 17 boot
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/boot-lib.sh"
work=$TLOG/payloads; rm -rf "$work"; mkdir -p "$work"
B=$work/files; mkdir -p "$B"

# ---- The bad files --------------------------------------------------------
cp /usr/bin/true "$B/elf"                                   # an ELF executable
yes 'this is a text file, not a kernel' | head -c 4096 > "$B/text"
printf 'tiny\n' > "$B/tiny"                                 # under 1 KiB
head -c 1M "$BUILD/bzImage" > "$B/truncated"                # the tail is missing
# patch FILE OFFSET HEXBYTES: overwrite bytes of a copy of the bzImage's head.
patch() { printf "$(sed 's/../\\x&/g' <<<"$3")" | dd of="$1" bs=1 seek=$(($2)) conv=notrunc status=none; }
head -c 64K "$BUILD/bzImage" > "$B/old"; patch "$B/old" 0x206 0102        # protocol 2.01
head -c 16K "$BUILD/bzImage" > "$B/setup"; patch "$B/setup" 0x1f1 28       # setup_sects 40: 20.5 KiB > 16 KiB
head -c 64K "$BUILD/bzImage" > "$B/zimage"                                 # loadflags without LOADED_HIGH
patch "$B/zimage" 0x211 "$(printf '%02x' $(( $(od -An -tu1 -j$((0x211)) -N1 "$BUILD/bzImage") & 0xfe )))"
truncate -s 300M "$B/huge.img"                              # sparse: 300 MiB, one block used
echo data | dd of="$B/huge.img" conv=notrunc status=none
long=$(printf 'x%.0s' $(seq 3000))                          # cmdline_size is 2047

cat > "$B/smartboot.cfg" <<CFG
# t-62: one entry per bad payload, then a good one.
timeout -1
entry missing kernel
  kernel /boot/nothere
entry missing initrd
  kernel /boot/bzImage
  initrd /boot/nothere.img
entry ELF kernel
  kernel /boot/bad/elf
entry text kernel
  kernel /boot/bad/text
entry tiny kernel
  kernel /boot/bad/tiny
entry truncated bzImage
  kernel /boot/bad/truncated
entry old protocol
  kernel /boot/bad/old
entry setup_sects past the file
  kernel /boot/bad/setup
entry zImage
  kernel /boot/bad/zimage
entry huge initrd
  kernel /boot/bzImage
  initrd /boot/bad/huge.img
entry long command line
  kernel /boot/bzImage
  cmdline $long
entry kernel is a directory
  kernel /boot
entry initrd is a directory
  kernel /boot/bzImage
  initrd /boot/bad
entry symlink loop
  kernel /boot/bad/loop1
entry path through a file
  kernel /boot/bzImage/vmlinuz
entry good
  kernel /boot/bzImage
  initrd /boot/initrd
  cmdline root=/dev/sda1 console=ttyS0 t62=good no_timer_check
CFG

img=$(new_disk payloads) || { fail "a smart-os disk with smartboot"; exit 1; }
fs "$img" "mkdir /boot/bad" "symlink /boot/bad/loop1 /boot/bad/loop2" "symlink /boot/bad/loop2 /boot/bad/loop1"
for f in elf text tiny truncated old setup zimage huge.img; do
    put "$img" "$B/$f" "/boot/bad/$f" || fail "write /boot/bad/$f into the test disk"
done
put "$img" "$B/smartboot.cfg" /boot/smartboot.cfg || fail "write smartboot.cfg into the test disk"

# ---- The cases: title | the message expected (an extended regex) ---------
cases=(
"missing kernel|ext2: /boot/nothere: no such file \('nothere' not found\)"
"missing initrd|ext2: /boot/nothere.img: no such file"
"ELF kernel|linux: /boot/bad/elf: not a Linux kernel \(no 0xAA55 boot flag at 0x1fe\)"
"text kernel|linux: /boot/bad/text: not a Linux kernel \(no 0xAA55 boot flag"
"tiny kernel|linux: /boot/bad/tiny: not a bzImage \(5 bytes\)"
"truncated bzImage|linux: /boot/bad/truncated: truncated: shorter than the size in its header \(syssize\)"
"old protocol|linux: /boot/bad/old: boot protocol older than 2.02"
"setup_sects past the file|linux: /boot/bad/setup: setup_sects points past the end of the file"
"zImage|linux: /boot/bad/zimage: not a bzImage \(zImage kernels load low"
"huge initrd|linux: not enough memory for the initrd: 300.00 MiB in 1 file\(s\), but the largest free range above the kernel \(0x[0-9a-f]+\) is [0-9.]+ MiB"
"long command line|linux: command line is 3000 bytes; the kernel takes at most 2047"
"kernel is a directory|linux: /boot: not a regular file"
"initrd is a directory|linux: /boot/bad: not a regular file"
"symlink loop|ext2: too many symlinks resolving /boot/bad/loop1"
"path through a file|ext2: /boot/bzImage/vmlinuz: bzImage is not a directory"
)
DOWN=$'\e[B'
steps=(-t 30 -e 'Up/Down or 1-16: choose')
for i in "${!cases[@]}"; do
    title=${cases[$i]%%|*} msg=${cases[$i]#*|} n=$((i + 1))
    # Entries 1-9 by their number; the rest: 9, then Down.
    keys=$n; [ $n -gt 9 ] && keys="9$(printf "$DOWN%.0s" $(seq $((n - 9))))"
    steps+=(-s "$keys" -e "> $n\\. $title" -s '\r' -e "$msg"
            -e "could not boot '$title'\\. Press a key for the menu\\." -n 'booting \(' -s 'x'
            -e 'Up/Down or 1-16: choose')
done
steps+=(-s "9$(printf "$DOWN%.0s" $(seq 7))" -e '> 16\. good' -s '\r' -t 60 -e 'booting \(32-bit entry' -e 'Linux version'
        -e 'Kernel command line: root=/dev/sda1 console=ttyS0 t62=good no_timer_check')
if loader_boot payloads "$img" "${steps[@]}" -- -drive "file=$img,format=raw,if=ide"; then
    for c in "${cases[@]}"; do pass "${c%%|*}: '$(grep -oE "${c#*|}" <(tr -d '\r' < "$TLOG/payloads.log") | head -1)', then the menu"; done
    pass "no hand-off before the good entry; it still boots after $((${#cases[@]})) failures"
else
    seen=$(tr -d '\r' < "$TLOG/payloads.log")
    for c in "${cases[@]}"; do
        if grep -qE "${c#*|}" <<<"$seen"; then pass "${c%%|*}: its message"; else fail "${c%%|*}: its message" "/${c#*|}/ not seen"; fi
    done
    fail "every bad payload is refused with the menu back, then the good entry boots" "$(why payloads)"
fi
unchanged_summary

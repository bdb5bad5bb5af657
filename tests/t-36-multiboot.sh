#!/usr/bin/env bash
# expect: 36 boot
# Multiboot 1 and 2 against two independent loaders.  The test kernel
# (tests/mbkernel/) prints on COM1 everything it was given; it is booted by
# smartboot, by QEMU's own Multiboot 1 loader (-kernel) and by GRUB 2.06
# (Debian's grub-pc-bin, installed on a copy of the same disk without root),
# and the reports are compared line by line by tests/mbcompare.py, which
# lists what may legitimately differ and why (the loader's name; where the
# information, the modules and the unloaded ELF sections are; GRUB's VBE and
# APM information and its graphics mode for an MB2 framebuffer tag; QEMU's
# file names in the strings, its missing framebuffer and ELF sections).
#
# The boots (15, each ends by the kernel writing to isa-debug-exit):
#   sb-menu     smartboot.cfg from the menu: a kernel asking for a graphics
#               mode, one requiring an information tag we cannot give and
#               one requiring the XSDP (tag 15, which QEMU's ACPI 1.0 BIOS
#               has not) are refused by name, the menu comes back, then
#               `multiboot` (ELF32, with its ELF section headers: flag 5)
#   sb-aout     `multiboot` of the a.out-kludge build (a flat binary)
#   sb-mb2      `multiboot2` (ELF32)
#   sb-text1, sb-text2   `multiboot`/`multiboot2` of mbk-text.elf: EGA text
#               asked for (MB1 flag 2 mode_type 1; MB2 a required 80x25x0
#               framebuffer tag and a required tag 9)
#   sb-aout2    `multiboot2` of the flat binary: the MB2 address tag
#   sb-grubcfg  no smartboot.cfg: grub.cfg's `multiboot2` + `module2 --nounzip` (ELF64)
#   ext-missing, ext-other, ext-damaged   Multiboot is in stage 2's extension
#               (/boot/smartboot.ext, docs/extension.md): without it, with
#               the one of another build (the 16-bit entry's), with a byte
#               changed: each refused by name, and the menu comes back
#   qemu-mb1, qemu-aout, qemu-text1   QEMU -kernel with -initrd "mod1 first args,mod2"
#   grub-mb1, grub-mb2, grub-text1, grub-text2, grub-aout2   GRUB from the
#               same grub.cfg, its default set to each entry in turn
source "$(dirname "$0")/lib.sh"
work=$TLOG/multiboot; rm -rf "$work"; mkdir -p "$work"
PART_OFFSET=$((2048 * 512))
grub_lib=/usr/lib/grub/i386-pc

if ! make -s -C "$TOP" mbkernel loader "$BUILD/smartboot-install" >"$work/build.log" 2>&1; then
    fail "the Multiboot test kernel and the loader build" "$(tail -5 "$work/build.log")"; exit 1
fi
K=$BUILD/mbkernel

# ---- The files: the kernel's builds, two modules, two bad kernels ------------
R=$work/root; mkdir -p "$R/boot/grub"
cp "$K/mbk.elf" "$K/mbk64.elf" "$K/mbk-aout.bin" "$K/mbk-text.elf" "$R/boot/"
cp "$BUILD/stage2.ext" "$R/boot/smartboot.ext"          # the installer's stage 2's
head -c 5000 /dev/urandom > "$R/boot/mod1"              # a module that is not page-sized
printf 'second module\n' > "$R/boot/mod2"
python3 - "$K/mbk.elf" "$R/boot" <<'PY'
import struct, sys
elf, out = open(sys.argv[1], "rb").read(), sys.argv[2]
# bad-video.elf: Multiboot 1 flag 2 (a video mode) with mode_type 0 (linear graphics) 1024x768x32.
b = bytearray(elf); h = b.find(struct.pack("<I", 0x1BADB002))
flags = struct.unpack_from("<I", b, h + 4)[0] | 4
struct.pack_into("<III", b, h + 4, flags, (-(0x1BADB002 + flags)) & 0xFFFFFFFF, 0)
struct.pack_into("<IIII", b, h + 32, 0, 1024, 768, 32)
open(out + "/bad-video.elf", "wb").write(b)
# bad-tag.elf: the required information request asks for tag 12 (EFI64 system table).
b = bytearray(elf); h = b.find(struct.pack("<I", 0xE85250D6))
assert struct.unpack_from("<HH", b, h + 16) == (1, 0)   # the first tag: a required request
struct.pack_into("<I", b, h + 24, 12)
open(out + "/bad-tag.elf", "wb").write(b)
# bad-xsdp.elf: the required request asks for tag 15, ACPI 2.0's RSDP, which QEMU's BIOS has not (revision 0).
struct.pack_into("<I", b, h + 24, 15)
open(out + "/bad-xsdp.elf", "wb").write(b)
PY
mkdir -p "$R/boot/grub/i386-pc"
cp "$grub_lib"/*.mod "$grub_lib"/*.lst "$R/boot/grub/i386-pc/" 2>/dev/null
cat > "$R/boot/smartboot.cfg" <<'CFG'
# t-36: two kernels refused, then the good ones, chosen from the menu.
timeout -1
entry bad video
  multiboot /boot/bad-video.elf
entry bad tag
  multiboot2 /boot/bad-tag.elf
entry bad xsdp
  multiboot2 /boot/bad-xsdp.elf
entry mb1
  multiboot /boot/mbk.elf console=ttyS0 hello
  module /boot/mod1 first args
  module /boot/mod2
entry aout
  multiboot /boot/mbk-aout.bin console=ttyS0 hello
  module /boot/mod1 first args
  module /boot/mod2
entry mb2
  multiboot2 /boot/mbk.elf console=ttyS0 hello
  module /boot/mod1 first args
  module /boot/mod2
entry text1
  multiboot /boot/mbk-text.elf console=ttyS0 hello
  module /boot/mod1 first args
entry text2
  multiboot2 /boot/mbk-text.elf console=ttyS0 hello
  module /boot/mod1 first args
entry aout2
  multiboot2 /boot/mbk-aout.bin console=ttyS0 hello
  module /boot/mod1 first args
  module /boot/mod2
CFG
grub_cfg() {   # grub_cfg DEFAULT
    cat <<CFG
# t-36: read by GRUB, and by smartboot when there is no smartboot.cfg.
set timeout=0
set default=$1
menuentry mb1 {
  multiboot /boot/mbk.elf console=ttyS0 hello
  module /boot/mod1 first args
  module /boot/mod2
}
menuentry mb2-elf64 {
  multiboot2 /boot/mbk64.elf console=ttyS0 hello
  module2 --nounzip /boot/mod1 first args
  module2 /boot/mod2
}
menuentry text1 {
  multiboot /boot/mbk-text.elf console=ttyS0 hello
  module /boot/mod1 first args
}
menuentry text2 {
  multiboot2 /boot/mbk-text.elf console=ttyS0 hello
  module2 /boot/mod1 first args
}
menuentry aout2 {
  multiboot2 /boot/mbk-aout.bin console=ttyS0 hello
  module2 /boot/mod1 first args
  module2 /boot/mod2
}
CFG
}
grub_cfg 0 > "$R/boot/grub/grub.cfg"

# ---- The disks: one filesystem, two loaders, two configurations --------------
#   fs1: smartboot.cfg, grub.cfg default 0      fs2: grub.cfg default 1 only
if ! "$TOP/scripts/mkdisk.sh" -s 32 "$R" "$work/fs1.img" >"$work/mkdisk.log" 2>&1; then
    fail "the test disk builds" "$(tail -3 "$work/mkdisk.log")"; exit 1
fi
cp --sparse=always "$work/fs1.img" "$work/fs2.img"
grub_cfg 1 > "$work/grub1.cfg"
for r in "rm /boot/smartboot.cfg" "rm /boot/grub/grub.cfg" "write $work/grub1.cfg /boot/grub/grub.cfg"; do
    debugfs -w -R "$r" "$work/fs2.img?offset=$PART_OFFSET" >/dev/null 2>&1
done
for n in 1 2; do
    cp --sparse=always "$work/fs$n.img" "$work/sb$n.img"
    "$BUILD/smartboot-install" --backup "$work/sb$n.img.bak" "$work/sb$n.img" >/dev/null && rm -f "$work/sb$n.img.bak"
done
# GRUB's disks: fs1 with grub.cfg's default set to each of its entries.
grub_boots="mb1 mb2 text1 text2 aout2"
have_grub=0
if [ -f "$grub_lib/boot.img" ] && [ -f "$grub_lib/multiboot2.mod" ] && command -v grub-mkimage >/dev/null &&
   grub-mkimage -O i386-pc -o "$work/core.img" -p '(hd0,msdos1)/boot/grub' biosdisk part_msdos ext2 2>"$work/grub.err"; then
    have_grub=1
    n=0
    for g in $grub_boots; do
        cp --sparse=always "$work/fs1.img" "$work/grub-$g.img"
        grub_cfg $n > "$work/grub-$g.cfg"
        for r in "rm /boot/grub/grub.cfg" "write $work/grub-$g.cfg /boot/grub/grub.cfg"; do
            debugfs -w -R "$r" "$work/grub-$g.img?offset=$PART_OFFSET" >/dev/null 2>&1
        done
        python3 "$TOP/bench/patch.py" grub-setup "$work/grub-$g.img" "$grub_lib/boot.img" "$work/core.img" || have_grub=0
        n=$((n + 1))
    done
fi

# ---- The boots -----------------------------------------------------------------
exitdev="-device isa-debug-exit,iobase=0xf4"
ide() { echo "-drive file=$1,format=raw,if=ide"; }
report_ok() { grep -q 'mbk: end' "$TLOG/$1.log" 2>/dev/null; }
boot_sb() {   # boot_sb NAME IMG STEPS...: smartboot, then the kernel's report
    local name=$1 img=$2; shift 2
    console "$name" -t 60 "$@" -e 'booting \(32-bit entry at 0x[0-9a-f]+, Multiboot [12]\)' -e 'mbk: end\r?\n' \
        -- $(ide "$img") $exitdev >"$work/$name.out" 2>&1
}
menu='Up/Down or 1-9'
video='multiboot: /boot/bad-video.elf: a video mode is required \(flags bit 2: mode_type 0, 1024x768x32\); smartboot has no VBE'
xsdp="multiboot2: /boot/bad-xsdp.elf: requires ACPI 2.0's RSDP \\(the XSDP, tag 15\\), and the BIOS has only ACPI 1.0's"
boot_sb sb-menu "$work/sb1.img" -e "$menu" \
    -s 1 -s '\r' -e "$video" \
    -e "could not boot 'bad video'\\. Press a key" -n 'mbk: begin' -s x -e "$menu" \
    -s 2 -s '\r' -e 'multiboot2: /boot/bad-tag.elf: requires information tag 12' \
    -e "could not boot 'bad tag'\\. Press a key" -n 'mbk: begin' -s x -e "$menu" \
    -s 3 -s '\r' -e "$xsdp" \
    -e "could not boot 'bad xsdp'\\. Press a key" -n 'mbk: begin' -s x -e "$menu" -s 4 -s '\r'
if grep -qE "$video" "$TLOG/sb-menu.log" && grep -q 'bad-tag.elf: requires information tag 12' "$TLOG/sb-menu.log"; then
    pass "smartboot refuses a Multiboot kernel asking for a graphics mode, and one requiring information tag 12, by name; the menu comes back"
else
    fail "the two bad kernels are refused by name" "$(tail -c 600 "$work/sb-menu.out")"
fi
if grep -qE "$xsdp" "$TLOG/sb-menu.log"; then
    pass "a Multiboot 2 kernel requiring the XSDP (tag 15) on QEMU's ACPI 1.0 BIOS is refused by name; the menu comes back"
else
    fail "the kernel requiring tag 15 is refused by name" "$(tail -c 600 "$work/sb-menu.out")"
fi
boot_sb sb-aout "$work/sb1.img" -e "$menu" -s 5 -s '\r'
# The extension: gone, another build's, damaged.
python3 - "$BUILD/stage2.ext" "$work/damaged.ext" <<'PY'
import sys
b = bytearray(open(sys.argv[1], "rb").read()); b[len(b) // 2] ^= 0x40
open(sys.argv[2], "wb").write(b)
PY
for kind in missing other damaged; do
    cp --sparse=always "$work/sb1.img" "$work/ext-$kind.img"
    case $kind in
        missing) put=; why='extension: /boot/smartboot\.ext is not there: this entry needs smartboot.s extension' ;;
        other)   put=$BUILD/stage2-entry16.ext; why='extension: /boot/smartboot\.ext was made for another build of stage 2' ;;
        damaged) put=$work/damaged.ext; why='extension: /boot/smartboot\.ext is damaged \(CRC-32C' ;;
    esac
    debugfs -w -R "rm /boot/smartboot.ext" "$work/ext-$kind.img?offset=$PART_OFFSET" >/dev/null 2>&1
    [ -z "$put" ] || debugfs -w -R "write $put /boot/smartboot.ext" "$work/ext-$kind.img?offset=$PART_OFFSET" >/dev/null 2>&1
    if console "ext-$kind" -t 60 -e "$menu" -s 4 -s '\r' -e "$why" -e "could not boot 'mb1'\\. Press a key" \
            -n 'mbk: begin' -s x -e "$menu" -- $(ide "$work/ext-$kind.img") $exitdev >"$work/ext-$kind.out" 2>&1; then
        pass "the extension $kind: the Multiboot entry is refused by name, the menu comes back"
    else
        fail "the extension $kind: the Multiboot entry is refused by name, the menu comes back" "$(tail -c 600 "$work/ext-$kind.out")"
    fi
done
boot_sb sb-mb2 "$work/sb1.img" -e "$menu" -s 6 -s '\r'
boot_sb sb-text1 "$work/sb1.img" -e "$menu" -s 7 -s '\r'
boot_sb sb-text2 "$work/sb1.img" -e "$menu" -s 8 -s '\r'
boot_sb sb-aout2 "$work/sb1.img" -e "$menu" -s 9 -s '\r'
boot_sb sb-grubcfg "$work/sb2.img"
(cd "$R/boot" && timeout 60 $(qemu_cmd) $exitdev -kernel mbk.elf -append "console=ttyS0 hello" \
    -initrd "mod1 first args,mod2" > "$TLOG/qemu-mb1.log" 2>&1)
(cd "$R/boot" && timeout 60 $(qemu_cmd) $exitdev -kernel mbk-aout.bin -append "console=ttyS0 hello" \
    -initrd "mod1 first args,mod2" > "$TLOG/qemu-aout.log" 2>&1)
(cd "$R/boot" && timeout 60 $(qemu_cmd) $exitdev -kernel mbk-text.elf -append "console=ttyS0 hello" \
    -initrd "mod1 first args" > "$TLOG/qemu-text1.log" 2>&1)
if [ $have_grub = 1 ]; then
    for g in $grub_boots; do
        timeout 90 $(qemu_cmd) $(ide "$work/grub-$g.img") $exitdev > "$TLOG/grub-$g.log" 2>&1
    done
fi

for b in sb-menu sb-aout sb-mb2 sb-text1 sb-text2 sb-aout2 sb-grubcfg qemu-mb1 qemu-aout qemu-text1 \
         $([ $have_grub = 1 ] && for g in $grub_boots; do echo grub-$g; done); do
    if report_ok $b; then
        pass "$b: the test kernel ran and reported (build/tests/$b.log)"
    else
        fail "$b: the test kernel's report" "$(tail -c 500 "$TLOG/$b.log" 2>/dev/null; tail -c 300 "$work/$b.out" 2>/dev/null)"
    fi
done

# ---- What every report must say, whoever loaded it ------------------------------
for b in sb-menu sb-aout sb-mb2 sb-text1 sb-text2 sb-aout2 sb-grubcfg; do
    l=$TLOG/$b.log
    report_ok $b || continue
    bad=$(grep -E '^mbk: (cr0.pe 0|cr0.pg 1|eflags.if 1|eflags.vm 1|[a-z]s.flat-[a-z0-9]+ no|a20 no|layout.no-overlaps no|layout.all-in-usable-ram no|mod\[[0-9]\].*page-aligned no)' "$l" | tr -d '\r' | tr '\n' ';')
    if [ -z "$bad" ] && grep -q 'mbk: eax 0x\(2badb002\|36d76289\)' "$l"; then
        pass "$b: the machine state at entry is the spec's (EAX magic, PE on, paging and interrupts off, flat segments, A20 on); modules page-aligned, nothing overlaps, all in usable RAM"
    else
        fail "$b: machine state and layout" "$bad"
    fi
done

# ---- Field by field against the oracles -------------------------------------------
compare() {   # compare NAME OURS THEIRS ARGS...
    local out
    if ! report_ok "$2" || ! report_ok "$3"; then
        skip "$1" "a report is missing"; return
    fi
    if out=$(python3 "$TOP/tests/mbcompare.py" "${@:4}" "$TLOG/$2.log" "$TLOG/$3.log" 2>&1); then
        pass "$1: $out"
    else
        fail "$1" "$(echo "$out" | head -8 | tr '\n' ';')"
    fi
}
compare "Multiboot 1 ELF32: smartboot = QEMU -kernel" sb-menu qemu-mb1 --oracle qemu
compare "Multiboot 1 a.out kludge: smartboot = QEMU -kernel" sb-aout qemu-aout --oracle qemu
compare "Multiboot 1 EGA text request (flag 2, mode_type 1): smartboot = QEMU -kernel" sb-text1 qemu-text1 --oracle qemu
if [ $have_grub = 1 ]; then
    compare "Multiboot 1 ELF32 with its ELF sections (flag 5): smartboot = GRUB 2" sb-menu grub-mb1 --oracle grub
    compare "Multiboot 2 ELF64 from grub.cfg, with its ELF sections (tag 9): smartboot = GRUB 2" sb-grubcfg grub-mb2 --oracle grub
    compare "Multiboot 2 ELF32 (smartboot) = ELF64 (GRUB 2)" sb-mb2 grub-mb2 --oracle grub --elf-differs
    compare "Multiboot 1 EGA text request (flag 2, mode_type 1): smartboot = GRUB 2" sb-text1 grub-text1 --oracle grub
    compare "Multiboot 2 required 80x25 text framebuffer tag and tag 9: smartboot = GRUB 2" sb-text2 grub-text2 --oracle grub --fb-differs
    compare "Multiboot 2 address tag (a flat binary): smartboot = GRUB 2" sb-aout2 grub-aout2 --oracle grub
else
    skip "the GRUB 2 comparisons" "grub-pc-bin is not installed (scripts/deps.sh installs it)"
fi

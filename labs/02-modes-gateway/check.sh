# Lab 2: the mode switches, checked against the build and the sources.
source "$TOP/labs/lib.sh"
elf=$BUILD/stage2.elf bin=$BUILD/stage2.bin
need "$elf" "stage 2's ELF"; need "$bin" "stage 2's binary"
base=0x8000       # stage2.bin is loaded at STAGE2_BASE (stage2/layout.h); the stub is not packed

# word ADDR: the 16-bit little-endian value at linear ADDR of the stub.
word() { od -An -tu2 -j $(( $1 - base )) -N2 "$bin" | tr -d ' '; }
equ() { sed -n "s/^$1 *equ *\\(0x[0-9A-Fa-f]*\\).*/\\1/p" "$2" | head -1; }
ms=$TOP/stage2/cpu/modeswitch.inc

gdtd=$(symbol "$elf" gdt_descriptor) idt=$(symbol "$elf" realmode_idt)
expect_num gdt_address "$(od -An -tu4 -j $(( gdtd + 2 - base )) -N4 "$bin" | tr -d ' ')" "the GDT's base"
expect_num gdt_entries $(( ($(word "$gdtd") + 1) / 8 )) "the GDT's descriptors"
expect_num code32_selector "$(equ SEL_CODE32 "$ms")" "CS after the far jump"
expect_num code16_selector "$(equ SEL_CODE16 "$ms")" "the 16-bit step"
expect_num pe_bit 0 "CR0's bit"
expect_num real_idt_base "$(od -An -tu4 -j $(( idt + 2 - base )) -N4 "$bin" | tr -d ' ')" "IDTR's base in real mode"
expect_num real_idt_limit "$(word "$idt")" "IDTR's limit in real mode"
gw=$(answer gateway)
if [ -n "$gw" ] && [ -n "$(symbol "$elf" "$gw")" ] && grep -q "^$gw:" "$TOP/stage2/bios/bioscall.asm"; then
    ok "the gateway (gateway = $gw)"
else
    wrong "the gateway (gateway)" "'$gw' is not the routine in stage2/bios/bioscall.asm"
fi
# The first BIOS call: main()'s first printf, one character through
# console.c:screen_putc(), INT 10h AH=0Eh (console_init() only sets COM1 up).
first=$(sed -n 's/^#define INT_VIDEO *\(0x[0-9a-fA-F]*\).*/\1/p' "$TOP/stage2/bios/console.c")
grep -q 'console_init();' "$TOP/stage2/main.c" || first=unknown
expect_num first_vector "$first" "the first BIOS call's interrupt"
expect_num frame_vector "$(equ BREGS_SIZE "$TOP/stage2/bios/bioscall.asm")" "FRAME_VECTOR"
lab_end

# Lab 1: the DAP, checked against build/mbr.elf and boot/stage1.h.
source "$TOP/labs/lib.sh"
elf=$BUILD/mbr.elf
need "$elf" "stage 1's ELF"

# The int 0x13 right after `mov ah, 0x42` (b4 42), from the disassembly.
int13=$(objdump -d -M i8086 "$elf" | awk '
    /mov +\$0x42,%ah/ { armed = 1; next }
    armed && /int +\$0x13/ { sub(":", "", $1); print "0x" $1; exit }')
stage1_field() { sed -n "s/^#define $1 *\\(0x[0-9A-Fa-f]*\\).*/\\1/p" "$TOP/boot/stage1.h"; }

expect_num int13_address "$int13" "the int 0x13 that reads stage 2"
expect_num int13_function 0x42 "AH at the read"
expect_num drive 0x80 "DL at the read"
expect_num dap_address "$(symbol "$elf" dap)" "the packet's address"
expect_num dap_size 16 "the packet's size byte"
expect_num dap_buffer "$(symbol "$elf" STAGE2_ADDR)" "the buffer (segment * 16 + offset)"
expect_num dap_lba "$(sed -n 's/^#define STAGE2_LBA *\([0-9]*\).*/\1/p' "$TOP/boot/stage1.h")" "the first LBA"
expect_num dap_count_from $((0x7c00 + $(stage1_field STAGE1_STAGE2_SECTORS))) \
    "where the count comes from"
lab_end

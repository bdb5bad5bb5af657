# debug.gdb - step through smartboot with gdb, from the BIOS's jump to 0x7C00
# to the kernel's first instruction.
#
#   make debug                  QEMU (paused) and gdb together, in this terminal
#   ./run.sh --debug            QEMU paused, its console here; then, in a
#   gdb -x debug.gdb            second terminal (from this directory), gdb
#
# Run gdb from the top of the repository: the paths below are relative.
# What you get (docs/debugging.md has a session and exercises):
#   - stage 1's symbols and source (build/mbr.elf, boot/mbr.asm) and stage 2's
#     (build/stage2-gdb.elf: its C and asm): break, step, next, list, print, bt;
#   - gdb follows the CPU between 16-, 32- and 64-bit code by itself, at
#     every stop (mode16, mode32, mode64 force one; modeauto goes back);
#   - in 16-bit code every stop shows cs:ip, the linear address and the
#     instruction there, decoded as 16-bit code;
#   - commands: regs, gdt, e820, bootparams, handoff, setreg; 'smartboot'
#     lists them, 'help regs' explains one.
#
# How: QEMU's qemu-system-x86_64 always reports 64-bit registers, which gdb's
# 16- and 32-bit architectures refuse ("Remote 'g' packet reply is too
# long").  We give gdb target descriptions (gdb/i8086.xml, gdb/i386.xml) that
# read QEMU's 64-bit layout as 32-bit registers; gdb/x86_64-as-i386.xml says
# why that works.  qemu-system-i386 would avoid the problem for real and
# protected mode, but it cannot run smart-os's 64-bit kernel nor long mode.
# The commands are Python: gdb/smartboot.py.

set confirm off
set pagination off
# No OS here: without this gdb warns that it has no "GNU/Linux" support for i8086.
set osabi none
# nasm's syntax, as in boot/mbr.asm, stage2/*.asm and the listings.
set disassembly-flavor intel
# gdb/x86_64-as-i386.xml numbers registers in packet order, not QEMU's: read
# them all at once (the g packet), never one by one (p).
set remote fetch-register-packet off
set remote set-register-packet off
# And never write them the way gdb would (the G packet, all at once): QEMU
# 7.2 reads G with a layout of its own outside 64-bit mode, and the values
# land in the wrong registers (CR0.PE cleared...).  'setreg eax 1' writes
# one register safely (gdb/smartboot.py).
set may-write-registers off

source gdb/smartboot.py

# Symbols: stage 2 (build/stage2-gdb.elf, linked at 0x8000; CS = 0 in real
# mode, so its addresses are linear ones) and stage 1 (build/mbr.elf, an ELF
# twin of build/mbr.bin at 0x7C00); mk/debug.mk makes both.  symbol-file, not
# file: an executable's i386 would override the i8086 of gdb/i8086.xml.
# ($SMARTBOOT_STAGE2 names another stage 2 ELF, e.g. the 16-bit entry's.)
smartboot-symbols

# At every stop: pick the architecture for the CPU's mode; in 16-bit code
# show cs:ip, the linear address and the instruction.
define hook-stop
  python on_stop()
end

python print(HELP)
# Connect to QEMU ($SMARTBOOT_GDB, default localhost:1234) and run to 0x7C00.
smartboot-connect

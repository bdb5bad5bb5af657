#!/usr/bin/env bash
# gdb works on smartboot out of the box: debug.gdb in batch mode against a
# QEMU paused by `./run.sh --debug`, with real register values checked by
# tests/gdb-session.py:
#   - it stops at 0x7C00 with DL = 0x80, stage 1's symbols and source, and
#     decodes the first instruction as 16-bit code;
#   - stage 2's real_entry, pm_entry and main by symbol, main at the right
#     line of stage2/main.c; CR0.PE = 1 after the switch; next, step, bt,
#     finish, print, list; the regs, gdt and e820 commands;
#   - gdb follows the CPU from 32-bit to 16-bit code and back through the
#     BIOS gateway, and into 64-bit code in the kernel;
#   - at the hand-off, ESI (32-bit entry), DS (16-bit entry) or RSI (64-bit
#     entry, in long mode) points at a zero page whose "HdrS" magic reads
#     back, and stepi enters the kernel.
# Also: `make debug`'s way (run.sh --debug --gdb) reaches 0x7C00.  The
# 32-bit session's output is the transcript in docs/debugging.md
# (scripts/gdb-transcript.sh copies it there).
# expect: 48 boot
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/boot-lib.sh"      # new_disk, put
work=$TLOG/gdb; rm -rf "$work"; mkdir -p "$work"
cd "$TOP"

for f in mbr.bin mbr.elf smartos.img smartboot-install stage2-entry32.elf stage2-entry16.elf stage2-gdb.elf; do
    [ -f "$BUILD/$f" ] || { fail "build/$f exists" "run make first"; exit 1; }
done

# build/stage2-gdb.elf (mk/debug.mk) is build/stage2.elf without the
# address table that misleads gdb, and nothing else changed.
objcopy -O binary -R .bss "$BUILD/stage2.elf" "$work/stage2.bin"
objcopy -O binary -R .bss "$BUILD/stage2-gdb.elf" "$work/stage2-gdb.bin"
if ! readelf -S "$BUILD/stage2-gdb.elf" | grep -q debug_aranges && cmp -s "$work/stage2.bin" "$work/stage2-gdb.bin"; then
    pass "build/stage2-gdb.elf: build/stage2.elf's code without .debug_aranges"
else
    fail "build/stage2-gdb.elf: build/stage2.elf's code without .debug_aranges"
fi

qpid=
trap '[ -z "$qpid" ] || kill "$qpid" 2>/dev/null' EXIT

# disk ENTRY: a fresh smart-os disk with stage 1 and the ENTRY-bit stage 2
# (build/stage2-entryN.bin, and its ELF for gdb, without the address table
# as mk/debug.mk does it).  The 64-bit hand-off is the 32-bit build's,
# chosen by a /boot/smartboot.cfg (docs/config.md).
disk() {
    local e=$1 img build=$1
    [ "$e" != 64 ] || build=32
    objcopy --remove-section .debug_aranges "$BUILD/stage2-entry$build.elf" "$work/stage2-entry$e-gdb.elf"
    img=$(new_disk "disk-entry$e" "$BUILD/stage2-entry$build.bin" 2>"$work/install-$e.log") || return 1
    if [ "$e" = 64 ]; then
        printf 'timeout 0\nentry smart-os, 64-bit hand-off\n  kernel /boot/bzImage\n  initrd /boot/initrd\n  cmdline root=/dev/sda1 console=ttyS0\n  handoff 64\n' \
            > "$work/smartboot.cfg"
        put "$img" "$work/smartboot.cfg" /boot/smartboot.cfg 2>> "$work/install-$e.log" || return 1
    fi
    echo "$img"
}

# qemu ENTRY IMG: ./run.sh --debug in the background, its gdb stub on a unix
# socket (no TCP port to collide with another test or a student's session).
qemu() {
    local sock=$work/gdb-$1.sock
    SMARTBOOT_GDB=$sock ./run.sh --debug --disk "$2" --no-net < /dev/null \
        > "$work/serial-$1.log" 2> "$work/run-$1.err" &
    qpid=$!
    for _ in $(seq 40); do [ -S "$sock" ] && return 0; sleep 0.25; done
    return 1
}

for e in 32 16 64; do
    img=$(disk $e) || { fail "install the $e-bit stage 2 on a copy of smartos.img" "$(cat "$work/install-$e.log")"; continue; }
    qemu $e "$img" || { fail "./run.sh --debug starts QEMU with its gdb stub ($e-bit entry)" "$(cat "$work/run-$e.err")"; continue; }
    log=$work/session-$e.log
    SMARTBOOT_GDB=$work/gdb-$e.sock SMARTBOOT_STAGE2=$work/stage2-entry$e-gdb.elf T40_ENTRY=$e \
        timeout 120 gdb -q -batch -nx -x debug.gdb -x tests/gdb-session.py > "$log" 2>&1
    rc=$?
    if [ $e = 32 ]; then
        # gdb has detached and the kernel runs on: the exercises' effects.
        want='Command line: root=/dev/sda1 console=ttyS0 gdb=was-here'
        for _ in $(seq 60); do grep -q "$want" "$work/serial-32.log" && break; sleep 0.5; done
        grep -q "$want" "$work/serial-32.log" \
            && pass "exercise: the kernel boots with the command line changed in memory at the hand-off" \
            || fail "exercise: the kernel boots with the command line changed at the hand-off" \
                    "$(grep -a 'Command line' "$work/serial-32.log")"
        grep -q '^A20 ok (' "$work/serial-32.log" && ! grep -q '^A20 ok (already on)' "$work/serial-32.log" \
            && pass "exercise: stage 2 reports how it turned A20 back on ($(grep -a -o '^A20 ok ([^)]*)' "$work/serial-32.log" | tr -d '\r'))" \
            || fail "exercise: stage 2 turns A20 back on" "$(grep -a '^A20' "$work/serial-32.log")"
    fi
    kill "$qpid" 2>/dev/null; wait "$qpid" 2>/dev/null; qpid=
    grep -E '^(PASS|FAIL|SKIP):' "$log"
    if grep -q "packet reply is too long\|packet reply is too short" "$log"; then
        fail "gdb reads QEMU's registers ($e-bit session)" \
            "$(grep -m1 'packet reply' "$log" | cut -c1-120) - see gdb/x86_64-as-i386.xml"
    fi
    [ $rc -eq 0 ] || fail "the $e-bit gdb session ends normally" "gdb exited with $rc; see $log"
    grep -vE '^(PASS|FAIL|SKIP):' "$log" > "$work/transcript-$e.txt"
done

# make debug: run.sh --debug --gdb starts both; gdb reads its commands from
# stdin (empty here), so it stops at 0x7C00, finds no more, and quits.
img=$work/disk-entry32.img
if [ -f "$img" ]; then
    SMARTBOOT_GDB=$work/gdb-make.sock timeout 60 ./run.sh --debug --gdb --disk "$img" --no-net \
        < /dev/null > "$work/make-debug.log" 2>&1
    if grep -q "start () at boot/mbr.asm" "$work/make-debug.log"; then
        pass "make debug's way (run.sh --debug --gdb) starts QEMU and gdb, which stops at 0x7C00"
    else
        fail "make debug's way (run.sh --debug --gdb) stops at 0x7C00" "$(tail -5 "$work/make-debug.log")"
    fi
fi
rm -f "$work"/*.img "$work"/*.backup

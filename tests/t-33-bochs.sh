#!/usr/bin/env bash
# expect: 8 boot
# smartboot under Bochs 2.7, with Bochs's own BIOS (rombios, not SeaBIOS):
# a second BIOS in the suite.  Two runs of bochs/bochsrc (./run.sh --bochs
# uses the same file):
#   - smart-os boots from the disk to its init, every loader phase in order
#     on COM1 (Bochs writes COM1 to a file: the markers are read from it);
#   - a loader built with MAGIC=1 stops in Bochs's debugger at stage 1's
#     entry (0x7C5A, past the BPB area), at stage 2's main() and at the 32-bit hand-off's jump,
#     in that order, and at nothing else: the debugger prints each stop's
#     address, compared with the symbols of build/mbr.elf and the ELF.
# A Bochs boot is slow (an interpreter: about 2 to 3 minutes to init on a
# loaded 2-core machine), so each run stops at the marker it needs.
source "$(dirname "$0")/lib.sh"
work=$TLOG/bochs; rm -rf "$work"; mkdir -p "$work"
command -v bochs >/dev/null || { fail "bochs is installed" "run make deps"; exit 1; }

# bochs_run NAME DISK RCFILE SECS PATTERN: Bochs on DISK until PATTERN is in
# its COM1 output (or SECS pass, or Bochs ends); then it is stopped.
# COM1 in $work/NAME.serial, Bochs's own output in $work/NAME.out.
bochs_run() {
    local name=$1 disk=$2 rc=$3 secs=$4 pattern=$5 pid
    BOCHS_DISK=$disk BOCHS_SERIAL=$work/$name.serial BOCHS_LOG=$work/$name.log BOCHS_MEGS=256 \
        BOCHS_MAGIC=${BOCHS_MAGIC:-0} \
        bochs -q -f "$TOP/bochs/bochsrc" -rc "$rc" </dev/null >"$work/$name.out" 2>&1 & pid=$!
    for _ in $(seq $((secs * 2))); do
        grep -q "$pattern" "$work/$name.serial" 2>/dev/null && break
        kill -0 $pid 2>/dev/null || break
        sleep 0.5
    done
    kill $pid 2>/dev/null; wait $pid 2>/dev/null
    grep -q "$pattern" "$work/$name.serial" 2>/dev/null
}

# 1. smart-os boots (the disk as make builds it; Bochs opens it read-write,
#    so a copy).
cp --sparse=always "$BUILD/disk.img" "$work/disk.img"
echo c > "$work/run.rc"
if bochs_run boot "$work/disk.img" "$work/run.rc" 900 'smart-os: init reached'; then
    pass "smart-os boots under Bochs's BIOS to its init"
else
    fail "smart-os boots under Bochs's BIOS to its init" "$(tail -5 "$work/boot.serial" 2>/dev/null; grep -m3 -E 'PANIC|ERROR' "$work/boot.out")"
fi
# The loader's own lines, in order (Bochs's BIOS answers E820 and AH=42h
# in its own way: the phases must still all be there).
order=$(tr -d '\r' < "$work/boot.serial" 2>/dev/null | grep -oE '^(smartboot: stage 2|A20 ok|memory: [0-9]+ MiB usable|disk: drive 0x80|loading /boot/bzImage .* ok|loading /boot/initrd .* ok|booting \(32-bit entry)' |
        sed -E 's/ .*//' | tr '\n' ' ')
if [ "$order" = "smartboot: A20 memory: disk: loading loading booting " ]; then
    pass "the loader's phases in order under Bochs"
else
    fail "the loader's phases in order under Bochs" "got: $order"
fi
check "Bochs's log has no panic" bash -c "! grep -q PANIC '$work/boot.out'"

# 2. MAGIC=1: the magic breakpoints.  Built beside the tests (not over
#    build/stage2.bin): its own BUILD directory for the loader only.
mb=$work/magic
if make -s -C "$TOP" BUILD="$mb" MAGIC=1 "$mb/mbr.bin" "$mb/stage2.bin" "$mb/mbr.elf" >"$work/magic-build.log" 2>&1; then
    pass "the loader builds with MAGIC=1"
else
    fail "the loader builds with MAGIC=1" "$(tail -3 "$work/magic-build.log")"; exit 1
fi
cp --sparse=always "$BUILD/smartos.img" "$work/magic.img"
"$BUILD/smartboot-install" --stage1 "$mb/mbr.bin" --stage2 "$mb/stage2.bin" --backup "$work/magic.backup" \
    "$work/magic.img" >/dev/null || fail "install the MAGIC=1 loader"
# At each stop: print the instruction pointer's linear address, go on.  The
# fourth "c" runs into the kernel; the boot is stopped at its first line.
printf 'c\nc\nc\nc\nc\n' > "$work/magic.rc"
BOCHS_MAGIC=1 bochs_run magic "$work/magic.img" "$work/magic.rc" 600 'Linux version' ||
    fail "a MAGIC=1 loader boots under Bochs with magic breakpoints on" "$(tail -3 "$work/magic.serial" 2>/dev/null)"
# Bochs prints "Next at t=N" and "(0) [0x...] ..." at each stop.
stops=$(tr -d '\r' < "$work/magic.out" | grep -oE '^\(0\) \[0x[0-9a-f]+\]' | sed -E 's/.*\[0x0*([0-9a-f]+)\]/\1/' | tr '\n' ' ')
sym() { nm "$1" | awk -v s="$2" '$3 == s { sub(/^0+/, "", $1); print $1 }'; }
main=$(sym "$mb/stage2.elf" main)
echo "stops: $stops; main at $main" >&2
set -- $stops
# The first stop is Bochs's own, before the BIOS (the -rc file's first c).
if [ "${1:-}" = fffffff0 ]; then shift; fi
# xchg bx, bx is the first instruction at stage 1's entry (0x7C5A, after
# the short jump over the BPB area at 0x7C00); Bochs stops after it, at the
# next instruction, 2 bytes on.
entry1=$(sym "$mb/mbr.elf" start.entry)
want1=$(printf '%x' $((16#${entry1:-0} + 2)))
[ -n "$entry1" ] && [ "${1:-}" = "$want1" ] &&
    pass "MAGIC=1: Bochs stops at stage 1's entry (0x$want1, after the xchg at 0x$entry1)" ||
    fail "MAGIC=1: Bochs stops at stage 1's entry" "stops: $stops, entry at 0x$entry1"
case "${2:-}" in
    "") fail "MAGIC=1: Bochs stops in stage 2's main()" "stops: $stops" ;;
    *) if [ $((16#$2)) -gt $((16#$main)) ] && [ $((16#$2)) -lt $((16#$main + 64)) ]; then
           pass "MAGIC=1: Bochs stops in stage 2's main() (0x$2, main at 0x$main)"
       else
           fail "MAGIC=1: Bochs stops in stage 2's main()" "0x$2, main at 0x$main"
       fi ;;
esac
enter=$(sym "$mb/stage2.elf" linux_enter32)
if [ -n "${3:-}" ] && [ $((16#$3)) -gt $((16#$enter)) ] && [ $((16#$3)) -lt $((16#$enter + 128)) ]; then
    pass "MAGIC=1: Bochs stops at the 32-bit hand-off's jump (0x$3, linux_enter32 at 0x$enter)"
else
    fail "MAGIC=1: Bochs stops at the 32-bit hand-off's jump" "stops: $stops, linux_enter32 at 0x$enter"
fi
[ $# -eq 3 ] && pass "MAGIC=1: no other stops" || fail "MAGIC=1: no other stops" "stops: $stops"

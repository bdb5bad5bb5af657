#!/usr/bin/env bash
# The lab kit (labs/): each lab's checker passes the solution in
# labs/solutions/ and fails a wrong answer (one value changed, or an
# artefact broken the way a student might), so a checker that accepts
# anything, or a solution that went stale with the code, fails here.
# Labs 3, 5 and 6 boot QEMU (about 5 boots in all).
# expect: 13 boot
source "$(dirname "$0")/lib.sh"
work=$TLOG/labs; rm -rf "$work"; mkdir -p "$work"
sol=$TOP/labs/solutions

# run N DIR: the checker's exit code; its output in $work/N-<dir>.out
run() {
    local out=$work/$1-$(basename "$2").out
    "$TOP/labs/check.sh" "$1" "$2" > "$out" 2>&1
}
# wrong_copy N SRC SED: a copy of SRC's files in $work/wrongN with SED applied to FILE ($4)
wrong_copy() {
    local d=$work/wrong$1; rm -rf "$d"; cp -r "$2" "$d"; sed -i "$3" "$d/$4"; echo "$d"
}
expect() {   # expect NAME WANT_RC N DIR
    local rc; run "$3" "$4"; rc=$?
    if [ "$rc" = "$2" ]; then pass "$1"
    else fail "$1" "exit $rc, want $2: $(grep -E '^(FAIL|MISSING)' "$work/$3-$(basename "$4").out" | head -3 | tr '\n' ';')"; fi
}

# Lab 4's solution is a program: its answers are what it finds on this build's disk.
mkdir -p "$work/sol4" && python3 "$sol/04-ext2-blocks/find-blocks.py" "$BUILD/disk.img" > "$work/sol4/answers.txt" ||
    fail "labs/solutions/04-ext2-blocks/find-blocks.py runs"

expect "lab 1: the solution passes" 0 1 "$sol/01-stage1-dap"
expect "lab 1: the blank answers.txt fails" 1 1 "$TOP/labs/01-stage1-dap"
expect "lab 1: a wrong DAP address fails" 1 1 "$(wrong_copy 1 "$sol/01-stage1-dap" 's/^dap_address *= *[0-9a-fx]*/dap_address = 0x7d26/' answers.txt)"
expect "lab 2: the solution passes" 0 2 "$sol/02-modes-gateway"
expect "lab 2: a wrong selector fails" 1 2 "$(wrong_copy 2 "$sol/02-modes-gateway" 's/^code32_selector *= *0x10/code32_selector = 0x08/' answers.txt)"
expect "lab 3: the solution passes (one boot: smartboot's own table)" 0 3 "$sol/03-e820"
expect "lab 3: a range one byte short fails" 1 3 "$(wrong_copy 3 "$sol/03-e820" 's/0xffdffff usable/0xffdfffe usable/' answers.txt)"
expect "lab 4: the solution (find-blocks.py on build/disk.img) passes against debugfs" 0 4 "$work/sol4"
expect "lab 4: the LBA without the partition's start fails" 1 4 \
    "$(wrong_copy 4 "$work/sol4" "s/^first_lba *= *\\([0-9]*\\)/first_lba = \$((\\1 - 2048))/e" answers.txt)"
[ "$(grep '^first_lba' "$work/wrong4/answers.txt")" != "$(grep '^first_lba' "$work/sol4/answers.txt")" ] ||
    fail "lab 4: the wrong answer differs" "the sed did not change first_lba"

# Lab 5: passes (0), or, while smartboot has no Multiboot, "not checkable" (2) with that said.
run 5 "$sol/05-multiboot"; rc=$?
if [ $rc = 0 ]; then
    pass "lab 5: the solution passes (QEMU's Multiboot loader and smartboot agree with smartboot's table)"
elif [ $rc = 2 ] && grep -q '^MISSING: the boot with smartboot: this smartboot has no Multiboot support' "$work/5-05-multiboot.out" &&
     ! grep -q '^FAIL' "$work/5-05-multiboot.out"; then
    pass "lab 5: the solution passes under QEMU's loader; the checker says clearly that smartboot has no Multiboot yet (exit 2)"
else
    fail "lab 5: the solution passes" "exit $rc: $(grep -E '^(FAIL|MISSING)' "$work/5-05-multiboot.out" | head -3 | tr '\n' ';')"
fi
expect "lab 5: a header whose checksum does not add up fails" 1 5 \
    "$(wrong_copy 5 "$sol/05-multiboot" 's/dd      -(MB_MAGIC + MB_FLAGS).*/dd 0/' kernel.asm)"
expect "lab 6: the solution passes (chainloaded from partition 2, DL=80)" 0 6 "$sol/06-chain"
expect "lab 6: a boot sector that does not keep DL fails (it boots, prints DL=00)" 1 6 \
    "$(wrong_copy 6 "$sol/06-chain" 's/mov     \[drive\], dl .*/mov     byte [drive], 0/' bootsect.asm)"
grep -q 'DL=00' "$work/6-wrong6.out" || fail "lab 6: the wrong boot sector ran" "its line was not seen"

#!/usr/bin/env bash
# expect: 40 host
# The installer on GPT disks and on DOS disks with logical partitions
# (docs/installer.md, "GPT"): stage 2 into the BIOS boot partition, stage 1
# into the protective MBR, --active-pmbr, the refusals (no or too small a
# BIOS boot partition, a hybrid MBR, a GPT read from its backup, a broken EBR
# chain), and a byte-exact --restore.  The oracle for "the GPT is intact" is
# sgdisk -v; fake stages as in t-05 (random bytes, so nothing hides behind
# zeros).
source "$(dirname "$0")/lib.sh"

if ! make -s -C "$TOP" build/smartboot-install >&2; then
    fail "the installer builds"; exit 1
fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
I=$BUILD/smartboot-install
S1=mbr.bin; { head -c 432 /dev/urandom; head -c 78 /dev/zero; printf '\x55\xaa'; } > $S1
S2=stage2.bin; { printf '\xeb\x06\x90\x90SBT2'; head -c 20572 /dev/urandom; } > $S2
N=41

run() { out=$("$I" --stage1 $S1 --stage2 $S2 "$@" 2>&1); rc=$?; echo "$ $I $*" >&2; echo "$out" >&2; }
restore() { out=$("$I" "$@" 2>&1); rc=$?; echo "$ $I $*" >&2; echo "$out" >&2; }
expect_rc() { if [ "$rc" -eq "$1" ]; then pass "$2"; else fail "$2" "exit status $rc, wanted $1: $out"; fi; }
says() { case $out in *"$1"*) pass "$2" ;; *) fail "$2" "it says: $out" ;; esac; }
same() { if cmp -s "$1" "$2"; then pass "$3"; else fail "$3" "$(cmp "$1" "$2" 2>&1 | head -1)"; fi; }
bytes() { od -An -v -tx1 -j"$2" -N"$3" "$1" | tr -d ' \n'; }
# gpt FILE SGDISK-ARGS...: a 16 MiB GPT disk.
gpt() { local f=$1; shift; truncate -s 16M "$f"; sgdisk "$@" "$f" >/dev/null 2>&1 || fail "sgdisk $*"; }
gpt_ok() { sgdisk -v "$1" 2>&1 | grep -q "No problems found" && pass "$2" || fail "$2" "$(sgdisk -v "$1" 2>&1 | head -3)"; }

# ---- Debian's layout: BIOS boot partition at 2048..4095, root after -------
gpt d.img -n 1:2048:4095 -t 1:EF02 -n 2:4096:0 -t 2:8300
cp d.img d.orig
run d.img
expect_rc 0 "installs on a GPT disk with a BIOS boot partition"
says "stage 2 ($N sectors) -> LBA 2048..$((2048 + N - 1)) (BIOS boot partition 1)" "says stage 2 went into the BIOS boot partition"
cmp -s <(head -c $((2048 * 512 + N * 512)) d.img | tail -c $((N * 512))) <(cat $S2 /dev/zero | head -c $((N * 512))) &&
    pass "stage 2 is at LBA 2048" || fail "stage 2 is at LBA 2048"
[ "$(bytes d.img 0 432)" = "$(bytes $S1 0 432)" ] && pass "stage 1's code is in MBR bytes 0-431" || fail "stage 1's code is in MBR bytes 0-431"
[ "$(bytes d.img $((0x1b0)) 4)" = "00080000" ] && pass "stage 1's stage2_lba field says 2048" ||
    fail "stage 1's stage2_lba field says 2048" "$(bytes d.img $((0x1b0)) 4)"
[ "$(bytes d.img 440 72)" = "$(bytes d.orig 440 72)" ] && pass "the protective MBR's bytes 440-511 are unchanged" ||
    fail "the protective MBR's bytes 440-511 are unchanged"
cmp -s <(tail -c +$((1 + 512)) d.img | head -c $((2047 * 512))) <(tail -c +$((1 + 512)) d.orig | head -c $((2047 * 512))) &&
cmp -s <(tail -c +$((1 + (2048 + N) * 512)) d.img) <(tail -c +$((1 + (2048 + N) * 512)) d.orig) &&
    pass "nothing else changed (LBA 1..2047 and from LBA $((2048 + N)) on)" || fail "nothing else changed"
gpt_ok d.img "sgdisk -v finds the GPT intact after the install"
run d.img
expect_rc 0 "installing twice succeeds"; says "already installed" "the second install writes nothing"
restore --restore d.img.smartboot-backup d.img
expect_rc 0 "--restore on a GPT disk succeeds"
same d.img d.orig "--restore gives back the disk byte for byte"

# ---- --active-pmbr -------------------------------------------------------------
cp d.orig a.img
run --active-pmbr a.img
expect_rc 0 "installs with --active-pmbr"
says "protective entry marked active" "says the protective entry was marked active"
[ "$(bytes a.img 446 1)" = 80 ] && pass "byte 446 (the protective entry's status) is 0x80" || fail "byte 446 is 0x80" "$(bytes a.img 446 1)"
[ "$(bytes a.img 447 65)" = "$(bytes d.orig 447 65)" ] && [ "$(bytes a.img 440 6)" = "$(bytes d.orig 440 6)" ] &&
    pass "--active-pmbr changes no other byte of 440-511" || fail "--active-pmbr changes no other byte of 440-511"
gpt_ok a.img "sgdisk -v finds the GPT intact with the active flag"
truncate -s 8M dos.img; printf 'label: dos\nstart=2048, type=83\n' | sfdisk -q dos.img
run --active-pmbr dos.img
expect_rc 1 "--active-pmbr on a DOS disk is a usage error"

# ---- Refusals --------------------------------------------------------------------
gpt none.img -n 1:4096:0 -t 1:8300
cp none.img none.orig
run none.img
expect_rc 4 "refuses a GPT disk without a BIOS boot partition (exit 4)"
says "is a GPT disk without a BIOS boot partition (type EF02) to hold stage 2; make one of 1 MiB: sgdisk -n 2:2048:4095 -t 2:EF02 none.img" \
    "gives the sgdisk line that makes one"
same none.img none.orig "...and writes nothing"
# Following the advice makes a disk the installer accepts.
sgdisk -n 2:2048:4095 -t 2:EF02 none.img >/dev/null 2>&1
run none.img; expect_rc 0 "after that sgdisk line, the install succeeds"

gpt small.img -n 1:2048:2063 -t 1:EF02 -n 2:4096:0 -t 2:8300
cp small.img small.orig
run small.img
expect_rc 4 "refuses a BIOS boot partition smaller than stage 2 (exit 4)"
says "the BIOS boot partition (partition 1, LBA 2048..2063) has 16 sectors but stage 2 needs $N" "says it is too small"
same small.img small.orig "...and writes nothing"

gpt hybrid.img -n 1:2048:4095 -t 1:EF02 -n 2:4096:0 -t 2:8300 -h 2
cp hybrid.img hybrid.orig
run hybrid.img
expect_rc 3 "refuses a hybrid MBR (exit 3)"
says "has a hybrid MBR" "says it is a hybrid MBR"
same hybrid.img hybrid.orig "...and writes nothing"

cp d.orig damaged.img
printf '\xff' | dd of=damaged.img bs=1 seek=$((512 + 0x30)) conv=notrunc status=none
cp damaged.img damaged.orig
run damaged.img
expect_rc 3 "refuses a GPT whose primary header is damaged (exit 3)"
says "GPT: the primary header (LBA 1) has a bad header CRC32" "names the damage"
says "repair the GPT first" "says to repair it first"
same damaged.img damaged.orig "...and writes nothing"

# Something else (GRUB's core.img, say) in the BIOS boot partition.
cp d.orig grub.img
head -c 4096 /dev/urandom | dd of=grub.img bs=512 seek=2048 conv=notrunc status=none
run grub.img
expect_rc 3 "refuses foreign data in the BIOS boot partition (exit 3)"
says "LBA 2048 holds data that is neither zeros nor an earlier smartboot stage 2" "names the LBA"

# ---- DOS disks with logical partitions -----------------------------------------
# Only logicals: the extended partition is the only primary; stage 2 goes
# into the gap after the MBR as on any DOS disk.
truncate -s 16M l.img
printf 'label: dos\nstart=2048, type=5\nstart=4096, size=8192, type=83\nstart=14336, type=83\n' | sfdisk -q l.img
cp l.img l.orig
run l.img
expect_rc 0 "installs on a DOS disk with only logical partitions"
says "stage 2 ($N sectors) -> LBA 1..$N," "into the gap after the MBR"
restore --restore l.img.smartboot-backup l.img
same l.img l.orig "--restore gives it back byte for byte"

# A broken EBR chain is refused with the reader's message.
cp l.orig loop.img
ebr2=$((2048 + $(od -An -tu4 -j $((2048 * 512 + 0x1ce + 8)) -N4 loop.img)))
# The second EBR's (empty) link entry: type 5, back to the first EBR (0 from the extended start).
printf '\0\0\0\0\x05\0\0\0\0\0\0\0\x01\0\0\0' | dd of=loop.img bs=1 seek=$((ebr2 * 512 + 0x1ce)) conv=notrunc status=none
cp loop.img loop.orig
run loop.img
expect_rc 3 "refuses a DOS disk whose EBR chain is a loop (exit 3)"
says "the EBR at LBA $ebr2 links to LBA 2048, an EBR already read" "names the EBRs of the loop"
same loop.img loop.orig "...and writes nothing"

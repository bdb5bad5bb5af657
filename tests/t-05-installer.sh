#!/usr/bin/env bash
# The installer (tools/smartboot-install.c, docs/installer.md) on disk images
# made with truncate + sfdisk: what it writes, what it must never write, what
# it refuses, --dry-run, --restore, and installing twice.
#
# It uses its own fake stage 1 (random code, zeros from 0x1B0, 0x55AA) and
# fake stage 2 ("SBT2" at offset 4, random bytes, a size that is not a whole
# number of sectors), so it does not depend on the loader being built, and so
# that a wrong checksum or a misplaced byte cannot hide behind zeros.
source "$(dirname "$0")/lib.sh"

if ! make -s -C "$TOP" build/smartboot-install >&2; then
    fail "the installer builds"; exit 1
fi
pass "the installer builds with -Wall -Wextra -Werror"

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
# The installer is copied beside the fake stages, so running it without
# --stage1/--stage2 also tests that it finds them in its own directory.
mkdir bin
cp "$BUILD/smartboot-install" bin/
I=$tmp/bin/smartboot-install

S1=bin/mbr.bin
{ head -c 432 /dev/urandom; head -c 78 /dev/zero; printf '\x55\xaa'; } > $S1
S2=bin/stage2.bin                       # 41 sectors when padded
{ printf '\xeb\x06\x90\x90SBT2'; head -c 20572 /dev/urandom; } > $S2
S2BIG=s2-big.bin                        # 49 sectors: a newer, larger stage 2
{ printf '\xeb\x06\x90\x90SBT2'; head -c 25000 /dev/urandom; } > $S2BIG
N=41

# mkdisk FILE START [SIZE [BYTES]]: a DOS disk (8 MiB unless BYTES) with one
# Linux partition at START (SIZE sectors, or up to the end).
mkdisk() {
    truncate -s "${4:-8M}" "$1"
    printf 'label: dos\nstart=%s%s, type=83\n' "$2" "${3:+, size=$3}" | sfdisk -q "$1" 2>/dev/null
}
# bytes FILE OFFSET COUNT: hex of those bytes.
bytes() { od -An -v -tx1 -j"$2" -N"$3" "$1" | tr -d ' \n'; }
# run ARGS...: the installer; its exit status in $rc, its output in $out.
run() { out=$("$I" "$@" 2>&1); rc=$?; echo "$ $I $*" >&2; echo "$out" >&2; }
# expect_rc WANT NAME: check the last run's exit status.
expect_rc() {
    if [ "$rc" -eq "$1" ]; then pass "$2"; else fail "$2" "exit status $rc, wanted $1: $out"; fi
}
# same A B NAME: the two files are byte-identical.
same() { if cmp -s "$1" "$2"; then pass "$3"; else fail "$3" "$(cmp "$1" "$2" 2>&1 | head -1)"; fi; }

# ---- a normal install: first partition at 2048 ---------------------------
mkdisk d.img 2048
cp d.img d.orig
run d.img
expect_rc 0 "installs on a DOS disk with its first partition at 2048 (defaults beside the binary)"
case $out in
    *"stage 2 ($N sectors) -> LBA 1..$N"*verified*) pass "says what it wrote and that it verified it" ;;
    *) fail "says what it wrote and that it verified it" "$out" ;;
esac
[ "$(bytes d.img 440 72)" = "$(bytes d.orig 440 72)" ] \
    && pass "bytes 440-511 (disk signature, partition table, 0x55AA) unchanged" \
    || fail "bytes 440-511 unchanged"
[ "$(bytes d.img 0 432)" = "$(bytes $S1 0 432)" ] \
    && pass "MBR bytes 0-431 are stage 1's" || fail "MBR bytes 0-431 are stage 1's"
sectors_equal=$(python3 - d.img $S2 <<'EOF'
import sys
disk = open(sys.argv[1], 'rb').read()
s2 = open(sys.argv[2], 'rb').read()
n = (len(s2) + 511) // 512
padded = s2 + bytes(n * 512 - len(s2))
print('yes' if disk[512:512 + n * 512] == padded else 'no')
EOF
)
[ "$sectors_equal" = yes ] && pass "LBA 1..$N hold the stage 2 file, zero-padded" \
    || fail "LBA 1..$N hold the stage 2 file, zero-padded"
# The patch fields, checked against a checksum computed here from the file
# (not from what the installer wrote).
fields=$(python3 - d.img $S2 <<'EOF'
import struct, sys
disk = open(sys.argv[1], 'rb').read()
s2 = open(sys.argv[2], 'rb').read()
n = (len(s2) + 511) // 512
padded = s2 + bytes(n * 512 - len(s2))
want = sum(struct.unpack('<%dH' % (len(padded) // 2), padded)) & 0xFFFF
lba, sectors, checksum = struct.unpack_from('<IHH', disk, 0x1B0)
ondisk = sum(struct.unpack('<%dH' % (n * 256), disk[512:512 + n * 512])) & 0xFFFF
print(lba, sectors, checksum == want and ondisk == want, hex(checksum), hex(want))
EOF
)
set -- $fields
[ "$1" = 1 ] && pass "stage2_lba (0x1B0) = 1" || fail "stage2_lba (0x1B0) = 1" "it is $1"
[ "$2" = $N ] && pass "stage2_sectors (0x1B4) = $N" || fail "stage2_sectors (0x1B4) = $N" "it is $2"
[ "$3" = True ] && pass "stage2_checksum (0x1B6) = the 16-bit word sum of the padded file ($5)" \
    || fail "stage2_checksum (0x1B6) correct" "field $4, computed $5"
[ "$(bytes d.img.smartboot-backup 0 8)" = "$(printf SBBACKUP | od -An -tx1 | tr -d ' \n')" ] \
    && pass "the backup file starts with its magic" || fail "the backup file starts with its magic"

# The promise behind that: no write to the disk ever touches bytes 440-511,
# even with the same bytes (a partition editor may have changed them since we
# read them).  strace shows every pwrite the installer makes on the disk.
# writes_ok DISK LOG: every pwrite64 on DISK's writable fd avoids 440-511, and
# one of them wrote sector 0.
writes_ok() {
    python3 - "$1" "$2" <<'EOF2'
import re, sys
disk, log = sys.argv[1], open(sys.argv[2]).read().splitlines()
fd, mbr_written = None, False
for line in log:
    m = re.match(r'openat\(AT_FDCWD, "([^"]*)", O_RDWR[^)]*\) = (\d+)', line)
    if m and m.group(1) == disk:
        fd = m.group(2)
    m = re.match(r'pwrite64\((\d+), .*, (\d+), (\d+)\) = -?\d+', line)
    if m and m.group(1) == fd:
        length, off = int(m.group(2)), int(m.group(3))
        if off < 512 and off + length > 440:
            sys.exit("pwrite of %d bytes at offset %d touches bytes 440-511" % (length, off))
        mbr_written |= off == 0
sys.exit(0 if mbr_written else "no pwrite to sector 0 seen")
EOF2
}
if command -v strace >/dev/null; then
    mkdisk st.img 2048; cp st.img st.orig
    strace -o st.log -e trace=openat,pwrite64 "$I" st.img >/dev/null 2>&1
    why=$(writes_ok st.img st.log 2>&1) && pass "no write to the disk touches bytes 440-511 (strace)" \
        || fail "no write to the disk touches bytes 440-511 (strace)" "$why"
    strace -o st.log -e trace=openat,pwrite64 "$I" --restore st.img.smartboot-backup st.img >/dev/null 2>&1
    why=$(writes_ok st.img st.log 2>&1) && pass "no write by --restore touches bytes 440-511 (strace)" \
        || fail "no write by --restore touches bytes 440-511 (strace)" "$why"
else
    skip "no write to the disk touches bytes 440-511" "strace is not installed"
fi

# ---- installing twice changes nothing -----------------------------------
cp d.img d.once; cp d.img.smartboot-backup d.backup1
run d.img
expect_rc 0 "a second install succeeds"
same d.img d.once "a second install leaves the disk byte-identical"
same d.img.smartboot-backup d.backup1 "a second install keeps the backup of the original"

# ---- --restore -----------------------------------------------------------
run --restore d.img.smartboot-backup d.img
expect_rc 0 "--restore succeeds"
same d.img d.orig "--restore gives back the original disk, byte for byte"

# A newer, larger stage 2 over an installed one: the backup still holds the
# bytes from before the first install, so a restore still gives the original.
run d.img; run --stage2 $S2BIG d.img
expect_rc 0 "installs a larger stage 2 over an earlier one"
got=$(python3 -c "import struct; print(struct.unpack_from('<H', open('d.img','rb').read(), 0x1B4)[0])")
[ "$got" = 49 ] && pass "stage2_sectors is then 49" || fail "stage2_sectors is then 49" "it is $got"
run --restore d.img.smartboot-backup d.img
same d.img d.orig "after two different installs, --restore still gives the original disk"

# A partition edit after the install survives a restore: bytes 440-511 stay
# as they are now.
run d.img
sfdisk -q --part-type d.img 1 0c 2>/dev/null
cp d.img d.edited
run --restore d.img.smartboot-backup d.img
expect_rc 0 "--restore after a partition edit succeeds"
[ "$(bytes d.img 440 72)" = "$(bytes d.edited 440 72)" ] && [ "$(bytes d.img 0 440)" = "$(bytes d.orig 0 440)" ] \
    && pass "--restore puts back bytes 0-439 and keeps the edited partition table" \
    || fail "--restore keeps the edited partition table"

# ---- --dry-run writes nothing -------------------------------------------
mkdisk dry.img 2048; cp dry.img dry.orig
run --dry-run dry.img
expect_rc 0 "--dry-run succeeds"
same dry.img dry.orig "--dry-run leaves the disk untouched"
[ ! -e dry.img.smartboot-backup ] && pass "--dry-run writes no backup" || fail "--dry-run writes no backup"
case $out in *"would write stage 2 ($N sectors"*) pass "--dry-run says what it would write" ;;
    *) fail "--dry-run says what it would write" "$out" ;; esac
run dry.img; cp dry.img dry.installed
run --dry-run --restore dry.img.smartboot-backup dry.img
same dry.img dry.installed "--dry-run --restore leaves the disk untouched"

# ---- gaps: 62 sectors fits, 15 does not ---------------------------------
mkdisk g63.img 63
run g63.img
expect_rc 0 "installs with the first partition at LBA 63 (a 62-sector gap)"
mkdisk g16.img 16; cp g16.img g16.orig
run g16.img
expect_rc 4 "refuses a 15-sector gap with exit status 4"
case $out in *"needs $N sectors"*"(LBA 16) has 15"*) pass "the refusal names both sizes" ;;
    *) fail "the refusal names both sizes" "$out" ;; esac
same g16.img g16.orig "a refused install leaves the disk untouched"
[ ! -e g16.img.smartboot-backup ] && pass "a refused install writes no backup" || fail "a refused install writes no backup"

# ---- a disk whose file ends exactly at the partition's end --------------
mkdisk exact.img 2048 4096 $(( (2048 + 4096) * 512 ))
run exact.img
expect_rc 0 "installs on a disk whose file ends exactly where its partition ends"
mkdisk short.img 2048 4096 $(( (2048 + 4096) * 512 )); truncate -s -512 short.img
run short.img
expect_rc 3 "refuses a partition that ends past the end of the disk"

# ---- GPT ----------------------------------------------------------------
truncate -s 8M gpt.img
printf 'label: gpt\nstart=2048\n' | sfdisk -q gpt.img 2>/dev/null
cp gpt.img gpt.orig
run gpt.img
expect_rc 3 "refuses a GPT disk with exit status 3"
case $out in *"GPT disks are not supported"*) pass "says GPT disks are not supported" ;;
    *) fail "says GPT disks are not supported" "$out" ;; esac
same gpt.img gpt.orig "a GPT disk is left untouched"

# ---- foreign data where stage 2 would go --------------------------------
mkdisk f.img 2048
head -c 512 /dev/urandom | dd of=f.img bs=512 seek=5 conv=notrunc status=none
cp f.img f.orig
run f.img
expect_rc 3 "refuses foreign data in the gap with exit status 3"
case $out in *"LBA 5"*--force*) pass "the refusal names the LBA and --force" ;;
    *) fail "the refusal names the LBA and --force" "$out" ;; esac
same f.img f.orig "foreign data refused: disk untouched"
run --force f.img
expect_rc 0 "--force installs over foreign data"
[ "$(bytes f.img $((5 * 512)) 512)" = "$(bytes $S2 $((4 * 512)) 512)" ] \
    && pass "--force: LBA 5 now holds stage 2" || fail "--force: LBA 5 now holds stage 2"
run --restore f.img.smartboot-backup f.img
same f.img f.orig "--restore gives back the foreign data"

# ---- other refusals -----------------------------------------------------
mkdisk bad.img 2048; cp bad.img bad.clean
printf '\x12' | dd of=bad.img bs=1 seek=446 conv=notrunc status=none
run bad.img; expect_rc 3 "refuses a boot flag other than 0x00/0x80"
cp bad.clean bad.img; printf '\0\0' | dd of=bad.img bs=1 seek=510 conv=notrunc status=none
run bad.img; expect_rc 3 "refuses a sector 0 without 0x55AA"
# Partition 2 (start 3000) overlaps partition 1 (2048 .. end of disk).
cp bad.clean bad.img
python3 - bad.img <<'EOF'
import struct, sys
f = open(sys.argv[1], 'r+b'); f.seek(446 + 16)
f.write(struct.pack('<B3sB3sII', 0, b'\0\0\0', 0x83, b'\0\0\0', 3000, 100))
EOF
run bad.img; expect_rc 3 "refuses overlapping partitions"
case $out in *overlap*) pass "says the partitions overlap" ;; *) fail "says the partitions overlap" "$out" ;; esac

head -c 511 $S1 > short-s1.bin
run --stage1 short-s1.bin d.img; expect_rc 5 "refuses a stage 1 that is not 512 bytes"
{ head -c 4 $S2; printf 'XXXX'; tail -c +9 $S2; } > nomagic.bin
run --stage2 nomagic.bin d.img; expect_rc 5 "refuses a stage 2 without SBT2"
{ printf '\xeb\x06\x90\x90SBT2'; head -c 31737 /dev/zero; } > huge.bin
run --stage2 huge.bin d.img; expect_rc 5 "refuses a stage 2 over 62 sectors"

mkdisk other.img 2048
echo "not a backup" > other.img.smartboot-backup; cp other.img other.orig
run other.img; expect_rc 6 "refuses to overwrite a file that is not a smartboot backup"
if [ "$(cat other.img.smartboot-backup)" = "not a backup" ] && cmp -s other.img other.orig; then
    pass "...and touches neither that file nor the disk"
else
    fail "...and touches neither that file nor the disk"
fi
run --backup d.img.smartboot-backup other.img
expect_rc 6 "refuses to overwrite another disk's backup"
run --restore d.img.smartboot-backup other.img
expect_rc 6 "refuses to restore another disk's backup"

run; expect_rc 1 "no DISK is a usage error"
run --bogus d.img; expect_rc 1 "an unknown option is a usage error"
run --restore x --stage1 y d.img; expect_rc 1 "--restore with --stage1 is a usage error"
run --help; expect_rc 0 "--help succeeds"
case $out in *"exit status"*"7  verify failed"*) pass "--help lists the exit codes" ;;
    *) fail "--help lists the exit codes" ;; esac

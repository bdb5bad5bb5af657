#!/usr/bin/env bash
# The installer (tools/smartboot-install.c, docs/installer.md) on disk images
# made with truncate + sfdisk: what it writes, what it must never write, what
# it refuses, --dry-run, --restore, and installing twice; then (issue 13)
# links planted where it writes or reads, filesystems made on the whole
# disk, restoring onto the right disk only and in a safe order, block
# devices (--backup required, 512-byte sectors; loop devices, as root).
#
# It uses its own fake stage 1 (random code, zeros from 0x1B0, 0x55AA) and
# fake stage 2 ("SBT2" at offset 4, random bytes, a size that is not a whole
# number of sectors), so it does not depend on the loader being built, and so
# that a wrong checksum or a misplaced byte cannot hide behind zeros.
# expect: 209 host
source "$(dirname "$0")/lib.sh"

if ! make -s -C "$TOP" build/smartboot-install >&2; then
    fail "the installer builds"; exit 1
fi
pass "the installer builds with -Wall -Wextra -Werror"

tmp=$(mktemp -d)
LOOPS=""                                # loop devices to detach at the end
trap 'for l in $LOOPS; do losetup -d "$l"; done; rm -rf "$tmp"' EXIT
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

# ---- GPT (tests/t-07-installer-gpt.sh has the rest) ----------------------
truncate -s 8M gpt.img
printf 'label: gpt\nstart=2048\n' | sfdisk -q gpt.img 2>/dev/null
cp gpt.img gpt.orig
run gpt.img
expect_rc 4 "refuses a GPT disk without a BIOS boot partition with exit status 4"
case $out in *"without a BIOS boot partition (type EF02)"*"sgdisk -n 2:START:END -t 2:EF02"*) pass "says how to make a BIOS boot partition" ;;
    *) fail "says how to make a BIOS boot partition" "$out" ;; esac
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

# ==== The safety fixes of issue 13 ==========================================
# Each check below was run against the installer from before them (commit
# 252c34b, its binary copied over build/smartboot-install): every one that
# names a new refusal, message or order failed there.  The old installer
# wrote through a link at BACKUP.tmp (and created a dangling link's
# target), read backups through links, hung on a FIFO, installed on an
# unpartitioned disk and with --force into a whole-disk FAT16 or ext4,
# restored disk A's backup over disk B's gap and into filesystems with
# --force, wrote the MBR first, took a block device without --backup and a
# 4K-sector loop device.

# unchanged FILE ORIG NAME: FILE is byte-identical to ORIG.
unchanged() { if cmp -s "$1" "$2"; then pass "$3"; else fail "$3" "$(cmp "$1" "$2" 2>&1 | head -1)"; fi; }
# says NAME PATTERN: the last run's output matches PATTERN (grep -E).
says() { if grep -qE -- "$2" <<<"$out"; then pass "$1"; else fail "$1" "exit $rc: $out"; fi; }

# ---- links planted where the installer writes or reads --------------------
# As root, a file opened through a link planted by whoever can write the
# image's directory could be any file on the system, or a disk.  victim.txt
# stands for /etc/shadow.
echo "precious: must never change" > victim.txt; cp victim.txt victim.orig
mkdisk ln.img 2048; cp ln.img ln.orig
# victim_ok WHAT [DISK-ORIG]: the link's target and the disk are unchanged.
victim_ok() {
    unchanged victim.txt victim.orig "$1: the link's target is unchanged"
    unchanged ln.img "${2:-ln.orig}" "$1: the disk is unchanged"
}

ln -s victim.txt ln.img.smartboot-backup
run ln.img
expect_rc 6 "a link at the backup's name: refused"
says "...saying it is a symbolic link" "backup ln.img.smartboot-backup: is a symbolic link: refusing to follow it"
victim_ok "a link at the backup's name"
rm ln.img.smartboot-backup

ln -s victim.txt ln.img.smartboot-backup.tmp
run ln.img
expect_rc 6 "a link at BACKUP.tmp: refused"
says "...saying it is a symbolic link" "backup ln.img.smartboot-backup.tmp: is a symbolic link"
victim_ok "a link at BACKUP.tmp"
[ ! -e ln.img.smartboot-backup ] && pass "a link at BACKUP.tmp: no backup written" \
    || fail "a link at BACKUP.tmp: no backup written"
rm ln.img.smartboot-backup.tmp

# A dangling link: O_CREAT alone would create the file it names.
ln -s created-by-installer ln.img.smartboot-backup.tmp
run ln.img
expect_rc 6 "a dangling link at BACKUP.tmp: refused"
[ ! -e created-by-installer ] && pass "a dangling link at BACKUP.tmp: its target is not created" \
    || fail "a dangling link at BACKUP.tmp: its target is not created"
rm ln.img.smartboot-backup.tmp

# A plain file left at BACKUP.tmp (an interrupted run) is not reused either.
echo leftover > ln.img.smartboot-backup.tmp
run ln.img
expect_rc 6 "a file left at BACKUP.tmp: refused"
says "...saying it exists" "ln.img.smartboot-backup.tmp: already exists"
[ "$(cat ln.img.smartboot-backup.tmp)" = leftover ] && pass "...and kept as it was" \
    || fail "the leftover .tmp file is kept"
rm ln.img.smartboot-backup.tmp

run ln.img
expect_rc 0 "with no links left, the install goes ahead"
cp ln.img ln.installed
[ "$(stat -c %a ln.img.smartboot-backup)" = 600 ] && pass "the backup is created mode 0600 (it holds raw sectors)" \
    || fail "the backup is created mode 0600" "$(stat -c %a ln.img.smartboot-backup)"

ln -s ln.img.smartboot-backup backup-link
run --restore backup-link ln.img
expect_rc 6 "--restore from a link to a backup: refused (backups are read with O_NOFOLLOW)"
unchanged ln.img ln.installed "...and the disk is unchanged"

ln -s victim.txt ln.img.smartboot-backup.pre-restore
run --restore ln.img.smartboot-backup ln.img
expect_rc 6 "a link at BACKUP.pre-restore: refused"
says "...saying it is a symbolic link" "pre-restore file ln.img.smartboot-backup.pre-restore: is a symbolic link"
victim_ok "a link at BACKUP.pre-restore" ln.installed
rm ln.img.smartboot-backup.pre-restore

run --restore ln.img.smartboot-backup ln.img
expect_rc 0 "with no links left, --restore goes ahead"
says "...and says where it saved what it overwrote" "what it overwrote is in ln.img.smartboot-backup.pre-restore$"
unchanged ln.img ln.orig "--restore gives back the disk from before the install"
run --force --restore ln.img.smartboot-backup.pre-restore ln.img
expect_rc 0 "--force --restore BACKUP.pre-restore undoes the restore"
unchanged ln.img ln.installed "...giving back the installed disk byte for byte"
[ -f ln.img.smartboot-backup.pre-restore.pre-restore ] \
    && pass "undoing it saved what it overwrote too (BACKUP.pre-restore.pre-restore)" \
    || fail "undoing a restore saves what it overwrote" "$(ls ln.img*)"
run --restore ln.img.smartboot-backup ln.img
[ -f ln.img.smartboot-backup.pre-restore.2 ] && pass "a second restore saves to BACKUP.pre-restore.2, keeping the first" \
    || fail "a second restore saves to BACKUP.pre-restore.2" "$(ls ln.img*)"

# The disk's own name: a link is followed (/dev/disk/by-id/... are links)
# but said aloud; a FIFO or a character device is not a disk.
ln -s ln.img disk-link
run --dry-run --backup ln.bk disk-link
says "a disk named through a link: the installer says where it leads" "disk-link: is a symbolic link to ln.img"
mkfifo fifo.img
out=$(timeout 10 "$I" --dry-run --backup fifo.bk fifo.img 2>&1); rc=$?
expect_rc 1 "a FIFO as DISK: refused at once (not a hang)"
says "...saying what it is not" "fifo.img: is neither an image file nor a block device"
run --dry-run --backup null.bk /dev/null
expect_rc 1 "a character device (/dev/null) as DISK: refused"

# ---- filesystems made on the whole disk --------------------------------------
# Made by the real tools where Debian has them (dosfstools, e2fsprogs,
# util-linux, xorriso), else the signature written where the format's
# specification puts it.  Each must be refused and named, with and without
# --force, and left byte for byte as it was.
fsdisk() {   # fsdisk NAME: make NAME.img
    case $1 in
        fat12) truncate -s 1440K fat12.img; mkfs.fat -I -F 12 fat12.img >/dev/null ;;
        fat16) truncate -s 32M fat16.img; mkfs.fat -I -F 16 fat16.img >/dev/null ;;
        fat32) truncate -s 64M fat32.img; mkfs.fat -I -F 32 fat32.img >/dev/null ;;
        ext2) truncate -s 8M ext2.img; mkfs.ext2 -q -F ext2.img ;;
        ext4) truncate -s 8M ext4.img; mkfs.ext4 -q -F ext4.img ;;
        # An ext4 disk whose sector 0 also ends in 0x55AA passes for an
        # empty MBR: its superblock at byte 1024 is in the gap.
        ext4aa) truncate -s 8M ext4aa.img; mkfs.ext4 -q -F ext4aa.img
                printf '\x55\xaa' | dd of=ext4aa.img bs=1 seek=510 conv=notrunc status=none ;;
        swap) truncate -s 8M swap.img; mkswap swap.img >/dev/null 2>&1 ;;
        iso) mkdir -p isodir; echo hello > isodir/f; xorriso -as mkisofs -quiet -o iso.img isodir 2>/dev/null ;;
        *) truncate -s 1M "$1.img"; python3 - "$1" <<'EOF'
import struct, sys
name = sys.argv[1]
sig = {"ntfs": [(3, b"NTFS    ")], "exfat": [(3, b"EXFAT   ")], "luks": [(0, b"LUKS\xba\xbe\x00\x01")],
       "lvm": [(512, b"LABELONE"), (512 + 24, b"LVM2 001")], "btrfs": [(65600, b"_BHRfS_M")],
       "xfs": [(0, b"XFSB" + struct.pack(">I", 4096))], "md": [(4096, struct.pack("<II", 0xA92B4EFC, 1))]}[name]
with open(name + ".img", "r+b") as f:
    for off, b in sig:
        f.seek(off); f.write(b)
    f.seek(510); f.write(b"\x55\xaa")        # as an empty MBR would
EOF
    esac
}
for fs in fat12:FAT12 fat16:FAT16 fat32:FAT32 ext2:ext2 ext4:ext4 ext4aa:ext4 swap:"Linux swap" iso:"ISO 9660" \
          ntfs:NTFS exfat:exFAT luks:LUKS lvm:"LVM2 PV" btrfs:btrfs xfs:XFS md:"Linux md RAID member"; do
    f=${fs%%:*}; name=${fs#*:}
    if ! fsdisk "$f" 2>/dev/null || [ ! -s "$f.img" ]; then skip "a whole-disk $name" "could not make one"; continue; fi
    cp "$f.img" "$f.orig"
    run --backup "$f.bk" "$f.img"
    expect_rc 3 "a whole-disk $name ($f): refused"
    says "...naming it" "holds a filesystem or volume made on the whole disk: $name \\(its signature at byte"
    run --force --backup "$f.bk" "$f.img"
    expect_rc 3 "a whole-disk $name ($f): refused with --force too"
    unchanged "$f.img" "$f.orig" "a whole-disk $name ($f): untouched"
    [ ! -e "$f.bk" ] && pass "a whole-disk $name ($f): no backup written" || fail "a whole-disk $name ($f): no backup written"
done

# The recognition itself under libFuzzer with ASan and UBSan (it reads the
# first 68 KiB of any disk it is given), seeded with the images above.
if command -v clang >/dev/null && make -s -C "$TOP" fuzz-fsdetect-build >fz-build.log 2>&1; then
    mkdir -p fz/seeds fz/corpus
    for f in *.orig; do head -c 69632 "$f" > "fz/seeds/$f"; done
    fuzz_run "$tmp/fz" "$BUILD/host/fuzz-fsdetect" "${FUZZ_FSDETECT_SMOKE:-10}" 69632 "$tmp/fz/seeds"
    if fuzz_ok 1000; then    # (thousands of executions a second: 0 means it ran nothing)
        pass "fsdetect fuzzed for ${FUZZ_FSDETECT_SMOKE:-10} s from $(ls fz/seeds | wc -l) images: $fuzz_runs executions ($fuzz_cov edges), no crash or sanitizer report"
    else
        cp fz/crash-* fz/fuzz.log "$TLOG/" 2>/dev/null
        fail "fsdetect fuzzed" "exit $fuzz_rc, ${fuzz_runs:-no} executions, $fuzz_crashes crash files (copied to ${TLOG#"$TOP"/}/); $(grep -m3 -E 'ERROR|SUMMARY' fz/fuzz.log)"
    fi
else
    skip "fsdetect fuzzed" "clang or the fuzz target build is missing: $(tail -2 fz-build.log 2>/dev/null)"
fi

# mkfs.ext4 on a whole disk that had a partition table leaves sector 0 as
# it was: the old table still lists partitions, and the live superblock at
# byte 1024 is in the gap.  Refused, --force or not.
mkdisk ext4mbr.img 2048; mkfs.ext4 -q -F ext4mbr.img; cp ext4mbr.img ext4mbr.orig
run --backup ext4mbr.bk ext4mbr.img
expect_rc 3 "ext4 made on a disk with a partition table (the table left in sector 0): refused"
says "...naming it" "ext4mbr.img: holds a filesystem or volume made on the whole disk: ext4 \\(its signature at byte 1080\\)"
run --force --backup ext4mbr.bk ext4mbr.img
expect_rc 3 "...with --force too"
unchanged ext4mbr.img ext4mbr.orig "...and untouched"
# The other way round: an ISO once written to the disk, then partitioned.
# Its "CD001" at byte 32769 (LBA 64) is past what an install writes: that
# filesystem is gone, and we would not touch its remains anyway.
mkdisk staleiso.img 2048; printf 'CD001' | dd of=staleiso.img bs=1 seek=32769 conv=notrunc status=none
run --backup staleiso.bk staleiso.img
expect_rc 0 "an old ISO 9660 signature past the sectors we write, on a partitioned disk: installs"

# A stick formatted without partitions (mkfs.fat -I), then partitioned:
# fdisk and GRUB's boot.img keep the FAT's BIOS parameter block (bytes
# 3..89) in sector 0 under the new table.  That BPB says nothing: installs.
truncate -s 32M stalebpb.img; mkfs.fat -I -F 16 stalebpb.img >/dev/null
dd if=/dev/zero of=stalebpb.img bs=512 seek=1 count=2047 conv=notrunc status=none   # the FATs are gone
printf 'label: dos\nstart=2048, type=83\n' | sfdisk -q --no-reread stalebpb.img 2>/dev/null
run --backup stalebpb.bk stalebpb.img
expect_rc 0 "a partitioned disk whose sector 0 keeps an old FAT BPB (as GRUB and fdisk leave it): installs"

# 0x55AA and no partitions, no filesystem we know: only with --force.
truncate -s 8M empty.img; printf '\x55\xaa' | dd of=empty.img bs=1 seek=510 conv=notrunc status=none
cp empty.img empty.orig
run --backup empty.bk empty.img
expect_rc 3 "a disk with an empty partition table: refused without --force"
says "...saying it has no partitions" "empty.img: has no partitions"
unchanged empty.img empty.orig "...and untouched"
run --force --backup empty.bk empty.img
expect_rc 0 "with --force it installs"

# ---- --restore onto the right disk only ---------------------------------------
# Two disks with the same signature and size, as two disks of one model
# cloned from one image are: A's backup must not restore over B's gap.
twin() { truncate -s "${2:-8M}" "$1"; printf 'label: dos\nlabel-id: 0x5B5B5B5B\nstart=2048, type=83\n' | sfdisk -q "$1" 2>/dev/null; }
twin A.img; twin B.img
head -c 512 /dev/urandom | dd of=A.img bs=512 seek=3 conv=notrunc status=none   # A's own data at LBA 3
run --force --backup A.bk A.img
expect_rc 0 "twin disks: installed on A (over its data at LBA 3, saved in A's backup)"
head -c 440 /dev/urandom | dd of=B.img conv=notrunc status=none                  # B: another boot loader
head -c 4096 /dev/urandom | dd of=B.img bs=512 seek=1 conv=notrunc status=none   # and its gap data
cp B.img B.orig
run --restore A.bk B.img
expect_rc 3 "A's backup onto B (same signature and size, other data in B's gap): refused"
says "...naming the first such LBA" "B.img: LBA 0 holds data that is neither zeros nor the smartboot installed on it"
unchanged B.img B.orig "...and B is untouched"
[ ! -e A.bk.pre-restore ] && pass "...and no pre-restore file is left" || fail "a refused restore leaves no pre-restore file"
run --dry-run --force --restore A.bk B.img
says "--dry-run --restore names the pre-restore file it would write" "would save what it overwrites in A.bk.pre-restore$"
run --force --restore A.bk B.img
expect_rc 0 "with --force, A's backup restores onto B"
python3 - A.bk.pre-restore B.orig <<'EOF' && pass "...after saving the B sectors it overwrote in A.bk.pre-restore (read back here with zlib)" \
    || fail "A.bk.pre-restore holds B's sectors"
import struct, sys, zlib
d = open(sys.argv[1], "rb").read(); disk = open(sys.argv[2], "rb").read()
assert d[:8] == b"SBBACKUP" and zlib.crc32(d[:-4]) == struct.unpack("<I", d[-4:])[0]
n = struct.unpack_from("<I", d, 0x1C)[0]
lbas = struct.unpack_from("<%dQ" % n, d, 0x20)
assert lbas[0] == 0 and n > 1
for i, lba in enumerate(lbas):
    assert d[0x20 + 8 * n + 512 * i:0x20 + 8 * n + 512 * (i + 1)] == disk[512 * lba:512 * (lba + 1)], lba
EOF
run --force --restore A.bk.pre-restore B.img
unchanged B.img B.orig "--force --restore A.bk.pre-restore gives B back byte for byte"

# A twin that carries smartboot (its own install): A's backup may restore
# there without --force; what it overwrites is smartboot.
twin C.img; run --backup C.bk C.img
run --restore A.bk C.img
expect_rc 0 "A's backup onto a twin that carries smartboot: restored without --force"

# An install or a restore that stopped between its two writes leaves sectors
# that are neither zeros nor an agreeing smartboot; running the restore
# (again) must finish the job without --force.
mkdisk iv.img 2048
head -c 440 /dev/urandom | dd of=iv.img conv=notrunc status=none                  # a foreign MBR
head -c 512 /dev/urandom | dd of=iv.img bs=512 seek=3 conv=notrunc status=none   # and gap data
cp iv.img iv.orig; run --force --backup iv.bk iv.img; cp iv.img iv.installed
cp iv.orig half.img; dd if=iv.installed of=half.img bs=512 skip=1 seek=1 count=$N conv=notrunc status=none
run --restore iv.bk half.img
expect_rc 0 "after an install stopped before the MBR (stage 2 written, the old MBR): --restore needs no --force"
unchanged half.img iv.orig "...and gives back the original disk"
cp iv.installed half.img; dd if=iv.orig of=half.img bs=512 skip=1 seek=1 count=$N conv=notrunc status=none
run --restore iv.bk half.img
expect_rc 0 "after a restore stopped before the MBR (the gap restored, smartboot's MBR): --restore again needs no --force"
unchanged half.img iv.orig "...and gives back the original disk"

# With --force, still never into a filesystem on the whole disk, 0x55AA or
# not (a FAT16 has it, an ext4 has not).
twin R.img 32M; run --backup R.bk R.img
fsdisk fat16; cp fat16.img fat16.orig
run --force --restore R.bk fat16.img
expect_rc 3 "--force --restore onto a whole-disk FAT16: refused"
unchanged fat16.img fat16.orig "...and the FAT16 is untouched"
truncate -s 32M ext4r.img; mkfs.ext4 -q -F ext4r.img; cp ext4r.img ext4r.orig
run --force --restore R.bk ext4r.img
expect_rc 3 "--force --restore onto a whole-disk ext4 (no 0x55AA): refused"
says "...naming it" "ext4 \\(its signature at byte 1080\\)"
unchanged ext4r.img ext4r.orig "...and the ext4 is untouched"

# ---- the order of a restore's writes (strace) ---------------------------------
# The pre-restore file on disk before the disk is opened for writing; then
# the gap, fsync, MBR bytes 0-439, fsync.
if command -v strace >/dev/null; then
    mkdisk ro.img 2048; head -c 512 /dev/urandom | dd of=ro.img bs=512 seek=7 conv=notrunc status=none
    run --force --backup ro.bk ro.img
    strace -o ro.log -e trace=openat,pwrite64,fsync "$I" --restore ro.bk ro.img >/dev/null 2>&1
    why=$(python3 - ro.log ro.img ro.bk.pre-restore <<'EOF'
import re, sys
log, disk, saved = sys.argv[1], sys.argv[2], sys.argv[3]
fds, ev = {}, []
for line in open(log):
    m = re.match(r'openat\(AT_FDCWD, "([^"]*)", ([A-Z_|]+)[^)]*\) = (\d+)', line)
    if m:
        fds[m.group(3)] = m.group(1), "O_RDWR" in m.group(2)
        if m.group(1) == disk and "O_RDWR" in m.group(2):
            ev.append("open-rw")
        continue
    m = re.match(r'pwrite64\((\d+), .*, (\d+), (\d+)\)\s+= \d+', line)
    if m and fds.get(m.group(1)) == (disk, True):
        length, off = int(m.group(2)), int(m.group(3))
        ev.append("mbr" if (off, length) == (0, 440) else "gap" if off >= 512 else "bad:%d+%d" % (off, length))
    elif m and fds.get(m.group(1), ("",))[0] == saved:
        ev.append("saved")
    m = re.match(r'fsync\((\d+)\)\s+= 0', line)
    if m and fds.get(m.group(1)) == (disk, True):
        ev.append("fsync")
    elif m and fds.get(m.group(1), ("",))[0] == saved:
        ev.append("saved-fsync")
# Runs of gap writes count as one: the order is what matters.
seq = [e for i, e in enumerate(ev) if not (i and e == ev[i - 1] and e in ("gap", "saved"))]
want = ["saved", "saved-fsync", "open-rw", "gap", "fsync", "mbr", "fsync"]
if seq != want:
    sys.exit("order %s, wanted %s" % (seq, want))
print(", ".join(want))
EOF
    ) && pass "restore order: $why (strace)" || fail "restore order (strace)" "$why"
else
    skip "restore order (strace)" "strace is not installed"
fi

# ---- block devices: --backup required, 512-byte sectors only ------------------
# The default backup beside /dev/sdb would be in /dev, a RAM filesystem.
# Asked before the device is opened, so any block device node shows it.
bdev=$( (find /dev -maxdepth 1 -type b -name "loop*"; find /dev -maxdepth 2 -type b) 2>/dev/null | head -1)
if [ -n "$bdev" ]; then
    run --dry-run "$bdev"
    expect_rc 1 "a block device ($bdev) without --backup: a usage error, before it is opened"
    says "...saying why" "is a block device: give --backup FILE, on a disk that keeps it"
else
    skip "a block device without --backup" "no block device node in /dev"
fi
mkdisk bd.img 2048; cp bd.img bd.orig
if loop=$(losetup -f --show bd.img 2>/dev/null); then
    LOOPS="$LOOPS $loop"
    run "$loop"
    expect_rc 1 "a loop device without --backup: refused"
    run --backup bd.bk "$loop"
    expect_rc 0 "a loop device with --backup: installed"
    [ "$(bytes bd.img 512 8)" = "$(bytes $S2 0 8)" ] && pass "...stage 2 is at LBA 1 of its image" \
        || fail "stage 2 is at LBA 1 of the loop device's image"
    run --restore bd.bk "$loop"
    expect_rc 0 "...and restored"
    # A backup of a real disk on a RAM filesystem is as lost at reboot as
    # one in /dev: said (where the machine has a tmpfs at /dev/shm).
    if [ "$(stat -f -c %T /dev/shm 2>/dev/null)" = tmpfs ]; then
        shm=$(mktemp -u /dev/shm/t05-backup.XXXXXX)
        run --dry-run --backup "$shm" "$loop"
        says "a loop device with --backup on a tmpfs: warned" "backup $shm: is on a RAM filesystem \\(/dev/shm/\\)"
    fi
    losetup -d "$loop"; LOOPS=${LOOPS% $loop}
    unchanged bd.img bd.orig "...byte for byte"
else
    skip "a loop device with and without --backup" "losetup cannot attach a loop device here (not root?)"
fi
if loop=$(losetup -f --show --sector-size 4096 bd.img 2>/dev/null); then
    LOOPS="$LOOPS $loop"
    run --backup bd4k.bk "$loop"
    expect_rc 3 "a device with 4096-byte sectors (losetup --sector-size 4096): refused"
    says "...saying so" "has 4096-byte logical sectors; smartboot .* works with 512-byte sectors only"
    losetup -d "$loop"; LOOPS=${LOOPS% $loop}
    unchanged bd.img bd.orig "...and untouched"
else
    skip "a device with 4096-byte sectors" "losetup --sector-size 4096 cannot attach a loop device here"
fi

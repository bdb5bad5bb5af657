#!/usr/bin/env bash
# The installer refuses what could lose data and says why, writes in a
# verified order, and --restore brings a disk back byte for byte (tests/
# t-05-installer.sh covers the rest with fake stages: GPT, gaps, foreign
# data, backups, dry runs).  Here, with the real stages and QEMU:
#   - a disk image a running VM has open (QEMU locks it): refused;
#   - an image attached to a loop device, a block device held exclusively
#     (only where this user may create loop devices; else SKIP);
#   - an image shorter than its partition table claims: refused;
#   - the order of the writes (strace): backup renamed into place, stage 2,
#     fsync, MBR bytes 0-439, fsync, then both read back; and a restore's:
#     the gap, fsync, the MBR, fsync;
#   - a disk with GRUB 2 installed: GRUB boots it; smartboot refuses to
#     overwrite GRUB's core.img, installs with --force, boots; --restore
#     gives back the GRUB disk byte for byte, and GRUB boots it again.
# expect: 18 host
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/boot-lib.sh"
work=$TLOG/installer-safety; rm -rf "$work"; mkdir -p "$work"
I=$BUILD/smartboot-install
# run ARGS...: the installer; exit status in $rc, output in $out.
run() { out=$("$I" "$@" 2>&1); rc=$?; echo "\$ smartboot-install $* -> $rc: $out" >&2; }
# refused NAME CODE PATTERN: the last run exited CODE saying PATTERN.
refused() {
    if [ "$rc" -eq "$2" ] && grep -qE -- "$3" <<<"$out"; then pass "$1: '$out'"; else fail "$1" "exit $rc: $out"; fi
}
# same A B: byte-identical (sparse-aware cmp).
same() { cmp -s "$1" "$2"; }

# ---- A disk a running VM uses ---------------------------------------------
img=$work/vm.img
cp --sparse=always "$BUILD/smartos.img" "$img"; cp --sparse=always "$img" "$work/vm.orig"
qemu-system-x86_64 -accel tcg -S -display none -monitor none -serial none \
    -drive "file=$img,format=raw,if=ide" & qpid=$!
for _ in $(seq 50); do python3 - "$img" <<'EOF' && break; sleep 0.1; done
import fcntl, struct, sys
fd = open(sys.argv[1], "rb")
lock = struct.pack("hhqqi", fcntl.F_WRLCK, 0, 0, 0, 0) + bytes(16)
got = fcntl.fcntl(fd, 36, lock)          # F_OFD_GETLK
sys.exit(0 if struct.unpack_from("h", got)[0] != fcntl.F_UNLCK else 1)
EOF
run --backup "$work/vm.backup" "$img"
refused "a disk image a running QEMU has open" 3 "is in use: another program \\(a running VM\\?\\) holds a lock on it"
run --dry-run --backup "$work/vm.backup" "$img"
refused "... also with --dry-run" 3 "holds a lock on it"
kill "$qpid"; wait "$qpid" 2>/dev/null
same "$img" "$work/vm.orig" && [ ! -e "$work/vm.backup" ] && pass "...and neither the disk nor a backup was written" \
    || fail "a refused install writes nothing"
run --backup "$work/vm.backup" "$img"
[ "$rc" -eq 0 ] && pass "once the VM is gone, the install goes ahead" || fail "install after the VM stopped" "$out"

# ---- Loop devices (root only) ----------------------------------------------
cp --sparse=always "$BUILD/smartos.img" "$work/loop.img"
if loop=$(losetup -f --show "$work/loop.img" 2>/dev/null); then
    run --dry-run --backup "$work/loop.backup" "$work/loop.img"
    refused "an image attached to a loop device" 3 "is attached to $loop; detach it first \\(losetup -d $loop\\)"
    # Hold the loop device exclusively, as a mount or an md array would.
    python3 -c 'import os, sys, time; fd = os.open(sys.argv[1], os.O_RDONLY | os.O_EXCL); print("held", flush=True); time.sleep(30)' \
        "$loop" > "$work/hold.out" & hpid=$!
    for _ in $(seq 50); do grep -q held "$work/hold.out" && break; sleep 0.1; done
    run --dry-run --backup "$work/loop.backup" "$loop"
    refused "a block device another program holds exclusively (O_EXCL)" 3 "is in use: mounted, or held by another program \\(EBUSY\\)"
    kill "$hpid"; wait "$hpid" 2>/dev/null
    losetup -d "$loop"
else
    skip "an image attached to a loop device" "this user cannot create loop devices"
    skip "a block device another program holds exclusively (O_EXCL)" "no loop device"
fi

# ---- An image shorter than its partition table claims ------------------------
truncate -s 8M "$work/short.img"
printf 'label: dos\nstart=2048, type=83\n' | sfdisk -q "$work/short.img" 2>/dev/null
truncate -s 6M "$work/short.img"; cp "$work/short.img" "$work/short.orig"
run --backup "$work/short.backup" "$work/short.img"
refused "an image 2 MiB shorter than its partition table claims (a truncated copy)" 3 \
    "partition 1 \\(LBA 2048\\.\\.16383\\) ends past the end of the disk \\(12288 sectors\\)"
same "$work/short.img" "$work/short.orig" && pass "...and it is left untouched" || fail "the short image is untouched"

# ---- The order of the writes -------------------------------------------------
if command -v strace >/dev/null; then
    cp --sparse=always "$BUILD/smartos.img" "$work/order.img"
    strace -f -s 256 -o "$work/order.trace" -e trace=openat,pwrite64,pread64,fsync,rename \
        "$I" --backup "$work/order.backup" "$work/order.img" >/dev/null 2>&1
    why=$(python3 - "$work/order.trace" "$work/order.img" "$work/order.backup" <<'EOF'
import re, sys
trace, disk, backup = sys.argv[1:]
fds, events = {}, []
for line in open(trace):
    m = re.search(r'openat\(AT_FDCWD, "([^"]+)", ([A-Z_|]+).*\) = (\d+)', line)
    if m:
        fds[m.group(3)] = (m.group(1), "O_RDWR" in m.group(2)); continue
    m = re.search(r'(pwrite64|pread64)\((\d+), .*, (\d+), (\d+)\)\s+= ', line)
    if m and fds.get(m.group(2), ("",))[0] == disk:
        events.append((m.group(1), int(m.group(4)), int(m.group(3)))); continue
    m = re.search(r'fsync\((\d+)\)\s+= 0', line)
    if m and fds.get(m.group(1), ("",))[0] == disk:
        events.append(("fsync", 0, 0)); continue
    if re.search(r'rename\("%s\.tmp", "%s"\) = 0' % (re.escape(backup), re.escape(backup)), line):
        events.append(("backup", 0, 0))
kinds = [e[0] for e in events]
w = [i for i, e in enumerate(events) if e[0] == "pwrite64"]
if "backup" not in kinds or not w or kinds.index("backup") > w[0]:
    sys.exit("the backup is not in place before the first write: %s" % events)
s2, mbr = events[w[0]], events[w[-1]]
if not (s2[1] == 512 and mbr[1] == 0 and mbr[2] == 440):
    sys.exit("writes are not stage 2 at byte 512 then MBR bytes 0-439: %s" % [events[i] for i in w])
if "fsync" not in kinds[w[0]:w[-1]] or "fsync" not in kinds[w[-1]:]:
    sys.exit("no fsync between and after the writes: %s" % kinds)
reads_after = [e for e in events[w[-1]:] if e[0] == "pread64"]
if not any(e[1] == 512 for e in reads_after) or not any(e[1] == 0 for e in reads_after):
    sys.exit("stage 2 and the MBR are not both read back: %s" % reads_after)
print("backup, %d write(s) of stage 2 from byte 512, fsync, MBR bytes 0-439, fsync, read back" % (len(w) - 1))
EOF
    ) && pass "write order: $why" || fail "write order (strace)" "$why"
else
    skip "write order (strace)" "strace is not installed"
fi

# ---- A disk with GRUB 2 ------------------------------------------------------
# GRUB's own images from grub-pc-bin: core.img (grub-mkimage) with a built-in
# configuration that boots smart-os on the serial console, embedded the way
# grub-bios-setup embeds it on an MBR disk: boot.img's code in MBR bytes
# 0-439 (the disk's BPB bytes 3-89 kept, the "drive check" jump at 0x66
# NOPed as for a hard disk), core.img from LBA 1 (its first sector's block
# list already says: the rest from LBA 2, to 0x8200).  grub-install and
# grub-bios-setup themselves need the host's /dev and a mounted /boot (root),
# which the test suite does not use.
GRUB_LIB=/usr/lib/grub/i386-pc
if [ -f "$GRUB_LIB/boot.img" ] && command -v grub-mkimage >/dev/null; then
    cat > "$work/early.cfg" <<'CFG'
serial --unit=0 --speed=115200
terminal_input serial
terminal_output serial
echo GRUB-ALIVE
linux (hd0,msdos1)/boot/bzImage root=/dev/sda1 console=ttyS0 no_timer_check bootedby=grub
initrd (hd0,msdos1)/boot/initrd
boot
CFG
    grub-mkimage -O i386-pc -o "$work/core.img" -p '(hd0,msdos1)/boot/grub' -c "$work/early.cfg" \
        biosdisk part_msdos ext2 serial terminal echo linux
    g=$work/grub.img
    cp --sparse=always "$BUILD/smartos.img" "$g"
    python3 - "$g" "$GRUB_LIB/boot.img" "$work/core.img" <<'EOF'
import sys
disk, boot, core = sys.argv[1], bytearray(open(sys.argv[2], "rb").read()), open(sys.argv[3], "rb").read()
with open(disk, "r+b") as f:
    mbr = f.read(512)
    boot[3:90] = mbr[3:90]                     # the BPB area: the disk's
    boot[0x66:0x68] = b"\x90\x90"              # boot_drive_check: a hard disk
    f.seek(0); f.write(boot[:440])             # code only: the partition table stays
    f.seek(512); f.write(core)
EOF
    cp --sparse=always "$g" "$work/grub.orig"
    GRUB_BOOT=(-t 60 -e 'GRUB-ALIVE' -n 'smartboot' -e 'Linux version' -e 'Kernel command line: .*bootedby=grub')
    if loader_boot grub-before "$g" "${GRUB_BOOT[@]}" -- -drive "file=$g,format=raw,if=ide"; then
        pass "GRUB 2 (boot.img + core.img, $(( ($(stat -c %s "$work/core.img") + 511) / 512 )) sectors) boots smart-os from the test disk"
    else
        fail "GRUB 2 boots the test disk" "$(why grub-before)"
    fi
    run --backup "$work/grub.backup" "$g"
    refused "smartboot refuses to overwrite GRUB's core.img" 3 "LBA 1 holds data that is neither zeros nor an earlier smartboot stage 2"
    same "$g" "$work/grub.orig" && pass "...and writes nothing" || fail "the refused install writes nothing"
    run --force --backup "$work/grub.backup" "$g"
    [ "$rc" -eq 0 ] && pass "--force installs over GRUB, saving its sectors: '$(tail -1 <<<"$out")'" \
        || fail "--force installs over GRUB" "$out"
    if loader_boot smartboot-over-grub "$g" -t 30 -e 'smartboot: stage 2' -n 'GRUB-ALIVE' \
            -t 60 -e 'booting \(32-bit entry' -e 'Linux version' -- -drive "file=$g,format=raw,if=ide"; then
        pass "smartboot boots the disk that had GRUB"
    else
        fail "smartboot boots the disk that had GRUB" "$(why smartboot-over-grub)"
    fi
    # Under strace: GRUB's gap (core.img) first, fsync, then its boot.img
    # into MBR bytes 0-439, fsync; until then smartboot's stage 1, which
    # checks stage 2's checksum, stays in charge of a half-restored gap.
    if command -v strace >/dev/null; then
        out=$(strace -o "$work/restore.trace" -e trace=openat,pwrite64,fsync "$I" --restore "$work/grub.backup" "$g" 2>&1); rc=$?
        why=$(python3 - "$work/restore.trace" "$g" <<'EOF'
import re, sys
trace, disk = sys.argv[1:]
fds, ev = {}, []
for line in open(trace):
    m = re.match(r'openat\(AT_FDCWD, "([^"]+)", ([A-Z_|]+).*\) = (\d+)', line)
    if m:
        fds[m.group(3)] = (m.group(1), "O_RDWR" in m.group(2)); continue
    m = re.match(r'pwrite64\((\d+), .*, (\d+), (\d+)\)\s+= ', line)
    if m and fds.get(m.group(1)) == (disk, True):
        off, n = int(m.group(3)), int(m.group(2))
        ev.append("mbr" if (off, n) == (0, 440) else "gap" if off >= 512 else "bad:%d+%d" % (off, n)); continue
    m = re.match(r'fsync\((\d+)\)\s+= 0', line)
    if m and fds.get(m.group(1)) == (disk, True):
        ev.append("fsync")
seq = [e for i, e in enumerate(ev) if not (i and e == "gap" == ev[i - 1])]
if seq != ["gap", "fsync", "mbr", "fsync"]:
    sys.exit("order %s" % seq)
print("%d gap writes, fsync, MBR bytes 0-439, fsync" % ev.count("gap"))
EOF
        ) && pass "restore order on the GRUB disk: $why (strace)" || fail "restore order on the GRUB disk (strace)" "$why"
    else
        run --restore "$work/grub.backup" "$g"
    fi
    [ "$rc" -eq 0 ] && pass "--restore: '$out'" || fail "--restore the GRUB disk" "$out"
    if same "$g" "$work/grub.orig"; then
        pass "after --restore the disk is byte-identical to the GRUB disk ($(stat -c %s "$g") bytes)"
    else
        fail "after --restore the disk is byte-identical to the GRUB disk" "$(cmp "$g" "$work/grub.orig" | head -1)"
    fi
    if loader_boot grub-after "$g" "${GRUB_BOOT[@]}" -- -drive "file=$g,format=raw,if=ide"; then
        pass "GRUB boots the restored disk again"
    else
        fail "GRUB boots the restored disk again" "$(why grub-after)"
    fi
else
    skip "restore a disk that had GRUB" "grub-pc-bin is not installed (scripts/deps.sh installs it)"
fi
unchanged_summary
rm -f "$work"/*.img "$work"/*.orig

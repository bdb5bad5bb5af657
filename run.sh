#!/usr/bin/env bash
# run.sh: boot smart-os in QEMU.
#
#   ./run.sh                 boot build/disk.img with smartboot; the serial
#                            console is this terminal (Ctrl-A X quits QEMU)
#   ./run.sh --direct        boot with QEMU's own loader instead (-kernel,
#                            -initrd, -append): smart-os without smartboot
#   ./run.sh --iso           boot build/smartos.iso (make iso) from a CD: the
#                            live smart-os, smartboot by El Torito
#
# Options:
#   --gui            a QEMU window too (VGA console and a login on tty1)
#   --direct         QEMU loads build/bzImage and build/initrd itself
#   --disk FILE      the root disk (default build/disk.img; --direct falls
#                    back to build/smartos.img when disk.img is missing)
#   --extra          a second disk, build/extra.img (mounted on /mnt/sdb)
#   --iso            the CD build/smartos.iso (-cdrom, booted first) instead
#                    of the disk; with --disk FILE: FILE is the CD image.  The
#                    same file boots as a disk too: --disk build/smartos.iso
#   -m, --mem SIZE   guest memory (default 256M)
#   --no-net         no network card (default: e1000 on QEMU's user network)
#   --snapshot       throw away what the guest writes to its disks
#   --append ARGS    more kernel arguments (--direct only)
#   --debug          start paused, with QEMU's gdb stub on localhost:1234
#                    ($SMARTBOOT_GDB: another host:port, or a unix socket
#                    path); then, in a second terminal, from this directory:
#                    gdb -x debug.gdb   (docs/debugging.md)
#   --gdb            with --debug: run gdb here too, QEMU in the background
#                    with its serial console in build/debug-serial.log
#                    (this is `make debug`)
#   --bochs          boot the disk under Bochs (its own BIOS, not SeaBIOS;
#                    bochs/bochsrc) instead of QEMU; the serial console goes
#                    to build/bochs-serial.log and is shown here.  With
#                    --debug: Bochs's debugger prompt, stopped at the BIOS's
#                    first instruction (`c` runs; a loader built with
#                    `make MAGIC=1` stops by itself at stage 1, stage 2's
#                    main and the hand-off: docs/debugging.md)
#   --help           this text
#   -- QEMU-ARGS     pass the rest to QEMU unchanged
#
# Log in as root; the password is ROOT_PASSWORD from the build ("smartos"
# unless you changed it).  `poweroff` ends QEMU.
set -euo pipefail
cd "$(dirname "$0")"

usage() { sed -n '2,/^set -e/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; }
die() { echo "run.sh: $*" >&2; exit 2; }

bochs=0 iso=0 gui=0 direct=0 disk='' extra=0 mem=256M net=1 snapshot=0 append='' debug=0 gdb=0 qemu_extra=()
while [ $# -gt 0 ]; do
    case "$1" in
        --gui)      gui=1 ;;
        --direct)   direct=1 ;;
        --disk)     [ $# -ge 2 ] || die "--disk needs a file"; disk=$2; shift ;;
        --extra)    extra=1 ;;
        --iso)      iso=1 ;;
        -m|--mem)   [ $# -ge 2 ] || die "$1 needs a size"; mem=$2; shift ;;
        --no-net)   net=0 ;;
        --snapshot) snapshot=1 ;;
        --append)   [ $# -ge 2 ] || die "--append needs arguments"; append=$2; shift ;;
        --debug)    debug=1 ;;
        --gdb)      gdb=1 ;;
        --bochs)    bochs=1 ;;
        -h|--help)  usage; exit 0 ;;
        --)         shift; qemu_extra=("$@"); break ;;
        *)          usage >&2; die "unknown option '$1'" ;;
    esac
    shift
done

# The root disk (or the CD).
if [ $iso -eq 1 ]; then
    [ $direct -eq 0 ] && [ $bochs -eq 0 ] || die "--iso boots the CD with smartboot in QEMU: not with --direct or --bochs"
    disk=${disk:-build/smartos.iso}
    [ -f "$disk" ] || die "$disk: not found (run 'make iso' first)"
elif [ -z "$disk" ]; then
    disk=build/disk.img
    if [ ! -f "$disk" ] && [ $direct -eq 1 ] && [ -f build/smartos.img ]; then
        disk=build/smartos.img               # smart-os without the loader
    fi
fi
[ -f "$disk" ] || die "$disk: not found (run 'make' first)"
[ -z "$append" ] || [ $direct -eq 1 ] || die "--append works with --direct only (smartboot has its own command line)"
[ $gdb -eq 0 ] || [ $debug -eq 1 ] || die "--gdb goes with --debug"
[ $debug -eq 0 ] || [ $direct -eq 0 ] || die "--debug debugs smartboot: not with --direct"

if [ $bochs -eq 1 ]; then
    [ $direct -eq 0 ] && [ $gdb -eq 0 ] || die "--bochs boots the disk with smartboot: not with --direct or --gdb"
    command -v bochs >/dev/null || die "bochs: not installed (run 'make deps')"
    # bochs/bochsrc reads these; Bochs keeps the disk open read-write, so
    # --snapshot boots a copy.
    export BOCHS_DISK=$disk BOCHS_SERIAL=build/bochs-serial.log BOCHS_LOG=build/bochs.log
    export BOCHS_MEGS=${mem%M} BOCHS_MAGIC=$debug
    [[ $BOCHS_MEGS =~ ^[0-9]+$ ]] || die "--bochs takes the memory size in MiB (-m 256M)"
    if [ $snapshot -eq 1 ]; then
        cp --sparse=always "$disk" build/bochs-disk.img; BOCHS_DISK=build/bochs-disk.img
    fi
    : > "$BOCHS_SERIAL"
    rc=build/bochs.rc
    # The debugger reads its first commands from -rc: "c" runs at once.
    if [ $debug -eq 1 ]; then : > $rc; else echo c > $rc; fi
    tail -n +1 -f "$BOCHS_SERIAL" & tailer=$!
    trap 'kill $tailer 2>/dev/null' EXIT
    if [ $debug -eq 1 ]; then
        echo "run.sh: bochs -q -f bochs/bochsrc: its debugger here ('c' runs, Ctrl-C stops, 'q' quits); serial console: $BOCHS_SERIAL" >&2
        bochs -q -f bochs/bochsrc -rc $rc "${qemu_extra[@]}"
    else
        # Bochs's own chatter goes to build/bochs.out; Ctrl-C ends it.
        echo "run.sh: bochs -q -f bochs/bochsrc (its output: build/bochs.out; Ctrl-C quits)" >&2
        bochs -q -f bochs/bochsrc -rc $rc "${qemu_extra[@]}" < /dev/null > build/bochs.out 2>&1 & emu=$!
        trap 'kill $tailer $emu 2>/dev/null' EXIT INT TERM
        wait $emu
    fi
    exit
fi

# Software emulation: KVM hangs on our build machines.  -no-reboot: a
# reboot ends QEMU, so a guest that keeps rebooting cannot loop forever.
args=(qemu-system-x86_64 -accel tcg -m "$mem" -no-reboot)

if [ $gdb -eq 1 ]; then
    # gdb has this terminal: the serial console goes to a file.
    args+=(-serial file:build/debug-serial.log -monitor none)
    [ $gui -eq 1 ] || args+=(-display none)
elif [ $gui -eq 1 ]; then
    # The window shows the VGA console; the serial console stays here.
    args+=(-serial mon:stdio)
else
    # mon:stdio: the serial line and QEMU's monitor share this terminal
    # (Ctrl-A C switches, Ctrl-A X quits).
    args+=(-display none -serial mon:stdio)
fi

# format=raw: say so, rather than let QEMU guess (and warn).  The CD: an
# IDE CD drive (ATAPI) on the secondary channel's master, booted first.
if [ $iso -eq 1 ]; then
    args+=(-drive "file=$disk,format=raw,media=cdrom,if=ide,index=2,readonly=on" -boot d)
else
    args+=(-drive "file=$disk,format=raw,if=ide,index=0")
fi
if [ $extra -eq 1 ]; then
    [ -f build/extra.img ] || die "build/extra.img: not found (run 'make extra')"
    args+=(-drive "file=build/extra.img,format=raw,if=ide,index=1")
fi
[ $snapshot -eq 0 ] || args+=(-snapshot)

if [ $net -eq 1 ]; then
    # QEMU's user network: DHCP, DNS at 10.0.2.3, the host at 10.0.2.2.
    args+=(-netdev user,id=net0 -device e1000,netdev=net0)
fi

if [ $direct -eq 1 ]; then
    for f in build/bzImage build/initrd; do
        [ -f "$f" ] || die "$f: not found (run 'make')"
    done
    # Both consoles: the kernel's messages go to each, /dev/console (where
    # init writes) is the last one, the serial line.
    args+=(-kernel build/bzImage -initrd build/initrd
           -append "root=/dev/sda1 console=tty0 console=ttyS0${append:+ $append}")
fi

if [ $debug -eq 1 ]; then
    # -S: stop before the first instruction (the BIOS's, at f000:fff0) until
    # gdb says "continue".  -gdb: the stub ("-s" is -gdb tcp::1234, which
    # listens on every interface; we listen on localhost only).
    stub=${SMARTBOOT_GDB:-localhost:1234}
    case "$stub" in
        */*|*.sock) args+=(-S -gdb "unix:$stub,server=on,wait=off") ;;
        *)          args+=(-S -gdb "tcp:$stub") ;;
    esac
    export SMARTBOOT_GDB=$stub
fi

args+=("${qemu_extra[@]}")
echo "run.sh: ${args[*]}" >&2
if [ $gdb -eq 1 ]; then
    # QEMU in its own session, so that Ctrl-C in gdb interrupts the guest
    # (through the stub) instead of killing QEMU; it goes when gdb ends.
    : > build/debug-serial.log
    setsid "${args[@]}" < /dev/null &
    qemu=$!
    trap 'kill $qemu 2>/dev/null' EXIT
    echo "run.sh: QEMU is paused (pid $qemu); serial console: tail -f build/debug-serial.log" >&2
    # gdb retries a TCP connection while QEMU starts; a unix socket must exist.
    case "$stub" in
        */*|*.sock) for _ in $(seq 20); do [ -S "$stub" ] && break; sleep 0.25; done ;;
    esac
    gdb -q -x debug.gdb
    exit
fi
if [ $debug -eq 1 ]; then
    echo "run.sh: QEMU is paused; in another terminal, in $(pwd): gdb -x debug.gdb" >&2
fi
exec "${args[@]}"

#!/usr/bin/env bash
# time-direct-boot.sh [RUNS] [DISK]
#
# How long smart-os takes to boot: RUNS (default 5) direct boots (QEMU's
# own loader, -kernel/-initrd, as in the tests) of a copy of DISK (default
# build/smartos.img), each timed from the start of QEMU to the login prompt
# on the serial console.  Prints each run and the median.
#
# The time is wall-clock time around tests/console.py, which starts QEMU
# and returns as soon as "login:" appears; Python's start-up and killing
# QEMU add a few tens of milliseconds.  QEMU runs with -accel tcg, like
# everywhere in this project, so these are emulated-CPU figures.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-5}
disk=${2:-$top/build/smartos.img}
work=$top/build/tests/timing
mkdir -p "$work"
for f in "$top/build/bzImage" "$top/build/initrd" "$disk"; do
    [ -f "$f" ] || { echo "time-direct-boot: $f missing (run make)" >&2; exit 1; }
done

times=()
for i in $(seq "$runs"); do
    # A fresh copy each time: every run boots the same disk.
    cp --sparse=always "$disk" "$work/disk.img"
    start=$EPOCHREALTIME
    python3 "$top/tests/console.py" -l "$work/run$i.log" -t 120 -e 'login: ' -- \
        qemu-system-x86_64 -accel tcg -m 256M -display none -serial stdio -monitor none -no-reboot \
        -kernel "$top/build/bzImage" -initrd "$top/build/initrd" \
        -append "root=/dev/sda1 console=tty0 console=ttyS0" \
        -drive "file=$work/disk.img,format=raw,if=ide" \
        -netdev user,id=net0 -device e1000,netdev=net0 >/dev/null
    end=$EPOCHREALTIME
    t=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f", e - s }')
    # What the guest itself says: kernel uptime when rcS finished.
    guest=$(tr -d '\r' < "$work/run$i.log" | sed -n 's/^smart-os: boot finished, \([0-9.]*\) s.*/\1/p')
    echo "run $i: ${t} s to the login prompt (rcS finished at ${guest:-?} s of kernel uptime)"
    times+=("$t")
done
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
echo "median of $runs: $median s from QEMU start to the login prompt"
rm -f "$work/disk.img"

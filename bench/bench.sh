#!/usr/bin/env bash
# bench/bench.sh [--quick]: the boot-time benchmark (make bench; docs/performance.md).
#
# Builds the comparison disks (bench/mkdisks.sh), boots each loader N times,
# interleaved (bench/bench.py run), and writes the report (bench/bench.py
# report).  Settings, from the environment (make bench N=3 ...):
#
#   N=5                   boots per loader, machine and workload
#   WORKLOADS=small,big,debian
#                         small: smart-os as built; big: + 64 MiB in the
#                         initrd; debian: Debian's own kernel (fetched with
#                         apt-get download), timed to `Linux version`
#   MACHINES=pc,q35       -M pc (IDE, what -hda gives) and -M q35 (AHCI)
#   QUICK=1 (--quick)     one boot each, small workload, -M pc: a smoke test
#   REPORT=FILE           where the Markdown goes; default docs/performance.md
#                         for a full run (both workloads, both machines),
#                         build/bench/performance.md otherwise
#   BENCH_OUT=DIR         the disks, logs and results (default build/bench)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out=${BENCH_OUT:-$top/build/bench}
[ "${1:-}" = --quick ] && QUICK=1

if [ -n "${QUICK:-}" ]; then
    N=1 WORKLOADS=small MACHINES=pc
    export BENCH_PROBE_MIB=16
fi
N=${N:-5} WORKLOADS=${WORKLOADS:-small,big,debian} MACHINES=${MACHINES:-pc,q35}
if [ -z "${REPORT:-}" ]; then
    REPORT=$out/performance.md
    [ "$WORKLOADS" = small,big,debian ] && [ "$MACHINES" = pc,q35 ] && REPORT=$top/docs/performance.md
fi

# One command line for every loader.  earlyprintk=serial makes the kernel's
# decompressor speak first (CONFIG_X86_VERBOSE_BOOTUP), and "debug" makes the
# 16-bit setup code speak even before it ("early console in setup code"):
# the hand-off, for both entries.  loglevel=7 undoes what else "debug" does
# (console_loglevel 10), so the kernel prints what it always prints.
export BENCH_CMDLINE="root=/dev/sda1 console=tty0 console=ttyS0 earlyprintk=serial,ttyS0,115200 debug loglevel=7"

echo "bench: N=$N, workloads $WORKLOADS, machines $MACHINES; disks in ${out#$top/}"
mkdir -p "$out"
rm -f "$out/results.jsonl"
echo "$BENCH_CMDLINE" > "$out/cmdline"
"$top/bench/mkdisks.sh" "$out" ${WORKLOADS//,/ }
python3 "$top/bench/bench.py" grub-modules "$out"
python3 "$top/bench/bench.py" run "$out" "$N" "$MACHINES" "$WORKLOADS"
python3 "$top/bench/bench.py" report "$out" "$REPORT"

#!/usr/bin/env bash
# The boot benchmark works: `make bench QUICK=1` (one boot per loader, the
# small workload, -M pc) builds its disks, boots every loader and prints
# the table, with a hand-off time for each loader and a rate for the raw
# INT 13h probe.  Benchmarks are not tests: no number is judged here,
# docs/performance.md is where they are.  A loader whose Debian packages
# are missing (or EXTLINUX, whose installer needs root for its mount) is
# reported as SKIP, as the bench itself says.
# expect: 10 boot
source "$(dirname "$0")/lib.sh"
out=$BUILD/tests/bench            # apart from build/bench, a full run's
log=$TLOG/bench-quick.log

if ! make -s -C "$TOP" bench QUICK=1 BENCH_OUT="$out" REPORT="$out/performance.md" >"$log" 2>&1; then
    fail "make bench QUICK=1 runs" "$(tail -5 "$log")"
    exit 0
fi
pass "make bench QUICK=1 runs ($(grep -c '^bench: \[' "$log") boots)"

# row LABEL: the table row of a loader (one machine, one workload here).
row() { grep -F "| $1" "$log" | head -1; }
number='[0-9]+\.[0-9]+'
for label in "smartboot, 32-bit entry" "smartboot, 16-bit entry" "smartboot, native disk driver" \
             "GRUB 2.06 \`linux\`" "GRUB 2.06 \`linux16\`" "EXTLINUX 6.04" "QEMU -kernel (direct)"; do
    case $label in
        GRUB*)     why=$(grep -m1 '^bench: SKIP GRUB' "$log") ;;
        EXTLINUX*) why=$(grep -m1 '^bench: SKIP EXTLINUX' "$log") ;;
        *)         why= ;;
    esac
    if [ -n "$why" ]; then
        skip "the table has $label" "${why#bench: SKIP }"
        continue
    fi
    r=$(row "$label")
    # | machine | workload | loader | hand-off | Linux version | init | exit | ...
    IFS='|' read -ra cell <<< "$r"
    if [ ${#cell[@]} -gt 7 ] && [[ ${cell[4]} =~ ^\ $number\ \( ]] && [[ ${cell[5]} =~ ^\ $number\ \( ]] &&
       [[ ${cell[6]} =~ ^\ $number\ \( ]]; then
        pass "the table has $label, with its hand-off, 'Linux version' and init times"
    else
        fail "the table has $label, with its hand-off, 'Linux version' and init times" "${r:-no row}"
    fi
done
r=$(row "raw INT 13h probe")
echo "$r" | grep -Eq "\*\*$number\*\*" \
    && pass "the table has the raw INT 13h probe's rate" \
    || fail "the table has the raw INT 13h probe's rate" "${r:-no row}"
grep -q '^| smartboot | ' "$out/performance.md" \
    && pass "the report has the footprints ($out/performance.md)" \
    || fail "the report has the footprints" "$(grep -c . "$out/performance.md" 2>/dev/null) lines in $out/performance.md"

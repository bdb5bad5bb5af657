# Lab 3: the ranges, checked against smartboot's own table (one boot).
source "$TOP/labs/lib.sh"
need "$BUILD/disk.img" "the disk ./run.sh boots"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
part="?offset=$((2048 * 512))"            # partition 1 (scripts/mkdisk.sh)

cp --sparse=always "$BUILD/disk.img" "$work/disk.img"
printf 'verbose on\ntimeout -1\nentry smart-os\n  kernel /boot/bzImage\n' > "$work/smartboot.cfg"
for r in "rm /boot/smartboot.cfg" "write $work/smartboot.cfg /boot/smartboot.cfg"; do
    debugfs -w -R "$r" "$work/disk.img$part" >/dev/null 2>&1     # (rm: the stock menu's, if any)
done
if ! python3 "$TOP/tests/console.py" -l "$work/serial.log" -t 60 -e 'Up/Down or' -- \
        qemu-system-x86_64 -accel tcg -m 256M -display none -serial stdio -monitor none -no-reboot \
        -drive "file=$work/disk.img,format=raw,if=ide" >/dev/null 2>&1; then
    missing "the reference map" "smartboot did not reach its menu under QEMU (see make test)"
    lab_end
fi
# "  0000000000000000 - 000000000009fbff  usable" lines after "memory map (e820):"
tr -d '\r' < "$work/serial.log" | awk '/^memory map \(/ { on = 1; next } on && /^  [0-9a-f]/ { print; next } on { exit }' \
    > "$work/map"
n=$(wc -l < "$work/map")
expect_num count "$n" "the number of ranges"
i=0
while read -r start _ end type; do
    i=$((i + 1))
    got=$(answer "range\\.$i")
    # START - END TYPE, numbers in any notation, type in any case
    if [[ ${got,,} =~ ^(0x[0-9a-f]+|[0-9]+)[[:space:]]*-[[:space:]]*(0x[0-9a-f]+|[0-9]+)[[:space:]]+(.+)$ ]] &&
       [ "$(num "${BASH_REMATCH[1]}")" = $((16#$start)) ] && [ "$(num "${BASH_REMATCH[2]}")" = $((16#$end)) ] &&
       [ "${BASH_REMATCH[3],,}" = "${type,,}" ]; then
        ok "range $i (range.$i = $got)"
    else
        wrong "range $i (range.$i)" "${got:-no answer}: not the map's range $i"
    fi
done < "$work/map"
[ -z "$(answer "range\\.$((n + 1))")" ] || wrong "no range past the last" "range.$((n + 1)) is one too many"
expect_num low_kib "$(tr -d '\r' < "$work/serial.log" | sed -n 's/.*ranges, \([0-9]*\) KiB low.*/\1/p' | head -1)" "INT 12h"
# SeaBIOS's map comes sorted and disjoint: e820_sanitize() returns it as it is
# (docs/solutions.md, exercise 5; tests/host/planner_test.c shows maps it does change).
expect_word sanitize_changed no "what e820_sanitize() did to SeaBIOS's map"
lab_end

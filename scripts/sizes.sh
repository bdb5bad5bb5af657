#!/usr/bin/env bash
# Print the two stages' sizes against their budgets (every build runs this).
#   scripts/sizes.sh BUILD_DIR
set -euo pipefail
b=${1:-build}
# Stage 1: where the padding before the patch fields starts is where the code
# ends; the listing gives that address on the `times 0x1B0` line.
code=$(awk '/times 0x1B0/ { print $2; exit }' "$b/mbr.lst")
code=$((16#$code))
s1=$(stat -c %s "$b/mbr.bin")
s2=$(stat -c %s "$b/stage2.bin")
budget=31744
echo "stage 1: $s1 bytes, code and data $code of 432 bytes ($((432 - code)) free)"
echo "stage 2: $s2 of $budget bytes ($((s2 * 100 / budget))%, $((budget - s2)) free)"

#!/usr/bin/env bash
# Print the stages' sizes against their limits (every build runs this).
#   scripts/sizes.sh BUILD_DIR
# Stage 2's limits come from stage2/layout.h, its sizes from the header of
# build/stage2.bin (stage2/entry/stub.h): the packed image against STAGE2_BUDGET,
# the unpacked one (stub + payload) against PAYLOAD_LIMIT.
set -euo pipefail
b=${1:-build}
layout=$(dirname "$0")/../stage2/layout.h
def() { awk -v n="$1" '$1 == "#define" && $2 == n { print $3; exit }' "$layout"; }
# le32 FILE OFFSET: the little-endian 32-bit number at OFFSET.
le32() { od -An -tu4 -j"$2" -N4 "$1" | tr -d ' '; }

# Stage 1: where the padding before the patch fields starts is where the code
# ends; the listing gives that address on the `times STAGE1_CODE_END` line.
code=$(awk '/times STAGE1_CODE_END/ { print $2; exit }' "$b/mbr.lst")
code=$((16#$code))
s1=$(stat -c %s "$b/mbr.bin")
echo "stage 1: $s1 bytes, code and data $code of 432 bytes ($((432 - code)) free)"

s2=$b/stage2.bin
budget=$(def STAGE2_BUDGET) base=$(($(def STAGE2_BASE))) limit=$(($(def PAYLOAD_LIMIT)))
packed=$(stat -c %s "$s2")
addr=$(le32 "$s2" 8) size=$(le32 "$s2" 12) psize=$(le32 "$s2" 16)
stub=$((addr - base)) end=$((addr + size))
echo "stage 2: $packed of $budget bytes packed ($((packed * 100 / budget))%, $((budget - packed)) free):" \
     "stub $stub + payload $psize, packed from $size ($((psize * 1000 / (size ? size : 1) / 10)).$((psize * 1000 / (size ? size : 1) % 10))%)"
printf 'stage 2 unpacked: 0x%X-0x%X, %d of %d bytes below 0x%X (%d%%, %d free)\n' \
    "$base" "$((end - 1))" "$((end - base))" "$((limit - base))" "$limit" \
    "$(((end - base) * 100 / (limit - base)))" "$((limit - end))"

#!/usr/bin/env bash
# Copy the gdb sessions of the last tests/t-40-gdb.sh run into
# docs/debugging.md, between its "transcript" markers: a transcript made by
# the test, never typed by hand.
#
#   tests/run.sh tests/t-40-gdb.sh && scripts/gdb-transcript.sh
#
# The 32-bit session goes in whole; of the 16- and 64-bit ones, the hand-off.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=build/tests/t-40-gdb/gdb
doc=docs/debugging.md
for e in 32 16 64; do
    [ -s "$dir/transcript-$e.txt" ] || { echo "gdb-transcript: $dir/transcript-$e.txt missing: run tests/t-40-gdb.sh" >&2; exit 1; }
done
grep -q '^<!-- transcript: made by tests/t-40-gdb.sh' "$doc" && grep -q '^<!-- transcript end -->' "$doc" \
    || { echo "gdb-transcript: $doc has no transcript markers" >&2; exit 1; }

# Paths relative to the repository, as a student's session would print them.
clean() { sed -e "s|$(pwd)/||g" -e 's/[[:space:]]*$//'; }
session() {
    echo
    echo "$1"
    echo
    echo '```'
    clean
    echo '```'
}
new=$(mktemp)
{
    sed -n '1,/^<!-- transcript: made by tests\/t-40-gdb.sh/p' "$doc"
    session "**The 32-bit hand-off** (the default), from the reset vector to the kernel's switch to 64-bit mode:" \
        < "$dir/transcript-32.txt"
    sed -n '/^(gdb) handoff/,$p' "$dir/transcript-16.txt" |
        session "**The 16-bit hand-off** (\`handoff 16\`), from \`handoff\` on: the kernel's setup code runs in real mode, with CS ≠ 0:"
    sed -n '/^(gdb) handoff/,$p' "$dir/transcript-64.txt" |
        session "**The 64-bit hand-off** (\`handoff 64\`), from \`handoff\` on: stage 2 has switched to long mode itself:"
    echo
    sed -n '/^<!-- transcript end -->/,$p' "$doc"
} > "$new"
mv "$new" "$doc"
echo "gdb-transcript: $doc updated from $dir"

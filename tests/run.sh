#!/usr/bin/env bash
# Run the test suite: every tests/t-*.sh (or the ones named on the command
# line), each reporting PASS:/FAIL:/SKIP: lines.  A script that exits non-zero
# without reporting a failure counts as one failure.  Ends with the summary
# line "N passed, N failed" (", N skipped" when some were skipped).
set -u
cd "$(dirname "$0")/.."
mkdir -p build/tests
passed=0 failed=0 skipped=0
tests=("$@"); [ ${#tests[@]} -gt 0 ] || tests=(tests/t-*.sh)
for t in "${tests[@]}"; do
    name=$(basename "$t" .sh)
    start=$(date +%s)
    echo "== $name"
    out=$(bash "$t" 2>"build/tests/$name.stderr"); rc=$?
    echo "$out" | grep -E '^(PASS|FAIL|SKIP):' | sed 's/^/   /'
    p=$(echo "$out" | grep -c '^PASS:'); f=$(echo "$out" | grep -c '^FAIL:'); s=$(echo "$out" | grep -c '^SKIP:')
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "   FAIL: $name exited with $rc"; f=1
    fi
    if [ "$f" -gt 0 ]; then
        echo "   (stderr in build/tests/$name.stderr:)"; tail -n 15 "build/tests/$name.stderr" | sed 's/^/   | /'
    fi
    echo "   ($(( $(date +%s) - start )) s)"
    passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
done
summary="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && summary="$summary, $skipped skipped"
echo "$summary"
[ "$failed" -eq 0 ]

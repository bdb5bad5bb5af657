#!/usr/bin/env bash
# Run the test suite: every tests/t-*.sh (or the ones named on the command
# line), each reporting PASS:/FAIL:/SKIP: lines (docs/testing.md).
#
#   tests/run.sh [-j N] [TEST...]     N tests at a time (default: TEST_JOBS, or 2)
#
# Tests run in parallel, each in its own directory (build/tests/t-NN-name/,
# tests/lib.sh), but their reports are printed whole and in the order of
# their names, as each one and all before it are done.  A test's stdout
# and stderr are kept in build/tests/t-NN-name.{out,stderr}.
#
# A test fails (one FAIL more) when it exits non-zero without reporting a
# failure, or when it ran fewer checks than it declares with a line
#     # expect: N KIND
# (at least N PASS/FAIL/SKIP lines; KIND is boot, host or docs: what its
# checks count as in the summary).  Without that line a test must run at
# least 1 check, and counts as boot when it boots QEMU, else as host.
#
# The last line is the summary, "N passed, N failed" (", N skipped" when
# some were skipped), then the passed checks by kind:
#     1514 passed, 0 failed (boot 124, host 1350, docs 40)
set -u
cd "$(dirname "$0")/.."
jobs=${TEST_JOBS:-2}
while [ $# -gt 0 ]; do
    case $1 in
        -j) jobs=$2; shift 2 ;;
        -j*) jobs=${1#-j}; shift ;;
        *) break ;;
    esac
done
[[ $jobs =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: -j wants a number of jobs, not '$jobs'" >&2; exit 2; }
tests=("$@"); [ ${#tests[@]} -gt 0 ] || tests=(tests/t-*.sh)
n=${#tests[@]}
mkdir -p build/tests
R=$(mktemp -d build/tests/.run.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$R"' EXIT
trap 'exit 130' INT TERM

# The host programs the tests run, made once here: two tests making the
# same file at the same time could each see the other's half-written one.
if [ "$jobs" -gt 1 ] && [ "$n" -gt 1 ]; then
    make -s host-tests >"$R/make.log" 2>&1 || { echo "run.sh: make host-tests failed:"; tail -5 "$R/make.log"; }
fi

# declared TEST: "MIN KIND" from its "# expect:" line, or the defaults.
declared() {
    local min kind
    read -r min kind < <(sed -n 's/^# expect: *\([0-9][0-9]*\) *\([a-z]*\).*/\1 \2/p' "$1" | head -1)
    if [ -z "$kind" ]; then
        if grep -qE '^[^#]*\b(console|loader_boot|qemu_cmd|qemu-system)\b' "$1"; then kind=boot; else kind=host; fi
    fi
    echo "${min:-1} $kind"
}

run_one() {     # run_one INDEX: the test, its output and status in $R
    local t=${tests[$1]} name start rc
    name=$(basename "$t" .sh)
    start=$SECONDS
    bash "$t" >"build/tests/$name.out" 2>"build/tests/$name.stderr"; rc=$?
    echo "$rc $((SECONDS - start))" > "$R/$1.tmp" && mv "$R/$1.tmp" "$R/$1.done"
}

passed=0 failed=0 skipped=0
declare -A bykind=([boot]=0 [host]=0 [docs]=0)
report() {      # report INDEX: print the test's block and count it
    local t=${tests[$1]} name rc secs p f s min kind out
    name=$(basename "$t" .sh)
    read -r rc secs < "$R/$1.done"
    read -r min kind < <(declared "$t")
    out=build/tests/$name.out
    echo "== $name"
    grep -E '^(PASS|FAIL|SKIP):' "$out" | sed 's/^/   /'
    p=$(grep -c '^PASS:' "$out"); f=$(grep -c '^FAIL:' "$out"); s=$(grep -c '^SKIP:' "$out")
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "   FAIL: $name exited with $rc"; f=1
    fi
    if [ $((p + f + s)) -lt "$min" ]; then
        echo "   FAIL: $name ran $((p + f + s)) checks, fewer than the $min it declares ('# expect:' in $t)"
        f=$((f + 1))
    fi
    if [ "$f" -gt 0 ]; then
        echo "   (stderr in build/tests/$name.stderr:)"; tail -n 15 "build/tests/$name.stderr" | sed 's/^/   | /'
    fi
    echo "   ($secs s)"
    passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
    bykind[$kind]=$(( ${bykind[$kind]:-0} + p ))
}

# Start tests while fewer than $jobs run; print each one's report as soon
# as it and every test before it are done.
start=$SECONDS next=0
for ((i = 0; i < n; i++)); do
    while [ ! -e "$R/$i.done" ]; do
        if [ $next -lt $n ] && [ "$(jobs -rp | wc -l)" -lt "$jobs" ]; then
            run_one $next &
            next=$((next + 1))
        else
            sleep 0.2
        fi
    done
    report $i
done
echo "($n tests in $((SECONDS - start)) s, $jobs at a time)"
summary="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && summary="$summary, $skipped skipped"
kinds=
for k in boot host docs "${!bykind[@]}"; do
    case " $kinds " in *" $k "*) continue ;; esac
    kinds+=" $k"
done
detail=
for k in $kinds; do detail+="${detail:+, }$k ${bykind[$k]}"; done
echo "$summary ($detail)"
[ "$failed" -eq 0 ]

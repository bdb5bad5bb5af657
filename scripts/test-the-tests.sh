#!/usr/bin/env bash
# make test-the-tests: a test that cannot fail proves nothing, so plant
# each defect the suite must catch in a scratch copy of the tree, run the
# test that should catch it, and expect that test to FAIL, with the
# message that names the defect (docs/testing.md).
#
#   scripts/test-the-tests.sh [CASE...]     (default: every case)
#
# Cases (CASE: what is planted -> the test that must fail):
#   overrun     ext2_read's hole path writes one byte past the buffer -> t-10 (ASan)
#   unpack      unpack.c loses a bounds check on a match              -> t-15 (ASan)
#   zero-boots  loader_boot boots nothing and says it did             -> t-64
#   zero-fuzz   the fuzz targets run with -runs=0                     -> t-67
#   initrd-byte stage 2 changes one byte of the initrd it loaded      -> t-35
#   e820-drop   stage 2 drops the last E820 entry of the zero page    -> t-35
# Each copy is build/test-the-tests/CASE/: the tree as it is now (with
# uncommitted changes), the build's kernel, initrd and disks linked in,
# stage 2 and the host programs rebuilt from the planted sources.  A case
# PASSes when the test fails with its message; it FAILs when the test
# passes (the defect got through) or the defect could not be planted
# (the code moved: update the case).  Ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
TOP=$(pwd)
OUT=$TOP/build/test-the-tests
ALL=(overrun unpack zero-boots zero-fuzz initrd-byte e820-drop)
cases=("$@"); [ ${#cases[@]} -gt 0 ] || cases=("${ALL[@]}")
passed=0 failed=0

# scratch CASE: a fresh copy of the tree in $OUT/CASE, with the build's
# big outputs (kernel, root filesystem, initrd, disks) linked, not rebuilt.
scratch() {
    local dir=$OUT/$1 f
    rm -rf "$dir"; mkdir -p "$dir/build"
    git ls-files -z --cached --others --exclude-standard | grep -zv '^build/' |
        tar --null -T - -cf - | tar -xf - -C "$dir"
    # (Inputs only: a file that make rebuilds here must not be a link, or
    # the planted build would write through it into the real one.)
    for f in bzImage initrd rootfs smartos.img extra.img linux-source-6.1 kernel-*; do
        [ -e "build/$f" ] && ln -s "$TOP/build/$f" "$dir/build/$f"
    done
    cp build/smartboot-install "$dir/build/" 2>/dev/null
    echo "$dir"
}

# plant DIR FILE OLD NEW: replace the one OLD in DIR/FILE with NEW.
plant() {
    python3 - "$1/$2" "$3" "$4" <<'EOF'
import sys
path, old, new = sys.argv[1:]
s = open(path).read()
if s.count(old) != 1:
    sys.exit("cannot plant the defect: %r occurs %d times in %s" % (old, s.count(old), path))
open(path, "w").write(s.replace(old, new))
EOF
}

# expect_fail CASE DIR TEST PATTERN [VAR=VALUE...]: run TEST in DIR (with the
# environment given); it must fail with a FAIL line matching PATTERN.
expect_fail() {
    local name=$1 dir=$2 t=$3 pat=$4 log; shift 4
    log=$OUT/$name.log
    (cd "$dir" && env "$@" nice tests/run.sh "$t") > "$log" 2>&1
    local rc=$?
    if [ $rc -ne 0 ] && grep -E '^ *FAIL:' "$log" | grep -qE "$pat"; then
        echo "PASS: $name: $(basename "$t" .sh) fails: $(grep -E '^ *FAIL:' "$log" | grep -E -m1 "$pat" | sed 's/^ *//' | cut -c1-160)"
        passed=$((passed + 1))
    else
        echo "FAIL: $name: $(basename "$t" .sh) should fail with /$pat/ (exit $rc; $log)"
        failed=$((failed + 1))
    fi
}

# prepare CASE FILE OLD NEW [MAKE-TARGET...]: scratch, plant, build; the
# copy is $dir.
prepare() {
    local name=$1 file=$2 old=$3 new=$4 why; shift 4
    dir=$(scratch "$name")
    if ! why=$(plant "$dir" "$file" "$old" "$new" 2>&1); then
        echo "FAIL: $name: $why"; failed=$((failed + 1)); return 1
    fi
    if [ $# -gt 0 ] && ! why=$(cd "$dir" && nice make -s "$@" 2>&1); then
        echo "FAIL: $name: the planted tree does not build: $(echo "$why" | tail -3)"; failed=$((failed + 1)); return 1
    fi
}

for c in "${cases[@]}"; do
    case $c in
    overrun)
        prepare overrun stage2/fs/ext2.c \
            'memset(dst, 0, bytes);       /* a hole */' 'memset(dst, 0, bytes + 1);   /* a hole */' host-tests &&
            expect_fail overrun "$dir" tests/t-10-ext2-host.sh 'sanitizer report' ;;
    unpack)
        prepare unpack stage2/entry/unpack.c \
            'if (dist == 0 || dist > pos || len > size - pos)' 'if (dist == 0 || dist > pos)' host-tests &&
            expect_fail unpack "$dir" tests/t-15-pack-host.sh 'sanitizer report' ;;
    zero-boots)
        prepare zero-boots tests/boot-lib.sh \
            '# why NAME:' $'loader_boot() { return 0; }   # planted: boots nothing\n# why NAME:' loader &&
            expect_fail zero-boots "$dir" tests/t-64-bad-config.sh 'no boot ran' ;;
    zero-fuzz)
        prepare zero-fuzz tests/lib.sh '-print_final_stats=1' '-runs=0 -print_final_stats=1' &&
            expect_fail zero-fuzz "$dir" tests/t-67-fuzz-parsers.sh 'executions' FUZZ_PARSERS_SMOKE=2 ;;
    initrd-byte)
        prepare initrd-byte stage2/proto/linux.c \
            $'\ttrace_phase("loaded");' \
            $'\t((volatile uint8_t *)(uintptr_t)plan.initrd_addr)[1000] ^= 1;   /* planted */\n\ttrace_phase("loaded");' \
            loader &&
            expect_fail initrd-byte "$dir" tests/t-35-handoff.sh 'initrd in memory' HANDOFF_MEMS=64M ;;
    e820-drop)
        prepare e820-drop stage2/proto/linux.c \
            'bp->e820_entries = (uint8_t)mm->count;' 'bp->e820_entries = (uint8_t)(mm->count - 1);   /* planted */' \
            loader &&
            expect_fail e820-drop "$dir" tests/t-35-handoff.sh "E820 table is the BIOS's map" HANDOFF_MEMS=64M ;;
    *)
        echo "FAIL: $c: no such case (${ALL[*]})"; failed=$((failed + 1)) ;;
    esac
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

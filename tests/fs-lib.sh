# Helpers for the filesystem reader's host tests (sourced after lib.sh):
# t-10 (ext2, ext3), t-13 (the ext2/3/4 matrix), t-14 (fuzzing).
#
# FS_SRC: the reader's sources, exactly the files stage 2 links.
FS_SRC=("$TOP/stage2/fs/fs.c" "$TOP/stage2/fs/ext2.c" "$TOP/stage2/fs/crc32c.c")

# fs_build_m32 DIR: the reader must build with stage 2's flags (mk/loader.mk)
# without a warning, and call nothing but klib.h and itself (no libgcc: no
# 64-bit division).  Passes with the -Os size of each object.
fs_build_m32() {
    local dir=$1 src obj objs=() sizes=() extra
    for src in "${FS_SRC[@]}"; do
        obj=$dir/$(basename "$src" .c)-m32.o
        if ! gcc -m32 -march=i686 -ffreestanding -fno-pic -fno-pie -fno-stack-protector \
                -fno-asynchronous-unwind-tables -fno-builtin -mgeneral-regs-only \
                -mpreferred-stack-boundary=2 -Os -std=gnu11 -Wall -Wextra -Werror \
                -I"$TOP/lib" -I"$TOP/stage2" -c "$src" -o "$obj" 2>&1; then
            fail "$(basename "$src") builds for stage 2 without warnings"; return 1
        fi
        objs+=("$obj")
        sizes+=("$(basename "$src") $(size -A "$obj" | awk '$1 == ".text" {t = $2} $1 ~ /^\.rodata/ {r += $2} END {print t " + " r+0}')")
    done
    extra=$(nm -u "${objs[@]}" | awk 'NF == 2 {print $2}' | sort -u |
            grep -vxE 'malloc|free|mem(cmp|cpy|move|set)|str(len|cmp|ncmp|chr)|v?s?n?printf' |
            grep -vxF -f <(nm --defined-only "${objs[@]}" | awk 'NF == 3 {print $3}'))
    if [ -n "$extra" ]; then
        fail "the reader calls only klib.h" "it also needs: $(echo $extra)"; return 1
    fi
    local IFS=,
    pass "the reader builds for stage 2 (bytes of code + data: ${sizes[*]})"
}

# fs_build_host OUT MAIN.c [CC [FLAGS...]]: a host program with the reader,
# with the address and undefined-behaviour sanitizers.
fs_build_host() {
    local out=$1 main=$2 cc=${3:-gcc}; shift 2; [ $# -gt 0 ] && shift
    "$cc" -std=gnu11 -O1 -g -Wall -Wextra -Werror -fsanitize=address,undefined \
        -fno-sanitize-recover=all -I"$TOP/lib" -I"$TOP/stage2" "$@" -o "$out" \
        "$main" "${FS_SRC[@]}" 2>&1
}

# Helpers for the filesystem reader's host tests (sourced after lib.sh):
# t-10 (ext2, ext3), t-13 (the ext2/3/4 matrix).  The programs come from
# make (mk/host.mk): build/host/ext2_test and build/host/fsread.

# fs_build_m32: the reader's objects as stage 2 links them (mk/loader.mk:
# stage 2's flags, -Werror) call nothing but klib.h and themselves (no
# libgcc: no 64-bit division).  Passes with the -Os size of each object.
fs_build_m32() {
    local objs=(build/obj/stage2/fs/fs.o build/obj/stage2/fs/ext2.o build/obj/stage2/fs/crc32c.o) obj sizes=() extra log
    log=$(make -s -C "$TOP" "${objs[@]}" 2>&1) ||
        { fail "the reader builds for stage 2 without warnings" "$(echo "$log" | tail -5)"; return 1; }
    objs=("${objs[@]/#/$TOP/}")
    for obj in "${objs[@]}"; do
        sizes+=("$(basename "$obj" .o).c $(size -A "$obj" | awk '$1 == ".text" {t = $2} $1 ~ /^\.rodata/ {r += $2} END {print t " + " r+0}')")
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

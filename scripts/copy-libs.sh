#!/usr/bin/env bash
# copy-libs.sh ROOT
#
# Make every dynamically linked program in the staging tree ROOT runnable:
# copy from the host (Debian 12, whose glibc the programs were built for)
# each shared library that a program or library names in its dynamic
# section (DT_NEEDED), recursively, and the ELF interpreter (PT_INTERP).
#
# We read the dynamic sections with readelf instead of running `ldd`: ldd
# executes the program's loader, which is only safe for trusted binaries of
# the host's own architecture.
#
# Libraries land at the path where the host's loader found them, so the
# guest's loader, which searches the same default directories, finds them
# too, without an /etc/ld.so.cache (`ldconfig -r` would need chroot: root).
#
# Written to fork little: each process costs ~10 ms on the build machines,
# and a tree with gcc holds hundreds of ELF files.
set -euo pipefail
root=$1

# The default search path of Debian's x86-64 loader, in its order.  A
# program's own RUNPATH/RPATH directories come first (see below).
default_libdirs=(/lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu /lib /usr/lib)

# copy_in PATH: copy the host's PATH to ROOT/PATH.  A symlink is copied as a
# symlink, then what it points to, so that chains like
# /lib64/ld-linux-x86-64.so.2 -> /lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
# survive intact.
copy_in() {
    local p=$1 t hops=0
    while [ $hops -lt 40 ]; do          # 40: the kernel's own symlink limit
        if [ ! -e "$root$p" ] && [ ! -L "$root$p" ]; then
            mkdir -p "$root${p%/*}"
            cp -a "$p" "$root$p"
        fi
        [ -L "$p" ] || return 0
        t=$(readlink "$p")
        case $t in
            /*) p=$t ;;
            # Resolve relative to the link's directory, lexically: on the
            # host /lib64 is itself a symlink, in ROOT it is a directory.
            *)  p=$(realpath -ms "${p%/*}/$t") ;;
        esac
        hops=$((hops + 1))
    done
    echo "copy-libs: too many symlinks at $1" >&2; return 1
}

# in_root NAME / on_host NAME: is library NAME in ROOT's / the host's
# search path (libdirs)?  on_host prints the path it found.
in_root() {
    local d
    for d in "${libdirs[@]}"; do [ -e "$root$d/$1" ] && return 0; done
    return 1
}
on_host() {
    local d
    for d in "${libdirs[@]}"; do [ -e "$d/$1" ] && { echo "$d/$1"; return 0; }; done
    return 1
}

# is_elf FILE: starts with the ELF magic (bash's read: no process).
is_elf() {
    local magic=
    IFS= read -r -n 4 -d '' magic < "$1" 2>/dev/null || true
    [ "$magic" = $'\x7fELF' ]
}

missing=0
declare -A seen                          # files already read
# Iterate to a fixed point: each pass may add libraries that need others.
while :; do
    added=0
    # Executables and shared objects; .o and .a files have no dynamic section.
    while IFS= read -r -d '' f; do
        [ -z "${seen[$f]:-}" ] || continue
        seen[$f]=1
        is_elf "$f" || continue
        # One readelf for both the program headers (-l) and the dynamic
        # section (-d).
        info=$(readelf -ld "$f" 2>/dev/null || true)
        # RUNPATH/RPATH: directories searched before the default ones;
        # $ORIGIN is the directory of the file itself (glibc's gconv
        # modules use it).
        libdirs=()
        if [[ $info =~ \((RUNPATH|RPATH)\).*\[([^]]*)\] ]]; then
            origin=${f#"$root"}; origin=${origin%/*}
            IFS=: read -r -a libdirs <<<"${BASH_REMATCH[2]//'$ORIGIN'/$origin}"
        fi
        libdirs+=("${default_libdirs[@]}")
        while IFS= read -r line; do
            # The interpreter: /lib64/ld-linux-x86-64.so.2 for every x86-64
            # program.  The kernel opens this exact path to start a dynamic
            # program, init included: without it, even init cannot start.
            if [[ $line =~ "Requesting program interpreter: "([^]]*) ]]; then
                interp=${BASH_REMATCH[1]}
                [ -e "$root$interp" ] || { copy_in "$interp"; added=1; }
            elif [[ $line =~ \(NEEDED\).*\[(.*)\] ]]; then
                lib=${BASH_REMATCH[1]}
                in_root "$lib" && continue
                if host=$(on_host "$lib"); then
                    copy_in "$host"; added=1
                else
                    echo "copy-libs: ${f#"$root"} needs $lib, which the host does not have" >&2
                    missing=1
                fi
            fi
        done <<<"$info"
    done < <(find "$root" -type f \( -perm /111 -o -name '*.so' -o -name '*.so.*' \) -print0)
    [ $added -eq 1 ] || break
done
exit $missing

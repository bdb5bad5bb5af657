#!/usr/bin/env bash
# add-gcc.sh ROOT
#
# Put a C toolchain into the smart-os staging tree ROOT (WITH_GCC=1): gcc,
# binutils, the glibc headers, crt*.o files and libraries, the kernel's
# user-space headers.  The files come from the host's installed Debian
# packages, which are the very versions smart-os's glibc belongs to (the
# host's); scripts/copy-libs.sh then adds the shared libraries these
# programs need (libisl, libmpc, libmpfr, libgmp, libzstd, libbfd, ...).
set -euo pipefail
root=$1

# The packages, by role.  Their runtime libraries are not listed: the
# dynamic sections name them (copy-libs.sh).
packages=(
    gcc gcc-12                       # the driver, collect2, lto-wrapper
    cpp-12                           # cc1: the compiler proper
    binutils binutils-x86-64-linux-gnu   # as, ld, ar, objdump...
    libgcc-12-dev                    # crtbegin.o, libgcc.a, gcc's own headers
    libc6-dev libcrypt-dev           # crt1.o, libc.so (a linker script), headers
    linux-libc-dev                   # <linux/...>, <asm/...>
    libc6 libgcc-s1                  # what the -dev packages' .so links point to
)
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
        { echo "add-gcc: Debian package $p is not installed on this machine" >&2; exit 1; }
done

# Every file of those packages, except:
#  - /usr/share: documentation, manuals, translations;
#  - lto1 and lto-dump (64 MiB): link-time optimisation (-flto) is left out;
#  - gprofng, a profiler that would pull in a dozen more libraries.
dpkg -L "${packages[@]}" | grep '^/' | sort -u |
    grep -vE '^/usr/share(/|$)|/lto1$|lto-dump|gprofng' |
    while IFS= read -r f; do
        # Directories come along with their files; only files and links.
        # (-d follows links: the merged-/usr links /lib and /lib64, which
        # dpkg lists too, are left out, and ROOT keeps real directories.)
        [ -d "$f" ] && continue
        printf '%s\n' "${f#/}"
    done > "$root.gcc-files"
# tar copies symlinks as symlinks and creates real directories where the
# host has merged-/usr links (/lib -> usr/lib), keeping the paths dpkg names.
tar -C / --no-recursion -cf - -T "$root.gcc-files" | tar -C "$root" -xf -
rm "$root.gcc-files"

# `cc` is a Debian "alternative" (/etc/alternatives/cc); a plain link here.
ln -sf gcc "$root/usr/bin/cc"

# Links to what we left out (libasan.so and the other sanitizers, whose
# runtime packages are not copied) would dangle; remove them, so that
# `gcc -fsanitize=address` says "cannot find" rather than something odd.
# Targets are resolved inside ROOT: many are absolute (/lib/...), and
# `find -xtype l` would look for them on the host instead.
find "$root/usr" -type l | while IFS= read -r link; do
    t=$(readlink "$link")
    case $t in
        /*) target=$root$t ;;
        *)  target=$(dirname "$link")/$t ;;
    esac
    [ -e "$target" ] || rm "$link"
done

# A first program to compile (see docs/smart-os.md).
cat > "$root/root/hello.c" <<'HELLO'
#include <stdio.h>

int main(void)
{
    printf("hello, world: compiled and run inside smart-os\n");
    return 0;
}
HELLO
echo "add-gcc: gcc $(gcc-12 -dumpfullversion) and binutils $(dpkg-query -W -f='${Version}' binutils) added"

#!/usr/bin/env python3
"""Check the code references in the documentation.

    scripts/check-doc-refs.py [FILE.md...]      (default: README.md docs/**/*.md)

The docs point at code as `DIR/FILE:FUNCTION` (or `DIR/FILE:FUNCTION()`),
in backquotes: `stage2/bios/a20.c:a20_enable()`, `boot/mbr.asm:start`,
`rootfs/initrd/init:find_root`.  FILE is a path in the repository, or
`linux/PATH` for the kernel source (build/linux-source-6.1, unpacked by the
kernel build).  A bare `FILE` in backquotes that looks like a repository
path (boot/, stage2/, docs/...) must exist too.

For each reference: the file must exist and define FUNCTION - a C function
or macro, an asm label (`a.b` is the local label `.b` after `a:`), a shell
function, a Python def, a gdb `define`, a make target.  Prints one line per
reference that does not resolve ("docs/x.md:12: stage2/bios/a20.c:a20_on: no such
function") and exits 1 if there is any; references into a kernel tree that
is not there are counted as skipped.
"""
import glob
import os
import re
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KERNEL = os.path.join(TOP, "build", "linux-source-6.1")
REPO_DIRS = ("boot/", "stage2/", "lib/", "linker/", "tools/", "tests/", "scripts/", "mk/",
             "gdb/", "docs/", "rootfs/", "kernel-config/", "module/")

REF = re.compile(r"`((?:linux/)?[\w.+-]+(?:/[\w.+-]+)+):([A-Za-z_][\w.]*)(?:\(\))?`")
PATH = re.compile(r"`((?:%s)[\w./+-]*)`" % "|".join(re.escape(d) for d in REPO_DIRS))


def defines(path, name):
    """Does the file at path define name?"""
    with open(path, errors="replace") as f:
        text = f.read()
    n = re.escape(name)
    ext = os.path.splitext(path)[1]
    if ext in (".c", ".h"):
        # A definition starts at the beginning of a line (the return type,
        # maybe attributes, then the name) and is not a declaration.
        for m in re.finditer(r"^[A-Za-z_][^;{}()\n]*?\b%s\s*\(([^;]*?)\)\s*(\{|$)" % n, text, re.M):
            return True
        return re.search(r"^#\s*define\s+%s\b" % n, text, re.M) is not None
    if ext in (".asm", ".inc", ".S", ".s"):
        if "." in name and not name.startswith("."):
            parent, local = name.split(".", 1)
            start = re.search(r"^\s*%s:" % re.escape(parent), text, re.M)
            return bool(start) and re.search(r"^\s*\.%s:" % re.escape(local), text[start.end():], re.M) is not None
        return re.search(r"^\s*%s:|^\s*%%macro\s+%s\b|SYM_\w+\(%s\b|^\s*ENTRY\(%s\)" % (n, n, n, n),
                         text, re.M) is not None
    if ext == ".py":
        return re.search(r"^\s*(def|class)\s+%s\b" % n, text, re.M) is not None
    if ext == ".gdb":
        return re.search(r"^\s*define\s+%s\b" % n, text, re.M) is not None
    if ext == ".mk" or os.path.basename(path) == "Makefile":
        return re.search(r"^%s\s*:" % n, text, re.M) is not None
    if ext == ".ld":
        return re.search(r"\b%s\s*=" % n, text) is not None
    # Shell scripts (init, rcS, *.sh): name() { ... }
    return re.search(r"^\s*%s\s*\(\)" % n, text, re.M) is not None


def main(files):
    bad = skipped = ok = 0
    for doc in files:
        with open(doc) as f:
            lines = f.read().split("\n")
        for i, line in enumerate(lines, 1):
            for m in REF.finditer(line):
                file, name = m.group(1), m.group(2)
                if file.startswith("linux/"):
                    path = os.path.join(KERNEL, file[len("linux/"):])
                    if not os.path.isdir(KERNEL):
                        skipped += 1
                        continue
                else:
                    path = os.path.join(TOP, file)
                if not os.path.isfile(path):
                    print("%s:%d: %s: no such file" % (os.path.relpath(doc, TOP), i, file))
                    bad += 1
                elif not defines(path, name):
                    print("%s:%d: %s:%s: no such function or label" % (os.path.relpath(doc, TOP), i, file, name))
                    bad += 1
                else:
                    ok += 1
            for m in PATH.finditer(line):
                if not os.path.exists(os.path.join(TOP, m.group(1).rstrip("/"))):
                    print("%s:%d: %s: no such file" % (os.path.relpath(doc, TOP), i, m.group(1)))
                    bad += 1
    print("check-doc-refs: %d references resolve, %d do not%s" % (ok, bad, ", %d skipped (no kernel tree in build/)" % skipped if skipped else ""))
    return 1 if bad else 0


if __name__ == "__main__":
    args = sys.argv[1:] or [os.path.join(TOP, "README.md")] + sorted(glob.glob(os.path.join(TOP, "docs", "**", "*.md"), recursive=True))
    sys.exit(main(args))

#!/usr/bin/env python3
"""The figures and listings the documentation quotes from the build.

    scripts/doc-figures.py [--update] [BUILD_DIR]      (default: build)

Some sentences in docs/ quote what the build makes: stage 2's size in
sectors and its checksum in the installer's messages, the stub's size and
the packing ratio, lines of stage 1's nasm listing.  They drifted when
stage 2 grew, so each has a rule here that computes it from the build
(build/stage2-entry32.bin's header, build/mbr.lst; the numbers scripts/sizes.sh
prints).  Without --update: print each quote that differs from the build
("docs/installer.md:30: says '57 sectors', the build gives '49 sectors'")
and exit 1.  With --update: rewrite the quotes (`make doc-figures`).

Each rule must match at least once, so that rewording a sentence cannot
switch its check off silently.  A quoted measurement that is a record of
its day (packing.md's comparison of packers) is checked for consistency
only: its percentages must be its bytes over its input.
"""
import glob
import os
import re
import struct
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SECTOR = 512


def layout(name):
    text = open(os.path.join(TOP, "stage2", "layout.h")).read()
    m = re.search(r"^#define\s+%s\s+(\S+)" % name, text, re.M)
    return int(m.group(1), 0)


def build_figures(build):
    """What the build says: the numbers scripts/sizes.sh prints, and more."""
    # The default build's stage 2 (ENTRY=32), whatever ENTRY this build has.
    data = open(os.path.join(build, "stage2-entry32.bin"), "rb").read()
    addr, size, psize = struct.unpack_from("<III", data, 8)      # stage2/entry/stub.h
    n = (len(data) + SECTOR - 1) // SECTOR
    padded = data + bytes(n * SECTOR - len(data))
    checksum = sum(struct.unpack("<%dH" % (len(padded) // 2), padded)) & 0xFFFF
    stub = addr - layout("STAGE2_BASE")
    budget = layout("STAGE2_BUDGET")
    ratio = psize / size
    # Stage 2's extension (docs/extension.md), made for that stage 2.
    ext = os.path.join(build, "stage2-entry32.ext")
    return {
        "budget": budget, "ext": os.path.getsize(ext) if os.path.exists(ext) else 0,
        "sectors": n, "checksum": checksum, "stub": stub, "payload": size, "packed": psize,
        "bytes": len(data), "ratio": ratio,
        # How much unpacked stage 2 the budget holds at today's ratio.
        "holds": stub + (budget - stub) / ratio,
        "listing": open(os.path.join(build, "mbr.lst")).read().split("\n"),
    }


def thousands(n):
    return "{:,}".format(n)


# (doc, regex, replacement(match, figures) -> the text the build gives).
RULES = [
    ("docs/installer.md", r"stage 2 \(\d+ sectors\) -> LBA 1\.\.\d+",
     lambda m, f: "stage 2 (%d sectors) -> LBA 1..%d" % (f["sectors"], f["sectors"])),
    ("docs/installer.md", r"stage 2 needs \d+ sectors",
     lambda m, f: "stage 2 needs %d sectors" % f["sectors"]),
    ("docs/installer.md", r"would write stage 2 \(\d+ sectors, checksum 0x[0-9a-f]{4}\) -> LBA 1\.\.\d+",
     lambda m, f: "would write stage 2 (%d sectors, checksum 0x%04x) -> LBA 1..%d"
     % (f["sectors"], f["checksum"], f["sectors"])),
    ("docs/installer.md", r"\(LBA 0\.\.\d+\)",
     lambda m, f: "(LBA 0..%d)" % f["sectors"]),
    ("docs/packing.md", r"the stub is about \d+\.\d KiB in(\s+)all",
     lambda m, f: "the stub is about %.1f KiB in%sall" % (f["stub"] / 1024, m.group(1))),
    ("docs/packing.md", r"today a payload of [\d,]+ bytes packs to [\d,]+ \(\d+\.\d %\)",
     lambda m, f: "today a payload of %s bytes packs to %s (%.1f %%)"
     % (thousands(f["payload"]), thousands(f["packed"]), 100 * f["ratio"])),
    ("docs/packing.md", r"At \d+ %, the budget holds about \d+ KiB",
     lambda m, f: "At %d %%, the budget holds about %d KiB" % (round(100 * f["ratio"]), round(f["holds"] / 1024))),
    ("docs/extension.md", r"stage 2 is [\d,]+ of [\d,]+ bytes packed \([\d,]+ free\), and its extension [\d,]+ bytes",
     lambda m, f: "stage 2 is %s of %s bytes packed (%s free), and its extension %s bytes"
     % (thousands(f["bytes"]), thousands(f["budget"]), thousands(f["budget"] - f["bytes"]), thousands(f["ext"]))),
    ("docs/layout.md", r"stage 2's stub \(about \d+\.\d KiB\)",
     lambda m, f: "stage 2's stub (about %.1f KiB)" % (f["stub"] / 1024)),
]


def listing_lines(doc, text, figures):
    """Lines of build/mbr.lst quoted in a doc's code blocks must be in it."""
    bad = []
    listing = set(line.rstrip() for line in figures["listing"])
    for i, line in enumerate(text.split("\n"), 1):
        if re.match(r"^\s+\d+ [0-9A-F]{8} [0-9A-F\[\]()]+\s", line) and line.rstrip() not in listing:
            bad.append("%s:%d: quotes a line build/mbr.lst does not have: %s" % (doc, i, line.strip()))
    return bad


def packer_table(doc, text):
    """packing.md's comparison: each percentage is its bytes over the input."""
    bad = []
    m = re.search(r"\(([\d,]+) bytes: `build/obj/stage2-entry32\.unpacked`", text)
    if not m:
        return ["%s: the packer comparison's input size is not found" % doc]
    total = int(m.group(1).replace(",", ""))
    rows = 0
    for i, line in enumerate(text.split("\n"), 1):
        r = re.match(r"^\|.*\|\s*\**([\d,]+)\**\s*\|\s*\**(\d+\.\d) %\**\s*\|$", line)
        if r:
            rows += 1
            want = "%.1f" % (100 * int(r.group(1).replace(",", "")) / total)
            if want != r.group(2):
                bad.append("%s:%d: %s of %s bytes is %s %%, not %s %%" % (doc, i, r.group(1), thousands(total), want, r.group(2)))
    if rows < 5:
        bad.append("%s: the packer comparison table has %d rows" % (doc, rows))
    return bad


def main(argv):
    update = "--update" in argv
    args = [a for a in argv if a != "--update"]
    build = args[0] if args else os.path.join(TOP, "build")
    figures = build_figures(build)
    problems, changed = [], 0
    for doc in sorted(set(d for d, _, _ in RULES)):
        path = os.path.join(TOP, doc)
        text = open(path).read()
        new = text
        for d, regex, give in RULES:
            if d != doc:
                continue
            found = list(re.finditer(regex, new))
            if not found:
                problems.append("%s: no sentence matches /%s/ (reworded? update scripts/doc-figures.py)" % (doc, regex))
            for m in found:
                want = give(m, figures)
                if m.group(0) != want:
                    line = new.count("\n", 0, m.start()) + 1
                    problems.append("%s:%d: says '%s', the build gives '%s'" % (doc, line, m.group(0), want))
            new = re.sub(regex, lambda m: give(m, figures), new)
        if update and new != text:
            open(path, "w").write(new)
            changed += 1
    for path in [os.path.join(TOP, "README.md")] + sorted(glob.glob(os.path.join(TOP, "docs", "**", "*.md"), recursive=True)):
        doc = os.path.relpath(path, TOP)
        problems += listing_lines(doc, open(path).read(), figures)
    problems += packer_table("docs/packing.md", open(os.path.join(TOP, "docs", "packing.md")).read())
    if update:
        left = [p for p in problems if "says '" not in p]
        for p in left:
            print(p)
        print("doc-figures: %d file(s) rewritten" % changed)
        return 1 if left else 0
    for p in problems:
        print(p)
    print("doc-figures: %d rules, %d problem(s)%s" % (len(RULES) + 2, len(problems),
                                                    " (make doc-figures rewrites the quotes)" if problems else ""))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

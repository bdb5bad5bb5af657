#!/usr/bin/env python3
"""Compare two reports of the Multiboot test kernel (tests/mbkernel/report.c).

    tests/mbcompare.py [--oracle grub|qemu] OURS THEIRS

Each report is the "mbk: ..." lines of a serial log, from "mbk: begin" to
"mbk: end".  Lines "mbk: @..." hold what a loader may choose freely (where
it put the information and the modules, its selector numbers): they are not
compared; their location-independent facts (page-aligned, no overlaps,
inside usable RAM, flat segments) are ordinary lines and are.

What may legitimately differ, and why (--oracle says whose report THEIRS is):
  all      boot_loader_name: each loader writes its own name.
  grub     info.flags bit 11 (VBE information) and Multiboot 2 tag 10 (the APM
           table): GRUB asks the video BIOS (INT 10h AX=4F00h) and the APM BIOS
           (INT 15h AX=5300h); smartboot does not use VBE and connects no APM
           interface, so it has neither to give.  GRUB also gives the ELF
           section headers (flag 5, tag 9, the elf.* lines) and, on an ACPI 2.0
           BIOS, tag 15: smartboot leaves them out to fit stage 2's budget
           (docs/multiboot.md, Limits), so they are not compared.
  qemu     QEMU's loader puts the kernel's file name in front of the command
           line and gives each module its whole -initrd item ("mod1 first
           args"); GRUB gives the arguments only, and smartboot follows GRUB:
           the first word of QEMU's strings is dropped.  QEMU gives no
           framebuffer (flag 12): that flag and line are left out on both
           sides.
Prints the differences; exits 1 if there are any, 2 if a report is missing.
"""
import difflib, re, sys

VBE, ELF_SHDR, FRAMEBUFFER = 1 << 11, 1 << 5, 1 << 12


def report(path):
    text = open(path, "rb").read().decode("latin-1").replace("\r", "")
    m = re.search(r"mbk: begin\n(.*?)mbk: end\n", text, re.S)
    if not m:
        sys.exit("mbcompare: %s: no complete report (mbk: begin ... mbk: end)" % path)
    return [l[5:] for l in m.group(1).splitlines() if l.startswith("mbk: ") and not l.startswith("mbk: @")]


def normalise(lines, oracle, theirs):
    out = []
    for l in lines:
        key = l.split(" ", 1)[0]
        if key == "boot_loader_name":
            continue
        if key.startswith("elf."):
            continue
        if key == "info.flags":
            flags = int(l.split()[1], 16)
            if oracle == "grub":
                flags &= ~(VBE | ELF_SHDR)
            if oracle == "qemu":
                flags &= ~FRAMEBUFFER
            l = "info.flags 0x%x" % flags
        if oracle == "grub" and theirs and key == "tags":
            l = " ".join(w for w in l.split() if w not in ("9", "10", "15"))
        if oracle == "qemu":
            if key == "framebuffer":
                continue
            if theirs and key == "cmdline":
                l = re.sub(r'^cmdline "[^ "]*( |")', lambda m: 'cmdline "' + ('' if m.group(1) == ' ' else '"'), l)
            if theirs and key.startswith("mod["):
                l = re.sub(r'string "[^ "]*( |")', lambda m: 'string "' + ('' if m.group(1) == ' ' else '"'), l)
        out.append(l)
    return out


def main():
    args = sys.argv[1:]
    oracle = "grub"
    if args[:1] == ["--oracle"]:
        oracle, args = args[1], args[2:]
    ours = normalise(report(args[0]), oracle, False)
    theirs = normalise(report(args[1]), oracle, True)
    diffs = [l for l in difflib.unified_diff(ours, theirs, "ours", "theirs", n=0, lineterm="")
             if l[:1] in "+-" and l[:3] not in ("---", "+++")]
    for l in diffs:
        print(l)
    if not diffs:
        print("same: %d lines" % len(ours))
    sys.exit(1 if diffs else 0)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Compare two reports of the Multiboot test kernel (tests/mbkernel/report.c).

    tests/mbcompare.py [--oracle grub|qemu] [--elf-differs] [--fb-differs] OURS THEIRS

Each report is the "mbk: ..." lines of a serial log, from "mbk: begin" to
"mbk: end".  Lines "mbk: @..." hold what a loader may choose freely (where
it put the information, the modules and the ELF sections that were not
loaded by the program headers, its selector numbers): they are not
compared; their location-independent facts (page-aligned, no overlaps,
inside usable RAM, flat segments, each placed section's bytes) are
ordinary lines and are.

What may legitimately differ, and why (--oracle says whose report THEIRS is):
  all      boot_loader_name: each loader writes its own name.
  grub     info.flags bit 11 and Multiboot 2 tag 7 (VBE information) and tag 10
           (the APM table): GRUB asks the video BIOS (INT 10h AX=4F00h) and the
           APM BIOS (INT 15h AX=5300h); smartboot does not use VBE and connects
           no APM interface, so it has neither to give.  (The ELF sections, flag 5 and
           tag 9, and the XSDP, tag 15, are compared: both loaders give them.)
  qemu     QEMU's loader puts the kernel's file name in front of the command
           line and gives each module its whole -initrd item ("mod1 first
           args"); GRUB gives the arguments only, and smartboot follows GRUB:
           the first word of QEMU's strings is dropped.  QEMU gives no
           framebuffer (flag 12) and no ELF section headers (flag 5): those
           flags and lines are left out on both sides, and so is the count of
           placed pieces (layout.pieces: the sections are pieces too).
--elf-differs  the two kernels are different ELF containers of one program
           (ELF32 and the objcopy'd ELF64): their section tables differ in
           entry size and in the symbol table's size, so the elf.* lines and
           the count of pieces are not compared.
--fb-differs   the kernel's Multiboot 2 framebuffer tag asks for 80x25 text;
           GRUB takes any framebuffer tag as a wish for graphics (its
           gfxpayload "80x25,auto" finds a VBE mode), smartboot has no VBE and
           gives EGA text, which the specification allows ("only a recommended
           mode", 3.1.10): the framebuffer line is not compared.
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


def normalise(lines, oracle, theirs, elf_differs, fb_differs):
    out = []
    for l in lines:
        key = l.split(" ", 1)[0]
        if key == "boot_loader_name":
            continue
        if key.startswith("elf.") and (oracle == "qemu" or elf_differs):
            continue
        if key == "layout.pieces" and (oracle == "qemu" or elf_differs):
            continue
        if key == "framebuffer" and fb_differs:
            continue
        if key == "info.flags":
            flags = int(l.split()[1], 16)
            if oracle == "grub":
                flags &= ~VBE
            if oracle == "qemu":
                flags &= ~(FRAMEBUFFER | ELF_SHDR)
            l = "info.flags 0x%x" % flags
        if oracle == "grub" and theirs and key == "tags":
            l = " ".join(w for w in l.split() if w not in ("7", "10"))
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
    oracle, elf_differs, fb_differs = "grub", False, False
    while args[:1] and args[0].startswith("--"):
        if args[0] == "--oracle":
            oracle, args = args[1], args[2:]
        elif args[0] == "--elf-differs":
            elf_differs, args = True, args[1:]
        elif args[0] == "--fb-differs":
            fb_differs, args = True, args[1:]
        else:
            sys.exit("mbcompare: unknown option " + args[0])
    ours = normalise(report(args[0]), oracle, False, elf_differs, fb_differs)
    theirs = normalise(report(args[1]), oracle, True, elf_differs, fb_differs)
    diffs = [l for l in difflib.unified_diff(ours, theirs, "ours", "theirs", n=0, lineterm="")
             if l[:1] in "+-" and l[:3] not in ("---", "+++")]
    for l in diffs:
        print(l)
    if not diffs:
        print("same: %d lines" % len(ours))
    sys.exit(1 if diffs else 0)


if __name__ == "__main__":
    main()

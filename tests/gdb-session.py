"""tests/gdb-session.py - the gdb session of tests/t-40-gdb.sh.

Runs inside gdb, after debug.gdb has connected and stopped at 0x7C00:

    gdb -batch -nx -x debug.gdb -x tests/gdb-session.py

It types commands as a student would ("(gdb) CMD" then gdb's output: the
transcript in docs/debugging.md is this output) and checks, with the values
gdb and QEMU report, that each step did what docs/debugging.md says.
Checks print PASS:/FAIL: lines, which the test script counts and leaves out
of the transcript.  $T40_ENTRY (32 or 16) says which hand-off stage 2 has.
"""
import os
import re

import gdb

ENTRY = int(os.environ.get("T40_ENTRY", "32"))
TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(cmd):
    """Type cmd at the (gdb) prompt."""
    print("(gdb) " + cmd, flush=True)
    try:
        gdb.execute(cmd)
    except gdb.error as e:
        print(e)


def check(name, ok, why=""):
    if ENTRY != 32:
        name += " [%d-bit entry]" % ENTRY
    print("PASS: " + name if ok else "FAIL: %s: %s" % (name, why), flush=True)


def reg(name):
    return int(gdb.parse_and_eval("$" + name)) & 0xffffffffffffffff


def arch():
    return gdb.selected_frame().architecture().name()


def where():
    sal = gdb.selected_frame().find_sal()
    fn = gdb.selected_frame().function()
    return (fn.name if fn else gdb.selected_frame().name(),
            sal.symtab.filename if sal.symtab else None, sal.line)


def source_lines(path):
    with open(os.path.join(TOP, path)) as f:
        return f.read().split("\n")


def first_insn(addr):
    return gdb.selected_frame().architecture().disassemble(addr)[0]["asm"]


def once(location):
    """tbreak location, continue.  A location gdb does not know would leave
    the guest running to the test's time limit: stop the session instead."""
    run("tbreak " + location)
    bp = gdb.breakpoints()[-1] if gdb.breakpoints() else None
    if bp is None or bp.pending:
        check("breakpoint at %s" % location, False, "gdb does not know it")
        raise SystemExit(1)
    run("continue")


def line_of(path, pattern, after=0):
    """The first line (1-based) of path after line `after` matching pattern."""
    for n, text in enumerate(source_lines(path), 1):
        if n > after and re.search(pattern, text):
            return n
    return 0


def hdrs_at(addr):
    return int.from_bytes(read_mem(addr + 0x202, 4), "little") == HDRS_MAGIC


# ---- Stage 1: the BIOS has jumped to 0x7C00 -----------------------------------
st = monitor_state()
check("stops at 0x7C00 (CS:IP 0000:7C00, linear 0x7C00)",
      st and linear_pc(st) == 0x7c00 and st["seg"]["CS"].sel == 0, st and hex(linear_pc(st)))
check("DL = 0x80 at 0x7C00 (the BIOS's boot drive)", reg("dl") & 0xff == 0x80, hex(reg("edx")))
insn = first_insn(0x7c00)
check("the first instruction, the short jump over the BPB area, decodes as 16-bit code: '%s'" % insn,
      arch() == "i8086" and re.search(r"jmp\s+0x7c5a <start\.entry>", insn), "%s, %s" % (arch(), insn))
fn, fname, line = where()
text = source_lines("boot/mbr.asm")[line - 1] if line else ""
check("stage 1's symbols and source: %s at %s:%s" % (fn, fname, line),
      fn == "start" and fname and fname.endswith("boot/mbr.asm") and "jmp" in text, (fn, fname, line, text))
run("regs")
run("x/2i $pc")
run("stepi")
insn = first_insn(0x7c5a)
check("stepi: over the BPB area to entry (0x7C5A), a far jump in 16-bit code: '%s'" % insn,
      linear_pc(monitor_state()) == 0x7c5a and re.search(r"jmp\s+0x0:0x7c5f", insn), insn)
run("x/4i $pc")
run("stepi")
check("stepi: the far jump keeps CS = 0 and lands on .normalised (0x7C5F)",
      linear_pc(monitor_state()) == 0x7c5f and reg("cs") == 0, hex(linear_pc(monitor_state())))


def through_stage2():
    """Stage 2 from its first instruction to the BIOS gateway (once, with
    the 32-bit hand-off; the 16-bit session goes straight to the hand-off)."""
    # ---- Stage 2, real mode ----------------------------------------------------------
    once("real_entry")
    fn, fname, line = where()
    check("stage 2's 16-bit entry by symbol: real_entry at %s:%s" % (fname, line),
          fn == "real_entry" and fname and fname.endswith("stage2/entry/entry.asm") and arch() == "i8086"
          and reg("cr0") & 1 == 0, (fn, fname, arch(), hex(reg("cr0"))))
    run("x/3i $pc")

    # ---- The switch to protected mode ------------------------------------------------
    once("pm_entry")
    check("CR0.PE = 1 after the switch (at pm_entry), CS = 0x10, 32-bit decoding",
          reg("cr0") & 1 == 1 and reg("cs") == 0x10 and arch() == "i386",
          "cr0 %x cs %x %s" % (reg("cr0"), reg("cs"), arch()))
    run("print $cr0")
    run("print/x $cs")

    # ---- Stage 2's C --------------------------------------------------------------------
    once("main")
    fn, fname, line = where()
    src = source_lines("stage2/main.c")
    start = line_of("stage2/main.c", r"^void main\(.*\)$")       # the definition
    end = line_of("stage2/main.c", r"^}", start)
    body = src[line - 1].strip() if line else ""
    check("break main stops in main at stage2/main.c:%s (%s)" % (line, body),
          fn == "main" and fname and fname.endswith("stage2/main.c") and start < line < end and body,
          (fn, fname, line, start, end))
    check("print drive = 128 (0x80, from DL through entry.asm)",
          int(gdb.parse_and_eval("drive")) == 0x80, gdb.parse_and_eval("drive"))
    run("list")
    listing = gdb.execute("list %d,%d" % (line, line), to_string=True)
    check("list shows main's source", body in listing, listing)
    run("next")
    run("next")
    fn2, _, line2 = where()
    check("next moves down main (line %s -> %s)" % (line, line2), fn2 == "main" and line2 > line, (fn2, line2))
    run("step")
    fn3, fname3, _ = where()
    check("step enters a function (%s in %s)" % (fn3, fname3), fn3 not in ("main", None), fn3)
    run("bt")
    frames = gdb.execute("bt", to_string=True)
    check("bt shows the callee and main", re.search(r"#1 .* main \(", frames) is not None, frames)
    run("finish")
    check("finish returns to main", where()[0] == "main", where())

    # Exercise (docs/debugging.md): turn A20 off before stage 2 turns it on,
    # and watch 1 MiB wrap around to 0.  Three instructions written into
    # free memory at 0x7E00 and run there with stepi: in al, 0x92 / and al,
    # 0xFD / out 0x92, al (port 0x92 bit 1 is A20).
    once("a20_enable")
    before = read_mem(0x100000, 4) == read_mem(0, 4)
    run("x/4xb 0x100000")
    run("x/4xb 0")
    run("set $saved = $eip")
    run("set {unsigned char[6]} 0x7e00 = {0xe4, 0x92, 0x24, 0xfd, 0xe6, 0x92}")
    run("setreg eip 0x7e00")
    check("setreg eip changes EIP (0x7e00) and leaves CR0.PE alone",
          reg("eip") == 0x7e00 and reg("cr0") & 1 == 1, (hex(reg("eip")), hex(reg("cr0"))))
    run("x/3i $pc")
    run("stepi 3")
    run("setreg eip $saved")
    run("x/4xb 0x100000")
    run("x/4xb 0")
    check("exercise: with A20 off, 0x100000 reads the bytes at 0 (the wraparound)",
          not before and read_mem(0x100000, 4) == read_mem(0, 4), before)
    run("finish")
    method = gdb.parse_and_eval("$").string()
    check("exercise: stage 2 finds A20 off and turns it on itself (a20_enable returns '%s')" % method,
          method != "already on" and read_mem(0x100000, 4) != read_mem(0, 4), method)

    once("e820_sanitize")
    run("bt")
    names = []
    f = gdb.selected_frame()
    while f is not None:
        names.append(f.name())
        f = f.older()
    check("bt in e820_sanitize: %s" % " <- ".join(n or "?" for n in names),
          names[:3] == ["e820_sanitize", "memory_detect", "main"], names)
    run("print count")
    run("finish")
    run("finish")
    count = int(gdb.lookup_static_symbol("mm").value()["count"])
    check("the E820 map is built (mm.count = %d)" % count, count > 0, count)
    run("e820")
    out = gdb.execute("e820", to_string=True)
    check("e820 decodes stage 2's map (a usable range at 1 MiB)",
          re.search(r"0000000000100000 - \S+\s+\d+ MiB\s+usable", out) is not None, out)
    run("gdt")
    out = gdb.execute("gdt", to_string=True)
    check("gdt decodes the descriptors (0x10 SEL_CODE32: 32-bit code, in use by cs)",
          re.search(r"0x10 SEL_CODE32 .*code 32-bit.*<- cs", out) is not None, out)

    # ---- Through the BIOS gateway: protected -> real -> protected ---------------------------
    once("'bios_int.real'")
    check("gdb follows the gateway into real mode (bios_int.real: CR0.PE = 0, i8086)",
          reg("cr0") & 1 == 0 and arch() == "i8086", "%x %s" % (reg("cr0"), arch()))
    once("stage2/bios/bioscall.asm:%d" % line_of("stage2/bios/bioscall.asm", r"^\.back:"))
    check("... and back to protected mode (bios_int.back: CR0.PE = 1, i386)",
          reg("cr0") & 1 == 1 and arch() == "i386", "%x %s" % (reg("cr0"), arch()))
    run("mode64")
    check("mode64 forces 64-bit decoding", arch() == "i386:x86-64", arch())
    run("modeauto")
    check("modeauto goes back to the CPU's mode", arch() == "i386", arch())


if ENTRY == 32:
    through_stage2()

# ---- The hand-off ----------------------------------------------------------------------------
run("handoff")
st = monitor_state()
if ENTRY == 32:
    esi = reg("esi")
    check("hand-off (32-bit): ESI = 0x%x points at a zero page whose HdrS magic reads back" % esi,
          hdrs_at(esi) and where()[0].startswith("linux_enter32"), (hex(esi), where()))
    check("hand-off (32-bit): CS = 0x10, DS = 0x18, EBP = EDI = EBX = 0",
          reg("cs") == 0x10 and reg("ds") == 0x18 and reg("ebp") == reg("edi") == reg("ebx") == 0,
          (reg("cs"), reg("ds"), reg("ebp"), reg("edi"), reg("ebx")))
    entry = reg("eax")
    run("bootparams $esi")
    # Exercise: change the command line the kernel will get (t-40-gdb.sh
    # checks the kernel's "Command line:" on the serial console).
    cmdline = int.from_bytes(read_mem(esi + 0x228, 4), "little")       # cmd_line_ptr
    run('set {char[42]} 0x%x = "root=/dev/sda1 console=ttyS0 gdb=was-here"' % cmdline)
    run("x/s 0x%x" % cmdline)
    run("stepi")
    check("stepi takes the jump to code32_start (0x%x)" % entry, reg("eip") == entry, hex(reg("eip")))
    run("x/3i $pc")
    # The kernel's own switch to long mode: startup_64 is 0x200 after
    # startup_32 (arch/x86/boot/compressed/head_64.S).
    once("*0x%x" % (entry + 0x200))
    st = monitor_state()
    check("gdb follows the kernel into 64-bit mode (startup_64: EFER.LMA = 1, CS64, i386:x86-64)",
          st["EFER"] & EFER_LMA and st["seg"]["CS"].tag == "CS64" and arch() == "i386:x86-64",
          (hex(st["EFER"]), st["seg"]["CS"].tag, arch()))
    run("info registers rip cs")
    run("regs")
elif ENTRY == 64:
    rsi = reg("rsi")
    check("hand-off (64-bit): in long mode (EFER.LMA = 1, CR0.PG = 1, CS64), gdb decodes 64-bit code",
          st["EFER"] & EFER_LMA and st["CR0"] & CR0_PG and st["seg"]["CS"].tag == "CS64"
          and arch() == "i386:x86-64", (hex(st["EFER"]), hex(st["CR0"]), st["seg"]["CS"].tag, arch()))
    check("hand-off (64-bit): RSI = 0x%x points at a zero page whose HdrS magic reads back" % rsi,
          hdrs_at(rsi) and where()[0].startswith("linux_enter64"), (hex(rsi), where()))
    entry = reg("rax")
    code32 = int.from_bytes(read_mem(rsi + 0x214, 4), "little")
    run("stepi")
    check("stepi takes the jump to code32_start + 0x200 (0x%x, startup_64)" % (code32 + 0x200),
          reg("rip") == entry == code32 + 0x200, (hex(reg("rip")), hex(entry), hex(code32)))
else:
    seg = reg("ds")
    check("hand-off (16-bit): DS = 0x%x, and DS * 16 points at a zero page whose HdrS magic reads back" % seg,
          hdrs_at(seg * 16) and where()[0].startswith("linux_enter16"), (hex(seg), where()))
    run("stepi")
    st = monitor_state()
    check("stepi takes the far jump to %04x:0000 = linear 0x%x (the setup code)" % (seg + 0x20, seg * 16 + 0x200),
          st["seg"]["CS"].sel == (seg + 0x20) and ip_of(st) == 0 and linear_pc(st) == seg * 16 + 0x200
          and arch() == "i8086", (hex(st["seg"]["CS"].sel), hex(ip_of(st)), arch()))

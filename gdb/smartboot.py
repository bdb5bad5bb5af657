"""gdb/smartboot.py - the gdb commands debug.gdb offers for studying smartboot.

debug.gdb loads this file; `smartboot` prints the one-line list of commands
and `help COMMAND` explains each one.  Everything here reads the machine
through QEMU's gdb stub: registers with gdb, the hidden parts of the CPU
(segment descriptor caches, GDTR, CR0..CR4, EFER) with QEMU's monitor
command `info registers`, which gdb reaches as `monitor info registers`.

Modes.  QEMU tells gdb nothing about the CPU mode, and gdb decodes code as
its current architecture says.  So at every stop (debug.gdb's hook-stop
calls on_stop()) we look at CR0.PE and at the CS descriptor cache and pick:

    real mode, or protected mode with a 16-bit CS  -> mode16: gdb/i8086.xml
    protected mode with a 32-bit CS                 -> mode32: gdb/i386.xml
    long mode with a 64-bit CS                      -> mode64: QEMU's own
                                                       x86-64 description

Why target descriptions and not just `set architecture`: see the comment in
gdb/x86_64-as-i386.xml.  mode16/mode32/mode64 force a mode (until modeauto).
"""
import os
import re
import struct

import gdb

GDB_DIR = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(GDB_DIR)

TDESC = {16: os.path.join(GDB_DIR, "i8086.xml"),
         32: os.path.join(GDB_DIR, "i386.xml"),
         64: None}                                 # None: what QEMU says
MODE_NAME = {16: "16-bit (real mode, or a 16-bit code segment)",
             32: "32-bit protected mode",
             64: "64-bit long mode"}

CR0_BITS = [(0, "PE"), (1, "MP"), (2, "EM"), (3, "TS"), (4, "ET"), (5, "NE"),
            (16, "WP"), (18, "AM"), (29, "NW"), (30, "CD"), (31, "PG")]
CR4_BITS = [(0, "VME"), (1, "PVI"), (2, "TSD"), (3, "DE"), (4, "PSE"),
            (5, "PAE"), (6, "MCE"), (7, "PGE"), (8, "PCE"), (9, "OSFXSR"),
            (10, "OSXMMEXCPT"), (12, "LA57"), (16, "FSGSBASE"), (17, "PCIDE"),
            (18, "OSXSAVE"), (20, "SMEP"), (21, "SMAP")]
EFER_BITS = [(0, "SCE"), (8, "LME"), (10, "LMA"), (11, "NXE")]
EFLAGS_BITS = [(0, "CF"), (2, "PF"), (4, "AF"), (6, "ZF"), (7, "SF"),
               (8, "TF"), (9, "IF"), (10, "DF"), (11, "OF"), (14, "NT"),
               (16, "RF"), (17, "VM"), (18, "AC"), (21, "ID")]
CR0_PE, CR0_PG = 1 << 0, 1 << 31
EFER_LMA = 1 << 10

E820_TYPES = {1: "usable", 2: "reserved", 3: "ACPI data", 4: "ACPI NVS",
              5: "unusable", 7: "persistent"}
HDRS_MAGIC = 0x53726448                            # "HdrS"

# What mode the session is in, and whether the user forced it.
state = {"mode": None, "forced": None, "shown": None}


def source_constant(path, name, default):
    """The value of `NAME equ X` (nasm) or `#define NAME X` (C) in a source
    file of the repository, so that this script and the loader share one
    definition.  default if the file or the name is not there."""
    pat = re.compile(r"^\s*(?:#define\s+%s|%s\s+equ)\s+(0x[0-9a-fA-F]+|\d+)" % (name, name))
    try:
        with open(os.path.join(TOP, path)) as f:
            for line in f:
                m = pat.match(line)
                if m:
                    return int(m.group(1), 0)
    except OSError:
        pass
    return default


REAL_MODE_BASE = source_constant("stage2/proto/bzimage.h", "REAL_MODE_BASE", 0x10000)


def bits(value, table):
    """'[ PE ET ]' for value and a table of (bit, name)."""
    names = [n for b, n in table if value >> b & 1]
    return "[ " + " ".join(names) + " ]" if names else "[ ]"


# ---- The machine, as QEMU's monitor shows it -------------------------------

# A descriptor's attribute bits, as QEMU shows a segment's cache (the high
# dword of the GDT entry, Intel SDM vol. 3, 3.4.5).
DESC_TYPE_CODE = 1 << 11      # code (else data)
DESC_S = 1 << 12              # code or data (else a system descriptor)
DESC_P = 1 << 15              # present
RESET_CS_BASE = 0xFFFF0000    # CS's hidden base after reset (Intel SDM vol. 3, 9.1.4)
DESC_L = 1 << 21              # 64-bit code
DESC_DB = 1 << 22             # 32-bit code / data (D/B)


class Segment:
    """A segment register: the selector and its hidden descriptor cache."""

    def __init__(self, sel, base, limit, flags, tail):
        self.sel, self.base, self.limit, self.flags = sel, base, limit, flags
        m = re.search(r"\b(CS16|CS32|CS64)\b", tail)   # QEMU's word for CS's mode
        self.tag = m.group(1) if m else ""

    def describe(self):
        if not self.flags & DESC_P:
            return "not present"
        if not self.flags & DESC_S:
            return "system"
        size = "64-bit" if self.flags & DESC_L else "32-bit" if self.flags & DESC_DB else "16-bit"
        return ("code " if self.flags & DESC_TYPE_CODE else "data ") + size


def monitor_state():
    """Parse `monitor info registers` into a dict: every NAME=hex pair
    (EAX, EIP, EFL, CR0, CR3, EFER...; RAX, RIP... in 64-bit mode), the
    segments (ES, CS, SS, DS, FS, GS, LDT, TR) and the two tables (GDT, IDT,
    each (base, limit)).  None if the stub has no monitor."""
    try:
        text = gdb.execute("monitor info registers", to_string=True)
    except gdb.error:
        return None
    st = {"seg": {}}
    for line in text.replace("\r", "").split("\n"):
        m = re.match(r"^(ES|CS|SS|DS|FS|GS|LDT|TR)\s*=([0-9a-f]{4}) ([0-9a-f]+) ([0-9a-f]+) ([0-9a-f]+)(.*)$", line)
        if m:
            st["seg"][m.group(1)] = Segment(*(int(x, 16) for x in m.group(2, 3, 4, 5)), m.group(6))
            continue
        m = re.match(r"^(GDT|IDT)=\s+([0-9a-f]+) ([0-9a-f]+)", line)
        if m:
            st[m.group(1)] = (int(m.group(2), 16), int(m.group(3), 16))
            continue
        for name, val in re.findall(r"\b([A-Z][A-Z0-9]*)=([0-9a-f]+)\b", line):
            st.setdefault(name, int(val, 16))
    return st if "CR0" in st and "CS" in st["seg"] else None


def cpu_mode(st):
    """16, 32 or 64: how the CPU decodes instructions right now."""
    if not st["CR0"] & CR0_PE:
        return 16
    tag = st["seg"]["CS"].tag
    return 64 if tag == "CS64" else 16 if tag == "CS16" else 32


def ip_of(st):
    return st.get("RIP", st.get("EIP", 0))


def linear_pc(st):
    """The linear address of the next instruction: CS base + IP.  The base
    is the one in CS's hidden descriptor cache, which QEMU's monitor shows:
    right after reset it is 0xFFFF0000 although CS is F000, so the first
    instruction is at 0xFFFFFFF0, not at F000 * 16 + FFF0 = 0xFFFF0."""
    return st["seg"]["CS"].base + ip_of(st)


def how_linear(st):
    """How linear_pc() came about, for on_stop's line."""
    cs = st["seg"]["CS"]
    if st["CR0"] & CR0_PE:
        return ""
    if cs.base == cs.sel * 16:
        return "  (cs * 16 + ip)"
    return "  (CS's hidden base 0x%08x + ip, not cs * 16: %s)" % (
        cs.base, "the reset state" if cs.base == RESET_CS_BASE else "kept from an earlier load")


# ---- Mode switching --------------------------------------------------------

def set_mode(mode):
    """Make gdb decode and name registers for mode (16, 32, 64)."""
    if state["mode"] == mode:
        return
    if TDESC[mode]:
        gdb.execute("set tdesc filename " + TDESC[mode], to_string=True)
    else:
        gdb.execute("unset tdesc filename", to_string=True)
    state["mode"] = mode


def on_stop():
    """debug.gdb's hook-stop: follow the CPU's mode, say when it changed,
    and in 16-bit code show cs:ip, the linear address and the instruction
    there, decoded as 16-bit code (gdb itself only knows IP, which is not an
    address when CS != 0)."""
    st = monitor_state()
    if st is None:
        return
    mode = state["forced"] or cpu_mode(st)
    set_mode(mode)
    if state["shown"] != mode:
        print("smartboot: %s%s" % (MODE_NAME[mode], " (forced: modeauto undoes it)" if state["forced"] else ""))
        state["shown"] = mode
    if mode == 16:
        cs = st["seg"]["CS"]
        lin = linear_pc(st)
        print("smartboot: cs:ip %04x:%04x = linear 0x%05x%s" %
              (cs.sel, ip_of(st) & 0xffff, lin, how_linear(st)))
        # The next instruction, decoded as 16-bit code, at its linear
        # address (gdb alone would look at IP, wrong when CS != 0).
        gdb.execute("x/i 0x%x" % lin)
        if cs.base != 0:
            # QEMU stops at breakpoints by linear address, but gdb looks
            # for one at IP: it reports a SIGTRAP, and on `continue` QEMU
            # stops here again.
            for bp in gdb.breakpoints():
                if bp.enabled and re.fullmatch(r"\*\s*(0x[0-9a-fA-F]+|\d+)", bp.location or "") \
                        and int(bp.location.lstrip("* "), 0) == lin:
                    print("smartboot: this is breakpoint %d (gdb cannot tell: its pc is IP, not cs*16+ip);"
                          " 'disable %d' before you continue, or you stop here again" % (bp.number, bp.number))


class ModeCommand(gdb.Command):
    def __init__(self, name, mode, doc):
        self.__doc__ = doc
        super().__init__(name, gdb.COMMAND_USER)
        self.mode = mode

    def invoke(self, arg, from_tty):
        state["forced"] = self.mode
        if self.mode is None:
            st = monitor_state()
            print("smartboot: following the CPU's mode again")
            state["shown"] = None
            if st:
                on_stop()
            return
        set_mode(self.mode)
        state["shown"] = self.mode
        print("smartboot: decoding as %s until 'modeauto'" % MODE_NAME[self.mode])


ModeCommand("mode16", 16, """Decode as 16-bit code (real mode): architecture i8086.
Stays until 'modeauto'; normally debug.gdb switches by itself at every stop.""")
ModeCommand("mode32", 32, """Decode as 32-bit code (protected mode): architecture i386.
Stays until 'modeauto'.""")
ModeCommand("mode64", 64, """Decode as 64-bit code (long mode): architecture i386:x86-64.
Stays until 'modeauto'.  Stage 2's own 64-bit hand-off (linux_enter64) and
the kernel after its switch to long mode run in this mode.""")
ModeCommand("modeauto", None, """Follow the CPU's mode again at every stop (the default).""")


# ---- regs --------------------------------------------------------------------

class Regs(gdb.Command):
    """Registers: general, segment (selector and hidden descriptor cache),
EFLAGS, GDTR/IDTR, CR0, CR2, CR3, CR4 and EFER.  Values from QEMU's monitor."""

    def __init__(self):
        super().__init__("regs", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        st = monitor_state()
        if st is None:
            raise gdb.GdbError("regs: no QEMU monitor behind this gdb stub")
        mode = cpu_mode(st)
        pe = st["CR0"] & 1
        print("mode   %s (CR0.PE=%d%s)" % (MODE_NAME[mode], pe,
                                           ", CS %s" % st["seg"]["CS"].tag if pe else ""))
        if "RAX" in st:                  # QEMU shows 64-bit registers in long mode
            names = ["RAX", "RBX", "RCX", "RDX", "RSI", "RDI", "RBP", "RSP",
                     "R8", "R9", "R10", "R11", "R12", "R13", "R14", "R15"]
            for i in range(0, len(names), 4):
                print("   ".join("%-3s %016x" % (n.lower(), st.get(n, 0)) for n in names[i:i + 4]))
            ip, flags, width = st.get("RIP", 0), st.get("RFL", 0), 16
        else:
            names = ["EAX", "EBX", "ECX", "EDX", "ESI", "EDI", "EBP", "ESP"]
            for i in range(0, 8, 4):
                print("   ".join("%s %08x" % (n.lower(), st.get(n, 0)) for n in names[i:i + 4]))
            ip, flags, width = st.get("EIP", 0), st.get("EFL", 0), 8
        cs = st["seg"]["CS"]
        print("%s %0*x   linear pc 0x%x (CS base 0x%x + ip)" % ("rip" if width == 16 else "eip",
                                                             width, ip, cs.base + ip, cs.base))
        print("eflags %08x %s" % (flags, bits(flags, EFLAGS_BITS)))
        for name in ("CS", "DS", "ES", "FS", "GS", "SS"):
            s = st["seg"][name]
            if pe:
                what = s.describe()
            elif s.base == s.sel * 16:
                what = "real mode: base = selector * 16"
            else:
                what = "real mode, but base != selector * 16 (%s)" % (
                    "the reset state: the first far jump reloads it" if name == "CS" and s.base == RESET_CS_BASE
                    else "the hidden base of an earlier load")
            print("%s %04x  base %08x limit %08x  %s" % (name.lower(), s.sel, s.base, s.limit, what))
        for t in ("GDT", "IDT"):
            base, limit = st.get(t, (0, 0))
            print("%sr  base %08x limit %04x" % (t.lower(), base, limit))
        print("cr0 %08x %s" % (st["CR0"], bits(st["CR0"], CR0_BITS)))
        print("cr2 %08x   cr3 %08x (page directory base)" % (st.get("CR2", 0), st.get("CR3", 0)))
        print("cr4 %08x %s" % (st.get("CR4", 0), bits(st.get("CR4", 0), CR4_BITS)))
        print("efer %016x %s" % (st.get("EFER", 0), bits(st.get("EFER", 0), EFER_BITS)))


Regs()


# ---- gdt -----------------------------------------------------------------------

def read_mem(addr, n):
    return bytes(gdb.selected_inferior().read_memory(addr, n))


def symbol_addr(name):
    """Address of a symbol of stage 1 or stage 2, or None."""
    try:
        return int(gdb.parse_and_eval("(unsigned long)&'%s'" % name))
    except gdb.error:
        return None


def selector_names():
    """SEL_* from stage2/cpu/modeswitch.inc: {0x10: 'SEL_CODE32', ...}."""
    names = {}
    try:
        with open(os.path.join(TOP, "stage2/cpu/modeswitch.inc")) as f:
            for line in f:
                m = re.match(r"^(SEL_\w+)\s+equ\s+(0x[0-9a-fA-F]+)", line)
                if m:
                    names.setdefault(int(m.group(2), 16), m.group(1))
    except OSError:
        pass
    return names


# A GDT entry's access byte (bits 40-47) and flags (bits 52-55).
ACC_P, ACC_S, ACC_CODE = 0x80, 0x10, 0x08      # present; code/data; code
ACC_DC, ACC_RW, ACC_A = 0x04, 0x02, 0x01       # conforming / expand-down; readable / writable; accessed
FLAG_G, FLAG_DB, FLAG_L = 0x8, 0x4, 0x2        # 4 KiB granularity; 32-bit; 64-bit code
SYSTEM_TYPES = {0x2: "LDT", 0x9: "TSS (available)", 0xb: "TSS (busy)",
                0xc: "call gate", 0xe: "interrupt gate", 0xf: "trap gate"}


def decode_descriptor(lo, hi):
    """One 8-byte GDT entry, given as its two 32-bit halves."""
    base = (lo >> 16) | ((hi & 0xff) << 16) | (hi & 0xff000000)
    limit = (lo & 0xffff) | (hi & 0x000f0000)
    access, flags = (hi >> 8) & 0xff, (hi >> 20) & 0xf
    if flags & FLAG_G:
        limit = (limit << 12) | 0xfff
    dpl = (access >> 5) & 3
    if not access & ACC_P:
        return "not present" if lo or hi else "null"
    if not access & ACC_S:
        kind, rights = SYSTEM_TYPES.get(access & 0xf, "system type %x" % (access & 0xf)), ""
    elif access & ACC_CODE:
        kind = "code " + ("64-bit (L)" if flags & FLAG_L else "32-bit (D)" if flags & FLAG_DB else "16-bit")
        rights = ("exec/read" if access & ACC_RW else "exec-only") + (" conforming" if access & ACC_DC else "")
    else:
        kind = "data " + ("32-bit (B)" if flags & FLAG_DB else "16-bit")
        rights = ("read/write" if access & ACC_RW else "read-only") + (" expand-down" if access & ACC_DC else "")
    return "base %08x limit %08x %-16s %-12s DPL%d%s" % (
        base, limit, kind, rights, dpl, " accessed" if access & ACC_S and access & ACC_A else "")


class Gdt(gdb.Command):
    """Decode the GDT that GDTR points at: base, limit, code/data, 16/32/64-bit,
rights and DPL of every descriptor, and which segment registers use it.
With an argument: decode the table at that address (e.g. 'gdt &gdt')."""

    def __init__(self):
        super().__init__("gdt", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        st = monitor_state()
        if arg.strip():
            base, limit = int(gdb.parse_and_eval(arg)), None
        elif st and "GDT" in st:
            base, limit = st["GDT"]
        else:
            base, limit = symbol_addr("gdt"), None
        if base is None:
            raise gdb.GdbError("gdt: no GDTR and no 'gdt' symbol")
        if limit is None:
            desc = symbol_addr("gdt_descriptor")
            limit = struct.unpack("<H", read_mem(desc, 2))[0] if desc else 0x2f
        where = []
        for sym in ("gdt", "gdt64"):
            if symbol_addr(sym) == base:
                where.append("smartboot's '%s'" % sym)
        print("GDT at 0x%08x, limit 0x%x: %d descriptors%s" % (
            base, limit, (limit + 1) // 8, " (%s)" % ", ".join(where) if where else ""))
        if st and not st["CR0"] & CR0_PE:
            print("(real mode: the CPU does not use the GDT now; GDTR keeps what lgdt loaded)")
        users = {}
        if st:
            for name in ("CS", "DS", "ES", "FS", "GS", "SS"):
                if st["CR0"] & CR0_PE:
                    users.setdefault(st["seg"][name].sel & ~7, []).append(name.lower())
        names = selector_names() if where else {}
        data = read_mem(base, limit + 1)
        sel = 0
        while sel + 8 <= len(data):
            lo, hi = struct.unpack_from("<II", data, sel)
            label = names.get(sel, "")
            use = " <- " + " ".join(users[sel]) if sel in users else ""
            print("0x%02x %-11s %s%s" % (sel, label, decode_descriptor(lo, hi), use))
            sel += 8


Gdt()


# ---- e820 ------------------------------------------------------------------------

def print_e820(entries):
    total = 0
    for addr, size, typ in entries:
        if typ == 1:
            total += size
        print("  %016x - %016x  %10s  %s" % (addr, addr + size - 1, human(size),
                                               E820_TYPES.get(typ, "type %d" % typ)))
    print("  usable: %s" % human(total))


def human(n):
    for unit, shift in (("GiB", 30), ("MiB", 20), ("KiB", 10)):
        if n >= 1 << shift and n % (1 << shift) == 0 or n >= 10 << shift:
            return "%d %s" % (n >> shift, unit)
    return "%d B" % n


class E820(gdb.Command):
    """The memory map stage 2 built: the static 'mm' in stage2/main.c, filled
by memory_detect() (stage2/bios/memory.c: INT 15h E820, else E801, else 88h) and
cleaned up by e820_sanitize() (stage2/bios/e820.c)."""

    def __init__(self):
        super().__init__("e820", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        sym = gdb.lookup_static_symbol("mm")
        if sym is None:
            raise gdb.GdbError("e820: no symbol 'mm' (is build/stage2.elf loaded?)")
        mm = sym.value()
        count = int(mm["count"])
        if count == 0:
            print("e820: mm is still empty: main() fills it with memory_detect(); "
                  "try 'break memory_detect', 'continue', 'finish'")
            return
        source = mm["source"].string() if int(mm["source"]) else "?"
        print("E820 map from stage 2 (mm at 0x%x): %d ranges from %s, %d KiB below the EBDA (INT 12h)"
              % (int(sym.value().address), count, source, int(mm["low_kib"])))
        print_e820([(int(mm["map"][i]["addr"]), int(mm["map"][i]["size"]), int(mm["map"][i]["type"]))
                    for i in range(count)])


E820()


# ---- bootparams ----------------------------------------------------------------------

# Setup-header fields (Documentation/x86/boot.rst): offset, format, name, note.
HEADER_FIELDS = [
    (0x1f1, "B", "setup_sects", "real-mode part = (setup_sects + 1) * 512 bytes"),
    (0x1fa, "H", "vid_mode", "0xffff = normal; set from vga= (we write)"),
    (0x1fe, "H", "boot_flag", "must be 0xaa55"),
    (0x202, "I", "header", "must be \"HdrS\" (0x53726448)"),
    (0x206, "H", "version", "boot protocol version"),
    (0x210, "B", "type_of_loader", "0xff = unregistered loader (we write)"),
    (0x211, "B", "loadflags", "bit 0 LOADED_HIGH, 5 QUIET, 7 CAN_USE_HEAP"),
    (0x214, "I", "code32_start", "the 32-bit entry point"),
    (0x218, "I", "ramdisk_image", "initrd address (we write)"),
    (0x21c, "I", "ramdisk_size", "initrd size (we write)"),
    (0x224, "H", "heap_end_ptr", "end of the setup heap, from X (we write)"),
    (0x228, "I", "cmd_line_ptr", "command line address (we write)"),
    (0x22c, "I", "initrd_addr_max", "highest initrd byte allowed"),
    (0x230, "I", "kernel_alignment", ""),
    (0x234, "B", "relocatable_kernel", ""),
    (0x236, "H", "xloadflags", "bit 0: has a 64-bit entry at +0x200"),
    (0x238, "I", "cmdline_size", "longest command line"),
    (0x258, "Q", "pref_address", "where a non-relocated kernel runs"),
    (0x260, "I", "init_size", "memory the kernel needs while it unpacks"),
]


def zero_page(addr, verbose=True):
    """Decode the zero page (struct boot_params) at addr: every field, or
    (verbose=False) the magic, the command line and the initrd.  Returns
    the HdrS field so callers can check it."""
    zp = read_mem(addr, 4096)
    get = lambda off, fmt: struct.unpack_from("<" + fmt, zp, off)[0]
    header = get(0x202, "I")
    print("zero page at 0x%x: header %s" % (addr, "\"HdrS\" ok" if header == HDRS_MAGIC else
                                             "0x%08x: NOT \"HdrS\" - not a zero page" % header))
    if header != HDRS_MAGIC:
        return header
    for off, fmt, name, note in HEADER_FIELDS if verbose else []:
        val = get(off, fmt)
        text = ("%d.%02d" % (val >> 8, val & 0xff)) if name == "version" else "0x%x" % val
        print("  0x%03x %-18s %-12s %s" % (off, name, text, note))
    cmd = get(0x228, "I")
    if cmd:
        try:
            line = read_mem(cmd, 256).split(b"\0")[0].decode("latin-1")
            print("  command line at 0x%x: \"%s\"" % (cmd, line))
        except gdb.MemoryError:
            pass
    rd, rdsize = get(0x218, "I"), get(0x21c, "I")
    if rd and rdsize:
        magic = read_mem(rd, 6)
        kind = "gzip" if magic[:2] == b"\x1f\x8b" else "cpio" if magic == b"070701" else magic.hex()
        print("  initrd 0x%x-0x%x (%s), starts with %s" % (rd, rd + rdsize - 1, human(rdsize), kind))
    if verbose:
        si = zp[0:0x40]
        print("  screen_info: cursor %d,%d, video mode %d, %d columns, %d lines, VGA %d" % (
            si[0], si[1], si[6], si[7], si[0xe], si[0xf]))
        print("  alt_mem_k (0x1e0): %d KiB (E801h), ext_mem_k (0x002): %d KiB (88h)" % (
            get(0x1e0, "I"), get(0x002, "H")))
        n = get(0x1e8, "B")
        print("  e820_entries (0x1e8): %d%s" % (n, "" if n else
              " (the 16-bit entry: the kernel's setup code asks the BIOS itself)"))
        print_e820([struct.unpack_from("<QQI", zp, 0x2d0 + 20 * i) for i in range(min(n, 128))])
    return header


class BootParams(gdb.Command):
    """Decode the Linux zero page (struct boot_params): the setup-header fields
smartboot reads and writes, the command line, the initrd, screen_info and the
E820 table.  Argument: its address (default 0x%x, where stage 2 puts it; at
the hand-off the kernel gets it in ESI)."""

    def __init__(self):
        self.__doc__ = self.__doc__ % REAL_MODE_BASE
        super().__init__("bootparams", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        addr = int(gdb.parse_and_eval(arg)) if arg.strip() else REAL_MODE_BASE
        zero_page(addr)


BootParams()


# ---- handoff ------------------------------------------------------------------------------

# The last instruction of each hand-off in stage2/cpu/handoff.asm: (function,
# source text of the jump).  Found by their source line, so the breakpoint
# follows the code when it moves.
HANDOFF_JUMPS = [("linux_enter32", r"jmp\s+eax\b"),
                 ("linux_enter16", r"retf\b"),
                 ("linux_enter64", r"jmp\s+rax\b")]


def handoff_addresses():
    """{address: function} of the jumps into the kernel in handoff.asm."""
    path = os.path.join(TOP, "stage2/cpu/handoff.asm")
    found, func = {}, None
    with open(path) as f:
        for n, line in enumerate(f, 1):
            m = re.match(r"^(linux_enter\d+):", line)
            if m:
                func = m.group(1)
            code = line.split(";")[0]
            for name, pat in HANDOFF_JUMPS:
                if func == name and re.search(pat, code) and symbol_addr(name) is not None:
                    try:
                        sals = gdb.decode_line("stage2/cpu/handoff.asm:%d" % n)[1]
                    except gdb.error:
                        continue
                    if sals and sals[0].line == n:
                        found[sals[0].pc] = name
    return found


def show_handoff(func):
    """What the kernel receives, at the jump into it."""
    st = monitor_state()
    seg = st["seg"]
    if func == "linux_enter16":
        # retf pops IP, then CS: the 16-bit boot protocol's entry.
        stack = seg["SS"].base + (st["ESP"] & 0xffff)
        ip, cs = struct.unpack("<HH", read_mem(stack, 4))
        zp = seg["DS"].base
        print("hand-off: 16-bit boot protocol (real mode), 'retf' jumps to %04x:%04x = linear 0x%x"
              % (cs, ip, cs * 16 + ip))
        print("  ds=es=fs=gs=ss = %04x %04x %04x %04x %04x (the real-mode kernel's segment, X >> 4)"
              % tuple(seg[n].sel for n in ("DS", "ES", "FS", "GS", "SS")))
        print("  sp = 0x%04x once retf has popped cs:ip (the top of the setup heap), interrupts %s, CR0.PE = %d"
              % ((st["ESP"] + 4) & 0xffff, "on" if st["EFL"] & 0x200 else "off", st["CR0"] & 1))
    elif func == "linux_enter64":
        zp = st.get("RSI", 0)
        print("hand-off: 64-bit boot protocol, 'jmp rax' to 0x%x" % st.get("RAX", 0))
        print("  rsi = 0x%x (the zero page), cs = %04x (%s), paging %s, EFER.LMA = %d"
              % (zp, seg["CS"].sel, seg["CS"].tag, "on" if st["CR0"] & CR0_PG else "off",
                 st.get("EFER", 0) >> 10 & 1))
    else:
        zp = st["ESI"]
        print("hand-off: 32-bit boot protocol, 'jmp eax' to 0x%x (code32_start)" % st["EAX"])
        print("  esi = 0x%x (the zero page); ebp = %x, edi = %x, ebx = %x (must be 0)"
              % (zp, st["EBP"], st["EDI"], st["EBX"]))
        print("  cs = %04x (%s), ds = es = ss = %04x %04x %04x (flat: base %x, limit %x), interrupts %s, paging %s"
              % (seg["CS"].sel, seg["CS"].describe(), seg["DS"].sel, seg["ES"].sel, seg["SS"].sel,
                 seg["DS"].base, seg["DS"].limit, "on" if st["EFL"] & 0x200 else "off",
                 "on" if st["CR0"] & CR0_PG else "off"))
    zero_page(zp, verbose=False)
    return zp


class Handoff(gdb.Command):
    """Run to the jump into the kernel (stage2/cpu/handoff.asm: 'jmp eax' of
linux_enter32, 'retf' of linux_enter16, or 'jmp rax' of linux_enter64) and
show what the kernel receives: entry point, registers, segments, the zero
page with its command line and initrd.  'stepi' then takes the jump."""

    def __init__(self):
        super().__init__("handoff", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        jumps = handoff_addresses()
        if not jumps:
            raise gdb.GdbError("handoff: no hand-off jumps found (is build/stage2.elf loaded?)")
        st = monitor_state()
        here = linear_pc(st) if st else None
        if here not in jumps:
            bps = [gdb.Breakpoint("*0x%x" % a, temporary=True) for a in jumps]
            try:
                gdb.execute("continue")
            finally:
                for bp in bps:
                    if bp.is_valid():
                        bp.delete()
            st = monitor_state()
            here = linear_pc(st)
        if here not in jumps:
            print("handoff: stopped at 0x%x, not at a hand-off" % here)
            return
        show_handoff(jumps[here])


Handoff()


# ---- setreg ----------------------------------------------------------------------------------

# QEMU's own register numbers (qemu-system-x86_64, gdb-xml/i386-64bit.xml).
QEMU_REGNUM = dict([(n, i) for i, names in enumerate([
    "rax eax", "rbx ebx", "rcx ecx", "rdx edx", "rsi esi", "rdi edi", "rbp ebp", "rsp esp",
    "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "rip eip pc", "eflags",
    "cs", "ss", "ds", "es", "fs", "gs", "fs_base", "gs_base", "k_gs_base",
    "cr0", "cr2", "cr3", "cr4", "cr8", "efer"]) for n in names.split()])


class SetReg(gdb.Command):
    """Change a register: setreg NAME VALUE, e.g. 'setreg eip 0x7e00', 'setreg eax $eax + 1'.
NAME: eax..esp or rax..r15, eip/rip, eflags, cs..gs, cr0, cr2, cr3, cr4, efer.
'set $eax = 1' is refused in debug.gdb (may-write-registers off): gdb would
send every register back at once, and QEMU 7.2 reads that packet with a
different layout than it sends outside 64-bit mode, which would clear
CR0.PE and scramble CR4.  setreg sends the one register, by QEMU's number."""

    def __init__(self):
        super().__init__("setreg", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        words = arg.split(None, 1)
        if len(words) != 2 or words[0].lstrip("$").lower() not in QEMU_REGNUM:
            raise gdb.GdbError("usage: setreg NAME VALUE (names: %s)" % " ".join(sorted(QEMU_REGNUM)))
        num = QEMU_REGNUM[words[0].lstrip("$").lower()]
        value = int(gdb.parse_and_eval(words[1])) & 0xffffffffffffffff
        reply = gdb.execute("maint packet P%x=%s" % (num, value.to_bytes(8, "little").hex()),
                            to_string=True)
        if 'received: "OK"' not in reply:
            raise gdb.GdbError("setreg: QEMU refused: %s" % reply.strip())
        gdb.execute("maint flush register-cache", to_string=True)
        on_stop()                      # CR0 or CS may have changed the mode


SetReg()


# ---- symbols, connect and help ------------------------------------------------------------

class Symbols(gdb.Command):
    """Load the symbols of stage 2 ($SMARTBOOT_STAGE2, default
build/stage2-gdb.elf) and of stage 1 (build/mbr.elf)."""

    def __init__(self):
        super().__init__("smartboot-symbols", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        stage2 = os.environ.get("SMARTBOOT_STAGE2", os.path.join(TOP, "build/stage2-gdb.elf"))
        stage1 = os.path.join(TOP, "build/mbr.elf")
        for path in (stage2, stage1):
            if not os.path.exists(path):
                print("smartboot: %s is missing: run 'make' first" % path)
                return
        for made, source in ((stage2, os.path.join(TOP, "build/stage2.elf")),
                             (stage1, os.path.join(TOP, "build/mbr.bin"))):
            if "SMARTBOOT_STAGE2" not in os.environ and os.path.exists(source) \
                    and os.path.getmtime(source) > os.path.getmtime(made):
                print("smartboot: %s is older than %s: run 'make' (symbols may not match)"
                      % (os.path.relpath(made, TOP), os.path.relpath(source, TOP)))
        gdb.execute("symbol-file " + stage2)
        gdb.execute("add-symbol-file " + stage1)


Symbols()


def connect():
    """Connect to QEMU's gdb stub ($SMARTBOOT_GDB: host:port or a unix socket,
    default localhost:1234) and, if the machine has not started yet, run to
    stage 1's first instruction."""
    where = os.environ.get("SMARTBOOT_GDB", "localhost:1234")
    # Connect with QEMU's own description (gdb reads it, and QEMU answers
    # single-register writes only to a gdb that has: see setreg); hook-stop
    # then picks the description for the CPU's mode.
    state["mode"] = None
    set_mode(64)
    try:
        # Quietly: gdb would warn that it cannot ask QEMU for an executable
        # (true, and of no use here: the symbols come from symbol-file).
        out = gdb.execute("target remote " + where, to_string=True)
        print("\n".join(l for l in out.split("\n") if l and "executable" not in l and "file\" command" not in l))
    except gdb.error as e:
        print("smartboot: cannot reach QEMU's gdb stub at %s: %s" % (where, e))
        print("smartboot: start QEMU first: ./run.sh --debug (or 'make debug' for both at once),")
        print("smartboot: then 'smartboot-connect' here")
        return False
    st = monitor_state()           # (hook-stop has shown where we are)
    if st and st["seg"]["CS"].sel == 0xf000 and ip_of(st) == 0xfff0:
        if os.environ.get("SMARTBOOT_AT_RESET"):
            # docs/timeline.md: stay, to stepi into the BIOS.
            print("smartboot: the machine is at the reset vector f000:fff0 (SMARTBOOT_AT_RESET: staying)")
            return True
        print("smartboot: the machine is at the reset vector f000:fff0; running to stage 1 at 0x7c00")
        gdb.execute("tbreak *0x7c00")
        gdb.execute("continue")
    return True


class Connect(gdb.Command):
    """Connect to QEMU's gdb stub ($SMARTBOOT_GDB, default localhost:1234) and
run to stage 1 at 0x7c00 if the machine has not started yet."""

    def __init__(self):
        super().__init__("smartboot-connect", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        connect()


Connect()

HELP = ("smartboot: regs | gdt [ADDR] | e820 | bootparams [ADDR] | handoff | setreg REG VAL | "
        "mode16 | mode32 | mode64 | modeauto  ('help regs' etc.; docs/debugging.md)")


class Help(gdb.Command):
    """One line: the commands debug.gdb adds."""

    def __init__(self):
        super().__init__("smartboot", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        print(HELP)


Help()

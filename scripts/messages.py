#!/usr/bin/env python3
"""List every message smartboot can print, and check that a document has them.

    scripts/messages.py                 list them: FILE:LINE<TAB>MESSAGE (placeholders as ...)
    scripts/messages.py --check DOC     exit 1, naming each one, if DOC lacks any

A message is the format string of a call that prints (printf, die, warn,
cfg_error, usage_error; say, which builds multiboot.c's refusals) in
stage2/ and tools/, a string an error function
returns for its caller to print (`return "..."` in the functions listed in
RETURNS), and stage 1's msg_* strings in boot/mbr.asm.  TRACE() output (the
teaching trace) and snprintf() (building, not printing) are not messages.

A format becomes a pattern: its literal text, with each conversion (%u,
%s, %.*s, "%" PRIu64, a macro) standing for "some text".  DOC has the
message when one of its lines matches the pattern, so docs/errors.md may
write `disk: read error 0xSS at LBA N after 3 tries` for
"disk: read error 0x%02x at LBA %llu after %d tries\\n".  A format with a
newline inside is checked line by line; one with fewer than three letters
of its own ("%c %d. %s\\n") is layout, not a message.
"""
import glob
import os
import re
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CALLS = {"printf": 0, "die": None, "warn": 0, "cfg_error": 3, "usage_error": 0,
         # stage2/part/: the message kept for the caller, and the reason a GPT
         # header is not used (the end of a part_error sentence).
         "part_error": 1, "gpt_why": 0,
         # stage2/proto/multiboot.c: the refusals mb_check() and mb_place() return.
         "say": 0}
# Functions whose `return "..."` strings are messages printed by the caller.
RETURNS = {"stage2/proto/bzimage.c": ["bzimage_check"], "stage2/proto/multiboot.c": ["mb_check"],
           "stage2/config/config.c": ["parse_line"],
           "tools/backup.c": ["backup_decode"]}
MACROS = {"PROG": "smartboot-install", "STAGE2_MAGIC": "SBT2", "BACKUP_MAGIC": "SBBACKUP"}
CONV = re.compile(r"%[-+ #0]*(\d+|\*)?(\.(\d+|\*))?(hh|h|ll|l|z|j|t)?[diouxXcspeEfgG]")
STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"')


def c_unescape(s):
    return re.sub(r'\\(.)', lambda m: {"n": "\n", "t": "\t", "r": "\r", "b": "\b"}.get(m.group(1), m.group(1)), s)


def call_args(text, start):
    """The text of the arguments of the call whose '(' is at start, split at
    top-level commas (strings and nested parentheses respected)."""
    depth, i, args, cur = 0, start, [], []
    while i < len(text):
        c = text[i]
        if c == '"':
            m = STRING.match(text, i)
            cur.append(m.group(0)); i = m.end(); continue
        if c == "'":
            j = text.index("'", i + 1 + (text[i + 1] == "\\"))
            cur.append(text[i:j + 1]); i = j + 1; continue
        if c == "(":
            depth += 1
            if depth == 1:
                i += 1; continue
        elif c == ")":
            depth -= 1
            if depth == 0:
                args.append("".join(cur)); return args
        elif c == "," and depth == 1:
            args.append("".join(cur)); cur = []; i += 1; continue
        cur.append(c); i += 1
    return args


def format_of(arg):
    """The formats an argument spells: string literals and macros, in order
    (a macro we do not know is a placeholder, so "%" PRIu64 is one); both
    strings of `cond ? "A" : "B"`.  [] if it has no string."""
    arg = re.sub(r"/\*.*?\*/", "", arg, flags=re.S).strip()
    if '"' not in arg:
        return []
    choice = re.match(r'[^"]*\?\s*("(?:[^"\\\n]|\\.)*")\s*:\s*("(?:[^"\\\n]|\\.)*")\s*$', arg)
    if choice:
        return format_of(choice.group(1)) + format_of(choice.group(2))
    out = []
    for m in re.finditer(r'"((?:[^"\\\n]|\\.)*)"|([A-Za-z_][A-Za-z0-9_]*)', arg):
        if m.group(1) is not None:
            out.append(c_unescape(m.group(1)))
        elif m.group(2) in MACROS:
            out.append(MACROS[m.group(2)])
        else:
            out.append("\0")                     # PRIu64 and friends: a placeholder
    return [re.sub(r"%[-+ #0-9.]*\0", "\0", "".join(out))]


def messages():
    found = []
    for path in sorted(glob.glob(os.path.join(TOP, "stage2/**/*.c"), recursive=True) + glob.glob(os.path.join(TOP, "tools/*.c"))):
        rel = os.path.relpath(path, TOP)
        text = open(path).read()
        code = re.sub(r"/\*.*?\*/", lambda m: re.sub(r"[^\n]", " ", m.group(0)), text, flags=re.S)
        for m in re.finditer(r"\b(%s)\s*\(" % "|".join(CALLS), code):
            name = m.group(1)
            line = code.count("\n", 0, m.start()) + 1
            if code[max(0, m.start() - 20):m.start()].rstrip().endswith(("void", "*")):
                continue                         # the definition, not a call
            args = call_args(code, m.end() - 1)
            idx = CALLS[name]
            if idx is None:                      # die(): tools put an exit code first
                idx = 1 if rel.startswith("tools/") else 0
            if len(args) > idx:
                found += [(rel, line, fmt) for fmt in format_of(args[idx])]
        for func in RETURNS.get(rel, []):
            body = code[code.index(func + "("):]
            body = body[:body.index("\n}\n")]
            base = code.index(func + "(")
            for r in re.finditer(r'\breturn\s+("(?:[^"\\\n]|\\.)*"(?:\s*[A-Z_]+\s*|\s*"(?:[^"\\\n]|\\.)*")*)\s*;', body):
                found += [(rel, code.count("\n", 0, base + r.start()) + 1, fmt) for fmt in format_of(r.group(1))]
    asm = os.path.join(TOP, "boot/mbr.asm")
    for n, l in enumerate(open(asm), 1):
        m = re.match(r'\s*(msg_\w+):\s+db\s+"([^"]*)"', l)
        if m:
            found.append(("boot/mbr.asm", n, m.group(2) + ("\0" if m.group(1) == "msg_read" else "")))
    return found


def lines_of(fmt):
    """The message lines of a format, as (shown text, regex); layout skipped."""
    out = []
    for piece in fmt.split("\n"):
        piece = piece.strip("\r\b ")
        parts = re.split(CONV.pattern + "|\0", piece)
        # re.split keeps the groups: take every (5)th item, the literal text.
        literal = [p for i, p in enumerate(parts) if i % 5 == 0 and p is not None]
        if sum(c.isalpha() for c in "".join(literal)) < 3:
            continue
        # Two conversions in a row ("%s%zu") fill one placeholder ("N").
        literal = [p for i, p in enumerate(literal) if p or i in (0, len(literal) - 1)]
        regex = ".+?".join(re.escape(p.replace("%%", "%")) for p in literal)
        shown = "...".join(p.replace("%%", "%") for p in literal)
        out.append((shown, regex))
    return out


def main():
    found = messages()
    if len(sys.argv) == 3 and sys.argv[1] == "--check":
        doc = open(sys.argv[2]).read().replace("\\|", "|").splitlines()
        missing, total = [], 0
        for rel, line, fmt in found:
            for shown, regex in lines_of(fmt):
                total += 1
                r = re.compile(regex)
                if not any(r.search(d) for d in doc):
                    missing.append("%s:%d: %s" % (rel, line, shown))
        for m in missing:
            print("missing: " + m)
        print("%d messages, %d missing from %s" % (total, len(missing), sys.argv[2]))
        return 1 if missing else 0
    for rel, line, fmt in found:
        for shown, _ in lines_of(fmt):
            print("%s:%d\t%s" % (rel, line, shown))
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env bash
# The documentation stays true to the code:
#   - every `DIR/FILE:FUNCTION` in README.md and docs/*.md names a function
#     (or asm label, shell function...) that exists (scripts/check-doc-refs.py);
#   - the figures and listing lines the docs quote are the build's
#     (scripts/doc-figures.py; `make doc-figures` rewrites them);
#   - docs/README.md, the reading path, lists every page;
#   - every command shown in docs/ext2.md ("$ ..." lines) runs against
#     build/disk.img with every command of its pipelines succeeding
#     (pipefail: `debugfs ... | head` is debugfs's status too), prints a
#     line the page shows where the page shows output, and leaves the
#     image unchanged;
#   - the pictures in docs/img are what their Graphviz sources draw;
#   - docs/debugging.md carries a transcript made by tests/t-40-gdb.sh.
# expect: 26 docs
source "$(dirname "$0")/lib.sh"
cd "$TOP"

if out=$(python3 scripts/check-doc-refs.py 2>&1); then
    pass "docs: every FILE:FUNCTION reference resolves ($(echo "$out" | tail -1 | sed 's/^check-doc-refs: //'))"
else
    fail "docs: every FILE:FUNCTION reference resolves" "$(echo "$out" | head -10)"
fi

# The figures and listing lines the docs quote from the build (the
# installer's sector counts and checksum, the packing ratio, build/mbr.lst).
if out=$(python3 scripts/doc-figures.py "$BUILD" 2>&1); then
    pass "docs: the figures and listing lines they quote are the build's ($(echo "$out" | tail -1 | sed 's/^doc-figures: //'))"
else
    fail "docs: the figures and listing lines they quote are the build's" "$(echo "$out" | head -10)"
fi

# The reading path (docs/README.md) lists every page, and the README links it.
unlisted=()
for page in docs/*.md; do
    [ "$page" = docs/README.md ] && continue
    grep -q "](${page#docs/})" docs/README.md || unlisted+=("$page")
done
[ ${#unlisted[@]} -eq 0 ] && grep -q '](docs/README.md)' README.md \
    && pass "docs/README.md's reading path lists every page in docs/, and README.md links it" \
    || fail "docs/README.md's reading path lists every page in docs/" "missing: ${unlisted[*]:-the link in README.md}"

# --- docs/ext2.md's commands, in one shell as a student would type them ---------
[ -f "$BUILD/disk.img" ] || { fail "build/disk.img exists" "run make first"; exit 1; }
before=$(sha256sum < "$BUILD/disk.img")
python3 - "$TOP/docs/ext2.md" <<'EOF'
import re, subprocess, sys

text = open(sys.argv[1]).read()
cmds = []                                   # (command, the output lines it shows)
for block in re.findall(r"^```[^\n]*\n(.*?)^```", text, re.M | re.S):
    lines = block.split("\n")
    for i, line in enumerate(lines):
        if line.startswith("$ "):
            shown = []
            for nxt in lines[i + 1:]:
                if nxt.startswith("$ ") or not nxt.strip():
                    break
                shown.append(nxt)
            cmds.append((line[2:], shown))
if not cmds:
    print("FAIL: docs/ext2.md shows commands: none found")
    sys.exit(0)
# pipefail: a pipeline fails when any of its commands does.  A command cut
# short by `head` dies of SIGPIPE (141): that is what head is for.
script = "set -o pipefail\n"
for i, (cmd, _) in enumerate(cmds):
    script += "echo '@@begin %d'\n%s\necho \"@@end %d $?\"\n" % (i, cmd, i)
norm = lambda l: " ".join(l.split())
out = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=120).stdout
for i, (cmd, shown) in enumerate(cmds):
    m = re.search(r"^@@begin %d\n(.*?)^@@end %d (\d+)$" % (i, i), out, re.M | re.S)
    got = set(norm(l) for l in m.group(1).split("\n")) if m else set()
    if not m:
        print("FAIL: docs/ext2.md: %s: did not finish" % cmd)
    elif m.group(2) not in ("0", "141"):
        print("FAIL: docs/ext2.md: %s: exit status %s" % (cmd, m.group(2)))
    elif shown and not m.group(1).strip():
        print("FAIL: docs/ext2.md: %s: printed nothing (the page shows output)" % cmd)
    elif shown and not any(norm(l) in got for l in shown):
        print("FAIL: docs/ext2.md: %s: prints none of the lines the page shows (first: %r; got %r)"
              % (cmd, shown[0], m.group(1)[:200]))
    else:
        print("PASS: docs/ext2.md runs: %s" % (cmd if len(cmd) < 70 else cmd[:67] + "..."))
EOF
[ "$(sha256sum < "$BUILD/disk.img")" = "$before" ] \
    && pass "docs/ext2.md's commands leave build/disk.img unchanged" \
    || fail "docs/ext2.md's commands leave build/disk.img unchanged"

# --- The numbers of docs/memory-map.md and its picture, against their one
# definition in the code (stage2/layout.h, stage2/proto/bzimage.h) -------------------
value() {   # value NAME FILE: the number a #define gives NAME
    sed -n "s/^#define[[:space:]]*$1[[:space:]]*\(0x[0-9a-fA-F]*\|[0-9]*\).*/\1/p" "$2" | head -1
}
names=("REAL_MODE_BASE stage2/proto/bzimage.h")
[ -f stage2/layout.h ] && for n in STAGE2_BASE PAYLOAD_LIMIT BOUNCE_BUFFER STAGE2_HEAP_START STAGE2_HEAP_END BSS_START LOW_MEMORY_END; do
    names+=("$n stage2/layout.h")
done
missing=()
for nf in "${names[@]}"; do
    set -- $nf
    v=$(value "$1" "$2")
    [ -n "$v" ] || { missing+=("$1 (not in $2)"); continue; }
    five=$(printf '0x%05X' "$v") eight=$(printf '0x%08X' "$v")
    grep -q "$five" docs/memory-map.md || missing+=("$1 = $five in docs/memory-map.md")
    grep -qi "$eight" docs/img/memory-map.dot || missing+=("$1 = $eight in docs/img/memory-map.dot")
done
[ ${#missing[@]} -eq 0 ] \
    && pass "docs/memory-map.md and its picture show the addresses the code defines (${#names[@]} names)" \
    || fail "docs/memory-map.md and its picture show the addresses the code defines" "${missing[*]}"

# --- The pictures ------------------------------------------------------------------
if command -v dot >/dev/null; then
    for src in docs/img/*.dot; do
        svg=${src%.dot}.svg
        if [ -f "$svg" ] && cmp -s "$svg" <(dot -Tsvg "$src"); then
            pass "$svg is drawn from $src"
        else
            fail "$svg is drawn from $src" "run 'make docs-img' and commit the result"
        fi
    done
else
    skip "docs/img/*.svg are drawn from their .dot sources" "no Graphviz (make deps)"
fi
[ -s docs/img/boot-menu.png ] && [ "$(head -c 8 docs/img/boot-menu.png | od -An -tx1 | tr -d ' ')" = 89504e470d0a1a0a ] \
    && pass "docs/img/boot-menu.png is a PNG (scripts/screenshot-menu.py)" \
    || fail "docs/img/boot-menu.png is a PNG" "run scripts/screenshot-menu.py"

# --- The gdb transcript ----------------------------------------------------------------
if grep -q '^<!-- transcript: made by tests/t-40-gdb.sh' docs/debugging.md 2>/dev/null &&
   grep -q '^(gdb) handoff' docs/debugging.md; then
    pass "docs/debugging.md has the session transcript from tests/t-40-gdb.sh"
else
    fail "docs/debugging.md has the session transcript from tests/t-40-gdb.sh" "run scripts/gdb-transcript.sh"
fi

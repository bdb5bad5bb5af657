#!/usr/bin/env python3
"""Compare the partition reader's listing with sfdisk's and sgdisk's.

    part_oracle.py CHECKS     one check per line, fields separated by tabs:
      oracle NAME ORACLE_IMAGE LISTING.json CHOSEN
      says   NAME LISTING.json TEXT        the message contains TEXT
      field  NAME LISTING.json KEY VALUE WHAT   a top-level field's value

(One Python process for all the checks: on a loaded machine each start
costs seconds.)

LISTING.json is tests/host/part_test's output (for ORACLE_IMAGE itself, or
for a damaged copy whose listing must equal the undamaged one's).  The
oracles: `sfdisk -J ORACLE_IMAGE` (scheme, disk id, every partition's number,
start, size, type, GPT uuid and name, the DOS bootable flag) and, on GPT,
`sgdisk -i N` (the attribute bits).  The DOS PARTUUID is Linux's rule
("%08x-%02x" of the disk signature and the number), written here again.
CHOSEN, when given, is the number part_choose() must pick (0: none).
Prints one PASS:/FAIL: line per image.
"""
import json
import re
import subprocess
import sys


def oracle(name, image, listing, chosen):
    got = json.load(open(listing))
    j = json.loads(subprocess.run(["sfdisk", "-J", image], capture_output=True, text=True,
                                  check=True).stdout)["partitiontable"]
    errors = []

    def same(what, a, b):
        if a != b:
            errors.append("%s: ours %r, oracle %r" % (what, a, b))

    scheme = j["label"]
    same("scheme", got["scheme"], scheme)
    same("disk id", got["id"].lower(), j["id"].lower())
    theirs = {int(re.search(r"(\d+)$", p["node"]).group(1)): p for p in j.get("partitions", [])}
    ours = {p["number"]: p for p in got["partitions"]}
    same("partition numbers", sorted(ours), sorted(theirs))
    for n in sorted(set(ours) & set(theirs)):
        o, t = ours[n], theirs[n]
        same("sda%d start" % n, o["start"], t["start"])
        same("sda%d size" % n, o["size"], t["size"])
        if scheme == "dos":
            same("sda%d type" % n, int(o["type"], 16), int(t["type"], 16))
            same("sda%d bootable" % n, o["bootable"], bool(t.get("bootable", False)))
            same("sda%d logical" % n, o["logical"], n >= 5)
            same("sda%d PARTUUID" % n, o["uuid"], "%08x-%02x" % (int(j["id"], 16), n))
        else:
            same("sda%d type" % n, o["type"].upper(), t["type"].upper())
            same("sda%d uuid" % n, o["uuid"].upper(), t["uuid"].upper())
            same("sda%d name" % n, o["name"], t.get("name", ""))
            info = subprocess.run(["sgdisk", "-i", str(n), image], capture_output=True, text=True).stdout
            m = re.search(r"Attribute flags: ([0-9A-Fa-f]{16})", info)
            same("sda%d attributes (sgdisk -i)" % n, o["attrs"].lower(), m.group(1).lower() if m else None)
            same("sda%d bootable" % n, o["bootable"], bool(int(o["attrs"], 16) & 4))
    same("chosen", got["chosen"], int(chosen))
    detail = "%s, %d partitions (%s)" % (scheme, len(theirs), " ".join("sda%d" % n for n in sorted(theirs)))
    if errors:
        print("FAIL: %s: listing = sfdisk -J / sgdisk -i: %s" % (name, "; ".join(errors)))
    else:
        print("PASS: %s: listing = sfdisk -J / sgdisk -i, field by field: %s%s" % (
            name, detail, ", boots sda%d" % got["chosen"] if got["chosen"] else ", boots nothing"))


def main():
    for line in open(sys.argv[1]):
        f = line.rstrip("\n").split("\t")
        if f[0] == "oracle":
            oracle(*f[1:5])
            continue
        got = json.load(open(f[2]))
        if f[0] == "says":
            m = got["message"]
            if f[3] in m:
                print("PASS: %s: says '%s'" % (f[1], m))
            else:
                print("FAIL: %s: says '%s': it says '%s'" % (f[1], f[3], m))
        elif f[0] == "field":
            v = json.dumps(got[f[3]])
            print("%s: %s: %s%s" % ("PASS" if v == f[4] else "FAIL", f[1], f[5],
                                    "" if v == f[4] else ": %s is %s, not %s" % (f[3], v, f[4])))


if __name__ == "__main__":
    main()

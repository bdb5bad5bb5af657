#!/usr/bin/env python3
"""Compare the partition reader's listing with sfdisk's and sgdisk's.

    part_oracle.py NAME ORACLE_IMAGE LISTING.json [CHOSEN]

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


def main():
    name, image, listing = sys.argv[1:4]
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
    if len(sys.argv) > 4:
        same("chosen", got["chosen"], int(sys.argv[4]))
    detail = "%s, %d partitions (%s)" % (scheme, len(theirs), " ".join("sda%d" % n for n in sorted(theirs)))
    if errors:
        print("FAIL: %s: listing = sfdisk -J / sgdisk -i: %s" % (name, "; ".join(errors)))
    else:
        print("PASS: %s: listing = sfdisk -J / sgdisk -i, field by field: %s%s" % (
            name, detail, (", boots sda%d" % got["chosen"] if got["chosen"] else ", boots nothing") if len(sys.argv) > 4 else ""))


if __name__ == "__main__":
    main()

#!/usr/bin/env bash
# expect: 132 host
# Host tests of the Multiboot planner (stage2/proto/multiboot.c): header
# checks and refusals, ELF32/ELF64/a.out-kludge/MB2-address-tag load plans,
# the ELF section headers (crafted tables too), the XSDP, EGA text requests,
# placement, and the information of both versions read back.  The same source stage 2
# runs, with the address and undefined-behaviour sanitizers.
source "$(dirname "$0")/lib.sh"
build "multiboot host test builds (make host-tests)" host-tests
host_run multiboot_test 1 "$BUILD/host/multiboot_test"

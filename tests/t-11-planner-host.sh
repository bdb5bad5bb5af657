#!/usr/bin/env bash
# Host tests of the boot-protocol planner (stage2/proto/bzimage.c) and the memory
# map clean-up (stage2/bios/e820.c): the same source stage 2 runs, built for the
# host with the address and undefined-behaviour sanitizers.
# expect: 38 host
source "$(dirname "$0")/lib.sh"
build "planner host test builds (make host-tests)" host-tests
host_run planner_test 1 "$BUILD/host/planner_test"

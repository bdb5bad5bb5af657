#!/usr/bin/env bash
# labs/check.sh N [DIR] - check lab N (`make lab-check LAB=N [DIR=…]`).
#
# DIR is the student's work: answers.txt and the lab's artefacts (default:
# the lab's own folder, labs/0N-*/, where the student fills them in).
# Exit 0: all right; 1: something wrong (each FAIL line says what);
# 2: something could not be checked (a MISSING line says why).
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
LAB=${1:?usage: labs/check.sh N [DIR]}
folder=$(ls -d "$TOP"/labs/0"$LAB"-*/ 2>/dev/null | head -1)
[ -n "$folder" ] || { echo "labs/check.sh: no lab $LAB (labs/01-… to labs/06-…)"; exit 2; }
LAB_DIR=$(cd "${2:-$folder}" && pwd) || exit 2
export TOP LAB LAB_DIR
echo "lab $LAB ($(basename "$folder")): checking $LAB_DIR"
exec bash "$folder/check.sh"

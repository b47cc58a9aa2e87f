#!/usr/bin/env bash
# Everything up to a bootable guest for one configuration: dependencies,
# work tree, kernel and modules, initramfs. Numbered stages for humans.
. "$(dirname "$0")/lib.sh"

CFG=${1:-default}
t0=$(now)
STAGE=1/4 "$ROOT/scripts/deps.sh"
STAGE=2/4 "$ROOT/scripts/tree.sh"
STAGE=3/4 "$ROOT/scripts/build.sh" "$CFG"
STAGE=4/4 "$ROOT/scripts/initramfs.sh" "$CFG"
say "ready in $(( $(now) - t0 )) s"

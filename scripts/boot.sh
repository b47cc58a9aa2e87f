#!/usr/bin/env bash
# An interactive guest shell for debugging (CFG=default unless given).
. "$(dirname "$0")/lib.sh"

CFG=${1:-default}
"$ROOT/scripts/build-all.sh" "$CFG"
"$ROOT/scripts/qemu.sh" "$CFG" shell

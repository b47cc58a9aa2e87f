#!/usr/bin/env bash
# A patch module from a diff: scripts/kgraft/kgr-build on DIFF (a unified
# diff of .c files against build/linux, -p1 paths as git diff writes them)
# against the kernel of CFG, built first if need be. The module lands in
# build/patches-CFG/, which 'make boot' and 'make demo' put in the guest's
# /patches/.
. "$(dirname "$0")/lib.sh"

CFG=${1:-default}
DIFF=${2:-}
[ -n "$DIFF" ] || die "usage: make kgr-build DIFF=fix.diff [CFG=default] [NAME=kgr_fix]"
[ -f "$DIFF" ] || die "$DIFF: no such file"
DIFF=$(cd "$(dirname "$DIFF")" && pwd)/$(basename "$DIFF")
OBJ=$(objdir "$CFG")
if [ ! -f "$OBJ/vmlinux" ] || [ ! -f "$OBJ/Module.symvers" ]; then
	"$ROOT/scripts/build-all.sh" "$CFG"
fi
mkdir -p "$BUILD/patches-$CFG"
"$KTREE/scripts/kgraft/kgr-build" -s "$KTREE" -O "$OBJ" -o "$BUILD/patches-$CFG" \
	${NAME:+-n "$NAME"} "$DIFF"
"$ROOT/scripts/initramfs.sh" "$CFG" >/dev/null
say "boot with 'make boot CFG=$CFG'; in the guest: insmod /patches/<name>.ko"

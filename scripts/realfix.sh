#!/usr/bin/env bash
# Build the 'realfix' configuration: the kernel of 'livepatch' with the
# upstream fixes of tests/realfix/*/ taken out again (reverse.diff), and
# for each fix a patch module that kgr-build makes from the forward diff
# (fix.diff), with the case's reproducer. The fixture kernel is an
# incremental rebuild of a copy of build/obj-livepatch: only the reversed
# files are compiled again. The work tree gets the reversed files only
# while this runs; they are put back byte for byte and with their times,
# so the other configurations rebuild nothing.
. "$(dirname "$0")/lib.sh"

BASECFG=livepatch
SRCOBJ=$(objdir $BASECFG)
OBJ=$(objdir realfix)
STAGING=$BUILD/modules-realfix
LOG=$LOGS/kernel-realfix.log
CASES=$ROOT/tests/realfix
[ -d "$KTREE/.git" ] || die "no work tree; run 'make tree' first"
: >"$LOG"
if [ ! -f "$SRCOBJ/vmlinux" ] || [ ! -f "$SRCOBJ/Module.symvers" ]; then
	stage "realfix: '$BASECFG' is not built yet; building it first"
	"$ROOT/scripts/build.sh" $BASECFG
fi
kernel_env

# The files the fixes touch must be as committed: the diffs are made for
# the base.
files=$(cat "$CASES"/*/reverse.diff | sed -n 's|^+++ b/||p' | cut -f1 | sort -u)
# shellcheck disable=SC2086
git -C "$KTREE" diff --quiet HEAD -- $files ||
	die "realfix: $files have uncommitted changes in $KTREE"
SAVE=$(mktemp -d)
restore() {
	local f
	for f in $files; do
		cp -p "$SAVE/$f" "$KTREE/$f"
	done
	rm -rf "$SAVE"
}
for f in $files; do
	mkdir -p "$SAVE/$(dirname "$f")"
	cp -p "$KTREE/$f" "$SAVE/$f"
done
trap restore EXIT

stage "realfix: copying $SRCOBJ, reversing $(ls -d "$CASES"/*/ | wc -l) fixes (log: $LOG)"
rsync -a --delete "$SRCOBJ/" "$OBJ/"
for c in "$CASES"/*/; do
	run_logged "$LOG" patch -p1 --batch --forward -d "$KTREE" -i "$c/reverse.diff"
done
start=$(now)
run_logged "$LOG" kmake bzImage modules
rm -rf "$STAGING"
mkdir -p "$STAGING/realfix"
run_logged "$LOG" kmake INSTALL_MOD_PATH="$STAGING" INSTALL_MOD_STRIP=1 modules_install
stage "realfix: fixture kernel rebuilt in $(( $(now) - start )) s"

# kgr-build on each forward diff, against the fixture kernel it patches
for c in "$CASES"/*/; do
	name=$(basename "$c")
	mod=kgr_fix_${name//-/_}
	t0=$(now)
	if ! "$KTREE/scripts/kgraft/kgr-build" -s "$KTREE" -O "$OBJ" -n "$mod" \
			-o "$STAGING/realfix" "$c/fix.diff" >"$STAGING/realfix/$name.out" 2>&1; then
		cat "$STAGING/realfix/$name.out" >>"$LOG"
		sed 's/^/  | /' "$STAGING/realfix/$name.out" >&2
		die "realfix: kgr-build failed on $name/fix.diff"
	fi
	cat "$STAGING/realfix/$name.out" >>"$LOG"
	sed -n 's/^  /  /p' "$STAGING/realfix/$name.out"
	stage "realfix: $name: kgr-build made $mod.ko in $(( $(now) - t0 )) s"
	run_logged "$LOG" gcc -static -O2 -Wall -o "$STAGING/realfix/$name" "$c/repro.c"
done

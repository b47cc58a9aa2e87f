#!/usr/bin/env bash
# bisect.sh [CFG]: check that the series is bisectable at run time. Every
# commit of base..HEAD of build/linux is checked out in a separate
# worktree (build/bisect) and built in build/obj-bisect:
#
#  - commits where CONFIG_KGRAFT cannot be selected yet (no
#    'select HAVE_KGRAFT' in arch/x86/Kconfig) are built with it forced
#    on (the select added to the worktree only, then reverted), so that
#    kgraft's own code compiles and links at each of them; commits that
#    do not have kernel/kgraft yet are built as they are;
#  - every commit that can select CONFIG_KGRAFT is built, booted, and runs
#    test-basic (a patch of cmdline_proc_show(): load, patching
#    transition completes, new code runs, disable, unpatching completes,
#    old code runs, rmmod), with the kernel log checked for splats. The
#    test script, its helpers and its patch module are HEAD's, so that
#    the commits before the selftests are checked too; the module is built
#    against each commit's kernel.
#
# Prints one KTAP line per commit saying which check it got, and
# 'N passed, N failed'. FIRST=i LAST=j (make bisect FIRST=11) check only
# the commits numbered i..j (1 is the first patch); the others are listed
# as skipped, so a partial run says what it did not check. Slow: about
# 2 h from cold on 2 cores, 50 min with a warm ccache, as headers such as
# sched.h or module.h rebuild most of the kernel; not in CI.
. "$(dirname "$0")/lib.sh"

CFG=${1:-default}
[ -d "$KTREE/.git" ] || die "no work tree; run 'make tree' first"
WT=$BUILD/bisect
OBJ=$BUILD/obj-bisect	# objdir bisect: what qemu.sh boots for 'bisect'
LOG=$LOGS/bisect.log
INITRD=$BUILD/initramfs-bisect.cpio
KSELF=$KTREE/tools/testing/selftests
MODNAME=kgr_test_vmlinux_patch
: >"$LOG"
commits=$(kgit rev-list --reverse base..HEAD)
[ -n "$commits" ] || die "no commits on top of base"
[ -f "$KSELF/kgraft/test-basic.sh" ] || die "HEAD has no tools/testing/selftests/kgraft/test-basic.sh"
if [ ! -d "$WT" ]; then
	kgit worktree add -q --detach "$WT" base
fi
git -C "$WT" checkout -q -- . 2>/dev/null || true

# pack_initramfs MODULE: a guest whose /selftests/list is test-basic only
pack_initramfs() {
	local dir=$BUILD/initramfs-bisect
	guest_skeleton "$dir" "$KSELF"
	mkdir -p "$dir/selftests/kgraft/test_modules"
	cp "$KSELF/kgraft/functions.sh" "$KSELF/kgraft/test-basic.sh" "$dir/selftests/kgraft/"
	cp "$1" "$dir/selftests/kgraft/test_modules/"
	echo kgraft/test-basic.sh >"$dir/selftests/list"
	cpio_pack "$dir" "$INITRD"
}

# boot_basic: build HEAD's test module against this commit's kernel,
# boot, run test-basic; prints what it checked or why it failed
boot_basic() {
	local mod=$BUILD/bisect-module p f s qrc=0
	rm -rf "$mod"
	mkdir -p "$mod"
	cp "$KSELF/kgraft/test_modules/$MODNAME.c" "$mod/"
	echo "obj-m := $MODNAME.o" >"$mod/Makefile"
	kmake M="$mod" modules >>"$LOG" 2>&1 || { echo "test module does not build"; return 1; }
	pack_initramfs "$mod/$MODNAME.ko"
	KGRAFT_GUEST_TIMEOUT=600 "$ROOT/scripts/qemu.sh" bisect test >>"$LOG" 2>&1 || qrc=$?
	awk -v cfg=bisect -v first=1 -v counts="$LOGS/bisect-counts" -v qrc="$qrc" \
		-v expected="kgraft/test-basic.sh" -f "$ROOT/scripts/ktap.awk" \
		"$LOGS/guest-bisect-ktap.log" >>"$LOG"
	read -r p f s <"$LOGS/bisect-counts"
	if [ "$f" != 0 ] || [ "$s" != 0 ] || [ "$p" = 0 ]; then
		echo "test-basic: $p passed, $f failed, $s skipped"
		return 1
	fi
	if ! "$ROOT/scripts/logcheck.sh" "$LOGS/guest-bisect-test.log" >>"$LOG"; then
		echo "kernel log has a splat"
		return 1
	fi
	echo "built, booted, test-basic $p/$p"
}

KTREE=$WT
kernel_env
say "KTAP version 1"
n=0 fail=0
skipped=0
for c in $commits; do
	n=$((n + 1))
	subj=$(git -C "$WT" log -1 --format=%s "$c")
	if [ "$n" -lt "${FIRST:-1}" ] || [ "$n" -gt "${LAST:-999999}" ]; then
		say "ok $n $subj # SKIP not checked in this run (FIRST=${FIRST:-1} LAST=${LAST:-})"
		skipped=$((skipped + 1))
		continue
	fi
	git -C "$WT" checkout -q --detach "$c"
	mode=run
	if ! grep -q 'select HAVE_KGRAFT' "$WT/arch/x86/Kconfig"; then
		if [ -f "$WT/kernel/kgraft/Kconfig" ]; then
			mode=forced
			sed -i '/select HAVE_RELIABLE_STACKTRACE/a\	select HAVE_KGRAFT			if X86_64' \
				"$WT/arch/x86/Kconfig"
		else
			mode=plain
		fi
	fi
	stage "$n: $subj ($mode; log: $LOG)" >&2
	echo "=== $n $c $subj ($mode)" >>"$LOG"
	start=$(now)
	why=
	if ! kernel_configure "$CFG" "$LOG" 1 >>"$LOG"; then
		why="configuration failed"
	elif [ "$mode" != plain ] && ! grep -qx 'CONFIG_KGRAFT=y' "$OBJ/.config"; then
		why="CONFIG_KGRAFT is not set"
	elif ! kmake bzImage modules >>"$LOG" 2>&1; then
		why="build failed"
	fi
	[ "$mode" = forced ] && git -C "$WT" checkout -q -- arch/x86/Kconfig
	if [ -z "$why" ]; then
		case $mode in
		plain) what="built (no kernel/kgraft yet)" ;;
		forced) what="built with CONFIG_KGRAFT forced on (not selectable yet)" ;;
		run) what=$(boot_basic) || why=$what ;;
		esac
	fi
	if [ -z "$why" ]; then
		say "ok $n $subj # $what, $(( $(now) - start )) s"
	else
		say "not ok $n $subj # $why"
		fail=$((fail + 1))
	fi
done
say "1..$n"
say "$((n - fail - skipped)) passed, $fail failed, $skipped skipped"
[ "$fail" = 0 ]

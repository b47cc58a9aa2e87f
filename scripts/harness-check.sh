#!/usr/bin/env bash
# Does the test command fail when it must? Runs 'make test CONFIGS=default'
# in a scratch copy of this repository (build/harness-check/repo, its
# kernel work tree cloned from build/linux) once per deliberate fault, and
# checks that each run exits non-zero, ends with 'N passed, N failed'
# where N failed > 0, and says why in words:
#   1. a patch that does not apply to the base;
#   2. a guest that hangs (KGHANG=1): the watchdog kills it;
#   3. a patch that breaks per-task consistency (the handler ignores the
#      universe): the selftests catch it;
#   4. a patch that breaks the build;
#   5. a handler that ignores the universe in interrupt context: the
#      stress test and test-irq catch it;
#   6. a stack check that never finds the transition's code: a task moves
#      with a patched function on its stack, and test-safe-points catches
#      it (the stress test runs too and may);
#   7. a run in which every test skips (kgraft's sysfs directory is
#      hidden from the tests);
#   8. a run in which an expected test does not run.
# The guest runs only the tests that a case needs (TESTS). Prints KTAP and
# 'N passed, N failed'. About 15 minutes with a warm ccache (the copy's
# builds share it); .ci/run runs it before make test. The copy stays for
# its logs until the next run or 'make clean'.
. "$(dirname "$0")/lib.sh"

SCR=$BUILD/harness-check
REPO=$SCR/repo
[ -d "$KTREE/.git" ] || die "no work tree; run 'make tree' first"

stage "scratch copy of the repository in ${REPO#"$ROOT"/} (the work tree is cloned from build/linux)"
rm -rf "$SCR"
mkdir -p "$REPO/build/logs"
rsync -a --exclude=/build --exclude=/.git "$ROOT/" "$REPO/"
run_logged "$SCR/setup.log" git clone -q --shared -b kgraft "$KTREE" "$REPO/build/linux"
cp "$KTREE/.git/kgraft-base" "$REPO/build/linux/.git/"
FORCE=1 STAGE=setup "$REPO/scripts/tree.sh"
SKTREE=$REPO/build/linux
sgit() { KTREE=$SKTREE kgit "$@"; }
top=$(sgit rev-parse HEAD)	# the series of patches/, applied

# add_patch NAME SED_SCRIPT FILE: the copy's series plus one patch that
# applies SED_SCRIPT to FILE.
add_patch() {
	local name=$1 script=$2 file=$3 p
	sgit checkout -q -f -B kgraft "$top"
	sed -i "$script" "$SKTREE/$file"
	! sgit diff --quiet || die "'$script' changes nothing in $file"
	sgit commit -q -a -m "kgraft: $name" -m "Deliberately broken (scripts/harness-check.sh)." \
		-m "Signed-off-by: $KGRAFT_IDENT_NAME <$KGRAFT_IDENT_EMAIL>"
	no_patch
	p=$(sgit format-patch --zero-commit -1 --start-number 99 -o "$REPO/patches")
	[ -f "$p" ] || die "no patch written for '$name'"
	sgit checkout -q -f -B kgraft "$top"
	basename "$p" >>"$REPO/patches/series"
}
# no_patch: the copy's series is that of patches/ again.
no_patch() {
	rm -f "$REPO"/patches/0099-*
	cp "$ROOT/patches/series" "$REPO/patches/series"
}

n=0 pass=0 fail=0
# expect_failure DESC REGEX...: 'make test' in the copy, with the
# variables of the array CASE_ENV, must fail with a failed count in its
# summary and every REGEX in its output.
CASE_ENV=()
expect_failure() {
	local desc=$1 log rc=0 last re missing=
	shift
	n=$((n + 1))
	log=$SCR/case-$n.log
	stage "case $n: $desc (log: ${log#"$ROOT"/})" >&2
	env "${CASE_ENV[@]}" FORCE=1 CONFIGS=default make -C "$REPO" test >"$log" 2>&1 || rc=$?
	CASE_ENV=()
	# The summary is test.sh's last line (make's own error lines follow).
	last=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	echo "$last" | grep -Eq '^[0-9]+ passed, [1-9][0-9]* failed' ||
		missing="$missing a summary line with failures;"
	for re in "$@"; do
		grep -Eq -- "$re" "$log" || missing="$missing '$re';"
	done
	if [ "$rc" -ne 0 ] && [ -z "$missing" ]; then
		pass=$((pass + 1))
		for re in "$@"; do grep -E -m 1 -- "$re" "$log" | sed 's/^/#   /'; done
		echo "#   $last"
		echo "ok $n $desc"
	else
		fail=$((fail + 1))
		echo "#   exit status $rc; missing from the output:$missing"
		tail -n 15 "$log" | sed 's/^/#   | /'
		echo "not ok $n $desc"
	fi
}

echo "KTAP version 1"
echo "1..8"
add_patch "context that is not there" \
	'0,/^#include/s//#include <linux\/kgraft-harness-check.h>\n#include/' kernel/kgraft/core.c
# The base has no such context line.
sed -i 's/^ #include/ #include_not_in_the_tree/' "$REPO"/patches/0099-*.patch
expect_failure "a patch that does not apply fails make test" \
	'error: patch [0-9]+, 0099-.*, does not apply'

no_patch
CASE_ENV=(KGRAFT_GUEST_APPEND=KGHANG=1 KGRAFT_GUEST_TIMEOUT=120 TESTS=basic)
expect_failure "a hung guest is killed by the watchdog and fails make test" \
	'error: the guest did not power off within 120 s and was killed' \
	'not ok [0-9]+ default: the guest ran every test and powered off \(killed by the watchdog\)'

add_patch "take the new function in every universe" \
	's/if (READ_ONCE(current->kgr_universe) != KGR_PATCHED) {/if (false \&\& READ_ONCE(current->kgr_universe) != KGR_PATCHED) {/' \
	kernel/kgraft/patch.c
CASE_ENV=("TESTS=consistency,stress")
expect_failure "a patch that breaks per-task consistency fails the selftests" \
	'not ok [0-9]+ default: kgraft/test-'

add_patch "a syntax error" 's/^static void notrace kgr_ftrace_handler(/&]/' kernel/kgraft/patch.c
expect_failure "a patch that breaks the build fails make test" \
	'kernel/kgraft/patch.c:[0-9]+:[0-9]+: error:' \
	'not ok [0-9]+ default: kernel, modules and initramfs build'

add_patch "take the newest version in interrupts" \
	's/if (READ_ONCE(current->kgr_universe) != KGR_PATCHED) {/if (!in_interrupt() \&\& READ_ONCE(current->kgr_universe) != KGR_PATCHED) {/' \
	kernel/kgraft/patch.c
CASE_ENV=("TESTS=irq,stress")
expect_failure "a handler that ignores the universe in interrupts fails the stress test" \
	'not ok [0-9]+ default: kgraft/test-stress.sh: no chain mixed two versions' \
	'not ok [0-9]+ default: kgraft/test-irq.sh: '

add_patch "find no patched function on any stack" \
	's/r = kgr_ranges_find(ranges, entries\[i\]);/r = NULL;/' \
	kernel/kgraft/transition.c
# test-safe-points catches it every time (a busy kthread is moved in an
# interrupt inside its pair); the stress test runs too, but its catch is a
# matter of timing.
CASE_ENV=("TESTS=safe-points,stress")
expect_failure "a task moved with a patched function on its stack fails the selftests" \
	'not ok [0-9]+ default: kgraft/test-safe-points.sh: '

no_patch
CASE_ENV=(KGRAFT_GUEST_APPEND=KGR_SYS=/sys/kernel/no-kgraft "TESTS=basic,sysfs")
expect_failure "a run in which every test skips fails" \
	'error: [0-9]+ results skipped' \
	'ok [0-9]+ default: kgraft/test-basic.sh # SKIP'

chmod -x "$SKTREE/tools/testing/selftests/kgraft/test-sysfs.sh"
CASE_ENV=(KEEP_TREE=1 "TESTS=basic,sysfs")
expect_failure "a run in which an expected test does not run fails" \
	'not ok [0-9]+ default: kgraft/test-sysfs.sh: did not run'
chmod +x "$SKTREE/tools/testing/selftests/kgraft/test-sysfs.sh"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

#!/usr/bin/env bash
# The test command: for each kernel configuration in CONFIGS (default:
# 'default livepatch realfix'), build what is missing, boot the guest, run the
# harness tests and tools/testing/selftests/kgraft, and check the kernel
# log for splats. Prints KTAP and ends with 'N passed, N failed, N skipped';
# exits non-zero when anything failed.
. "$(dirname "$0")/lib.sh"

CONFIGS=${CONFIGS:-default livepatch realfix}
# TESTS=a,b runs only the tests whose path contains one of the words (a
# developer's shortcut; a run with it is not a full run).
if [ -n "${TESTS:-}" ]; then
	export KGRAFT_GUEST_APPEND="${KGRAFT_GUEST_APPEND:+$KGRAFT_GUEST_APPEND }KGTESTS=$TESTS"
fi
nconf=$(echo "$CONFIGS" | wc -w)
total=$((2 + 3 * nconf))
i=0
timed() {	# timed LABEL CMD...: one numbered stage with its wall time
	local label=$1 t0 rc=0
	shift
	i=$((i + 1))
	t0=$(now)
	STAGE="$i/$total" "$@" || rc=$?
	echo "$label $(( $(now) - t0 ))" >>"$LOGS/timings"
	return "$rc"
}
: >"$LOGS/timings"
pass=0 fail=0 skip=0 first=1
out=$LOGS/test-results.ktap
: >"$out"
# result ok|fail DESC: one host-side result (a failed stage's reason is
# already on the terminal, from the stage's error message).
result() {
	if [ "$1" = ok ]; then
		echo "ok $first $2"; pass=$((pass + 1))
	else
		echo "not ok $first $2"; fail=$((fail + 1))
	fi >>"$out"
	first=$((first + 1))
}
summary() {
	echo "KTAP version 1"
	cat "$out"
	echo "1..$((first - 1))"
	echo "# stage wall times (s): $(tr '\n' ' ' <"$LOGS/timings")"
	# The test kernels have all that the tests need: a skip is a failure,
	[ "$skip" -eq 0 ] || echo "error: $skip results skipped; every test must run in the test kernels"
	# so a skipped result is counted as failed as well.
	echo "$pass passed, $((fail + skip)) failed, $skip skipped"
	[ "$fail" -eq 0 ] && [ "$skip" -eq 0 ] && [ "$pass" -gt 0 ]
}

# Without packages or a work tree nothing can be tested.
if ! timed deps "$ROOT/scripts/deps.sh" || ! timed tree "$ROOT/scripts/tree.sh"; then
	result fail "dependencies installed and patches/series applied to the base"
	summary
	exit 1
fi

for cfg in $CONFIGS; do
	# A configuration that does not build fails as one result; the others
	# still run.
	if ! timed "build-$cfg" "$ROOT/scripts/build.sh" "$cfg" ||
			! timed "initramfs-$cfg" "$ROOT/scripts/initramfs.sh" "$cfg"; then
		result fail "$cfg: kernel, modules and initramfs build (log: $LOGS/kernel-$cfg.log)"
		i=$((i + 1))
		continue
	fi
	i=$((i + 1))
	stage_label="$i/$total"
	STAGE=$stage_label stage "booting '$cfg' and running the tests (console: $LOGS/guest-$cfg-test.log)"
	t0=$(now)
	qrc=0
	"$ROOT/scripts/qemu.sh" "$cfg" test || qrc=$?
	echo "boot+tests-$cfg $(( $(now) - t0 ))" >>"$LOGS/timings"
	awk -v cfg="$cfg" -v first="$first" -v counts="$LOGS/counts" -v qrc="$qrc" \
		-v expected="$(expected_tests "$cfg")" \
		-f "$ROOT/scripts/ktap.awk" "$LOGS/guest-$cfg-ktap.log" >>"$out"
	read -r p f s <"$LOGS/counts"
	first=$((first + p + f + s))
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
	desc="$cfg: kernel log free of oops, WARNING, BUG, lockdep and hung-task reports"
	if splats=$("$ROOT/scripts/logcheck.sh" "$LOGS/guest-$cfg-test.log"); then
		result ok "$desc"
	else
		echo "$splats" | head -n 20 | sed 's/^/#   /' >>"$out"
		result fail "$desc"
	fi
done
summary

#!/usr/bin/env bash
# The consistency stress test (tools/testing/selftests/kgraft/test-stress.sh)
# for as long as asked: DURATION seconds (default 600) of transitions
# under callers in every context. Prints the chains checked, the mixed
# ones and the rate; fails on one mixed chain or any failed result. Not in
# CI: make test runs the same test for 45 s.
. "$(dirname "$0")/lib.sh"

CFG=${1:-default}
DURATION=${DURATION:-600}
[[ $DURATION =~ ^[0-9]+$ ]] && [ "$DURATION" -ge 10 ] || die "DURATION must be a number of seconds (>= 10)"
"$ROOT/scripts/build-all.sh" "$CFG"
stage "booting '$CFG' for a $DURATION s soak (console: $LOGS/guest-$CFG-test.log)"
rc=0
KGRAFT_GUEST_TIMEOUT=$((DURATION + 900)) \
KGRAFT_GUEST_APPEND="KGTESTS=test-stress KGR_STRESS_SECS=$DURATION KGTEST_TIMEOUT=$((DURATION + 600))" \
	"$ROOT/scripts/qemu.sh" "$CFG" test || rc=$?
out=$LOGS/soak-$CFG.txt
tr -d '\r' <"$LOGS/guest-$CFG-ktap.log" | sed -n '/^@@BEGIN kgraft\/test-stress.sh/,/^@@END/p' >"$out"
grep -E '^# [a-z]+: [0-9]+ chains|chains checked|cycles,' "$out" | sed 's/^# /  /'
splats=$("$ROOT/scripts/logcheck.sh" "$LOGS/guest-$CFG-test.log") || {
	echo "$splats" | head -n 20
	rc=1
}
grep -q '^not ok' "$out" && { grep '^not ok' "$out"; rc=1; }
grep -q '^@@END kgraft/test-stress.sh rc=0' "$out" || rc=1
stage "soak $( [ $rc -eq 0 ] && echo passed || echo FAILED ); log kept in $out"
exit "$rc"

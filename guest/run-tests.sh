#!/bin/bash
# Runs inside the guest: every test listed in /selftests/list, each framed
# by @@BEGIN/@@END lines that the host (scripts/ktap.awk) turns into KTAP
# results. A test that hangs is stopped after KGTEST_TIMEOUT seconds.
timeout=${KGTEST_TIMEOUT:-300}
# KGTESTS=a,b (kernel command line, from 'make test TESTS=a,b'): only the
# tests whose path contains one of these words.
wanted() {
	local w
	[ -n "${KGTESTS:-}" ] || return 0
	for w in ${KGTESTS//,/ }; do
		[[ $1 == *"$w"* ]] && return 0
	done
	return 1
}
while read -r t; do
	[ -n "$t" ] || continue
	wanted "$t" || continue
	echo "@@BEGIN $t"
	(cd "/selftests/$(dirname "$t")" && PATH=$PWD/bin:$PATH &&
		timeout "$timeout" "./$(basename "$t")") 2>&1
	echo "@@END $t rc=$?"
	# KGHANG=1 (kernel command line): hang after the first test, never
	# powering off, so that the host's watchdog has something to catch.
	if [ "${KGHANG:-0}" = 1 ]; then
		echo "KGHANG=1: the guest hangs here on purpose" >/dev/console
		while :; do sleep 3600; done
	fi
done </selftests/list
echo "@@DONE"

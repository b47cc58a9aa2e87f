#!/bin/bash
# Runs inside the guest for 'make bench': the cost of a call to a patched
# function, as a ratio to the same call unpatched, all in this one boot.
# kgr_bench.ko loops over kgr_bench_func() in the kernel; kgr_bench_patch.ko
# redirects it to an identical function. Each mode makes RUNS runs of
# CALLS calls and reports the fastest and the median.
set -u
. /guest/lib.sh
K=/sys/kernel/kgraft
B=/sys/kernel/kgr_bench/run
CALLS=${KGBENCH_CALLS:-2000000}
RUNS=${KGBENCH_RUNS:-9}
fail() { echo "BENCH FAILED: $*"; exit 1; }

# measure MODE: RUNS runs of CALLS calls; keeps the fastest and the
# median, in ns for CALLS calls.
declare -A best median
measure() {
	local r all=()
	for ((r = 0; r < RUNS; r++)); do
		echo "$CALLS" >$B || fail "the benchmark loop failed"
		all+=("$(<$B)")
	done
	[ -z "${KGBENCH_VERBOSE:-}" ] || echo "$1: ${all[*]}"
	# Sorted; the guest has no /dev/fd, so no process substitution.
	# shellcheck disable=SC2207
	all=($(printf '%s\n' "${all[@]}" | sort -n))
	best[$1]=${all[0]}
	median[$1]=${all[RUNS / 2]}
}

[ -d $K ] || fail "this kernel has no kgraft"
insmod /bench/kgr_bench.ko || fail "insmod kgr_bench.ko"
measure warmup
measure unpatched

# Hold a patching transition open: a task sleeping in nanosleep stays in
# the old universe until it is kicked, and the kick waits kick_delay_ms.
delay=$(<$K/kick_delay_ms)
echo 600000 >$K/kick_delay_ms
sleep 3600 &
sleeper=$!
insmod /bench/kgr_bench_patch.ko || fail "insmod kgr_bench_patch.ko"
[ "$(<$K/in_progress)" = 1 ] || fail "no transition is in progress after insmod"
measure "in transition"
[ "$(<$K/in_progress)" = 1 ] || fail "the transition ended during the measurement"
kill "$sleeper"
wait "$sleeper" 2>/dev/null
echo "$delay" >$K/kick_delay_ms
kgr_wait_idle 60 || fail "the patching transition did not complete"
measure patched

echo 0 >$K/kgr_bench_patch/enabled
kgr_wait_idle 60 || fail "the unpatching transition did not complete"
rmmod kgr_bench_patch || fail "rmmod kgr_bench_patch"
grep -q kgr_bench_func /sys/kernel/tracing/enabled_functions 2>/dev/null &&
	fail "kgr_bench_func still has an ftrace callback after the patch went"
measure reverted
rmmod kgr_bench

printf '\nkgraft bench: %d calls of kgr_bench_func() from a kernel loop, %d runs each, %s\n' \
	"$CALLS" "$RUNS" "$(uname -r)"
printf '%-14s %12s %12s %12s %12s\n' mode "best ns/call" "ratio" "median ns" "ratio"
for m in unpatched "in transition" patched reverted; do
	awk -v m="$m" -v b="${best[$m]}" -v d="${median[$m]}" -v c="$CALLS" \
		-v b0="${best[unpatched]}" -v d0="${median[unpatched]}" \
		'BEGIN { printf "%-14s %12.2f %12.2f %12.2f %12.2f\n", m, b / c, b / b0, d / c, d / d0 }'
done
echo "BENCH DONE"

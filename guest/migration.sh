#!/bin/bash
# Runs inside the guest for 'make migration': which task migrates at which
# migration point. The function tracer records every call of
# kgr_task_migrate() with its caller, the function holding the migration
# point; tasks that never call it were moved by the transition work while
# off the CPU (the reliable-stack check). Done for the patching and the
# unpatching transition of the sample patch.
set -u
K=/sys/kernel/kgraft
T=/sys/kernel/tracing
fail() { printf '\nMIGRATION TABLE FAILED: %s\n' "$*"; exit 1; }

[ -d $K ] || fail "this kernel has no kgraft"
[ -d $T ] || fail "no tracefs"
mod=$(find /lib/modules -name kgraft_sample.ko | head -n 1)
[ -n "$mod" ] || fail "kgraft_sample.ko is not in the initramfs"

. /guest/lib.sh
wait_idle() { kgr_wait_idle 60 || fail "the transition did not complete in 60 s"; }

# snapshot FILE: "pid kind comm" of every task now (kind: kthread or user)
snapshot() {
	local d pid comm kind
	for d in /proc/[0-9]*/task/[0-9]*; do
		pid=${d##*/}
		read -r comm <"$d/comm" 2>/dev/null || continue
		kind=user
		grep -q '^Kthread:.*1' "$d/status" 2>/dev/null && kind=kthread
		echo "$pid $kind $comm"
	done >"$1"
}

# measure WHAT CMD...: trace kgr_task_migrate while CMD starts a
# transition, then print one line per task and a summary per point.
measure() {
	local what=$1
	shift
	echo 0 >$T/tracing_on
	echo >$T/trace
	snapshot /tmp/tasks
	echo 1 >$T/tracing_on
	"$@" || fail "$*"
	wait_idle
	echo 0 >$T/tracing_on
	# "comm-pid [cpu] flags ts: kgr_task_migrate <-caller"
	# the idle tasks all have pid 0: tell them apart by CPU
	awk '/kgr_task_migrate <-/ {
		split($1, a, "-"); pid = a[length(a)]
		if (pid == 0) { cpu = $2; gsub(/[^0-9]/, "", cpu); pid = "0/" cpu + 0 }
		caller = $NF; sub(/^<-/, "", caller); sub(/\+0x.*/, "", caller)
		if (!(pid in seen)) { seen[pid] = caller; print pid, caller }
	}' $T/trace >/tmp/migrated
	printf '\n==> %s: %s\n' "$what" "$(dmesg | grep -E 'kgraft: kgraft_sample: (un)?patching complete' | tail -n 1 | sed 's/^\[[^]]*\] //')"
	printf '  %-6s %-8s %-18s %s\n' PID KIND COMM "MIGRATION POINT"
	awk 'NR == FNR { point[$1] = $2; next }
	     { p = ($1 in point) ? point[$1] : "moved asleep (stack check)"
	       printf "  %-6s %-8s %-18s %s\n", $1, $2, $3, p }' /tmp/migrated /tmp/tasks |
		sort -k2,2 -k4 -k3
	awk '$1 ~ /^0\// { printf "  %-6s %-8s %-18s %s\n", 0, "idle", "swapper/" substr($1, 3), $2 }' /tmp/migrated
	printf '  summary:'
	awk 'NR == FNR { point[$1] = $2; next }
	     { n[($1 in point) ? point[$1] : "stack-check"]++ }
	     END { for (k in point) if (k ~ /^0\//) n[point[k]]++ }
	     END { for (p in n) printf " %s=%d", p, n[p]; print "" }' /tmp/migrated /tmp/tasks
}

echo function >$T/current_tracer || fail "no function tracer"
echo kgr_task_migrate >$T/set_ftrace_filter || fail "kgr_task_migrate cannot be traced"
measure "patching" insmod "$mod"
measure "unpatching" sh -c "echo 0 > $K/kgraft_sample/enabled"
echo nop >$T/current_tracer
rmmod kgraft_sample
echo
echo "done: the guest powers off"

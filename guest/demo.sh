#!/bin/bash
# Runs inside the guest for 'make demo': show the behaviour of a kernel
# function that user space can see, live patch it with the kgraft sample,
# watch the transition in sysfs, show the patched behaviour, revert.
set -u
K=/sys/kernel/kgraft
P=$K/kgraft_sample
step() { printf '\n==> %s\n' "$*"; }
fail() { printf '\nDEMO FAILED: %s\n' "$*"; exit 1; }

uptime_ms() { local u; read -r u _ </proc/uptime; echo $((${u%.*} * 1000 + 10#${u#*.} * 10)); }

# Print the transition's progress whenever it changes, until it completes
# (60 s at most).
watch_transition() {
	local t0 now state last= ip
	t0=$(uptime_ms)
	while :; do
		read -r ip <$K/in_progress
		state="in_progress=$ip pending_tasks=$(<$K/pending_tasks) enabled=$(<$P/enabled) transition=$(<$P/transition)"
		now=$(uptime_ms)
		[ "$state" != "$last" ] && printf '  %6d ms  %s\n' $((now - t0)) "$state"
		last=$state
		[ "$ip" = 0 ] && return 0
		[ $((now - t0)) -lt 60000 ] || fail "the transition did not complete in 60 s"
		sleep 0.05
	done
}

step "unpatched: cat /proc/cmdline"
cat /proc/cmdline

if [ ! -d $K ]; then
	step "this kernel has no kgraft (no $K): the demo stops here"
	exit 0
fi
mod=$(find /lib/modules -name kgraft_sample.ko | head -n 1)
[ -n "$mod" ] || fail "kgraft_sample.ko is not in the initramfs"

step "insmod kgraft_sample.ko: live patch cmdline_proc_show() in the running kernel"
insmod "$mod" || fail "insmod failed"
step "transition progress from /sys/kernel/kgraft (tasks move at syscall entry, return to user, idle, kthread safe points; sleepers are kicked after $(cat $K/kick_delay_ms) ms)"
watch_transition

step "patched: cat /proc/cmdline"
cat /proc/cmdline

step "revert: echo 0 > $P/enabled"
echo 0 >$P/enabled || fail "disabling the patch failed"
watch_transition

step "unpatched again: cat /proc/cmdline"
cat /proc/cmdline
step "rmmod kgraft_sample"
rmmod kgraft_sample || fail "rmmod failed"
[ -d $P ] && fail "$P is still there"

# A transition held open, as an administrator sees it with kgr.
T=/sys/kernel/kgr_test
M=/selftests/kgraft/test_modules
if command -v kgr >/dev/null && [ -f $M/kgr_test_target.ko ]; then
	step "a transition held open: a reader of $T/pair calls a(), then sleeps before b()"
	insmod $M/kgr_test_target.ko || fail "insmod kgr_test_target failed"
	echo 1 >$T/hold
	cat $T/pair >/tmp/held.out &
	while [ "$(<$T/holding)" != 1 ]; do sleep 0.05; done
	step "insmod kgr_test_patch.ko: a() and b() get new versions; the reader must stay old"
	insmod $M/kgr_test_patch.ko || fail "insmod kgr_test_patch failed"
	sleep 1
	step "kgr blocking: who holds the transition up, and why"
	kgr blocking | sed 's/^/  /'
	step "kgr wait -t 2: still running after 2 s (exit status 4)"
	kgr wait -t 2 | sed 's/^/  /'
	echo "  exit status ${PIPESTATUS[0]}"
	step "the reader is released in 1 s; kgr wait wakes when the transition completes"
	(sleep 1; echo 1 >$T/release) &
	kgr wait | sed 's/^/  /'
	echo "  exit status ${PIPESTATUS[0]}"
	step "what the held reader saw: one version, the old one"
	sed 's/^/  /' /tmp/held.out
	step "kgr status"
	kgr status | sed 's/^/  /'
	step "kgr revert kgr_test_patch; kgr wait"
	kgr revert kgr_test_patch && kgr wait | sed 's/^/  /'
	rmmod kgr_test_patch && rmmod kgr_test_target || fail "rmmod failed"
fi

step "kernel log"
dmesg | grep 'kgraft' | sed 's/^/  /'
step "done: the guest powers off"

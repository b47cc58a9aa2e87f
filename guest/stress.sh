#!/bin/bash
# Runs inside the guest for 'scripts/qemu.sh default stress' (a debugging
# aid, not a test): one CPU calls kgr_test_a() in a loop while the other
# patches its ftrace call site, first 400 times with the plain function
# tracer, then 150 times by applying and removing kgr_test_patch. Under
# multi-threaded TCG (KGRAFT_TCG_THREAD=multi) phase 1 dies in an
# unexpected int3 within seconds; under single-threaded TCG, the default,
# both phases pass.
. /guest/lib.sh
cd /selftests/kgraft || exit 1
insmod test_modules/kgr_test_target.ko || exit 1
T=/sys/kernel/tracing
( while :; do cat /sys/kernel/kgr_test/pair >/dev/null; done ) &
hammer=$!
echo "phase 1: function tracer on kgr_test_a, toggled"
echo kgr_test_a > $T/set_ftrace_filter
for i in $(seq 400); do echo function > $T/current_tracer; echo nop > $T/current_tracer; done
echo "phase 1 done: 400 toggles"
echo > $T/set_ftrace_filter
echo 0 > /sys/kernel/kgraft/kick_delay_ms
echo "phase 2: kgraft patch and unpatch"
for i in $(seq 150); do
	insmod test_modules/kgr_test_patch.ko || { echo "insmod failed at $i"; break; }
	kgr_wait_idle || { echo "patching did not complete at $i"; break; }
	echo 0 > /sys/kernel/kgraft/kgr_test_patch/enabled
	kgr_wait_idle || { echo "unpatching did not complete at $i"; break; }
	rmmod kgr_test_patch || { echo "rmmod failed at $i"; break; }
done
echo "phase 2 done: $i rounds"
kill $hammer

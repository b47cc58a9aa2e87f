#!/bin/bash
# Runs inside the guest for 'make bench': kgraft and upstream livepatch
# measured on the same code, the same workloads, in this one boot. It
# prints one line per measurement,
#
#   BENCH <part> <system> <parameter> <metric> <value>
#
# and scripts/bench.sh on the host turns them into the table and plots.
# KGBENCH_TRACE=1 also prints kgraft's passes and kicks of each transition.
# The parts (KGBENCH_PARTS, all by default):
#   handler  ns per call of a patched function (bench/modules/kgr_bench.c):
#            unpatched, in transition, patched, reverted
#   common   enable and disable of a patch no task is inside, with
#            KGBENCH_THREADS user threads asleep in blocking calls and a
#            busy loop: time, sleepers woken, longest pass under a lock;
#            kgraft twice: the default patch (whole-syscall consistency)
#            and the same patch asking for per-function consistency
#            (system kgraft_fn)
#   blocked  100 tasks asleep inside the patched function (do_nanosleep):
#            time, and how every sleeper's nanosleep() ended
#   size     patches of KGBENCH_SIZES functions (1, 100, 1000 and 5000):
#            load, transition, unpatch, memory; 5000 functions and more
#            once per system (livepatch needs about 10 minutes for them)
#   replace  a patch of KGBENCH_REPLACE functions (100 and 1000) replaced
#            by a cumulative patch (atomic replace) of the same functions:
#            load of the first, the replace, unpatch of the second
#   latency  worst wakeup latency of a 1 ms periodic task, with no
#            transition and during back-to-back transitions (kgraft,
#            kgraft_fn, livepatch)
# Without CONFIG_LIVEPATCH only kgraft is measured.
set -u
. /guest/lib.sh
K=/sys/kernel/kgraft
L=/sys/kernel/livepatch
T=/sys/kernel/tracing
KB=/sys/kernel/kgr_bench
PARTS=${KGBENCH_PARTS:-handler,common,blocked,size,replace,latency}
SIZES=${KGBENCH_SIZES:-1 100 1000 5000}
SIZES=${SIZES//,/ }
REPLACE=${KGBENCH_REPLACE:-100 1000}
REPLACE=${REPLACE//,/ }
CALLS=${KGBENCH_CALLS:-1000000}
RUNS=${KGBENCH_RUNS:-7}
REPS=${KGBENCH_REPS:-5}
THREADS=${KGBENCH_THREADS:-0 1000 4000 10000}
THREADS=${THREADS//,/ }
# fail MESSAGE: what held a kgraft transition up, if one runs, then stop.
fail() {
	echo "BENCH FAILED: $*"
	[ "$(cat $K/in_progress 2>/dev/null)" = 1 ] && sed 's/^/  blocker: /' $K/blocking
	exit 1
}
out() { echo "BENCH $*"; }
part() { [[ ",$PARTS," == *",$1,"* ]]; }

SYSTEMS=kgraft
[ -d $L ] && SYSTEMS="kgraft livepatch"
# The transition parts measure both choices of a kgraft patch.
TSYSTEMS=${SYSTEMS/kgraft/kgraft kgraft_fn}
[ -d $K ] || fail "this kernel has no kgraft"
[ -e $T/trace ] || mount -t tracefs none $T || fail "cannot mount tracefs"
echo 100000 >/proc/sys/kernel/threads-max
echo 4194304 >/proc/sys/kernel/pid_max

# The patch of kgr_bench.ko for SYSTEM: module, and how to tell the
# transition is over after enabling (FILE VALUE) and after disabling.
# kgraft_fn is kgraft with a patch of per-function consistency.
patch_mod() {
	case $1 in
	kgraft) echo kgr_bench_patch ;;
	kgraft_fn) echo kgr_bench_patch_fn ;;
	*) echo klp_bench_patch ;;
	esac
}
enable_done() {
	if [[ $1 == kgraft* ]]; then echo "$K/in_progress 0"; else echo "$L/$2/transition 0"; fi
}
disable_done() {
	if [[ $1 == kgraft* ]]; then echo "$K/in_progress 0"; else echo "$L/$2 !"; fi
}
enabled_file() {
	if [[ $1 == kgraft* ]]; then echo "$K/$2/enabled"; else echo "$L/$2/enabled"; fi
}
in_transition() {
	if [[ $1 == kgraft* ]]; then [ "$(<$K/in_progress)" = 1 ]; else [ "$(<$L/$2/transition)" = 1 ]; fi
}

# How long load and unload wait for a transition (ms); the big patches of
# the size and replace parts take minutes with livepatch.
TIMEOUT_MS=120000
# load SYSTEM MOD: insmod a patch module and time its transition. Sets
# $ms; fails the benchmark when it does not complete within TIMEOUT_MS.
load() {
	local r
	# shellcheck disable=SC2046
	r=$(/bench/transtime $(enable_done "$1" "$2") $TIMEOUT_MS insmod "/bench/$2.ko") ||
		fail "$1: insmod $2: $r"
	ms=${r#ms=}
}
# rmmod_patch MOD: rmmod a patch module that is no longer applied.
rmmod_patch() {
	local r
	# Livepatch lets go of its module a moment after the directory went.
	for ((r = 0; r < 100; r++)); do
		rmmod "$1" 2>/dev/null && return
		sleep 0.05
	done
	rmmod "$1" || fail "rmmod $1"
}
# settle SYSTEM N: kgraft calls the N functions of its patch directly, as it
# does a second after its last transition (direct_calls): what a patch
# that has been applied for a while is left from. Livepatch has no such
# state.
settle() {
	local r
	[ "$1" = kgraft ] && [ -e $K/direct_calls ] || return 0
	for ((r = 0; r < 200; r++)); do
		[ "$(<$K/direct_functions)" = "$2" ] && return
		sleep 0.05
	done
	fail "kgraft does not call the $2 functions directly: $(<$K/direct_functions)"
}
# unload SYSTEM MOD: disable, time the transition, rmmod.
unload() {
	local r
	# shellcheck disable=SC2046
	r=$(/bench/transtime $(disable_done "$1" "$2") $TIMEOUT_MS \
		sh -c "echo 0 > $(enabled_file "$1" "$2")") || fail "$1: disable $2: $r"
	ms=${r#ms=}
	rmmod_patch "$2"
}

# trace_start SYSTEM: record what the transition did: kgraft's own
# tracepoints, or for livepatch the duration of each pass of
# klp_try_complete_transition(), which walks the tasks under tasklist_lock.
trace_start() {
	echo 0 >$T/tracing_on
	echo nop >$T/current_tracer
	echo >$T/trace
	echo 0 >$T/events/enable
	if [[ $1 == kgraft* ]]; then
		echo 1 >$T/events/kgraft/kgr_transition_pass/enable
		echo 1 >$T/events/kgraft/kgr_task_kick/enable
		echo 1 >$T/events/kgraft/kgr_transition_complete/enable
	else
		echo klp_try_complete_transition >$T/set_ftrace_filter
		echo klp_try_complete_transition >$T/set_graph_function
		echo 1 >$T/max_graph_depth
		echo function_graph >$T/current_tracer
	fi
	echo 16384 >$T/buffer_size_kb
	echo 1 >$T/tracing_on
}
# trace_stop SYSTEM: sets $kicks, $lock_us (longest pass under the lock)
# and for kgraft $kernel_ms, the transition's own time (start to complete,
# from its tracepoint: without the module load and ftrace set-up or
# tear-down that the time seen from user space includes).
trace_stop() {
	echo 0 >$T/tracing_on
	if [[ $1 == kgraft* ]]; then
		kicks=$(grep -c 'kgr_task_kick:' $T/trace)
		kernel_ms=$(sed -n 's/.*kgr_transition_complete:.* complete after \([0-9]*\) ms.*/\1/p' $T/trace | tail -1)
		lock_us=$(sed -n 's/.*longest lock hold \([0-9]*\) us.*/\1/p' $T/trace | sort -n | tail -1)
		# KGBENCH_TRACE=1: the passes, the kinds of kick and the end.
		if [ "${KGBENCH_TRACE:-0}" = 1 ]; then
			grep -E 'kgr_transition_(pass|complete):' $T/trace | sed 's/^ */TRACE /'
			sed -n 's/.*kgr_task_kick:.* kicked by //p' $T/trace | sort | uniq -c |
				sed 's/^ */TRACE kicks: /'
		fi
		echo 0 >$T/events/kgraft/kgr_transition_pass/enable
		echo 0 >$T/events/kgraft/kgr_task_kick/enable
		echo 0 >$T/events/kgraft/kgr_transition_complete/enable
	else
		kicks=0
		kernel_ms=
		lock_us=$(grep 'klp_try_complete_transition' $T/trace |
			sed -n 's/.* \([0-9.]*\) us .*/\1/p' | sort -n | tail -1)
		echo nop >$T/current_tracer
		echo >$T/set_graph_function
		echo >$T/set_ftrace_filter
	fi
	lock_us=${lock_us:-0}
	echo >$T/trace
}

# threads_start N SECONDS MIX: start bench_threads and wait until every
# sleeper sleeps. Sets $bt (its pid) and $bt_out.
threads_start() {
	local i
	bt_out=/tmp/bt.$1.$3
	/bench/bench_threads "$1" "$2" "$3" >"$bt_out" &
	bt=$!
	for ((i = 0; i < 1200; i++)); do
		grep -q '^ready' "$bt_out" && break
		kill -0 "$bt" 2>/dev/null || fail "bench_threads $* died: $(cat "$bt_out")"
		sleep 0.1
	done
	grep -q '^ready' "$bt_out" || fail "bench_threads $* not ready after 120 s"
	# Let the last ones reach their sleep.
	sleep 1
}
# nvcsw: voluntary context switches of bench_threads so far.
nvcsw() {
	local n i
	n=$(grep -c '^nvcsw=' "$bt_out")
	kill -USR1 "$bt"
	for ((i = 0; i < 100; i++)); do
		[ "$(grep -c '^nvcsw=' "$bt_out")" -gt "$n" ] && break
		sleep 0.05
	done
	sed -n 's/^nvcsw=//p' "$bt_out" | tail -1
}
# threads_end: wait for bench_threads to report; sets $sleepers, $failed.
threads_end() {
	local line
	kill -TERM "$bt" 2>/dev/null
	wait "$bt"
	line=$(grep '^sleepers=' "$bt_out" | tail -1)
	[ -n "$line" ] || fail "bench_threads did not report: $(cat "$bt_out")"
	sleepers=$(echo "$line" | sed 's/sleepers=\([0-9]*\).*/\1/')
	failed=$(echo "$line" | sed 's/.*failed=\([0-9]*\).*/\1/')
}

# handler: each system patches its own twin of the function (kgraft
# kgr_bench_func(), livepatch kgr_bench_func_lp()), both patches are in
# place at once, and the runs alternate between the two, so that both see
# the same moments of the emulated machine.
handler() {
	local sys r v hold holders n
	insmod /bench/kgr_bench.ko || fail "insmod kgr_bench.ko"
	runfile() { [ "$1" = kgraft ] && echo $KB/run || echo $KB/run_lp; }
	# measure MODE: RUNS runs of CALLS calls for each system, alternating.
	measure() {
		for ((r = 0; r < RUNS; r++)); do
			for sys in $SYSTEMS; do
				echo "$CALLS" >"$(runfile $sys)" || fail "the benchmark loop failed"
				v=$(<"$(runfile $sys)")
				out handler "$sys" "$1" ns_per_call \
					"$(awk -v v="$v" -v c="$CALLS" 'BEGIN { printf "%.2f", v / c }')"
			done
		done
	}
	for sys in $SYSTEMS; do echo "$CALLS" >"$(runfile $sys)"; done
	measure unpatched
	# A task asleep in kgr_bench_hold() (kgr_bench_hold_lp()) holds each
	# transition open: its sleep is killable only, so no kick or fake
	# signal wakes it, and its stack shows the patched function.
	holders=
	for sys in $SYSTEMS; do
		[ $sys = kgraft ] && hold=$KB/hold || hold=$KB/hold_lp
		cat $hold >/dev/null &
		holders="$holders $!"
	done
	n=$(echo $SYSTEMS | wc -w)
	for ((r = 0; r < 100; r++)); do
		[ "$(<$KB/holding)" = "$n" ] && break
		sleep 0.05
	done
	[ "$(<$KB/holding)" = "$n" ] || fail "no task sleeps in kgr_bench_hold()"
	for sys in $SYSTEMS; do
		insmod "/bench/$(patch_mod $sys).ko" || fail "insmod $(patch_mod $sys)"
		in_transition $sys "$(patch_mod $sys)" ||
			fail "$sys: no transition in progress with a task in the held function"
	done
	measure in_transition
	for sys in $SYSTEMS; do
		in_transition $sys "$(patch_mod $sys)" || fail "$sys: the transition ended during the measurement"
	done
	echo 1 >$KB/release
	# shellcheck disable=SC2086
	wait $holders
	for sys in $SYSTEMS; do
		# shellcheck disable=SC2046
		/bench/transtime $(enable_done $sys "$(patch_mod $sys)") 120000 true >/dev/null ||
			fail "$sys: the transition did not complete"
	done
	# kgraft calls the new version directly once the transition is over
	# (direct_calls); "patched_handler" is the same through its handler.
	if [ -e $K/direct_calls ]; then
		for ((r = 0; r < 100; r++)); do
			[ "$(<$K/direct_functions)" -ge 1 ] && break
			sleep 0.05
		done
		[ "$(<$K/direct_functions)" -ge 1 ] || fail "kgraft does not call kgr_bench_func() directly"
	fi
	measure patched
	if [ -e $K/direct_calls ]; then
		echo 0 >$K/direct_calls || fail "direct_calls=0"
		measure patched_handler
		echo 1 >$K/direct_calls || fail "direct_calls=1"
	fi
	for sys in $SYSTEMS; do
		unload $sys "$(patch_mod $sys)"
	done
	# a direct call goes a second after the last version of its function
	for ((r = 0; r < 100; r++)); do
		grep -q kgr_bench_func $T/enabled_functions || break
		sleep 0.05
	done
	grep -q kgr_bench_func $T/enabled_functions &&
		fail "a benchmark function still has an ftrace callback after the patches went"
	measure reverted
	rmmod kgr_bench
}

common() {
	local n rep sys mod dir sw0 sw1
	insmod /bench/kgr_bench.ko || fail "insmod kgr_bench.ko"
	for n in $THREADS; do
		threads_start "$n" 3600 mixed
		for ((rep = 0; rep < REPS; rep++)); do
			for sys in $TSYSTEMS; do
				mod=$(patch_mod $sys)
				for dir in enable disable; do
					trace_start $sys
					sw0=$(nvcsw)
					if [ $dir = enable ]; then load $sys $mod; else unload $sys $mod; fi
					sw1=$(nvcsw)
					trace_stop $sys
					out common $sys "$n" ${dir}_ms "$ms"
					out common $sys "$n" ${dir}_woken $((sw1 - sw0))
					out common $sys "$n" ${dir}_kicked "$kicks"
					out common $sys "$n" ${dir}_lock_us "$lock_us"
					[ -n "$kernel_ms" ] && out common $sys "$n" ${dir}_kernel_ms "$kernel_ms"
				done
			done
		done
		threads_end
		out common all "$n" sleepers_failed "$failed"
	done
	rmmod kgr_bench
}

blocked() {
	local sys mod
	for sys in $SYSTEMS; do
		[ $sys = kgraft ] && mod=kgr_bench_ns_kgr || mod=kgr_bench_ns_klp
		# Livepatch signals the sleepers after 15 s, twice: 60 s is
		# enough for both transitions.
		threads_start 100 60 nanosleep
		trace_start $sys
		load $sys $mod
		trace_stop $sys
		out blocked $sys 100 enable_ms "$ms"
		out blocked $sys 100 enable_kicked "$kicks"
		[ -n "$kernel_ms" ] && out blocked $sys 100 enable_kernel_ms "$kernel_ms"
		trace_start $sys
		unload $sys $mod
		trace_stop $sys
		out blocked $sys 100 disable_ms "$ms"
		out blocked $sys 100 disable_kicked "$kicks"
		[ -n "$kernel_ms" ] && out blocked $sys 100 disable_kernel_ms "$kernel_ms"
		# bench_threads reports by itself when every sleeper is back.
		wait "$bt"
		sleepers=$(sed -n 's/^sleepers=\([0-9]*\).*/\1/p' "$bt_out")
		failed=$(sed -n 's/.*failed=\([0-9]*\).*/\1/p' "$bt_out")
		out blocked $sys 100 sleepers_done "${sleepers:-0}"
		out blocked $sys 100 sleepers_failed "${failed:-100}"
	done
}

memkb() { awk '/^MemAvailable:/ { print $2 }' /proc/meminfo; }
size() {
	local n sys mod rep reps a b TIMEOUT_MS=1800000
	for n in $SIZES; do
		insmod /bench/kgr_size_target_$n.ko || fail "insmod kgr_size_target_$n"
		reps=$REPS
		[ "$n" -ge 5000 ] && reps=1
		for ((rep = 0; rep < reps; rep++)); do
			for sys in $SYSTEMS; do
				[ $sys = kgraft ] && mod=kgr_size_patch_$n || mod=klp_size_patch_$n
				a=$(memkb)
				load $sys $mod
				b=$(memkb)
				out size $sys "$n" enable_ms "$ms"
				out size $sys "$n" mem_kb $((a - b))
				settle $sys "$n"
				unload $sys $mod
				out size $sys "$n" disable_ms "$ms"
			done
		done
		rmmod kgr_size_target_$n
	done
}

replace() {
	local n sys pre rep TIMEOUT_MS=1800000
	for n in $REPLACE; do
		insmod /bench/kgr_size_target_$n.ko || fail "insmod kgr_size_target_$n"
		for ((rep = 0; rep < REPS; rep++)); do
			for sys in $SYSTEMS; do
				[ $sys = kgraft ] && pre=kgr || pre=klp
				load $sys ${pre}_size_patch_$n
				out replace $sys "$n" enable_ms "$ms"
				settle $sys "$n"
				load $sys ${pre}_size_repl_$n
				out replace $sys "$n" replace_ms "$ms"
				rmmod_patch ${pre}_size_patch_$n
				settle $sys "$n"
				unload $sys ${pre}_size_repl_$n
				out replace $sys "$n" disable_ms "$ms"
			done
		done
		rmmod kgr_size_target_$n
	done
}

latency() {
	local sys mod c rep
	insmod /bench/kgr_bench.ko || fail "insmod kgr_bench.ko"
	threads_start 1000 3600 mixed
	for ((rep = 0; rep < REPS; rep++)); do
		out latency none 1000 max_us "$(/bench/cyclic 5 | sed -n 's/.*max_us=\([0-9]*\).*/\1/p')"
		for sys in $TSYSTEMS; do
			mod=$(patch_mod $sys)
			/bench/cyclic 5 >/tmp/cyclic.out &
			c=$!
			while kill -0 $c 2>/dev/null; do
				load $sys $mod
				unload $sys $mod
			done
			wait $c
			out latency $sys 1000 max_us "$(sed -n 's/.*max_us=\([0-9]*\).*/\1/p' /tmp/cyclic.out)"
		done
	done
	threads_end
	rmmod kgr_bench
}

echo "kgraft bench: $(uname -r), $(nproc) CPUs, systems: $SYSTEMS, parts: $PARTS"
echo "BENCH meta all 0 calls $CALLS"
for p in handler common blocked size replace latency; do
	part $p || continue
	echo "bench: $p"
	$p
done
echo "BENCH DONE"

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The samples of samples/kgraft work as their comments say: shadow data
# on kgraft_sample_target's counters, callbacks stacked on top of it, the
# /proc/cmdline sample, and the cumulative patch replacing all three in
# one transition, after which their modules unload; the sample that
# uses unexported symbols through relocation sections.
. ../kselftest/ktap_helpers.sh

K=/sys/kernel/kgraft
F=/proc/kgraft_sample_target

ktap_print_header
ktap_set_plan 16

check() {	# check DESC CMD...
	local desc=$1
	shift
	if "$@"; then ktap_test_pass "$desc"; else ktap_test_fail "$desc"; fi
}
. /guest/lib.sh
load() {
	local ko
	ko=$(find /lib/modules -name "$1.ko" | head -n 1)
	[ -n "$ko" ] && insmod "$ko" && kgr_wait_idle
}
# first_line: the first counter line
first_line() {
	local line
	read -r line <$F
	echo "$line"
}
# read_by_me: this shell reads the counters and is their last reader
read_by_me() {
	local line
	read -r line <$F
	[[ $line =~ ^apples\ [0-9]+\ last=([0-9]+)$ ]] && [ "${BASH_REMATCH[1]}" = "$BASHPID" ]
}

check "kgraft_sample_target shows its counters" \
	eval 'load kgraft_sample_target && [[ "$(first_line)" =~ ^apples\ [0-9]+$ ]]'
check "kgraft_sample_shadow adds the last reader's pid" \
	eval 'load kgraft_sample_shadow && read_by_me'
dmesg -c >/dev/null
check "kgraft_sample_callbacks stacks its show function on top" \
	eval 'load kgraft_sample_callbacks && [[ "$(first_line)" == *"(patched by kgraft_sample_callbacks)" ]]'
check "its callbacks ran, post_patch after the transition" \
	eval 'dmesg | grep -A1 "kgraft_sample_callbacks: patching complete" | grep -q "post_patch kgraft_sample_target"'
check "both are on the stack" \
	eval '[ "$(cat $K/kgraft_sample_shadow/stack_position) $(cat $K/kgraft_sample_callbacks/stack_position)" = "1 2" ]'
check "kgraft_sample patches /proc/cmdline" \
	eval 'load kgraft_sample && grep -qx "this kernel is live patched by kgraft_sample" /proc/cmdline'
dmesg -c >/dev/null
check "kgraft_sample_cumulative replaces all three" \
	eval 'load kgraft_sample_cumulative && grep -qx "this kernel is live patched by kgraft_sample_cumulative" /proc/cmdline'
check "the counters are original again" eval '[[ "$(first_line)" =~ ^apples\ [0-9]+$ ]]'
for p in kgraft_sample kgraft_sample_callbacks kgraft_sample_shadow; do
	check "$p is replaced" eval '[ "$(cat $K/$p/enabled) $(cat $K/$p/replaced)" = "0 1" ]'
done
check "no unpatch callback ran for the replaced patch" \
	eval '! dmesg | grep -q "kgraft_sample_callbacks: p.*_unpatch"'
check "the replaced modules unload" \
	eval 'rmmod kgraft_sample kgraft_sample_callbacks kgraft_sample_shadow'
cmdline_ok() { ! grep -q "live patched" /proc/cmdline; }
check "the cumulative patch reverts and everything unloads" \
	eval 'echo 0 > $K/kgraft_sample_cumulative/enabled && kgr_wait_idle && cmdline_ok &&
	      rmmod kgraft_sample_cumulative kgraft_sample_target'
version_static() { grep -qx "booted with: $(cat /proc/cmdline)" /proc/version; }
check "kgraft_sample_static adds the command line to /proc/version" \
	eval 'load kgraft_sample_static && version_static'
check "it reverts and unloads" \
	eval 'echo 0 > $K/kgraft_sample_static/enabled && kgr_wait_idle && ! version_static &&
	      rmmod kgraft_sample_static'
ktap_finished

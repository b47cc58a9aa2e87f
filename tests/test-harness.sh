#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Harness smoke test: the guest booted the kernel we built, on 2 CPUs,
# and ftrace can attach to a kernel function through tracefs.
. ../kselftest/ktap_helpers.sh

T=/sys/kernel/tracing
FUNC=cmdline_proc_show

ktap_print_header
ktap_set_plan 4

case "$(uname -r)" in
*-kgraft*) ktap_test_pass "booted the kgraft kernel ($(uname -r))" ;;
*) ktap_test_fail "booted the kgraft kernel (uname -r says $(uname -r))" ;;
esac

online=$(cat /sys/devices/system/cpu/online)
if [ "$online" = "0-1" ]; then
	ktap_test_pass "both CPUs are online"
else
	ktap_test_fail "both CPUs are online (online: $online)"
fi

if grep -qx "$FUNC" $T/available_filter_functions; then
	ktap_test_pass "$FUNC is ftrace-able"
else
	ktap_test_fail "$FUNC is ftrace-able"
fi

# Trace only FUNC, then make /proc/cmdline call it exactly once.
echo 0 >$T/tracing_on
echo "$FUNC" >$T/set_ftrace_filter
echo function >$T/current_tracer
echo >$T/trace
before=$(grep -c "$FUNC" $T/trace)
echo 1 >$T/tracing_on
cat /proc/cmdline >/dev/null
echo 0 >$T/tracing_on
after=$(grep -c " $FUNC <-" $T/trace)
echo nop >$T/current_tracer
echo >$T/set_ftrace_filter
if [ "$before" -eq 0 ] && [ "$after" -ge 1 ]; then
	ktap_test_pass "function tracer records $FUNC when /proc/cmdline is read"
else
	ktap_print_msg "hits before: $before, after: $after"
	ktap_test_fail "function tracer records $FUNC when /proc/cmdline is read"
fi
ktap_finished

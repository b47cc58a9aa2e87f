#!/bin/bash
# Runs inside the guest for 'make demo': show the behaviour of a kernel
# function that user space can see, live patch it, watch the transition
# in sysfs, show the patched behaviour, revert.
set -u
step() { printf '\n==> %s\n' "$*"; }

step "unpatched: cat /proc/cmdline"
cat /proc/cmdline

if [ ! -d /sys/kernel/kgraft ]; then
	step "this kernel has no kgraft (no /sys/kernel/kgraft): the consistency engine is not in the series yet, so the demo stops here"
	exit 0
fi

#!/usr/bin/env bash
# logcheck.sh CONSOLE_LOG: print the kernel splats found in a guest
# console log (oops, WARNING, BUG, lockdep, KASAN, hung task, panic);
# exit 1 when there is any.
set -euo pipefail
pat='Oops|WARNING:|BUG:|kernel BUG|Kernel panic|general protection fault|'
pat+='possible circular locking|possible recursive locking|inconsistent lock state|'
pat+='DEBUG_LOCKS_WARN_ON|INFO: task .* blocked|soft lockup|hard LOCKUP|RCU stall|rcu_sched self-detected|'
pat+='KASAN|UBSAN|Call Trace:|list_add corruption|list_del corruption|'
# a selftest module saw a chain that mixed two versions
pat+='kgr_stress_target: MIXED|kgr_test_target: mixed'
if grep -nE "$pat" "$1"; then
	exit 1
fi
exit 0

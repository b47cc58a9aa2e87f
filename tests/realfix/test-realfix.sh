#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Real upstream fixes, live. This guest runs the fixture kernel: the
# 'livepatch' kernel with the fixes of tests/realfix/*/ taken out again.
# For each case the reproducer shows the bug, the patch module that
# kgr-build made from the fix's diff makes it show the fix, and with the
# patch disabled the bug is back. msdos.ko is loaded only after its patch,
# and again after a removal: the patch applies to it each time.
. ../kselftest/ktap_helpers.sh
. /guest/lib.sh

K=/sys/kernel/kgraft
R=/realfix

ktap_print_header
ktap_set_plan 26

check() {	# check DESC CMD...
	local desc=$1
	shift
	if "$@"; then ktap_test_pass "$desc"; else ktap_test_fail "$desc"; fi
}
# shows CASE WANT: the reproducer of CASE prints WANT (BUG or FIXED)
shows() {
	local out
	out=$("$R/$1" 2>&1)
	[ "$out" = "$2" ] || { echo "# $1: $out (want $2)"; return 1; }
}
# kgr-build named the function it patches
reported() {
	grep -q "^  $2: patch $3 $4: " "$R/$1.out" ||
		{ sed 's/^/# | /' "$R/$1.out"; return 1; }
}
patch_on() {	# patch_on MOD: insmod it and wait for the transition
	insmod "$R/$1.ko" && kgr_wait_idle && [ "$(cat $K/$1/enabled)" = 1 ]
}
patch_off() {	# patch_off MOD: disable, wait, unload
	echo 0 >"$K/$1/enabled" && kgr_wait_idle && rmmod "$1"
}
mod_gone() { ! grep -q "^$1 " /proc/modules; }

# fcntl: refuse F_SET_RW_HINT on an immutable inode (fcntl_set_rw_hint()
# and do_fcntl() are inlined into the system call)
C=fcntl-rw-hint M=kgr_fix_fcntl_rw_hint
check "$C: kgr-build patches __x64_sys_fcntl" reported $C fs/fcntl.c vmlinux __x64_sys_fcntl
check "$C: the fixture kernel has the bug" shows $C BUG
check "$C: the patch loads and completes" patch_on $M
check "$C: the bug is fixed" shows $C FIXED
check "$C: the patch is disabled and removed" patch_off $M
check "$C: the bug is back" shows $C BUG

# fs: skip copy_file_range write limits when there is no data
# (generic_copy_file_checks() is inlined into vfs_copy_file_range())
C=cfr-write-limits M=kgr_fix_cfr_write_limits
check "$C: kgr-build patches vfs_copy_file_range" reported $C fs/read_write.c vmlinux vfs_copy_file_range
check "$C: the fixture kernel has the bug" shows $C BUG
check "$C: the patch loads and completes" patch_on $M
check "$C: the bug is fixed" shows $C FIXED
check "$C: the patch is disabled and removed" patch_off $M
check "$C: the bug is back" shows $C BUG

# fat: reject name longer than NAME_MAX in msdos_format_name(), in
# msdos.ko; the reproducer loads fat.ko and msdos.ko when they are not
C=fat-name-max M=kgr_fix_fat_name_max
check "$C: kgr-build patches msdos_format_name in msdos" reported $C fs/fat/namei_msdos.c msdos msdos_format_name
check "$C: the fixture kernel has the bug" shows $C BUG
check "$C: msdos is removed" eval 'rmmod msdos && mod_gone msdos'
check "$C: the patch loads and completes without msdos" patch_on $M
check "$C: its object msdos waits" eval '[ "$(cat $K/$M/msdos/loaded)" = 0 ]'
check "$C: msdos loaded after the patch has the fix" shows $C FIXED
check "$C: its object msdos is patched" eval '[ "$(cat $K/$M/msdos/loaded)" = 1 ]'
check "$C: msdos is removed while patched" eval 'rmmod msdos && mod_gone msdos'
check "$C: loaded again, the fix again" shows $C FIXED
check "$C: the patch is disabled and removed" patch_off $M
check "$C: the bug is back" shows $C BUG
check "$C: msdos and fat unload" eval 'rmmod msdos fat && mod_gone msdos && mod_gone fat'
check "no patch is left" eval '[ -z "$(ls $K | grep kgr_fix)" ]'
check "the kernel log has no kgraft error" eval '! dmesg | grep -q "kgraft: kgr_fix.*\(cannot\|refus\|fail\)"'
ktap_finished

#!/usr/bin/env bash
# Pack the guest's initramfs for one kernel configuration: busybox, bash
# and its libraries, the kernel modules, the selftests (harness tests from
# tests/, then tools/testing/selftests/kgraft) and guest/.
. "$(dirname "$0")/lib.sh"

CFG=${1:-default}
DIR=$BUILD/initramfs-$CFG
OUT=$BUILD/initramfs-$CFG.cpio
KSELF=$KTREE/tools/testing/selftests
STAGING=$BUILD/modules-$CFG
[ -d "$STAGING" ] || die "no modules for '$CFG'; run 'make build' first"

guest_skeleton "$DIR" "$KSELF" "$CFG"
cp -a "$STAGING/lib" "$DIR/"
[ -d "$STAGING/tools" ] && cp -a "$STAGING/tools/." "$DIR/"
[ -d "$STAGING/bench" ] && cp -r "$STAGING/bench" "$DIR/bench"
# patch modules made with 'make kgr-build'
for ko in "$BUILD/patches-$CFG"/*.ko; do
	[ -e "$ko" ] || continue
	mkdir -p "$DIR/patches"
	cp "$ko" "$DIR/patches/"
done

# Test list: the harness's own tests first, then the kgraft selftests
# (every executable test-*.sh of the directory, in name order).
: >"$DIR/selftests/list"
mkdir -p "$DIR/selftests/harness"
harness=$ROOT/tests
# the real-fix fixture kernel runs its cases only, with what they need
if [ "$CFG" = realfix ]; then
	harness=$ROOT/tests/realfix
	cp -r "$STAGING/realfix" "$DIR/realfix"
fi
for t in "$harness"/test-*.sh; do
	[ -e "$t" ] || continue
	cp "$t" "$DIR/selftests/harness/"
	echo "harness/$(basename "$t")" >>"$DIR/selftests/list"
done
if [ -d "$KSELF/kgraft" ] && [ "$CFG" != realfix ]; then
	rsync -a --exclude=test_modules "$KSELF/kgraft/" "$DIR/selftests/kgraft/"
	[ -d "$STAGING/test_modules" ] && cp -r "$STAGING/test_modules" "$DIR/selftests/kgraft/"
	[ -d "$STAGING/progs" ] && cp "$STAGING"/progs/* "$DIR/selftests/kgraft/"
	# a test that needs an option this kernel lacks ("# requires: CONFIG_X")
	# is left out, here and in the list of tests the host expects
	(cd "$DIR/selftests" && find kgraft -maxdepth 1 -name 'test-*.sh' -perm -u+x | sort) |
		while read -r t; do
			if test_fits "$DIR/selftests/$t" "$CFG" && ! test_excluded "$t" "$CFG"; then
				echo "$t"
			fi
		done >>"$DIR/selftests/list"
fi
# Upstream livepatch's selftests, as they are in the base, for the kernels
# with CONFIG_LIVEPATCH: they need coreutils' date and stat, diffutils'
# diff, procps' sysctl, kmod's modinfo and getconf besides busybox.
if [ -d "$STAGING/lp_test_modules" ] && [ "$CFG" != realfix ]; then
	mkdir -p "$DIR/selftests/livepatch"
	cp "$KSELF"/livepatch/*.sh "$KSELF/livepatch/settings" "$DIR/selftests/livepatch/"
	cp -r "$STAGING/lp_test_modules" "$DIR/selftests/livepatch/test_modules"
	mv "$DIR/selftests/livepatch/test_modules/test_klp-call_getpid" "$DIR/selftests/livepatch/"
	for f in /usr/bin/date /usr/bin/stat /usr/bin/diff /usr/sbin/sysctl /bin/kmod /usr/bin/getconf; do
		for l in $(ldd "$f" 2>/dev/null | grep -o '/[^ ]*'); do
			mkdir -p "$DIR$(dirname "$l")"
			cp -L "$l" "$DIR$l"
		done
		cp -L "$f" "$DIR/bin/$(basename "$f")"
	done
	ln -sf kmod "$DIR/bin/modinfo"
	# and kmod's insmod and rmmod, whose messages their expected logs
	# quote (guest/run-tests.sh puts a test directory's bin/ first in PATH)
	mkdir -p "$DIR/selftests/livepatch/bin"
	ln -sf /bin/kmod "$DIR/selftests/livepatch/bin/insmod"
	ln -sf /bin/kmod "$DIR/selftests/livepatch/bin/rmmod"
	# the scripts check that a build directory exists; the modules are built
	# (modules_install left 'build' as a link to the host's object tree,
	# which the guest does not have).
	for d in "$DIR"/lib/modules/*/; do
		rm -f "${d}build"
		mkdir "${d}build"
	done
	upstream_tests "$KSELF/livepatch/Makefile" >>"$DIR/selftests/list"
fi
cpio_pack "$DIR" "$OUT"
stage "initramfs for '$CFG': $(du -h "$OUT" | cut -f1), $(grep -c . "$DIR/selftests/list" || true) tests"

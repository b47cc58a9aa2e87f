#!/usr/bin/env bash
# Build the kernel of one configuration (default: 'default') out of tree
# in build/obj-CONFIG, its modules, and the kgraft selftest modules; stage
# the modules for the initramfs. ccache is used when present.
. "$(dirname "$0")/lib.sh"

CFG=${1:-default}
# the real-fix fixture kernel is made from the livepatch one
[ "$CFG" = realfix ] && exec "$(dirname "$0")/realfix.sh"
OBJ=$(objdir "$CFG")
LOG=$LOGS/kernel-$CFG.log
SELFTESTS=$KTREE/tools/testing/selftests/kgraft
MODSRC=$SELFTESTS/test_modules
STAGING=$BUILD/modules-$CFG
[ -d "$KTREE/.git" ] || die "no work tree; run 'make tree' first"
mkdir -p "$OBJ"
: >"$LOG"

kernel_env
UCC=$(user_cc "$CFG")
stage "configuring '$CFG': tinyconfig + $(config_fragments "$CFG" | sed 's/ /, /g')"
kernel_configure "$CFG" "$LOG"

start=$(now)
stage "building kernel '$CFG' — about 7 min on 2 cores cold, 1-2 min warm (log: $LOG)"
run_logged "$LOG" kmake bzImage modules
rm -rf "$STAGING"
mkdir -p "$STAGING"
run_logged "$LOG" kmake INSTALL_MOD_PATH="$STAGING" INSTALL_MOD_STRIP=1 modules_install

if [ -d "$MODSRC" ]; then
	stage "building selftest modules (log: $LOG)"
	rm -rf "$BUILD/test_modules-$CFG"
	cp -r "$MODSRC" "$BUILD/test_modules-$CFG"
	run_logged "$LOG" kmake M="$BUILD/test_modules-$CFG" W=1 modules
	run_logged "$LOG" "$MODSRC/kgr_reloc_broken.sh" "$BUILD/test_modules-$CFG" \
		"$SELFTESTS/kgr_elf_edit.py"
	mkdir -p "$STAGING/test_modules"
	cp "$BUILD/test_modules-$CFG"/*.ko "$STAGING/test_modules/"
	# kgr-build on its fixtures takes a minute: only for a run that has
	# test-kgr-build (every run but one with TESTS=... naming others)
	if test_selected kgraft/test-kgr-build.sh &&
			! test_excluded kgraft/test-kgr-build.sh "$CFG"; then
		stage "kgr-build on the fixture diffs of kgr_test_btarget (log: $LOG)"
		run_logged "$LOG" "$MODSRC/kgr_build_fixtures.sh" "$BUILD/test_modules-$CFG" \
			"$KTREE" "$OBJ"
		mkdir -p "$STAGING/test_modules/kgr_build"
		cp "$BUILD/test_modules-$CFG"/kgr_build/*.ko "$STAGING/test_modules/"
		cp "$BUILD/test_modules-$CFG"/kgr_build/*.out "$BUILD/test_modules-$CFG"/kgr_build/*.rc \
			"$STAGING/test_modules/kgr_build/"
	fi
fi
# Upstream livepatch's own selftests, for the kernels that have it: its
# test modules and its helper program.
LPSELF=$KTREE/tools/testing/selftests/livepatch
rm -rf "$STAGING/lp_test_modules"
if grep -qx 'CONFIG_LIVEPATCH=y' "$OBJ/.config" && [ -d "$LPSELF/test_modules" ]; then
	stage "building livepatch's selftest modules (log: $LOG)"
	rm -rf "$BUILD/lp_test_modules-$CFG"
	cp -r "$LPSELF/test_modules" "$BUILD/lp_test_modules-$CFG"
	run_logged "$LOG" kmake M="$BUILD/lp_test_modules-$CFG" modules
	mkdir -p "$STAGING/lp_test_modules"
	cp "$BUILD/lp_test_modules-$CFG"/*.ko "$STAGING/lp_test_modules/"
	run_logged "$LOG" $UCC -static -O2 -Wall -o "$STAGING/lp_test_modules/test_klp-call_getpid" \
		"$LPSELF/test_klp-call_getpid.c"
fi
stage "building benchmark modules (bench/modules, log: $LOG)"
rm -rf "$BUILD/bench-$CFG"
cp -r "$ROOT/bench/modules" "$BUILD/bench-$CFG"
# The patch sizes of the size and replace parts: make bench asks for the
# big ones, which make test does not need.
# shellcheck disable=SC2086
"$ROOT/bench/gen-size.sh" "$BUILD/bench-$CFG" ${KGRAFT_BENCH_SIZES:-1 100 1000}
run_logged "$LOG" kmake M="$BUILD/bench-$CFG" W=1 modules
mkdir -p "$STAGING/bench"
cp "$BUILD/bench-$CFG"/*.ko "$STAGING/bench/"
for c in "$ROOT"/bench/progs/*.c; do
	run_logged "$LOG" $UCC -static -O2 -Wall -Wextra -pthread \
		-o "$STAGING/bench/$(basename "$c" .c)" "$c"
done
if compgen -G "$SELFTESTS/*.c" >/dev/null; then
	stage "building selftest programs (static)"
	mkdir -p "$STAGING/progs"
	for c in "$SELFTESTS"/*.c; do
		run_logged "$LOG" $UCC -static -O2 -Wall -Wextra -pthread \
			-o "$STAGING/progs/$(basename "$c" .c)" "$c"
	done
fi
# The administrator's tool, installed in the guest as /usr/sbin/kgr.
rm -rf "$STAGING/tools"
if [ -f "$KTREE/tools/kgraft/Makefile" ]; then
	stage "building tools/kgraft (static)"
	run_logged "$LOG" make -C "$KTREE/tools/kgraft" CC="$UCC" LDFLAGS=-static \
		DESTDIR="$STAGING/tools" install
	make -C "$KTREE/tools/kgraft" clean >/dev/null
fi
if grep -q ': warning:' "$LOG"; then
	say "  compiler warnings in this build:"
	grep ': warning:' "$LOG" | sort -u | sed 's/^/  | /'
fi
stage "kernel '$CFG' built in $(( $(now) - start )) s: $(kernel_image "$CFG")"

#!/usr/bin/env bash
# Build the kernel of one configuration (default: 'default') out of tree
# in build/obj-CONFIG, its modules, and the kgraft selftest modules; stage
# the modules for the initramfs. ccache is used when present.
. "$(dirname "$0")/lib.sh"

CFG=${1:-default}
OBJ=$(objdir "$CFG")
LOG=$LOGS/kernel-$CFG.log
SELFTESTS=$KTREE/tools/testing/selftests/kgraft
MODSRC=$SELFTESTS/test_modules
STAGING=$BUILD/modules-$CFG
[ -d "$KTREE/.git" ] || die "no work tree; run 'make tree' first"
mkdir -p "$OBJ"
: >"$LOG"

# Reproducible version strings keep ccache warm across rebuilds.
export KBUILD_BUILD_TIMESTAMP="2024-01-01" KBUILD_BUILD_USER=kgraft KBUILD_BUILD_HOST=kgraft
export CCACHE_BASEDIR=$ROOT CCACHE_NOHASHDIR=1 CCACHE_SLOPPINESS=time_macros,include_file_mtime,include_file_ctime
CC=gcc
command -v ccache >/dev/null && CC="ccache gcc"
kmake() { make -C "$KTREE" O="$OBJ" CC="$CC" HOSTCC="$CC" -j"$(nproc)" "$@"; }

# Configuration: tinyconfig plus our fragments. Every option a fragment
# asks for must end up set as asked, unless this tree does not know the
# symbol at all (say, CONFIG_KGRAFT before its patch).
stage "configuring '$CFG': tinyconfig + $(config_fragments "$CFG" | sed 's/ /, /g')"
frags=
for f in $(config_fragments "$CFG"); do frags="$frags $ROOT/configs/$f"; done
run_logged "$LOG" kmake tinyconfig
# shellcheck disable=SC2086
run_logged "$LOG" "$KTREE/scripts/kconfig/merge_config.sh" -m -O "$OBJ" "$OBJ/.config" $frags
run_logged "$LOG" kmake olddefconfig
bad=0
# shellcheck disable=SC2086
while IFS= read -r line; do
	sym=${line%%=*}
	grep -qxF -- "$line" "$OBJ/.config" && continue
	if ! grep -rqs --include='Kconfig*' -E "^[[:space:]]*(menu)?config ${sym#CONFIG_}\$" "$KTREE"; then
		say "  note: $sym is not defined in this tree yet, skipped"
		continue
	fi
	say "  error: $line asked for, .config has: $(grep -E "^(# )?$sym[= ]" "$OBJ/.config" || echo unset)"
	bad=1
done < <(grep -h '^CONFIG_' $frags)
[ "$bad" = 0 ] || die "configuration '$CFG' does not have what configs/ asks for (dependencies?)"

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
	mkdir -p "$STAGING/test_modules"
	cp "$BUILD/test_modules-$CFG"/*.ko "$STAGING/test_modules/"
fi
if compgen -G "$SELFTESTS/*.c" >/dev/null; then
	stage "building selftest programs (static)"
	mkdir -p "$STAGING/progs"
	for c in "$SELFTESTS"/*.c; do
		run_logged "$LOG" gcc -static -O2 -Wall -Wextra -pthread \
			-o "$STAGING/progs/$(basename "$c" .c)" "$c"
	done
fi
if grep -q ': warning:' "$LOG"; then
	say "  compiler warnings in this build:"
	grep ': warning:' "$LOG" | sort -u | sed 's/^/  | /'
fi
stage "kernel '$CFG' built in $(( $(now) - start )) s: $OBJ/arch/x86/boot/bzImage"

# shellcheck shell=bash
# Common helpers for the kgraft tooling; sourced by every script here.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=$ROOT/build
KTREE=$BUILD/linux
LOGS=$BUILD/logs
# shellcheck source=../base.conf
. "$ROOT/base.conf"
mkdir -p "$LOGS"

# Kernel configurations we build and test: each name is a list of
# fragments in configs/, applied on top of tinyconfig in this order.
config_fragments() {
	case "$1" in
	default)   echo "base.config kgraft.config debug.config" ;;
	livepatch) echo "base.config kgraft.config debug.config livepatch.config realfix.config" ;;
	# the livepatch kernel with fixes reversed (scripts/realfix.sh)
	realfix)   config_fragments livepatch ;;
	kasan)     echo "base.config kgraft.config debug.config kasan.config" ;;
	# the default configuration on s390x (see cfg_arch)
	s390)      echo "base-s390.config kgraft.config debug.config" ;;
	*) die "unknown kernel configuration '$1' (known: default livepatch realfix kasan s390)" ;;
	esac
}
objdir() { echo "$BUILD/obj-$1"; }

# cfg_arch CFG: the kernel's ARCH for a configuration; every one is x86
# but 's390', which is s390x, cross-compiled and run under
# qemu-system-s390x.
cfg_arch() {
	case "$1" in
	s390*) echo s390 ;;
	*)     echo x86 ;;
	esac
}
# kernel_image CFG: what QEMU boots.
kernel_image() { echo "$(objdir "$1")/arch/$(cfg_arch "$1")/boot/bzImage"; }
# cross_prefix CFG: CROSS_COMPILE for the kernel and the guest's programs.
cross_prefix() {
	[ "$(cfg_arch "$1")" = s390 ] && echo s390x-linux-gnu- || true
}
# user_cc CFG: the C compiler of the guest's programs (static binaries).
user_cc() { echo "$(cross_prefix "$1")gcc"; }

say()  { printf '%s\n' "$*"; }
stage() { printf '[%s] %s\n' "${STAGE:-*}" "$*"; }
die()  { printf 'error: %s\n' "$*" >&2; exit 1; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }

# run_logged LOG CMD...: run CMD with its output appended to LOG; on
# failure show the first compiler/tool errors and the tail of the log,
# and exit with CMD's status.
run_logged() {
	local log=$1 rc=0 errors
	shift
	"$@" >>"$log" 2>&1 || rc=$?
	if [ "$rc" -ne 0 ]; then
		printf 'error: "%s" failed (exit %d)\n' "$*" "$rc" >&2
		errors=$(grep -E -m 10 ': (fatal )?error:|^ERROR:|^E: ' "$log" || true)
		[ -z "$errors" ] || printf 'first errors in %s:\n%s\n' "$log" "$(sed 's/^/  | /' <<<"$errors")" >&2
		printf 'last lines of %s:\n' "$log" >&2
		tail -n 25 "$log" | sed 's/^/  | /' >&2
		exit "$rc"
	fi
}

# Seconds since the epoch, for the stage timings.
now() { date +%s; }

# git in the kernel work tree, with the project identity.
kgit() {
	GIT_AUTHOR_NAME="$KGRAFT_IDENT_NAME" GIT_AUTHOR_EMAIL="$KGRAFT_IDENT_EMAIL" \
	GIT_COMMITTER_NAME="$KGRAFT_IDENT_NAME" GIT_COMMITTER_EMAIL="$KGRAFT_IDENT_EMAIL" \
		git -C "$KTREE" -c user.name="$KGRAFT_IDENT_NAME" \
		-c user.email="$KGRAFT_IDENT_EMAIL" "$@"
}

# The patch files of the series, in order.
series_patches() {
	[ -f "$ROOT/patches/series" ] || return 0
	{ grep -v '^[[:space:]]*\(#\|$\)' "$ROOT/patches/series" || true; } |
		sed "s|^|$ROOT/patches/|"
}

# Sorted stable patch ids of a list of patch files on stdin / of base..HEAD.
patch_ids_of_files() {
	local p
	while read -r p; do git patch-id --stable <"$p" | cut -d' ' -f1; done | sort
}
patch_ids_of_tree() {
	local c
	git -C "$KTREE" log --reverse --format=%H base..HEAD |
		while read -r c; do git -C "$KTREE" show "$c" | git patch-id --stable | cut -d' ' -f1; done | sort
}

# Kernel build environment: reproducible version strings keep ccache warm
# across rebuilds. kmake runs make on $KTREE with O=$OBJ (set by the caller).
# The architecture is that of $CFG (default: x86); ARCH from the caller's
# environment is overridden, so that 'make test ARCH=s390' builds no x86
# kernel for s390.
kernel_env() {
	export KBUILD_BUILD_TIMESTAMP="2024-01-01" KBUILD_BUILD_USER=kgraft KBUILD_BUILD_HOST=kgraft
	export CCACHE_BASEDIR=$ROOT CCACHE_NOHASHDIR=1
	export CCACHE_SLOPPINESS=time_macros,include_file_mtime,include_file_ctime
	KARCH=$(cfg_arch "${CFG:-default}")
	KCROSS=$(cross_prefix "${CFG:-default}")
	KCC=${KCROSS}gcc KHOSTCC=gcc
	if command -v ccache >/dev/null; then KCC="ccache $KCC" KHOSTCC="ccache gcc"; fi
}
kmake() {
	make -C "$KTREE" O="$OBJ" ARCH="$KARCH" CROSS_COMPILE="$KCROSS" CC="$KCC" \
		HOSTCC="$KHOSTCC" -j"$(nproc)" "$@"
}

# kernel_configure CFG LOG [LAX]: tinyconfig plus the fragments of CFG in
# $OBJ/.config. Every option a fragment asks for must end up set as asked,
# unless this tree does not know the symbol at all (say, CONFIG_KGRAFT
# before its patch) or LAX is 1 (a commit in the middle of the series).
kernel_configure() {
	local cfg=$1 log=$2 lax=${3:-0} frags='' f line sym bad=0
	for f in $(config_fragments "$cfg"); do frags="$frags $ROOT/configs/$f"; done
	mkdir -p "$OBJ"
	run_logged "$log" kmake tinyconfig
	# shellcheck disable=SC2086
	run_logged "$log" "$KTREE/scripts/kconfig/merge_config.sh" -m -O "$OBJ" "$OBJ/.config" $frags
	run_logged "$log" kmake olddefconfig
	# shellcheck disable=SC2086
	while IFS= read -r line; do
		sym=${line%%=*}
		grep -qxF -- "$line" "$OBJ/.config" && continue
		if ! grep -rqs --include='Kconfig*' -E "^[[:space:]]*(menu)?config ${sym#CONFIG_}\$" "$KTREE"; then
			say "  note: $sym is not defined in this tree yet, skipped"
			continue
		fi
		[ "$lax" = 1 ] && { say "  note: $line not available at this commit"; continue; }
		say "  error: $line asked for, .config has: $(grep -E "^(# )?${sym}[= ]" "$OBJ/.config" || echo unset)"
		bad=1
	done < <(grep -h '^CONFIG_' $frags)
	[ "$bad" = 0 ] || die "configuration '$cfg' does not have what configs/ asks for (dependencies?)"
}

# test_fits TEST CFG: the kernel of CFG has every option that TEST says
# it requires, in a "# requires: CONFIG_A CONFIG_B" line.
test_fits() {
	local opt
	for opt in $(sed -n 's/^# requires: //p' "$1"); do
		grep -qx "$opt=y" "$(objdir "$2")/.config" || return 1
	done
}

# test_excluded TEST CFG: TEST (as "kgraft/test-x.sh") cannot apply to the
# architecture of CFG, and tests/exclude-ARCH says so, with the reason,
# on a line "TEST  # reason". Such a test is neither run nor expected.
test_excluded() {
	local f
	f=$ROOT/tests/exclude-$(cfg_arch "$2")
	[ -f "$f" ] && grep -q "^$1[[:space:]]" "$f"
}

# upstream_tests MAKEFILE: "livepatch/test-x.sh" for each of its
# TEST_PROGS, in order.
upstream_tests() {
	sed -n '/^TEST_PROGS/,/^$/p' "$1" | grep -o 'test-[a-z0-9-]*\.sh' | sed 's|^|livepatch/|'
}

# test_selected PATH: whether the run includes the test PATH (as
# "kgraft/test-x.sh"): always, unless TESTS names only other tests.
test_selected() {
	local w
	[ -z "${TESTS:-}" ] && return 0
	for w in ${TESTS//,/ }; do
		[[ $1 == *"$w"* ]] && return 0
	done
	return 1
}

# expected_tests CFG: the tests the guest of CFG must run: the harness's
# own, every script of TEST_PROGS in the kgraft selftests Makefile that
# the kernel has what it requires for, and upstream livepatch's scripts
# when the kernel has livepatch; with TESTS=a,b only those whose path
# contains one of the words.
expected_tests() {
	local t w list kself=$KTREE/tools/testing/selftests
	if [ "$1" = realfix ]; then
		# the fixture kernel runs only the real-fix cases
		list=$(cd "$ROOT/tests/realfix" && ls test-*.sh | sed 's|^|harness/|')
		echo "$list"
		return
	fi
	list=$(cd "$ROOT/tests" && ls test-*.sh | sed 's|^|harness/|')
	for t in $(sed -n '/^TEST_PROGS/,/^$/p' "$kself/kgraft/Makefile" | grep -o 'test-[a-z0-9-]*\.sh'); do
		if test_fits "$kself/kgraft/$t" "$1" && ! test_excluded "kgraft/$t" "$1"; then
			list="$list kgraft/$t"
		fi
	done
	if grep -qx 'CONFIG_LIVEPATCH=y' "$(objdir "$1")/.config"; then
		list="$list $(upstream_tests "$kself/livepatch/Makefile")"
	fi
	for t in $list; do
		if [ -n "${TESTS:-}" ]; then
			for w in ${TESTS//,/ }; do
				[[ $t == *"$w"* ]] && { echo "$t"; break; }
			done
		else
			echo "$t"
		fi
	done | tr '\n' ' '
}

# The s390x user space of the guest: Debian's s390x busybox-static, bash
# and the libraries bash needs, unpacked from the packages that
# scripts/deps.sh downloaded.
S390_SYSROOT=$BUILD/sysroot-s390x
S390_DEBS="busybox-static bash libc6 libtinfo6"

# guest_skeleton DIR KSELF [CFG]: what every guest initramfs has besides
# its tests: busybox, bash and its libraries, /init and guest/, and the
# kselftest KTAP helpers of KSELF (a tools/testing/selftests directory),
# for the architecture of CFG (default: x86).
guest_skeleton() {
	local dir=$1 f
	rm -rf "$dir"
	mkdir -p "$dir"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,run,root,guest,selftests/kselftest}
	if [ "$(cfg_arch "${3:-default}")" = s390 ]; then
		[ -x "$S390_SYSROOT/bin/bash" ] || die "no s390x user space in $S390_SYSROOT; run 'make deps'"
		cp "$S390_SYSROOT/bin/busybox" "$dir/bin/busybox"
		for f in /bin/bash /lib/ld64.so.1 /lib/s390x-linux-gnu/libc.so.6 \
				/lib/s390x-linux-gnu/libtinfo.so.6; do
			mkdir -p "$dir$(dirname "$f")"
			cp -L "$S390_SYSROOT$f" "$dir$f"
		done
	else
		cp /bin/busybox "$dir/bin/busybox"
		for f in /bin/bash $(ldd /bin/bash | grep -o '/[^ ]*'); do
			mkdir -p "$dir$(dirname "$f")"
			cp -L "$f" "$dir$f"
		done
	fi
	cp "$ROOT/guest/init" "$dir/init"
	cp "$ROOT"/guest/*.sh "$dir/guest/"
	cp "$2/kselftest/ktap_helpers.sh" "$dir/selftests/kselftest/"
}

# cpio_pack DIR OUT: DIR as a newc cpio archive, sorted, owned by root.
cpio_pack() {
	(cd "$1" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) >"$2"
}

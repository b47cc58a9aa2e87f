#!/usr/bin/env bash
# Install every Debian package the kgraft work needs. Idempotent: when all
# are present it only checks, and it runs apt-get update only before an
# install. The base package is pinned by base.conf; when the registry no
# longer serves that version, the current candidate is taken with a warning
# (scripts/tree.sh then checks that the series still applies).
. "$(dirname "$0")/lib.sh"

# qemu-system-misc has qemu-system-s390x; with the cross compiler and
# its C library it builds and runs the s390x guest.
PKGS="bc bison flex libelf-dev libssl-dev cpio kmod dwarves qemu-system-x86
busybox-static sparse ccache rsync gcc make git xz-utils perl python3
libc6-dev bash coreutils python3-ply python3-git procps diffutils
python3-sphinx python3-yaml
qemu-system-misc gcc-s390x-linux-gnu libc6-dev-s390x-cross"
# More for one target: 'make bench' adds gnuplot-nox for its plots.
PKGS="$PKGS ${KGRAFT_EXTRA_PKGS:-}"

installed_version() { { dpkg-query -W -f='${Status} ${Version}\n' "$1" 2>/dev/null || true; } |
	awk '$3 == "installed" { print $4 }'; }

# The s390x guest's user space (S390_DEBS: busybox-static, bash and its
# libraries) comes from Debian's s390x packages, downloaded and unpacked
# into build/sysroot-s390x, not installed: dpkg only has to know the
# architecture for apt to find them.
s390_sysroot() {
	local debs=$BUILD/debs-s390x p
	[ -x "$S390_SYSROOT/bin/bash" ] && [ -x "$S390_SYSROOT/bin/busybox" ] && return 0
	stage "unpacking the s390x guest user space ($S390_DEBS) into $S390_SYSROOT"
	rm -rf "$debs" "$S390_SYSROOT"
	mkdir -p "$debs" "$S390_SYSROOT"
	for p in $S390_DEBS; do
		(cd "$debs" && run_logged "$LOGS/deps.log" apt-get download "$p:s390x")
	done
	for p in "$debs"/*.deb; do
		run_logged "$LOGS/deps.log" dpkg-deb -x "$p" "$S390_SYSROOT"
	done
}

missing=
for p in $PKGS; do
	[ -n "$(installed_version "$p")" ] || missing="$missing $p"
done
base_have=$(installed_version "$BASE_PKG")
s390_arch=$(dpkg --print-foreign-architectures | grep -qx s390x && echo y || echo n)

if [ -z "$missing" ] && [ "$base_have" = "$BASE_VERSION" ] && [ "$s390_arch" = y ]; then
	s390_sysroot
	stage "dependencies present ($BASE_PKG $BASE_VERSION)"
	exit 0
fi

[ "$(id -u)" -eq 0 ] || die "installing packages needs root:$missing $BASE_PKG"
export DEBIAN_FRONTEND=noninteractive
[ "$s390_arch" = y ] || run_logged "$LOGS/deps.log" dpkg --add-architecture s390x
stage "installing:$missing$([ "$base_have" = "$BASE_VERSION" ] || echo " $BASE_PKG=$BASE_VERSION") (log: $LOGS/deps.log)"
run_logged "$LOGS/deps.log" apt-get update

base_spec=
if [ "$base_have" != "$BASE_VERSION" ]; then
	if apt-cache madison "$BASE_PKG" | awk -F'|' '{ gsub(/ /, "", $2); print $2 }' |
			grep -qxF "$BASE_VERSION"; then
		base_spec="$BASE_PKG=$BASE_VERSION"
	else
		cand=$(apt-cache policy "$BASE_PKG" | awk '/Candidate:/ { print $2 }')
		[ -n "$cand" ] && [ "$cand" != "(none)" ] ||
			die "$BASE_PKG is not available from apt at all"
		warn "$BASE_PKG $BASE_VERSION (pinned in base.conf) is no longer served;"
		warn "installing the current candidate $cand instead. The tarball checksum will"
		warn "differ; make tree goes on only if every patch of the series still applies."
		base_spec="$BASE_PKG=$cand"
	fi
fi
# shellcheck disable=SC2086
run_logged "$LOGS/deps.log" apt-get install -y --no-install-recommends $missing $base_spec
s390_sysroot
stage "dependencies installed"

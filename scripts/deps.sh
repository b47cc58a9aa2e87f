#!/usr/bin/env bash
# Install every Debian package the kgraft work needs. Idempotent: when all
# are present it only checks, and it runs apt-get update only before an
# install. The base package is pinned by base.conf; when the registry no
# longer serves that version, the current candidate is taken with a warning
# (scripts/tree.sh then checks that the series still applies).
. "$(dirname "$0")/lib.sh"

PKGS="bc bison flex libelf-dev libssl-dev cpio kmod dwarves qemu-system-x86
busybox-static sparse ccache rsync gcc make git xz-utils perl python3
libc6-dev bash coreutils python3-ply python3-git procps diffutils
python3-sphinx python3-yaml"
# More for one target: 'make bench' adds gnuplot-nox for its plots.
PKGS="$PKGS ${KGRAFT_EXTRA_PKGS:-}"

installed_version() { { dpkg-query -W -f='${Status} ${Version}\n' "$1" 2>/dev/null || true; } |
	awk '$3 == "installed" { print $4 }'; }

missing=
for p in $PKGS; do
	[ -n "$(installed_version "$p")" ] || missing="$missing $p"
done
base_have=$(installed_version "$BASE_PKG")

if [ -z "$missing" ] && [ "$base_have" = "$BASE_VERSION" ]; then
	stage "dependencies present ($BASE_PKG $BASE_VERSION)"
	exit 0
fi

[ "$(id -u)" -eq 0 ] || die "installing packages needs root:$missing $BASE_PKG"
export DEBIAN_FRONTEND=noninteractive
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
stage "dependencies installed"

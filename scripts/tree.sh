#!/usr/bin/env bash
# Prepare the kernel work tree build/linux: the pinned base as one commit
# tagged 'base' on branch 'kgraft', then every patch of patches/series
# applied with git am (no fuzz, no 3-way). Quick when nothing changed.
# Refuses to throw away commits or edits that were never exported, unless
# FORCE=1.
. "$(dirname "$0")/lib.sh"

LOG=$LOGS/tree.log
: >"$LOG"
STATE=$KTREE/.git/kgraft-synced	# patch ids of the series last applied/exported

[ -f "$BASE_TARBALL" ] || die "$BASE_TARBALL is missing; run 'make deps' first"

# Identify the base: the checksum is pinned, a fallback version is allowed
# with a warning (scripts/deps.sh explains).
base_id() {
	local sum have
	sum=$(sha256sum "$BASE_TARBALL" | cut -d' ' -f1)
	if [ "$sum" != "$BASE_SHA256" ]; then
		have=$(dpkg-query -W -f='${Version}' "$BASE_PKG" 2>/dev/null || echo unknown)
		[ "$have" != "$BASE_VERSION" ] ||
			die "$BASE_TARBALL has sha256 $sum, base.conf pins $BASE_SHA256 for the same version: corrupt download?"
		warn "base is $BASE_PKG $have (sha256 $sum), not the pinned $BASE_VERSION"
	fi
	echo "$sum"
}

create_base() {
	local sum=$1 top
	stage "extracting $BASE_TARBALL into build/linux (log: $LOG)"
	rm -rf "$KTREE" "$BUILD/linux.tmp"
	mkdir -p "$BUILD/linux.tmp"
	run_logged "$LOG" tar -xf "$BASE_TARBALL" -C "$BUILD/linux.tmp"
	top=$(find "$BUILD/linux.tmp" -mindepth 1 -maxdepth 1 -type d | head -n 1)
	mv "$top" "$KTREE"
	rmdir "$BUILD/linux.tmp"

	# Debian's packaging stanza ignores every top-level path ('/*' then
	# '!/debian/'); with it, git add skips new files silently.
	python3 - "$KTREE/.gitignore" <<'PY'
import re, sys
p = sys.argv[1]
s = open(p).read()
s2 = re.sub(r'\n#\n# Debian packaging:[^\n]*\n(#[^\n]*\n)*/\*\n!/debian/\n', '\n', s)
if s2 == s:
    sys.exit("Debian packaging stanza not found in .gitignore")
open(p, 'w').write(s2)
PY
	stage "committing the base (about a minute)"
	kgit init -q -b kgraft
	kgit config gc.auto 0
	kgit config core.autocrlf false
	# Commits made by hand in build/linux carry the series' identity.
	kgit config user.name "$KGRAFT_IDENT_NAME"
	kgit config user.email "$KGRAFT_IDENT_EMAIL"
	run_logged "$LOG" kgit add -A -f .
	GIT_AUTHOR_DATE="2000-01-01T00:00:00Z" GIT_COMMITTER_DATE="2000-01-01T00:00:00Z" \
	run_logged "$LOG" kgit commit -q -F - <<MSG
base: Debian $BASE_PKG $(dpkg-query -W -f='${Version}' "$BASE_PKG")

Tarball $BASE_TARBALL, sha256 $sum.

The tarball's .gitignore ends in a Debian packaging stanza ('/*' then
'!/debian/') that ignores every top-level path; it is dropped here so
that new files of the kgraft series reach git.
MSG
	kgit tag base
	echo "$sum" >"$KTREE/.git/kgraft-base"

	# A new file anywhere must show up in git status.
	local probe=kernel/kgraft-tree-probe.c
	touch "$KTREE/$probe"
	if ! kgit status --porcelain -- "$probe" | grep -qF "?? $probe"; then
		rm -f "$KTREE/$probe"
		die "a new file in build/linux is ignored by git; check .gitignore"
	fi
	rm -f "$KTREE/$probe"
}

# KEEP_TREE=1: test or build build/linux as it is, edits included.
if [ "${KEEP_TREE:-0}" = 1 ] && [ -d "$KTREE/.git" ]; then
	stage "using build/linux as it is (KEEP_TREE=1), not patches/"
	exit 0
fi

sum=$(base_id)
if [ ! -d "$KTREE/.git" ] || [ "$(cat "$KTREE/.git/kgraft-base" 2>/dev/null)" != "$sum" ]; then
	if [ -d "$KTREE/.git" ] && [ "${FORCE:-0}" != 1 ] &&
			[ "$(patch_ids_of_tree | tr '\n' ' ')" != "$(cat "$STATE" 2>/dev/null | tr '\n' ' ')" ]; then
		die "build/linux has commits that were never exported and the base changed; 'make export' or FORCE=1"
	fi
	create_base "$sum"
fi

want=$(series_patches | patch_ids_of_files)
have=$(patch_ids_of_tree)
dirty=$(kgit status --porcelain --untracked-files=no | head -n 5)
if [ "$want" = "$have" ] && [ -z "$dirty" ]; then
	stage "build/linux is up to date ($(series_patches | wc -l) patches on base)"
	echo "$want" >"$STATE"
	exit 0
fi
if [ "${FORCE:-0}" != 1 ]; then
	[ -z "$dirty" ] || die "build/linux has uncommitted changes; commit and 'make export', or FORCE=1:
$dirty"
	[ "$have" = "$(cat "$STATE" 2>/dev/null)" ] ||
		die "build/linux has commits that differ from patches/ and were never exported; 'make export', or FORCE=1 to drop them"
fi

stage "applying $(series_patches | wc -l) patches with git am (log: $LOG)"
kgit am --abort >/dev/null 2>&1 || true
kgit checkout -q -B kgraft base
kgit reset -q --hard base
kgit clean -q -fdx -e /.git
n=0
while read -r p; do
	n=$((n + 1))
	[ -f "$p" ] || die "patches/series names $(basename "$p"), which does not exist"
	if ! kgit am -q --committer-date-is-author-date "$p" >>"$LOG" 2>&1; then
		kgit am --abort >/dev/null 2>&1 || true
		printf 'error: patch %d, %s, does not apply to the base (+%d before it):\n' \
			"$n" "$(basename "$p")" "$((n - 1))" >&2
		tail -n 20 "$LOG" | sed 's/^/  | /' >&2
		exit 1
	fi
done < <(series_patches)
patch_ids_of_tree >"$STATE"
stage "build/linux ready: $n patches on base"

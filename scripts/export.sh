#!/usr/bin/env bash
# export.sh [DIR]: write build/linux base..HEAD back to patches/ (or DIR) as a numbered git
# format-patch series with a cover letter (patches/cover-letter.txt: first
# line the subject, then the body) and rewrite patches/series. Exporting an
# unchanged tree changes no byte.
. "$(dirname "$0")/lib.sh"

OUT=${1:-$ROOT/patches}
[ -d "$KTREE/.git" ] || die "no work tree; run 'make tree' first"
dirty=$(kgit status --porcelain --untracked-files=no | head -n 5)
[ -z "$dirty" ] || warn "uncommitted changes in build/linux are not exported:
$dirty"
n=$(kgit rev-list --count base..HEAD)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ "$n" -gt 0 ]; then
	branch=$(kgit symbolic-ref --short HEAD)
	kgit config "branch.$branch.description" "$(cat "$ROOT/patches/cover-letter.txt")"
	# The cover letter's date is the committer date: pin it to the author
	# date of HEAD, which git am keeps (the committer date is "now").
	GIT_COMMITTER_DATE=$(kgit log -1 --format=%aI HEAD) \
		kgit format-patch -q -o "$tmp" --cover-letter --cover-from-description=subject \
		--zero-commit --no-signature --numbered --subject-prefix="PATCH v$SERIES_VERSION" \
		base..HEAD >/dev/null
fi
(cd "$tmp" && ls -- *.patch 2>/dev/null | grep -v '^0000-cover-letter.patch$' || true) >"$tmp/series"

changed=0
for f in "$tmp"/*.patch "$tmp/series"; do
	[ -e "$f" ] || continue
	cmp -s "$f" "$OUT/$(basename "$f")" || changed=$((changed + 1))
done
for f in "$OUT"/*.patch; do
	[ -e "$f" ] || continue
	[ -e "$tmp/$(basename "$f")" ] || { rm -f "$f"; changed=$((changed + 1)); }
done
mkdir -p "$OUT"
cp "$tmp"/*.patch "$tmp/series" "$OUT/" 2>/dev/null || cp "$tmp/series" "$OUT/"
if [ "$OUT" = "$ROOT/patches" ]; then
	patch_ids_of_tree >"$KTREE/.git/kgraft-synced"
fi
stage "exported $n patches to ${OUT#"$ROOT"/} ($changed files changed)"

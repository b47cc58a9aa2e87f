#!/usr/bin/env bash
# Review checks on the series: patches/series lists exactly the patch
# files present, every patch is checkpatch.pl --strict clean, every file
# the series adds has the KGRAFT entry of MAINTAINERS as its maintainer
# and its list (get_maintainer.pl, so every patch that touches a kgraft
# file names them), kernel-doc -Wall is quiet on the
# headers and the code, Documentation/kgraft builds with make htmldocs
# without a warning, and the export round-trip (work tree ->
# format-patch) reproduces patches/ byte for byte. Prints KTAP and 'N
# passed, N failed'.
. "$(dirname "$0")/lib.sh"

STAGE=check/deps "$ROOT/scripts/deps.sh"
STAGE=check/tree "$ROOT/scripts/tree.sh"
n=0 pass=0 fail=0
result() {	# result OK|FAIL DESCRIPTION [DETAILS FILE]
	n=$((n + 1))
	if [ "$1" = OK ]; then
		pass=$((pass + 1)); echo "ok $n $2"
	else
		fail=$((fail + 1))
		[ -n "${3:-}" ] && sed 's/^/#   /' "$3" | head -n 40
		echo "not ok $n $2"
	fi
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "KTAP version 1"

listed=$(series_patches | xargs -r -n1 basename | sort)
present=$(cd "$ROOT/patches" && ls -- *.patch 2>/dev/null | grep -v '^0000-cover-letter.patch$' | sort || true)
if [ "$listed" = "$present" ]; then
	result OK "patches/series lists exactly the $(echo "$present" | grep -c .) patch files present"
else
	diff <(echo "$listed") <(echo "$present") >"$tmp/series.diff" || true
	result FAIL "patches/series lists exactly the patch files present (< series, > files)" "$tmp/series.diff"
fi

while read -r p; do
	[ -n "$p" ] || continue
	# Debian's python3 (with python3-ply) for spdxcheck.py, not a pyenv one.
	# FILE_PATH_CHANGES ("does MAINTAINERS need updating?") is checked
	# for real below, file by file.
	if (cd "$KTREE" && PATH=/usr/bin:$PATH perl scripts/checkpatch.pl --strict --quiet \
		--show-types --ignore FILE_PATH_CHANGES "$p") >"$tmp/cp" 2>&1; then
		result OK "checkpatch --strict: $(basename "$p")"
	else
		result FAIL "checkpatch --strict: $(basename "$p")" "$tmp/cp"
	fi
done < <(series_patches)

# Every file the series adds is maintained by the KGRAFT entry and its
# list. Every kgraft file is one the series adds, so get_maintainer.pl on
# any patch that touches one names the entry and the list as well.
git -C "$KTREE" diff --name-only --diff-filter=A base HEAD >"$tmp/added"
: >"$tmp/orphans"
while read -r f; do
	out=$(cd "$KTREE" && perl scripts/get_maintainer.pl --no-git --no-rolestats --no-tree -f "$f" 2>/dev/null)
	{ grep -qF "$KGRAFT_IDENT_EMAIL" <<<"$out" && grep -qF "$KGRAFT_LIST" <<<"$out"; } ||
		echo "$f" >>"$tmp/orphans"
done <"$tmp/added"
if [ ! -s "$tmp/orphans" ]; then
	result OK "MAINTAINERS: the KGRAFT entry and $KGRAFT_LIST cover the $(grep -c . "$tmp/added") files the series adds"
else
	result FAIL "MAINTAINERS: the KGRAFT entry and $KGRAFT_LIST cover every file the series adds (not covered:)" "$tmp/orphans"
fi

# kernel-doc of the headers and the code, with every warning on.
(cd "$KTREE" && PATH=/usr/bin:$PATH perl scripts/kernel-doc -none -Wall \
	include/linux/kgraft*.h kernel/kgraft/*.c arch/*/include/asm/kgraft.h \
	arch/*/kernel/kgraft.c) >"$tmp/kdoc" 2>&1
if [ ! -s "$tmp/kdoc" ]; then
	result OK "kernel-doc -none -Wall: no warning in kgraft's headers, kernel/kgraft/ and arch code"
else
	result FAIL "kernel-doc -none -Wall: no warning in kgraft's headers, kernel/kgraft/ and arch code" "$tmp/kdoc"
fi

# Documentation/kgraft builds with make htmldocs (Debian's sphinx) without
# a warning or an error; api.rst pulls in the kernel-doc comments. The
# only line allowed is sphinx's note that graphviz's dot is missing,
# which concerns no kgraft document.
rm -rf "$BUILD/obj-docs/Documentation/output/kgraft"
if (cd "$KTREE" && PATH=/usr/bin:/bin:$PATH make O="$BUILD/obj-docs" SPHINXDIRS=kgraft htmldocs) \
		>"$tmp/html" 2>&1; then
	grep -v -e 'dot(1) not found' -e '^ *PARSE ' "$tmp/html" | grep -iE 'warning|error' >"$tmp/htmlw" || true
	if [ -s "$tmp/htmlw" ]; then
		result FAIL "make htmldocs SPHINXDIRS=kgraft: no warning" "$tmp/htmlw"
	elif ! grep -q 'kgr_patch_register' "$BUILD/obj-docs/Documentation/output/kgraft/api.html" 2>/dev/null; then
		echo "api.html has no kgr_patch_register" >"$tmp/htmlw"
		result FAIL "make htmldocs SPHINXDIRS=kgraft: api.html shows the kernel-doc" "$tmp/htmlw"
	else
		result OK "make htmldocs SPHINXDIRS=kgraft: no warning, api.html shows the kernel-doc"
	fi
else
	tail -n 20 "$tmp/html" >"$tmp/htmlw"
	result FAIL "make htmldocs SPHINXDIRS=kgraft builds" "$tmp/htmlw"
fi

"$ROOT/scripts/export.sh" "$tmp/export" >/dev/null
if diff -r -x cover-letter.txt "$ROOT/patches" "$tmp/export" >"$tmp/rt.diff" 2>&1; then
	result OK "export round-trip: build/linux exports to patches/ byte for byte"
else
	result FAIL "export round-trip: build/linux exports to patches/ byte for byte" "$tmp/rt.diff"
fi
echo "1..$n"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

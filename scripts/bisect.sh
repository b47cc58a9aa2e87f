#!/usr/bin/env bash
# bisect.sh [CFG]: build every commit of the series (base..HEAD of
# build/linux) in a separate worktree, build/bisect, so that the series
# stays bisectable. Prints one KTAP line per commit. Slow: each commit that
# touches a widely included header rebuilds most of the kernel (ccache
# helps); not part of CI.
. "$(dirname "$0")/lib.sh"

CFG=${1:-default}
[ -d "$KTREE/.git" ] || die "no work tree; run 'make tree' first"
WT=$BUILD/bisect
OBJ=$BUILD/obj-bisect
LOG=$LOGS/bisect.log
: >"$LOG"
commits=$(kgit rev-list --reverse base..HEAD)
[ -n "$commits" ] || die "no commits on top of base"
if [ ! -d "$WT" ]; then
	kgit worktree add -q --detach "$WT" base
fi
KTREE=$WT
kernel_env
say "KTAP version 1"
n=0 fail=0
for c in $commits; do
	n=$((n + 1))
	subj=$(git -C "$WT" log -1 --format=%s "$c")
	git -C "$WT" checkout -q --detach "$c"
	stage "building $n: $subj (log: $LOG)" >&2
	start=$(now)
	if (kernel_configure "$CFG" "$LOG" 1 >>"$LOG" && kmake bzImage modules >>"$LOG" 2>&1); then
		say "ok $n $subj # $(( $(now) - start )) s"
	else
		say "not ok $n $subj"
		fail=$((fail + 1))
	fi
done
say "1..$n"
say "$((n - fail)) passed, $fail failed"
[ "$fail" = 0 ]

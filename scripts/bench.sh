#!/usr/bin/env bash
# The cost of a call to a patched function: build, boot the guest and run
# guest/bench.sh, which times a kernel loop over kgr_bench_func()
# unpatched, during a patching transition, patched and reverted, and
# prints ns per call and the ratio to unpatched, all measured in the same
# boot. The table is kept in build/logs/bench-CFG.txt.
. "$(dirname "$0")/lib.sh"

CFG=${1:-default}
"$ROOT/scripts/build-all.sh" "$CFG"
stage "booting '$CFG' for the benchmark (console log: $LOGS/guest-$CFG-bench.log)"
KGRAFT_GUEST_TIMEOUT=${KGRAFT_GUEST_TIMEOUT:-600} "$ROOT/scripts/qemu.sh" "$CFG" bench
tr -d '\r' <"$LOGS/guest-$CFG-bench.log" | sed -n '/^kgraft bench:/,/^BENCH DONE/p' |
	grep -v '^BENCH DONE' >"$LOGS/bench-$CFG.txt"
grep -q '^reverted' "$LOGS/bench-$CFG.txt" || die "the benchmark did not finish (console log: $LOGS/guest-$CFG-bench.log)"
stage "table kept in $LOGS/bench-$CFG.txt"

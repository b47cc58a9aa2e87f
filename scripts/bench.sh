#!/usr/bin/env bash
# kgraft against upstream livepatch, side by side in one boot: build and
# boot the guest (CFG livepatch by default: the kernel with both), run
# guest/bench.sh and turn what it printed into build/logs/bench/:
#   raw.txt     every measurement, one line each
#   table.txt   medians and the ratios kgraft/livepatch (also printed)
#   *.svg       transition time against threads and functions, latency
# KGBENCH_* variables pass through to the guest (see guest/bench.sh).
. "$(dirname "$0")/lib.sh"

# 'scripts/bench.sh --report DIR' only redraws the table and plots of
# DIR/raw.txt (for instance lines of several runs put together).
if [ "${1:-}" = --report ]; then
	OUT=$(realpath "${2:?--report DIR}")
else
	CFG=${1:-livepatch}
	OUT=$LOGS/bench
	KGRAFT_EXTRA_PKGS=gnuplot-nox "$ROOT/scripts/deps.sh"
	# The patch modules of the sizes that guest/bench.sh will load.
	KGRAFT_BENCH_SIZES=$(echo "${KGBENCH_SIZES:-1 100 1000 5000} ${KGBENCH_REPLACE:-100 1000}" |
		tr ' ,' '\n\n' | grep . | sort -nu | tr '\n' ' ')
	export KGRAFT_BENCH_SIZES
	"$ROOT/scripts/build-all.sh" "$CFG"
	append=
	for v in KGBENCH_PARTS KGBENCH_CALLS KGBENCH_RUNS KGBENCH_REPS KGBENCH_THREADS \
		 KGBENCH_SIZES KGBENCH_REPLACE KGBENCH_TRACE; do
		# The kernel command line has no quoting: lists go with commas.
		[ -n "${!v:-}" ] && append="$append $v=$(echo "${!v}" | tr ' ' ,)"
	done
	stage "booting '$CFG' for the benchmark (console log: $LOGS/guest-$CFG-bench.log)"
	KGRAFT_GUEST_APPEND="${KGRAFT_GUEST_APPEND:-}$append" \
		KGRAFT_GUEST_TIMEOUT=${KGRAFT_GUEST_TIMEOUT:-5400} "$ROOT/scripts/qemu.sh" "$CFG" bench
	mkdir -p "$OUT"
	tr -d '\r' <"$LOGS/guest-$CFG-bench.log" | grep '^BENCH ' >"$OUT/raw.txt" || true
	grep -q '^BENCH DONE' "$OUT/raw.txt" ||
		die "the benchmark did not finish: $(tr -d '\r' <"$LOGS/guest-$CFG-bench.log" |
			grep -m1 'BENCH FAILED' || echo "see $LOGS/guest-$CFG-bench.log")"
fi
python3 "$ROOT/scripts/bench-report.py" "$OUT"

stage "drawing the plots"
cd "$OUT" || die "no $OUT"
plot() { gnuplot -e "set terminal svg size 720,440 dynamic font 'sans,12'; set output '$1'; $2"; }
common='set key bottom right; set grid; set logscale y; set yrange [10:*]'
if [ "$(grep -vc '^#' common.dat)" -gt 0 ]; then
	plot transition-vs-threads.svg "$common;
		set title 'Transition of a patch no task is inside (median)';
		set xlabel 'user threads asleep'; set ylabel 'ms from enable or disable to complete';
		plot 'common.dat' u 1:2 w lp lw 2 t 'kgraft enable', '' u 1:3 w lp lw 2 t 'livepatch enable',
		     '' u 1:4 w lp dt 2 t 'kgraft disable', '' u 1:5 w lp dt 2 t 'livepatch disable',
		     '' u 1:6 w lp lw 2 t 'kgraft_fn enable', '' u 1:7 w lp dt 2 t 'kgraft_fn disable'"
fi
if [ "$(grep -vc '^#' size.dat)" -gt 0 ]; then
	plot transition-vs-functions.svg "$common; set logscale x;
		set title 'Patch size: load to complete, and unpatch (median)';
		set xlabel 'functions in the patch'; set ylabel 'ms';
		plot 'size.dat' u 1:2 w lp lw 2 t 'kgraft enable', '' u 1:3 w lp lw 2 t 'livepatch enable',
		     '' u 1:4 w lp dt 2 t 'kgraft disable', '' u 1:5 w lp dt 2 t 'livepatch disable'"
fi
if [ "$(grep -vc '^#' latency.dat)" -gt 0 ]; then
	plot latency.svg "set grid y; set style fill solid 0.6; set boxwidth 0.6; set yrange [0:*];
		set title 'Worst wakeup latency of a 1 ms periodic task over 5 s (median)';
		set ylabel 'us'; unset key;
		plot 'latency.dat' u 0:2:xtic(1) w boxes"
fi
stage "results in $OUT: table.txt, raw.txt, $(ls ./*.svg 2>/dev/null | tr '\n' ' ')"

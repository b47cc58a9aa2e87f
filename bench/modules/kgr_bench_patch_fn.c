// SPDX-License-Identifier: GPL-2.0
/*
 * kgr_bench_patch.c with per-function consistency: the benchmark measures
 * the common case with both choices of a kgraft patch.
 */
#define KGR_BENCH_CONSISTENCY	KGR_CONSISTENCY_FUNCTION
#include "kgr_bench_patch.c"

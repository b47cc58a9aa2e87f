/* SPDX-License-Identifier: GPL-2.0 */
/* What the benchmark's patches share with kgr_bench.ko. */
#ifndef _KGR_BENCH_H
#define _KGR_BENCH_H

/* Sleep until /sys/kernel/kgr_bench/release is written. */
int kgr_bench_sleep(void);

#endif /* _KGR_BENCH_H */

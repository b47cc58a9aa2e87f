// SPDX-License-Identifier: GPL-2.0
/*
 * The kgraft benchmark's live patch: replaces kgr_bench_func() of the
 * kgr_bench module by a function that does the same, so that the loop
 * measures only the cost of the redirection, and kgr_bench_hold(), in
 * which a task can sleep and hold the transition open.
 *
 * kgr_bench_patch_fn.c builds the same patch with per-function
 * consistency (KGR_BENCH_CONSISTENCY).
 */

#include <linux/kgraft.h>
#include <linux/module.h>

#include "kgr_bench.h"

#ifndef KGR_BENCH_CONSISTENCY
#define KGR_BENCH_CONSISTENCY	KGR_CONSISTENCY_SYSCALL
#endif

static int kgr_bench_func_new(int x)
{
	return x + 1;
}

static int kgr_bench_hold_new(void)
{
	return kgr_bench_sleep();
}

static struct kgr_func kgr_bench_funcs[] = {
	{ .old_name = "kgr_bench_func", .new_func = kgr_bench_func_new },
	{ .old_name = "kgr_bench_hold", .new_func = kgr_bench_hold_new },
	{ }
};

static struct kgr_object kgr_bench_objs[] = {
	{ .name = "kgr_bench", .funcs = kgr_bench_funcs },
	{ }
};

static struct kgr_patch kgr_bench_patch = {
	.mod = THIS_MODULE,
	.objs = kgr_bench_objs,
	.consistency = KGR_BENCH_CONSISTENCY,
};

module_kgr_patch(kgr_bench_patch);
MODULE_INFO(kgraft, "Y");
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kgraft benchmark: a patch that only redirects");

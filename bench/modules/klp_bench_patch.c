// SPDX-License-Identifier: GPL-2.0
/*
 * The same patch as kgr_bench_patch.c, for upstream livepatch, of the
 * twins of the functions that one replaces: so that both live patching
 * systems can be measured on the same code, at the same time, in the same
 * boot. Built only when the kernel has CONFIG_LIVEPATCH.
 */

#include <linux/livepatch.h>
#include <linux/module.h>

#include "kgr_bench.h"

static int klp_bench_func_new(int x)
{
	return x + 1;
}

static int klp_bench_hold_new(void)
{
	return kgr_bench_sleep();
}

static struct klp_func klp_bench_funcs[] = {
	{ .old_name = "kgr_bench_func_lp", .new_func = klp_bench_func_new },
	{ .old_name = "kgr_bench_hold_lp", .new_func = klp_bench_hold_new },
	{ }
};

static struct klp_object klp_bench_objs[] = {
	{ .name = "kgr_bench", .funcs = klp_bench_funcs },
	{ }
};

static struct klp_patch klp_bench_patch = {
	.mod = THIS_MODULE,
	.objs = klp_bench_objs,
};

static int __init klp_bench_init(void)
{
	return klp_enable_patch(&klp_bench_patch);
}

static void __exit klp_bench_exit(void)
{
}

module_init(klp_bench_init);
module_exit(klp_bench_exit);
MODULE_INFO(livepatch, "Y");
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kgraft benchmark: the same patch for upstream livepatch");

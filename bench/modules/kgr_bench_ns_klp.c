// SPDX-License-Identifier: GPL-2.0
/* The benchmark's livepatch patch of do_nanosleep(): see kgr_bench_nanosleep.h. */

#include <linux/livepatch.h>
#include <linux/module.h>

#include "kgr_bench_nanosleep.h"

static struct klp_func klp_bench_ns_funcs[] = {
	{ .old_name = "do_nanosleep", .new_func = kgr_bench_do_nanosleep },
	{ }
};

static struct klp_object klp_bench_ns_objs[] = {
	{ .funcs = klp_bench_ns_funcs },
	{ }
};

static struct klp_patch klp_bench_ns_patch = {
	.mod = THIS_MODULE,
	.objs = klp_bench_ns_objs,
};

static int __init klp_bench_ns_init(void)
{
	return klp_enable_patch(&klp_bench_ns_patch);
}

static void __exit klp_bench_ns_exit(void)
{
}

module_init(klp_bench_ns_init);
module_exit(klp_bench_ns_exit);
MODULE_INFO(livepatch, "Y");
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kgraft benchmark: the do_nanosleep() patch for upstream livepatch");

// SPDX-License-Identifier: GPL-2.0
/* The benchmark's kgraft patch of do_nanosleep(): see kgr_bench_nanosleep.h. */

#include <linux/kgraft.h>
#include <linux/module.h>

#include "kgr_bench_nanosleep.h"

static struct kgr_func kgr_bench_ns_funcs[] = {
	{ .old_name = "do_nanosleep", .new_func = kgr_bench_do_nanosleep },
	{ }
};

static struct kgr_object kgr_bench_ns_objs[] = {
	{ .funcs = kgr_bench_ns_funcs },
	{ }
};

static struct kgr_patch kgr_bench_ns_patch = {
	.mod = THIS_MODULE,
	.objs = kgr_bench_ns_objs,
};

module_kgr_patch(kgr_bench_ns_patch);
MODULE_INFO(kgraft, "Y");
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kgraft benchmark: a patch of do_nanosleep()");

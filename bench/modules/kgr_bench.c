// SPDX-License-Identifier: GPL-2.0
/*
 * Target of the kgraft benchmark: a small function that a live patch can
 * redirect, and a loop in the kernel that calls it.
 *
 *   # echo 1000000 > /sys/kernel/kgr_bench/run    (calls the function 10^6 times)
 *   # cat /sys/kernel/kgr_bench/run                (ns the last run took)
 *
 * The loop runs in the writer's context, so the call goes through the
 * ftrace handler with the writer's universe, as any call in a syscall
 * would.
 */

#include <linux/kobject.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/sysfs.h>

/* Out of line and opaque to the optimiser, so that every loop pass calls it. */
static __attribute__((__noipa__)) int kgr_bench_func(int x)
{
	return x + 1;
}

/* kgr_bench_lock serialises runs; kgr_bench_last_ns is that of the last one. */
static u64 kgr_bench_last_ns;
static DEFINE_MUTEX(kgr_bench_lock);

static ssize_t run_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n", READ_ONCE(kgr_bench_last_ns));
}

static ssize_t run_store(struct kobject *kobj, struct kobj_attribute *attr,
			 const char *buf, size_t count)
{
	unsigned long calls, i;
	u64 t0, t;
	int acc = 0, ret;

	ret = kstrtoul(buf, 0, &calls);
	if (ret)
		return ret;
	if (!calls || calls > 100000000)
		return -ERANGE;
	mutex_lock(&kgr_bench_lock);
	t = 0;
	for (i = 0; i < calls; i += 4096) {
		unsigned long j, n = min(calls - i, 4096UL);

		/* Time only the calls, not the reschedule points between batches. */
		t0 = ktime_get_ns();
		for (j = 0; j < n; j++)
			acc = kgr_bench_func(acc);
		t += ktime_get_ns() - t0;
		cond_resched();
	}
	WRITE_ONCE(kgr_bench_last_ns, t);
	mutex_unlock(&kgr_bench_lock);
	if (acc != (int)calls)
		return -EIO;
	return count;
}

static struct kobj_attribute kgr_bench_run = __ATTR_RW(run);
static struct kobject *kgr_bench_kobj;

static int __init kgr_bench_init(void)
{
	int ret;

	kgr_bench_kobj = kobject_create_and_add("kgr_bench", kernel_kobj);
	if (!kgr_bench_kobj)
		return -ENOMEM;
	ret = sysfs_create_file(kgr_bench_kobj, &kgr_bench_run.attr);
	if (ret)
		kobject_put(kgr_bench_kobj);
	return ret;
}

static void __exit kgr_bench_exit(void)
{
	kobject_put(kgr_bench_kobj);
}

module_init(kgr_bench_init);
module_exit(kgr_bench_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kgraft benchmark: a patchable function and a loop that calls it");

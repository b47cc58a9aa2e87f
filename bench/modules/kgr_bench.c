// SPDX-License-Identifier: GPL-2.0
/*
 * Target of the kgraft benchmark: a small function that a live patch can
 * redirect, and a loop in the kernel that calls it.
 *
 *   # echo 1000000 > /sys/kernel/kgr_bench/run    (calls the function 10^6 times)
 *   # cat /sys/kernel/kgr_bench/run                (ns the last run took)
 *   # cat /sys/kernel/kgr_bench/hold &             (sleeps in kgr_bench_hold()
 *   # echo 1 > /sys/kernel/kgr_bench/release        until released)
 *
 * run_lp and hold_lp do the same with twins of both functions, which the
 * livepatch version of the patch replaces, so that a kgraft patch and a
 * livepatch can be in place at the same time and their runs alternate:
 * both see the same moment of a noisy emulated machine.
 *
 * A reader of hold sleeps inside kgr_bench_hold(), a patched function,
 * killable only: no fake signal wakes it, so neither kgraft nor livepatch
 * can move it, and it keeps a transition of either open for as long as it
 * sleeps.
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
#include <linux/wait.h>

#include "kgr_bench.h"

/* Out of line and opaque to the optimiser, so that every loop pass calls it. */
static __attribute__((__noipa__)) int kgr_bench_func(int x)
{
	return x + 1;
}

static __attribute__((__noipa__)) int kgr_bench_func_lp(int x)
{
	return x + 1;
}

static DECLARE_WAIT_QUEUE_HEAD(kgr_bench_wq);
static atomic_t kgr_bench_release_gen = ATOMIC_INIT(0);
static atomic_t kgr_bench_holding = ATOMIC_INIT(0);

/* Sleep until release is written; for kgr_bench_hold() and its replacements. */
int kgr_bench_sleep(void)
{
	int gen = atomic_read(&kgr_bench_release_gen), ret;

	atomic_inc(&kgr_bench_holding);
	ret = wait_event_killable(kgr_bench_wq,
				  atomic_read(&kgr_bench_release_gen) != gen);
	atomic_dec(&kgr_bench_holding);
	return ret;
}
EXPORT_SYMBOL_GPL(kgr_bench_sleep);

static __attribute__((__noipa__)) int kgr_bench_hold(void)
{
	int ret = kgr_bench_sleep();

	/* not a tail call: kgr_bench_hold() stays on the sleeper's stack */
	barrier();
	return ret;
}

static __attribute__((__noipa__)) int kgr_bench_hold_lp(void)
{
	int ret = kgr_bench_sleep();

	barrier();
	return ret;
}

static ssize_t hold_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	int ret = kgr_bench_hold();

	return ret ? ret : sysfs_emit(buf, "released\n");
}

static ssize_t hold_lp_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	int ret = kgr_bench_hold_lp();

	return ret ? ret : sysfs_emit(buf, "released\n");
}

static ssize_t holding_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&kgr_bench_holding));
}

static ssize_t release_store(struct kobject *kobj, struct kobj_attribute *attr,
			     const char *buf, size_t count)
{
	atomic_inc(&kgr_bench_release_gen);
	wake_up_all(&kgr_bench_wq);
	return count;
}

/* kgr_bench_lock serialises runs; kgr_bench_last_ns is that of the last one. */
static u64 kgr_bench_last_ns;
static DEFINE_MUTEX(kgr_bench_lock);

static ssize_t run_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n", READ_ONCE(kgr_bench_last_ns));
}

/*
 * Calls @fn @calls times and stores the time the calls took. Inlined with
 * a constant @fn, so that each loop pass makes a direct call.
 */
static __always_inline ssize_t kgr_bench_loop(int (*fn)(int), const char *buf, size_t count)
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
			acc = fn(acc);
		t += ktime_get_ns() - t0;
		cond_resched();
	}
	WRITE_ONCE(kgr_bench_last_ns, t);
	mutex_unlock(&kgr_bench_lock);
	if (acc != (int)calls)
		return -EIO;
	return count;
}

static ssize_t run_store(struct kobject *kobj, struct kobj_attribute *attr,
			 const char *buf, size_t count)
{
	return kgr_bench_loop(kgr_bench_func, buf, count);
}

static ssize_t run_lp_store(struct kobject *kobj, struct kobj_attribute *attr,
			    const char *buf, size_t count)
{
	return kgr_bench_loop(kgr_bench_func_lp, buf, count);
}

static struct kobj_attribute kgr_bench_run = __ATTR_RW(run);
/* run_lp reads like run: the time of the last run of either */
static struct kobj_attribute kgr_bench_run_lp = __ATTR(run_lp, 0644, run_show, run_lp_store);
static struct kobj_attribute kgr_bench_hold_attr = __ATTR_RO(hold);
static struct kobj_attribute kgr_bench_hold_lp_attr = __ATTR_RO(hold_lp);
static struct kobj_attribute kgr_bench_holding_attr = __ATTR_RO(holding);
static struct kobj_attribute kgr_bench_release_attr = __ATTR_WO(release);

static struct attribute *kgr_bench_attrs[] = {
	&kgr_bench_run.attr,
	&kgr_bench_run_lp.attr,
	&kgr_bench_hold_attr.attr,
	&kgr_bench_hold_lp_attr.attr,
	&kgr_bench_holding_attr.attr,
	&kgr_bench_release_attr.attr,
	NULL,
};

static const struct attribute_group kgr_bench_group = {
	.attrs = kgr_bench_attrs,
};

static struct kobject *kgr_bench_kobj;

static int __init kgr_bench_init(void)
{
	int ret;

	kgr_bench_kobj = kobject_create_and_add("kgr_bench", kernel_kobj);
	if (!kgr_bench_kobj)
		return -ENOMEM;
	ret = sysfs_create_group(kgr_bench_kobj, &kgr_bench_group);
	if (ret)
		kobject_put(kgr_bench_kobj);
	return ret;
}

static void __exit kgr_bench_exit(void)
{
	atomic_inc(&kgr_bench_release_gen);
	wake_up_all(&kgr_bench_wq);
	kobject_put(kgr_bench_kobj);
}

module_init(kgr_bench_init);
module_exit(kgr_bench_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kgraft benchmark: a patchable function and a loop that calls it");

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A replacement of do_nanosleep() (kernel/time/hrtimer.c, 6.12) for the
 * blocked case of the benchmark: tasks in nanosleep() sleep inside it, so
 * that a live patch of it cannot move them by their stack. It behaves as
 * the original for nanosleep() without a remaining-time buffer, which is
 * what the benchmark's sleepers use; it does not store a remaining time.
 */
#ifndef _KGR_BENCH_NANOSLEEP_H
#define _KGR_BENCH_NANOSLEEP_H

#include <linux/hrtimer.h>
#include <linux/restart_block.h>
#include <linux/sched/signal.h>

static int kgr_bench_do_nanosleep(struct hrtimer_sleeper *t, enum hrtimer_mode mode)
{
	do {
		set_current_state(TASK_INTERRUPTIBLE | TASK_FREEZABLE);
		hrtimer_sleeper_start_expires(t, mode);
		if (likely(t->task))
			schedule();
		hrtimer_cancel(&t->timer);
		mode = HRTIMER_MODE_ABS;
	} while (t->task && !signal_pending(current));
	__set_current_state(TASK_RUNNING);
	if (!t->task)
		return 0;
	/* Interrupted: restart with the same deadline, nothing stored. */
	return -ERESTART_RESTARTBLOCK;
}

#endif /* _KGR_BENCH_NANOSLEEP_H */

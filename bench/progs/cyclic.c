// SPDX-License-Identifier: GPL-2.0
/*
 * cyclic SECONDS
 *
 * A periodic task: wakes every millisecond (CLOCK_MONOTONIC, absolute
 * deadlines) for SECONDS and measures how late each wakeup is. A wakeup
 * later than the next deadline starts the period over from then, so that
 * one delay is counted once and not carried into every later wakeup.
 * Prints "wakeups=<n> max_us=<worst> p99_us=<99th percentile>".
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static int cmp(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	struct timespec next, now, end;
	long *late, n, i;

	if (argc != 2 || atoi(argv[1]) <= 0) {
		fprintf(stderr, "Usage: %s SECONDS\n", argv[0]);
		return 2;
	}
	n = atoi(argv[1]) * 1000L;
	late = calloc(n, sizeof(*late));
	if (!late)
		return 2;
	clock_gettime(CLOCK_MONOTONIC, &next);
	end = next;
	end.tv_sec += atoi(argv[1]);
	for (i = 0; i < n; i++) {
		next.tv_nsec += 1000000;
		if (next.tv_nsec >= 1000000000) {
			next.tv_nsec -= 1000000000;
			next.tv_sec++;
		}
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
		clock_gettime(CLOCK_MONOTONIC, &now);
		late[i] = ((now.tv_sec - next.tv_sec) * 1000000000L +
			   now.tv_nsec - next.tv_nsec) / 1000;
		if (late[i] >= 1000)
			next = now;
		if (now.tv_sec > end.tv_sec ||
		    (now.tv_sec == end.tv_sec && now.tv_nsec >= end.tv_nsec)) {
			n = i + 1;
			break;
		}
	}
	qsort(late, n, sizeof(*late), cmp);
	printf("wakeups=%ld max_us=%ld p99_us=%ld\n", n, late[n - 1], late[n * 99 / 100]);
	return 0;
}

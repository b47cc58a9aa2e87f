/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the reproducers share: error() reports a failure to set the case
 * up as "ERROR: <reason>" after the reproducer's own cleanup(), and exits
 * with 2 (neither BUG nor FIXED).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static void cleanup(void);

static void __attribute__((noreturn, format(printf, 1, 2)))
error(const char *fmt, ...)
{
	va_list ap;
	int e = errno;

	cleanup();
	errno = e;
	printf("ERROR: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	exit(2);
}

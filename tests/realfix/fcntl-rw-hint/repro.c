// SPDX-License-Identifier: GPL-2.0
/*
 * repro for "fcntl: refuse F_SET_RW_HINT on an immutable inode"
 *
 * Makes a file immutable (FS_IOC_SETFLAGS + FS_IMMUTABLE_FL) on a private
 * tmpfs and asks fcntl(F_SET_RW_HINT) to attach a write-life hint to it.
 *
 *   BUG    F_SET_RW_HINT returned 0 and F_GET_RW_HINT reads the new hint
 *          back: the hint was stored on an inode nothing can ever write to
 *   FIXED  F_SET_RW_HINT failed with EPERM and the hint is unchanged
 *   ERROR: <reason>   anything else (exit 2)
 *
 * Needs root (CAP_SYS_ADMIN to mount, CAP_LINUX_IMMUTABLE for the flag) and
 * a tmpfs with FS_IOC_SETFLAGS, i.e. CONFIG_TMPFS_XATTR=y in 6.12.
 * Usage: repro [DIR]   DIR (default /tmp) receives a temporary mount point.
 *
 * Build: gcc -static -O2 -Wall -o repro repro.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/fs.h>

#include "../repro.h"

#ifndef F_LINUX_SPECIFIC_BASE
#define F_LINUX_SPECIFIC_BASE 1024
#endif
#ifndef F_GET_RW_HINT
#define F_GET_RW_HINT (F_LINUX_SPECIFIC_BASE + 11)
#define F_SET_RW_HINT (F_LINUX_SPECIFIC_BASE + 12)
#endif
#ifndef RWH_WRITE_LIFE_EXTREME
#define RWH_WRITE_LIFE_EXTREME 5
#endif

static char dir[4096], file[4200];
static int mounted, fd = -1, immutable;

static void cleanup(void)
{
	int fl;

	if (fd >= 0 && immutable &&
	    ioctl(fd, FS_IOC_GETFLAGS, &fl) == 0) {
		fl &= ~FS_IMMUTABLE_FL;
		ioctl(fd, FS_IOC_SETFLAGS, &fl);
	}
	if (fd >= 0)
		close(fd);
	if (file[0])
		unlink(file);
	if (mounted)
		umount(dir);
	if (dir[0])
		rmdir(dir);
}

int main(int argc, char **argv)
{
	uint64_t before = 0, hint = RWH_WRITE_LIFE_EXTREME, after = 0;
	int fl, wfd, ret, err;

	setvbuf(stdout, NULL, _IONBF, 0);
	snprintf(dir, sizeof(dir), "%s/rwhint.XXXXXX", argc > 1 ? argv[1] : "/tmp");
	if (!mkdtemp(dir)) {
		dir[0] = 0;
		error("mkdtemp: %m");
	}
	/* a private tmpfs: the test does not depend on what /tmp is */
	if (mount("tmpfs", dir, "tmpfs", 0, "size=64k,mode=0700"))
		error("mount tmpfs on %s: %m", dir);
	mounted = 1;

	snprintf(file, sizeof(file), "%s/f", dir);
	fd = open(file, O_RDWR | O_CREAT | O_EXCL, 0600);
	if (fd < 0) {
		file[0] = 0;
		error("create a file in %s: %m", dir);
	}
	if (write(fd, "x", 1) != 1)
		error("write: %m");

	if (ioctl(fd, FS_IOC_GETFLAGS, &fl))
		error("FS_IOC_GETFLAGS on tmpfs: %m (CONFIG_TMPFS_XATTR=y needed)");
	fl |= FS_IMMUTABLE_FL;
	if (ioctl(fd, FS_IOC_SETFLAGS, &fl))
		error("FS_IOC_SETFLAGS(FS_IMMUTABLE_FL): %m (root needed)");
	immutable = 1;

	/* the flag must really be in force: no new writer is allowed */
	wfd = open(file, O_WRONLY);
	if (wfd >= 0) {
		close(wfd);
		error("the file is not immutable after FS_IOC_SETFLAGS");
	}
	if (errno != EPERM)
		error("open O_WRONLY of the immutable file: %m (expected EPERM)");

	if (fcntl(fd, F_GET_RW_HINT, &before))
		error("F_GET_RW_HINT: %m");
	if (before == hint)
		error("the hint is already %llu", (unsigned long long)hint);

	ret = fcntl(fd, F_SET_RW_HINT, &hint);
	err = errno;

	if (fcntl(fd, F_GET_RW_HINT, &after))
		error("F_GET_RW_HINT after F_SET_RW_HINT: %m");

	cleanup();
	if (ret == 0 && after == hint) {
		puts("BUG");
		return 0;
	}
	if (ret == -1 && err == EPERM && after == before) {
		puts("FIXED");
		return 0;
	}
	errno = err;
	printf("ERROR: F_SET_RW_HINT returned %d (%s), hint %llu -> %llu\n",
	       ret, ret ? strerror(err) : "no error",
	       (unsigned long long)before, (unsigned long long)after);
	return 2;
}

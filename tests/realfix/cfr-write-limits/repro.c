// SPDX-License-Identifier: GPL-2.0
/*
 * repro for "fs: skip copy_file_range write limits when there is no data"
 *
 * copy_file_range() from a source at its EOF copies nothing and must return
 * 0 (copy_file_range(2): "If the file offset of fd_in is at or past the end
 * of file, no bytes are copied, and copy_file_range() returns zero").  Before
 * the fix, generic_copy_file_checks() applied the RLIMIT_FSIZE check of the
 * destination even to this empty copy: with the destination offset at or
 * beyond RLIMIT_FSIZE the call failed with EFBIG (and raised SIGXFSZ).
 *
 *   BUG    copy_file_range() failed with EFBIG
 *   FIXED  copy_file_range() returned 0
 *   ERROR: <reason>   anything else (exit 2)
 *
 * Runs on a private tmpfs (root needed for the mount).
 * Usage: repro [DIR]   DIR (default /tmp) receives a temporary mount point.
 *
 * Build: gcc -static -O2 -Wall -o repro repro.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../repro.h"

#define LIMIT	(64 * 1024)	/* RLIMIT_FSIZE soft limit for the test */
#define POS_OUT	(1024 * 1024)	/* destination offset, beyond LIMIT */

static char dir[4096], in_path[4200], out_path[4200];
static int mounted;

static void cleanup(void)
{
	if (in_path[0])
		unlink(in_path);
	if (out_path[0])
		unlink(out_path);
	if (mounted)
		umount(dir);
	if (dir[0])
		rmdir(dir);
}

int main(int argc, char **argv)
{
	struct rlimit rl;
	loff_t pos_in = 0, pos_out = POS_OUT;
	struct stat st;
	int in, out, err;
	long ret;

	setvbuf(stdout, NULL, _IONBF, 0);
	snprintf(dir, sizeof(dir), "%s/cfr.XXXXXX", argc > 1 ? argv[1] : "/tmp");
	if (!mkdtemp(dir)) {
		dir[0] = 0;
		error("mkdtemp: %m");
	}
	if (mount("tmpfs", dir, "tmpfs", 0, "size=256k,mode=0700"))
		error("mount tmpfs on %s: %m", dir);
	mounted = 1;

	snprintf(in_path, sizeof(in_path), "%s/in", dir);
	snprintf(out_path, sizeof(out_path), "%s/out", dir);
	in = open(in_path, O_RDWR | O_CREAT | O_EXCL, 0600);	/* empty */
	if (in < 0) {
		in_path[0] = 0;
		error("create the source in %s: %m", dir);
	}
	out = open(out_path, O_RDWR | O_CREAT | O_EXCL, 0600);
	if (out < 0) {
		out_path[0] = 0;
		error("create the destination in %s: %m", dir);
	}

	/* EFBIG, not death by SIGXFSZ */
	if (signal(SIGXFSZ, SIG_IGN) == SIG_ERR)
		error("signal(SIGXFSZ): %m");
	if (getrlimit(RLIMIT_FSIZE, &rl))
		error("getrlimit: %m");
	rl.rlim_cur = LIMIT;
	if (setrlimit(RLIMIT_FSIZE, &rl))
		error("setrlimit(RLIMIT_FSIZE): %m");

	/* control: a real write at POS_OUT must hit the limit */
	errno = 0;
	if (pwrite(out, "x", 1, POS_OUT) != -1 || errno != EFBIG)
		error("pwrite beyond RLIMIT_FSIZE did not fail with EFBIG (%m)");

	/* the source is empty: nothing to copy */
	ret = syscall(SYS_copy_file_range, in, &pos_in, out, &pos_out, 1UL, 0U);
	err = errno;

	if (fstat(out, &st))
		error("fstat: %m");
	close(in);
	close(out);
	cleanup();
	if (st.st_size != 0 || pos_in != 0 || pos_out != POS_OUT) {
		printf("ERROR: copy_file_range returned %ld and changed the files or offsets\n",
		       ret);
		return 2;
	}
	if (ret == -1 && err == EFBIG) {
		puts("BUG");
		return 0;
	}
	if (ret == 0) {
		puts("FIXED");
		return 0;
	}
	printf("ERROR: copy_file_range returned %ld (%s), expected 0 or EFBIG\n",
	       ret, ret ? strerror(err) : "no error");
	return 2;
}

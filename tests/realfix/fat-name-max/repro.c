// SPDX-License-Identifier: GPL-2.0
/*
 * repro for "fat: reject name longer than NAME_MAX in msdos_format_name()"
 *
 * msdos keeps 8.3 names and, in the default name_check=normal mode, silently
 * truncates a longer base name to 8 characters.  msdos_format_name() did so
 * for names of any length, so a name longer than NAME_MAX (255) was accepted
 * and created the truncated 8.3 entry.  The fix makes it fail with
 * ENAMETOOLONG, like every other Linux filesystem.
 *
 * The program builds a blank 1.44 MB FAT12 image in a private tmpfs (or
 * copies the image given with -i), attaches it to a loop device, mounts it
 * with -t msdos, and creates
 *   control: "b" x 255 (NAME_MAX)   must succeed (entry BBBBBBBB) in both
 *   test:    "a" x 256 (NAME_MAX+1)
 *
 *   BUG    the test create succeeded and the entry AAAAAAAA exists
 *   FIXED  the test create failed with ENAMETOOLONG, no AAAAAAAA entry
 *   ERROR: <reason>   anything else (exit 2)
 *
 * If msdos is not registered yet it loads fat.ko and msdos.ko with
 * finit_module() from $MODDIR (default /lib/modules/$(uname -r)/kernel/fs/fat).
 * Needs root, CONFIG_BLK_DEV_LOOP, CONFIG_MSDOS_FS and cp437 (see config).
 *
 * Usage: repro [-d DIR] [-i IMAGE]   DIR (default /tmp) gets a temporary
 *        mount point; IMAGE is a FAT image to use instead of the built-in
 *        one (it is copied, never modified).
 *        repro -w FILE                only write the built-in image to FILE
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
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <linux/limits.h>
#include <linux/loop.h>

#include "../repro.h"

#define SECTOR		512
#define SECTORS		2880	/* 1.44 MB floppy geometry */
#define FAT_SECTORS	9
#define ROOT_ENTRIES	224
#define LOOP_MAJOR	7

static char dir[4096], img[4200], mnt[4200], node[4200];
static int dir_mounted, mounted, loopfd = -1, looped, made_mnt, made_node;

static void cleanup(void)
{
	if (mounted)
		umount(mnt);
	mounted = 0;
	if (looped)
		ioctl(loopfd, LOOP_CLR_FD, 0);
	looped = 0;
	if (loopfd >= 0)
		close(loopfd);
	loopfd = -1;
	if (made_node)
		unlink(node);
	made_node = 0;
	if (made_mnt)
		rmdir(mnt);
	made_mnt = 0;
	if (img[0])
		unlink(img);
	img[0] = 0;
	if (dir_mounted)
		umount(dir);
	dir_mounted = 0;
	if (dir[0])
		rmdir(dir);
	dir[0] = 0;
}

static void put16(unsigned char *p, unsigned int v)
{
	p[0] = v & 0xff;
	p[1] = v >> 8;
}

/* A freshly formatted, empty FAT12 floppy image (what mkfs.msdos makes). */
static unsigned char *fat12_image(size_t *size)
{
	unsigned char *b = calloc(SECTORS, SECTOR), *bs = b;
	int i;

	if (!b)
		return NULL;
	bs[0] = 0xeb; bs[1] = 0x3c; bs[2] = 0x90;	/* jmp short; nop */
	memcpy(bs + 3, "KGRAFT  ", 8);			/* OEM name */
	put16(bs + 11, SECTOR);				/* bytes per sector */
	bs[13] = 1;					/* sectors per cluster */
	put16(bs + 14, 1);				/* reserved sectors */
	bs[16] = 2;					/* number of FATs */
	put16(bs + 17, ROOT_ENTRIES);			/* root dir entries */
	put16(bs + 19, SECTORS);			/* total sectors */
	bs[21] = 0xf0;					/* media descriptor */
	put16(bs + 22, FAT_SECTORS);			/* sectors per FAT */
	put16(bs + 24, 18);				/* sectors per track */
	put16(bs + 26, 2);				/* heads */
	bs[38] = 0x29;					/* extended boot sig */
	bs[39] = 0x78; bs[40] = 0x56; bs[41] = 0x34; bs[42] = 0x12; /* id */
	memcpy(bs + 43, "NO NAME    ", 11);		/* volume label */
	memcpy(bs + 54, "FAT12   ", 8);			/* fs type */
	bs[510] = 0x55; bs[511] = 0xaa;
	bs[62] = 0xf4;		/* boot code: hlt */
	bs[63] = 0xeb; bs[64] = 0xfd;			/* jmp $-1 */
	for (i = 0; i < 2; i++) {	/* entries 0 and 1 of each FAT */
		unsigned char *fat = b + (1 + i * FAT_SECTORS) * SECTOR;

		fat[0] = 0xf0; fat[1] = 0xff; fat[2] = 0xff;
	}
	/* root directory (sectors 19-32) and data area stay zero */
	*size = (size_t)SECTORS * SECTOR;
	return b;
}

static int write_all(int fd, const unsigned char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= w;
	}
	return 0;
}

static int copy_image(const char *from, int to)
{
	unsigned char buf[65536];
	int fd = open(from, O_RDONLY);
	ssize_t r;

	if (fd < 0)
		return -1;
	while ((r = read(fd, buf, sizeof(buf))) > 0)
		if (write_all(to, buf, r))
			break;
	close(fd);
	return r ? -1 : 0;
}

static int have_msdos(void)
{
	char line[256];
	FILE *f = fopen("/proc/filesystems", "r");
	int found = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, "\tmsdos\n"))
			found = 1;
	fclose(f);
	return found;
}

static void load_module(const char *moddir, const char *name)
{
	char path[4200];
	int fd;

	snprintf(path, sizeof(path), "%s/%s.ko", moddir, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		error("msdos is not registered and %s cannot be opened: %m", path);
	if (syscall(SYS_finit_module, fd, "", 0) && errno != EEXIST)
		error("finit_module %s: %m", path);
	close(fd);
}

static int create(const char *name)
{
	char path[8400];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", mnt, name);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (fd >= 0)
		close(fd);
	return fd < 0 ? -1 : 0;
}

static int exists(const char *name)
{
	char path[8400];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", mnt, name);
	return stat(path, &st) == 0;
}

int main(int argc, char **argv)
{
	const char *base = "/tmp", *image = NULL, *only = NULL;
	char longname[NAME_MAX + 2], maxname[NAME_MAX + 1];
	unsigned char *data;
	size_t size;
	int opt, fd, n, ret, err, found, e2;

	setvbuf(stdout, NULL, _IONBF, 0);
	while ((opt = getopt(argc, argv, "d:i:w:")) != -1) {
		switch (opt) {
		case 'd': base = optarg; break;
		case 'i': image = optarg; break;
		case 'w': only = optarg; break;
		default:
			printf("ERROR: usage: %s [-d DIR] [-i IMAGE] | -w FILE\n", argv[0]);
			return 2;
		}
	}

	data = fat12_image(&size);
	if (!data)
		error("out of memory");
	if (only) {
		fd = open(only, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || write_all(fd, data, size) || close(fd))
			error("write %s: %m", only);
		return 0;
	}

	if (!have_msdos()) {
		const char *moddir = getenv("MODDIR");
		char def[512];
		struct utsname u;

		if (!moddir) {
			if (uname(&u))
				error("uname: %m");
			snprintf(def, sizeof(def), "/lib/modules/%s/kernel/fs/fat",
				 u.release);
			moddir = def;
		}
		load_module(moddir, "fat");
		load_module(moddir, "msdos");
		if (!have_msdos())
			error("msdos is still not in /proc/filesystems");
	}

	/* private tmpfs for the image, the loop node and the mount point */
	snprintf(dir, sizeof(dir), "%s/msdos.XXXXXX", base);
	if (!mkdtemp(dir)) {
		dir[0] = 0;
		error("mkdtemp: %m");
	}
	if (mount("tmpfs", dir, "tmpfs", 0, "size=4m,mode=0700"))
		error("mount tmpfs on %s: %m", dir);
	dir_mounted = 1;

	snprintf(img, sizeof(img), "%s/fat.img", dir);
	fd = open(img, O_RDWR | O_CREAT | O_EXCL, 0600);
	if (fd < 0) {
		img[0] = 0;
		error("create the image: %m");
	}
	if (image ? copy_image(image, fd) : write_all(fd, data, size))
		error("write the image: %m");

	/* a free loop device */
	{
		int ctl = open("/dev/loop-control", O_RDWR | O_CLOEXEC);

		if (ctl < 0)
			error("/dev/loop-control: %m (CONFIG_BLK_DEV_LOOP=y needed)");
		n = ioctl(ctl, LOOP_CTL_GET_FREE);
		close(ctl);
		if (n < 0)
			error("LOOP_CTL_GET_FREE: %m");
	}
	snprintf(node, sizeof(node), "/dev/loop%d", n);
	loopfd = open(node, O_RDWR | O_CLOEXEC);
	if (loopfd < 0) {	/* no devtmpfs node: make our own */
		snprintf(node, sizeof(node), "%s/loop", dir);
		if (mknod(node, S_IFBLK | 0600, makedev(LOOP_MAJOR, n)))
			error("mknod %s: %m", node);
		made_node = 1;
		loopfd = open(node, O_RDWR | O_CLOEXEC);
		if (loopfd < 0)
			error("open %s: %m", node);
	}
	if (ioctl(loopfd, LOOP_SET_FD, fd))
		error("LOOP_SET_FD: %m");
	looped = 1;
	close(fd);

	snprintf(mnt, sizeof(mnt), "%s/mnt", dir);
	if (mkdir(mnt, 0700))
		error("mkdir %s: %m", mnt);
	made_mnt = 1;
	if (mount(node, mnt, "msdos", 0, NULL))
		error("mount -t msdos %s: %m", node);
	mounted = 1;

	memset(maxname, 'b', NAME_MAX);
	maxname[NAME_MAX] = 0;
	memset(longname, 'a', NAME_MAX + 1);
	longname[NAME_MAX + 1] = 0;

	/* control: NAME_MAX characters are fine, truncated to 8.3 */
	if (create(maxname))
		error("create a %d-character name: %m", NAME_MAX);
	if (!exists("bbbbbbbb"))
		error("no 8.3 entry BBBBBBBB after the control create: is it msdos?");
	if (exists("aaaaaaaa"))
		error("AAAAAAAA exists before the test");

	ret = create(longname);
	err = errno;
	found = exists("aaaaaaaa");
	e2 = errno;

	cleanup();
	if (ret == 0 && found) {
		puts("BUG");
		return 0;
	}
	if (ret == -1 && err == ENAMETOOLONG && !found && e2 == ENOENT) {
		puts("FIXED");
		return 0;
	}
	printf("ERROR: creating a %d-character name: %s, AAAAAAAA %s\n",
	       NAME_MAX + 1, ret ? strerror(err) : "succeeded",
	       found ? "exists" : strerror(e2));
	return 2;
}

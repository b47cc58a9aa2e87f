// SPDX-License-Identifier: GPL-2.0
/*
 * bench_threads N SECONDS [MIX]
 *
 * N threads that sleep for SECONDS in blocking system calls, and one
 * thread that loops in user space, for the transition benchmarks. MIX is
 * "mixed" (the default: nanosleep, a pipe read, a futex wait, epoll_wait
 * and wait4, in turn) or "nanosleep" (every thread in nanosleep). Prints
 * "ready" once every sleeper sleeps (or is about to), then waits. At the
 * end, or on SIGTERM, prints "sleepers=<n> failed=<m>": a sleeper fails
 * when its call returned an error (EINTR above all) or returned early.
 * On SIGUSR1 prints "nvcsw=<n>", the voluntary context switches of all
 * its threads so far: the difference across a transition is the number
 * of times a sleeper was woken (the main thread adds one per second).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int secs, pipefd[2], epfd, nanosleep_only;
static pid_t child;
static atomic_int started, failed, done;
static uint32_t futex_word;

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void *sleeper(void *arg)
{
	long i = (long)arg, kind = nanosleep_only ? 0 : i % 5;
	long long t0 = now_ms();
	struct timespec ts = { .tv_sec = secs };
	struct epoll_event ev;
	int ok = 0, status;
	char c;

	atomic_fetch_add(&started, 1);
	switch (kind) {
	case 0:
		ok = !syscall(SYS_nanosleep, &ts, NULL);
		break;
	case 1:
		/* nobody writes: the read sleeps until the process ends */
		ok = read(pipefd[0], &c, 1) == 1;
		break;
	case 2:
		ok = syscall(SYS_futex, &futex_word, FUTEX_WAIT_PRIVATE, 0, &ts) == -1 &&
		     errno == ETIMEDOUT;
		break;
	case 3:
		ok = !epoll_wait(epfd, &ev, 1, secs * 1000);
		break;
	case 4:
		ok = waitpid(child, &status, 0) == child || errno == ECHILD;
		break;
	}
	if (kind != 1 && kind != 4 && now_ms() - t0 < secs * 1000LL - 10)
		ok = 0;
	if (!ok)
		atomic_fetch_add(&failed, 1);
	atomic_fetch_add(&done, 1);
	return NULL;
}

/*
 * nanosleep() without a remaining-time buffer, unlike glibc's sleep(): a
 * fake signal restarts it unseen, so kgraft may kick it, and the helpers'
 * own sleeps are like the sleepers'.
 */
static void nap(int seconds)
{
	struct timespec ts = { .tv_sec = seconds };

	syscall(SYS_nanosleep, &ts, NULL);
}

static void *busy(void *arg)
{
	volatile unsigned long n = 0;

	(void)arg;
	for (;;)
		n++;
	return NULL;
}

static void switches(int sig)
{
	struct rusage ru;
	char buf[64];
	int n;

	(void)sig;
	if (getrusage(RUSAGE_SELF, &ru))
		return;
	n = snprintf(buf, sizeof(buf), "nvcsw=%ld\n", ru.ru_nvcsw);
	if (write(1, buf, n) != n)
		_exit(1);
}

static void report(int sig)
{
	char buf[64];
	int n;

	(void)sig;
	/* The helper child must not outlive the run: it would sleep on. */
	kill(child, SIGKILL);
	n = snprintf(buf, sizeof(buf), "sleepers=%d failed=%d\n", atomic_load(&done),
		     atomic_load(&failed));
	if (write(1, buf, n) != n)
		_exit(1);
	_exit(atomic_load(&failed) ? 1 : 0);
}

int main(int argc, char **argv)
{
	struct epoll_event ev = { .events = EPOLLIN };
	pthread_attr_t attr;
	sigset_t sigs;
	pthread_t t;
	long i, n;

	if (argc < 3) {
		fprintf(stderr, "Usage: %s N SECONDS [mixed|nanosleep]\n", argv[0]);
		return 2;
	}
	n = atol(argv[1]);
	secs = atoi(argv[2]);
	nanosleep_only = argc > 3 && !strcmp(argv[3], "nanosleep");
	if (pipe(pipefd) || (epfd = epoll_create1(0)) < 0 ||
	    epoll_ctl(epfd, EPOLL_CTL_ADD, pipefd[0], &ev)) {
		perror("setup");
		return 2;
	}
	child = fork();
	if (!child) {
		nap(secs);
		_exit(0);
	}
	signal(SIGTERM, report);
	signal(SIGUSR1, switches);
	/* Only the main thread takes the signals: a sleeper's call must not see them. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	for (i = 0; i < n; i++) {
		if (pthread_create(&t, &attr, sleeper, (void *)i)) {
			perror("pthread_create");
			return 2;
		}
	}
	if (pthread_create(&t, &attr, busy, NULL)) {
		perror("pthread_create");
		return 2;
	}
	pthread_sigmask(SIG_UNBLOCK, &sigs, NULL);
	while (atomic_load(&started) < n)
		usleep(10000);
	printf("ready\n");
	fflush(stdout);
	/* With no sleepers, only the busy loop: report when told to. */
	while (!n || atomic_load(&done) < n - (nanosleep_only ? 0 : n / 5))
		nap(1);
	report(0);
	return 0;
}

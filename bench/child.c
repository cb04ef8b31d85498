/*
 * child.c: one measured instance per forked child (see child.h).
 */
#define _DEFAULT_SOURCE 1 /* wait4 */

#if defined(__SANITIZE_ADDRESS__)
#define PLACE_BENCH_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PLACE_BENCH_SANITIZED 1
#endif
#endif
#ifndef PLACE_BENCH_SANITIZED
#define PLACE_BENCH_SANITIZED 0
#endif

#include "child.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PLACE_ENOMEM_CODE (-2) /* PLACE_ENOMEM, without including place.h */

static int g_fd = -1;       /* the write end, in the child */
static void *g_rec;
static size_t g_rec_size;

static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

long child_self_maxrss_kib(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0)
        return 0;
    return ru.ru_maxrss; /* KiB on Linux */
}

bool child_active(void)
{
    return g_fd >= 0;
}

static void send_all(int fd, const void *buf, size_t n)
{
    const char *p = buf;
    while (n > 0) {
        ssize_t k = write(fd, p, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return;
        p += k;
        n -= (size_t)k;
    }
}

void child_fail(int place_rc, const char *fmt, ...)
{
    char msg[480];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fprintf(stderr, "bench: %s\n", msg);
    if (g_fd >= 0 && g_rec && g_rec_size >= sizeof(child_hdr)) {
        child_hdr *h = g_rec;
        h->state = CHILD_REC_FAILED;
        h->place_rc = place_rc;
        h->self_maxrss_kib = child_self_maxrss_kib();
        memcpy(h->msg, msg, sizeof h->msg);
        send_all(g_fd, g_rec, g_rec_size);
        fflush(NULL);
        _exit(3);
    }
    exit(3);
}

static void describe(child_run *o, double timeout_s, double mem_cap,
                     const child_hdr *h)
{
    char cap[64] = "";
    if (mem_cap > 0)
        snprintf(cap, sizeof cap, " under the %.3g GiB address-space cap",
                 mem_cap / (1024.0 * 1024 * 1024));
    switch (o->end) {
    case CHILD_OK:
        snprintf(o->text, sizeof o->text, "ok");
        break;
    case CHILD_FAILED:
        snprintf(o->text, sizeof o->text, "failed: %.200s", h->msg);
        break;
    case CHILD_NOMEM:
        if (o->signal)
            snprintf(o->text, sizeof o->text,
                     "out of memory? crashed with signal %d%s", o->signal,
                     cap);
        else
            snprintf(o->text, sizeof o->text, "out of memory%s: %.160s", cap,
                     h->msg);
        break;
    case CHILD_TIMEOUT:
        snprintf(o->text, sizeof o->text, "timeout: stopped at the %g s cap",
                 timeout_s);
        break;
    case CHILD_CRASHED:
        if (o->signal == SIGKILL)
            snprintf(o->text, sizeof o->text,
                     "killed by SIGKILL, not by the harness (the kernel's "
                     "OOM killer?)");
        else if (o->signal)
            snprintf(o->text, sizeof o->text, "crashed with signal %d",
                     o->signal);
        else
            snprintf(o->text, sizeof o->text, "exited %d without a result",
                     o->exit_code);
        break;
    case CHILD_NOFORK:
        snprintf(o->text, sizeof o->text, "could not start: %s",
                 strerror(errno));
        break;
    }
}

void child_run_fn(child_fn fn, void *arg, void *rec, size_t rec_size,
                  double timeout_s, double mem_cap_bytes, bool fork_it,
                  child_run *out)
{
    child_hdr *h = rec;
    int fds[2], st = 0;
    pid_t pid;
    struct rusage ru;
    size_t got = 0;
    bool eof = false, timed_out = false;
    double t0;

    memset(out, 0, sizeof *out);
    memset(rec, 0, rec_size);
    if (!fork_it) {
        t0 = mono();
        fn(arg, rec, rec_size);
        out->seconds = mono() - t0;
        if (!h->self_maxrss_kib)
            h->self_maxrss_kib = child_self_maxrss_kib();
        out->maxrss_kib = out->wait_maxrss_kib = h->self_maxrss_kib;
        out->end = h->state == CHILD_REC_OK ? CHILD_OK : CHILD_FAILED;
        describe(out, timeout_s, 0, h);
        return;
    }
    if (pipe(fds) != 0) {
        out->end = CHILD_NOFORK;
        describe(out, timeout_s, mem_cap_bytes, h);
        return;
    }
    fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    fcntl(fds[1], F_SETFD, FD_CLOEXEC); /* the peer (popen) must not hold it */
    fflush(NULL);
    t0 = mono();
    pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        out->end = CHILD_NOFORK;
        describe(out, timeout_s, mem_cap_bytes, h);
        return;
    }
    if (pid == 0) {
        close(fds[0]);
        g_fd = fds[1];
        g_rec = rec;
        g_rec_size = rec_size;
        /* AddressSanitizer reserves terabytes of address space for its
         * shadow memory: no address-space cap in a sanitized build */
        if (mem_cap_bytes > 0 && !PLACE_BENCH_SANITIZED) {
            struct rlimit rl;
            rl.rlim_cur = rl.rlim_max = (rlim_t)mem_cap_bytes;
            setrlimit(RLIMIT_AS, &rl);
        }
        fn(arg, rec, rec_size);
        if (!h->self_maxrss_kib)
            h->self_maxrss_kib = child_self_maxrss_kib();
        if (h->state == CHILD_REC_NONE)
            h->state = CHILD_REC_OK;
        send_all(g_fd, rec, rec_size);
        fflush(NULL);
        _exit(0);
    }
    close(fds[1]);
    for (;;) {
        pid_t w = wait4(pid, &st, WNOHANG, &ru);
        if (w == pid)
            break;
        if (w < 0 && errno != EINTR)
            break;
        if (timeout_s > 0 && mono() - t0 > timeout_s) {
            kill(pid, SIGKILL);
            while (wait4(pid, &st, 0, &ru) < 0 && errno == EINTR)
                ;
            timed_out = true;
            break;
        }
        if (!eof) {
            struct pollfd pf;
            pf.fd = fds[0];
            pf.events = POLLIN;
            pf.revents = 0;
            if (poll(&pf, 1, 100) > 0) {
                char scratch[4096];
                ssize_t k;
                if (got < rec_size)
                    k = read(fds[0], (char *)rec + got, rec_size - got);
                else
                    k = read(fds[0], scratch, sizeof scratch);
                if (k > 0 && got < rec_size)
                    got += (size_t)k;
                else if (k == 0)
                    eof = true;
            }
        } else {
            struct timespec ts = {0, 50 * 1000 * 1000};
            nanosleep(&ts, NULL);
        }
    }
    out->seconds = mono() - t0;
    fcntl(fds[0], F_SETFL, O_NONBLOCK);
    while (!eof && got < rec_size) {
        ssize_t k = read(fds[0], (char *)rec + got, rec_size - got);
        if (k <= 0)
            break;
        got += (size_t)k;
    }
    close(fds[0]);
    out->wait_maxrss_kib = ru.ru_maxrss;
    if (got < rec_size)
        memset(rec, 0, sizeof(child_hdr)); /* an incomplete record is none */
    out->maxrss_kib = got == rec_size && h->self_maxrss_kib > 0
                          ? h->self_maxrss_kib
                          : out->wait_maxrss_kib;
    if (WIFEXITED(st))
        out->exit_code = WEXITSTATUS(st);
    if (WIFSIGNALED(st))
        out->signal = WTERMSIG(st);
    if (timed_out)
        out->end = CHILD_TIMEOUT;
    else if (got == rec_size && h->state == CHILD_REC_OK && out->exit_code == 0 &&
             !out->signal)
        out->end = CHILD_OK;
    else if (got == rec_size && h->state == CHILD_REC_FAILED)
        out->end = h->place_rc == PLACE_ENOMEM_CODE ||
                           strstr(h->msg, "out of memory") ||
                           strstr(h->msg, "no memory")
                       ? CHILD_NOMEM
                       : CHILD_FAILED;
    else if (out->signal && out->signal != SIGKILL && mem_cap_bytes > 0 &&
             (out->signal == SIGSEGV || out->signal == SIGABRT ||
              out->signal == SIGBUS))
        out->end = CHILD_NOMEM;
    else
        out->end = CHILD_CRASHED;
    describe(out, timeout_s, mem_cap_bytes, h);
}

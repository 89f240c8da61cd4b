/*
 * signals.c — SIGINT, SIGTERM, SIGHUP and SIGPIPE end takt within a
 * second, with status 130 and nothing left behind, at every moment from
 * the first instruction of main to exit (docs/robustness.md).
 *
 * The handler acts in one of three ways, set by the command:
 *  - at once (loading, checking, writing reports): remove the temporary
 *    files of the guarded output groups (takt_outputs_unlink_tmp is
 *    async-signal-safe) and a store this run created,
 *    say so, _exit(130).  Everything it calls is async-signal-safe;
 *  - softly (while simulating): raise the stop flag, which every
 *    replication checks every few milliseconds, so the run returns and
 *    is discarded in order; a second signal, or one second without
 *    return (alarm), acts at once;
 *  - later (the last milliseconds, while the finished files are renamed
 *    into place and the store commits): remember it.  The run is then
 *    complete, and takt ends normally.
 *
 * A signal is always handled on the main thread (a worker that receives
 * one passes it on), so the handler never runs beside the code that
 * changes an output group.  This file is the one place with mutable
 * global state: a signal handler can reach nothing else.
 */
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"

enum { ACT_AT_ONCE, ACT_SOFTLY, ACT_LATER };
static const int handled[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGALRM };

volatile int cli_stop;
static pthread_t main_thread;
static volatile sig_atomic_t how = ACT_AT_ONCE;
static volatile sig_atomic_t held;
#define GROUPS 4
static takt_outputs *volatile groups[GROUPS];
#define STORE_FILES 4
static char store_files[STORE_FILES][PATH_MAX];
static volatile sig_atomic_t store_armed;

static void say(const char *s)
{
    ssize_t r = write(STDERR_FILENO, s, strlen(s));
    (void)r;
}

static void act_now(void)
{
    for (int i = 0; i < GROUPS; i++)
        if (groups[i]) takt_outputs_unlink_tmp(groups[i]);
    if (store_armed)
        for (int i = 0; i < STORE_FILES; i++)
            if (store_files[i][0]) unlink(store_files[i]);
    say("takt: interrupted: the run was discarded; nothing was written\n");
    _exit(EXIT_INTERRUPTED);
}

static void on_signal(int sig)
{
    if (!pthread_equal(pthread_self(), main_thread)) {
        pthread_kill(main_thread, sig);
        return;
    }
    int again = cli_stop;
    cli_stop = 1;
    if (how == ACT_LATER) { held = sig; return; }
    if (how == ACT_SOFTLY && !again && sig != SIGALRM) { alarm(1); return; }
    act_now();
}

/* A closed standard stream would be reused by the first file opened,
 * and the report would go into it: give each closed one /dev/null, open
 * in the wrong direction, so using it fails as it should. */
static void fill_std_fds(void)
{
    for (int fd = 0; fd <= 2; fd++) {
        if (fcntl(fd, F_GETFD) >= 0) continue;
        int n = open("/dev/null", fd == 0 ? O_WRONLY : O_RDONLY);
        if (n >= 0 && n != fd) { dup2(n, fd); close(n); }
    }
}

void cli_signals_init(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    main_thread = pthread_self();
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESTART;
    sigfillset(&sa.sa_mask);        /* one handler at a time */
    for (size_t i = 0; i < sizeof handled / sizeof *handled; i++) sigaction(handled[i], &sa, NULL);
    cli_signals_block(0);
    fill_std_fds();
}

void cli_signals_guard(takt_outputs *g)
{
    for (int i = 0; i < GROUPS; i++)
        if (!groups[i]) { groups[i] = g; return; }
}

void cli_signals_unguard(takt_outputs *g)
{
    for (int i = 0; i < GROUPS; i++)
        if (groups[i] == g) groups[i] = NULL;
}

void cli_signals_block(int on)
{
    sigset_t set;
    sigemptyset(&set);
    for (size_t i = 0; i < sizeof handled / sizeof *handled; i++) sigaddset(&set, handled[i]);
    pthread_sigmask(on ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
}

void cli_signals_soft(int on)
{
    if (!on) alarm(0);
    how = on ? ACT_SOFTLY : ACT_AT_ONCE;
}

void cli_signals_store(const char *db, int created)
{
    store_armed = 0;
    if (!created || !db) return;
    static const char *const suffix[STORE_FILES] = { "", "-wal", "-shm", "-journal" };
    for (int i = 0; i < STORE_FILES; i++)
        if ((size_t)snprintf(store_files[i], PATH_MAX, "%s%s", db, suffix[i]) >= PATH_MAX)
            return;
    store_armed = 1;
}

void cli_signals_hold(void)
{
    how = ACT_LATER;
}

int cli_signals_release(void)
{
    store_armed = 0;
    how = ACT_AT_ONCE;
    return held != 0;
}

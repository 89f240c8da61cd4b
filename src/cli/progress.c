/*
 * progress.c — the progress bar of `takt run` on stderr:
 *
 *   [########............] 3/10 replications  42 %  ETA 4 s
 *
 * Worker threads report (replication, fraction of its simulated time)
 * concurrently.  Each replication's fraction is an atomic slot, so
 * reporting never waits; drawing is done by whichever thread gets the
 * mutex with trylock, at most ten times a second, so threads never queue
 * behind the terminal.  The bar appears only when stderr is a terminal,
 * the run is not quiet and it has lasted more than a second (short runs
 * stay clean); it is erased when the run ends, so the lines printed next
 * start on a clean line.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"

#define PROGRESS_DELAY_S 1.0        /* show nothing for shorter runs     */
#define PROGRESS_PERIOD_S 0.1       /* redraw at most this often         */
#define PROGRESS_ONE 1000000u       /* a whole replication, fixed point  */
#define PROGRESS_WIDTH 20           /* characters of the bar             */

struct progress {
    int n;                          /* jobs: replications, then more runs */
    int reps;                       /* the first `reps` jobs are the replications */
    double t0;                      /* monotonic seconds at start        */
    atomic_uint *done;              /* per replication, in PROGRESS_ONE  */
    pthread_mutex_t draw;           /* held by the thread drawing        */
    double last;                    /* last drawing (under draw)         */
    int shown;                      /* the line holds a bar (under draw) */
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

progress *progress_new(int replications, int quiet)
{
    return progress_new_more(replications, 0, quiet);
}

progress *progress_new_more(int reps, int more, int quiet)
{
    int replications = reps + more;
    const char *term = getenv("TERM");
    if (quiet || replications <= 0 || !isatty(STDERR_FILENO) || (term && !strcmp(term, "dumb")))
        return NULL;
    progress *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    p->done = malloc((size_t)replications * sizeof *p->done);
    if (!p->done || pthread_mutex_init(&p->draw, NULL) != 0) { free(p->done); free(p); return NULL; }
    for (int i = 0; i < replications; i++) atomic_init(&p->done[i], 0);
    p->n = replications;
    p->reps = reps;
    p->t0 = now_s();
    return p;
}

/* "4 s", "3 min 20 s", "2.5 h" */
static void fmt_eta(char *buf, size_t len, double s)
{
    if (s < 60) snprintf(buf, len, "%.0f s", s);
    else if (s < 3600) snprintf(buf, len, "%d min %02d s", (int)(s / 60), (int)s % 60);
    else snprintf(buf, len, "%.1f h", s / 3600);
}

static void draw(progress *p, double now)
{
    double sum = 0;
    int complete = 0;
    for (int i = 0; i < p->n; i++) {
        unsigned d = atomic_load_explicit(&p->done[i], memory_order_relaxed);
        sum += d;
        complete += d >= PROGRESS_ONE;
    }
    double frac = sum / ((double)PROGRESS_ONE * p->n);
    char bar[PROGRESS_WIDTH + 1], eta[32];
    int fill = (int)(frac * PROGRESS_WIDTH);
    for (int i = 0; i < PROGRESS_WIDTH; i++) bar[i] = i < fill ? '#' : '.';
    bar[PROGRESS_WIDTH] = 0;
    if (frac > 0) fmt_eta(eta, sizeof eta, (now - p->t0) * (1 - frac) / frac);
    else snprintf(eta, sizeof eta, "?");
    /* \033[K erases what a longer previous line left behind */
    if (complete < p->reps || p->reps == p->n)
        fprintf(stderr, "\r[%s] %d/%d replications  %2.0f %%  ETA %s\033[K", bar, complete, p->reps,
                100 * frac, eta);
    else
        fprintf(stderr, "\r[%s] %d/%d paired runs  %2.0f %%  ETA %s\033[K", bar, complete - p->reps,
                p->n - p->reps, 100 * frac, eta);
    fflush(stderr);
    p->last = now;
    p->shown = 1;
}

void progress_cb(void *ctx, int rep, double frac)
{
    progress *p = ctx;
    if (!p || rep < 0 || rep >= p->n) return;
    if (!(frac >= 0)) frac = 0;
    if (frac > 1) frac = 1;
    atomic_store_explicit(&p->done[rep], (unsigned)(frac * PROGRESS_ONE), memory_order_relaxed);
    double now = now_s();
    if (now - p->t0 < PROGRESS_DELAY_S) return;
    if (pthread_mutex_trylock(&p->draw) != 0) return;
    if (now - p->last >= PROGRESS_PERIOD_S) draw(p, now);
    pthread_mutex_unlock(&p->draw);
}

void progress_done(progress *p)
{
    if (!p) return;
    pthread_mutex_lock(&p->draw);
    if (p->shown) { fputs("\r\033[K", stderr); fflush(stderr); }
    pthread_mutex_unlock(&p->draw);
    pthread_mutex_destroy(&p->draw);
    free(p->done);
    free(p);
}

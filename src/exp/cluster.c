/*
 * cluster.c — replications spread over the processes of an MPI job, and
 * the wire format that carries their observations to rank 0.
 *
 * MPI is started only when a launcher (mpirun, srun) started this process:
 * a plain `takt run` never touches MPI, so it needs no daemon, and tools
 * such as valgrind see no MPI start-up noise.  Rank and size are asked of
 * MPI each time instead of being cached, so this file keeps no state of
 * its own.  Only the main thread calls MPI (MPI_THREAD_FUNNELED): the
 * worker threads have finished before anything is gathered.
 *
 * The wire format is explicit little-endian integers and IEEE doubles by
 * their bit patterns, so an observation read back is bit for bit the one
 * written (NaN included) and the reports on rank 0 are byte-identical to a
 * single-process run.  Counts that follow from the plant (stations,
 * buffers, targets) are written too and checked on the way in, so a rank
 * that loaded a different plant is caught instead of misread.  The
 * customer-wait histogram is mostly empty bins, so only the bins that
 * hold something travel.  A replication that did not finish travels too,
 * as just its error message if it has one, so rank 0 learns why.
 *
 * Gathering goes in steps that every rank takes, whatever happens: all
 * learn whether any rank failed to pack its share (or rank 0 to set up),
 * then rank 0 learns the sizes, allocates and says go or no-go, and only
 * then do the bytes move.  No rank is left blocked in a send that will
 * never be received.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "cluster.h"
#include "../core/stats.h"
#include "../model/series.h"
#ifdef TAKT_HAVE_MPI
#include <mpi.h>
#endif

#define WIRE_MAGIC 0x314f4b54u      /* "TKO1" */
#define OBS_HAS_DAYS 1u
#define OBS_HAS_TARGETS 2u
#define OBS_HAS_WAIT 4u
#define OBS_DONE 8u                 /* the run finished: all the rest follows */
#define OBS_HAS_ERROR 16u           /* why the run stopped                */
#define OBS_HAS_SERIES 32u          /* series over time (series.h)        */
#define OBS_FLAGS 63u

/* ---- writing ---------------------------------------------------------- */

typedef struct wire_out {
    unsigned char *buf;
    size_t len, cap;
    int oom;
} wire_out;

static void put_bytes(wire_out *w, const unsigned char *b, size_t n)
{
    if (w->oom) return;
    if (w->len + n > w->cap) {
        size_t cap = w->cap ? w->cap : 1024;
        while (cap < w->len + n) cap *= 2;
        unsigned char *nb = realloc(w->buf, cap);
        if (!nb) { w->oom = 1; return; }
        w->buf = nb; w->cap = cap;
    }
    memcpy(w->buf + w->len, b, n);
    w->len += n;
}

static void put_u64(wire_out *w, uint64_t v)
{
    unsigned char b[8];
    for (int i = 0; i < 8; i++) b[i] = (unsigned char)(v >> (8 * i));
    put_bytes(w, b, 8);
}

static void put_u32(wire_out *w, uint32_t v)
{
    unsigned char b[4];
    for (int i = 0; i < 4; i++) b[i] = (unsigned char)(v >> (8 * i));
    put_bytes(w, b, 4);
}

static void put_i64(wire_out *w, int64_t v) { put_u64(w, (uint64_t)v); }

static void put_f64(wire_out *w, double v)
{
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    put_u64(w, u);
}

static void put_f64s(wire_out *w, const double *v, int n)
{
    for (int i = 0; i < n; i++) put_f64(w, v[i]);
}

/* ---- reading ---------------------------------------------------------- */

typedef struct wire_in {
    const unsigned char *buf;
    size_t len, pos;
    int bad;                        /* read past the end                 */
} wire_in;

static const unsigned char *take(wire_in *r, size_t n)
{
    if (r->bad || r->len - r->pos < n) { r->bad = 1; return NULL; }
    const unsigned char *b = r->buf + r->pos;
    r->pos += n;
    return b;
}

static uint64_t get_u64(wire_in *r)
{
    const unsigned char *b = take(r, 8);
    uint64_t v = 0;
    for (int i = 0; b && i < 8; i++) v |= (uint64_t)b[i] << (8 * i);
    return v;
}

static uint32_t get_u32(wire_in *r)
{
    const unsigned char *b = take(r, 4);
    uint32_t v = 0;
    for (int i = 0; b && i < 4; i++) v |= (uint32_t)b[i] << (8 * i);
    return v;
}

static int64_t get_i64(wire_in *r) { return (int64_t)get_u64(r); }

static double get_f64(wire_in *r)
{
    uint64_t u = get_u64(r);
    double v;
    memcpy(&v, &u, sizeof v);
    return v;
}

static void get_f64s(wire_in *r, double *v, int n)
{
    for (int i = 0; i < n; i++) v[i] = get_f64(r);
}

/* ---- one observation -------------------------------------------------- */

static int nbuffers_of(const takt_plant *p) { return p->nbuffers + p->nsources; }

static void pack_wait(wire_out *w, const qhist *h)
{
    uint32_t nz = 0;
    for (int i = 0; i < QHIST_BINS; i++) nz += h->bins[i] != 0;
    put_f64(w, h->lo);
    put_i64(w, h->n);
    put_i64(w, h->zeros);
    put_u32(w, nz);
    for (int i = 0; i < QHIST_BINS; i++)
        if (h->bins[i]) { put_u32(w, (uint32_t)i); put_i64(w, h->bins[i]); }
}

static int unpack_wait(wire_in *r, qhist *h)
{
    memset(h, 0, sizeof *h);
    h->lo = get_f64(r);
    h->n = (long)get_i64(r);
    h->zeros = (long)get_i64(r);
    uint32_t nz = get_u32(r);
    if (nz > QHIST_BINS) return -1;
    for (uint32_t k = 0; k < nz && !r->bad; k++) {
        uint32_t i = get_u32(r);
        if (i >= QHIST_BINS) return -1;
        h->bins[i] = (long)get_i64(r);
    }
    return r->bad ? -1 : 0;
}

static void put_text(wire_out *w, const char *t)
{
    size_t n = strlen(t);
    put_u32(w, (uint32_t)n);
    put_bytes(w, (const unsigned char *)t, n);
}

static char *get_text(wire_in *r)
{
    uint32_t n = get_u32(r);
    const unsigned char *b = take(r, n);
    return b ? strndup((const char *)b, n) : NULL;
}

static void pack_series(wire_out *w, const series_obs *s)
{
    put_f64(w, s->t0);
    put_f64(w, s->t_end);
    put_f64(w, s->period);
    put_u32(w, (uint32_t)s->nperiods);
    put_f64s(w, s->cells, (int)(s->paused + s->nperiods - s->cells));
}

/* The receiver makes the series anew from the plant and checks that the
 * sender's had the same shape. */
static int unpack_series(wire_in *r, const takt_plant *p, rep_obs *o)
{
    double t0 = get_f64(r), t_end = get_f64(r), period = get_f64(r);
    uint32_t n = get_u32(r);
    if (r->bad || !(period > 0) || !(t_end > t0) || n == 0 || n > SERIES_MAX_PERIODS * 2u) return -1;
    if (!(o->series = series_new(p, t0, t_end, period))) return -1;
    size_t cells = series_ncells(p, o->series->nperiods);
    if ((uint32_t)o->series->nperiods != n || (r->len - r->pos) / 8 < cells) return -1;
    get_f64s(r, o->series->cells, (int)cells);
    return r->bad ? -1 : 0;
}

static void pack_obs(wire_out *w, const takt_plant *p, const rep_obs *o)
{
    uint32_t flags = (o->day_produced && o->day_delivered && o->day_backlog ? OBS_HAS_DAYS : 0)
                   | (o->target_reached ? OBS_HAS_TARGETS : 0) | (o->wait ? OBS_HAS_WAIT : 0)
                   | (o->error ? OBS_HAS_ERROR : 0) | (o->series ? OBS_HAS_SERIES : 0);
    if (o->stations && o->buffers) flags |= OBS_DONE;
    else flags &= OBS_HAS_ERROR;
    put_u32(w, WIRE_MAGIC);
    put_u32(w, (uint32_t)p->nstations);
    put_u32(w, (uint32_t)nbuffers_of(p));
    put_u32(w, (uint32_t)p->ntargets);
    put_u32(w, (uint32_t)(flags & OBS_HAS_DAYS && o->ndays > 0 ? o->ndays : 0));
    put_u32(w, flags);
    if (flags & OBS_HAS_ERROR) put_text(w, o->error);
    if (!(flags & OBS_DONE)) return;
    put_f64(w, o->throughput_per_hour);
    put_f64(w, o->lead_time_s);
    put_f64(w, o->wip);
    put_i64(w, o->parts_in); put_i64(w, o->parts_out);
    put_i64(w, o->wip_start); put_i64(w, o->wip_end);
    put_i64(w, o->scrapped); put_i64(w, o->merged);
    put_u64(w, o->events);
    for (int i = 0; i < p->nstations; i++) {
        const station_obs *s = &o->stations[i];
        put_f64(w, s->parts_out);
        put_f64s(w, s->state, NSTATES);
        put_f64(w, s->bn_sole);
        put_f64(w, s->bn_shifting);
        put_f64(w, s->recent_out);
        put_f64(w, s->sunk);
        put_f64(w, s->scrapped);
        put_f64(w, s->reworked);
        put_f64(w, s->held);
    }
    for (int i = 0; i < nbuffers_of(p); i++) {
        put_f64(w, o->buffers[i].mean_level);
        put_f64(w, o->buffers[i].max_level);
        put_f64(w, o->buffers[i].parts_in);
    }
    for (int i = 0; i < p->nresources; i++)
        put_f64s(w, &o->pools[i].utilisation, POOL_FIGURES);
    for (int i = 0; i < p->ncarriers; i++)
        put_f64s(w, &o->loops[i].free, LOOP_FIGURES);
    if (flags & OBS_HAS_DAYS) {
        put_f64s(w, o->day_produced, o->ndays);
        put_f64s(w, o->day_delivered, o->ndays);
        put_f64s(w, o->day_backlog, o->ndays);
    }
    if (flags & OBS_HAS_TARGETS) put_f64s(w, o->target_reached, p->ntargets);
    put_i64(w, o->produced); put_i64(w, o->delivered); put_i64(w, o->ordered);
    put_f64(w, o->wait_mean_s);
    put_i64(w, o->wait_n);
    if (flags & OBS_HAS_WAIT) pack_wait(w, o->wait);
    if (flags & OBS_HAS_SERIES) pack_series(w, o->series);
}

int rep_obs_pack(const takt_plant *p, const rep_obs *o, unsigned char **buf, size_t *len)
{
    wire_out w = {0};
    *buf = NULL; *len = 0;
    pack_obs(&w, p, o);
    if (w.oom) { free(w.buf); return -1; }
    *buf = w.buf; *len = w.len;
    return 0;
}

/* Arrays are allocated one element longer, as the run allocates them, so
 * no size is ever zero. */
static double *alloc_doubles(int n) { return calloc((size_t)n + 1, sizeof(double)); }

static int unpack_arrays(wire_in *r, const takt_plant *p, uint32_t flags, rep_obs *o)
{
    int nb = nbuffers_of(p);
    o->stations = calloc((size_t)p->nstations + 1, sizeof *o->stations);
    o->buffers = calloc((size_t)nb + 1, sizeof *o->buffers);
    if (!o->stations || !o->buffers) return -1;
    for (int i = 0; i < p->nstations; i++) {
        station_obs *s = &o->stations[i];
        s->parts_out = get_f64(r);
        get_f64s(r, s->state, NSTATES);
        s->bn_sole = get_f64(r);
        s->bn_shifting = get_f64(r);
        s->recent_out = get_f64(r);
        s->sunk = get_f64(r);
        s->scrapped = get_f64(r);
        s->reworked = get_f64(r);
        s->held = get_f64(r);
    }
    for (int i = 0; i < nb; i++) {
        o->buffers[i].mean_level = get_f64(r);
        o->buffers[i].max_level = get_f64(r);
        o->buffers[i].parts_in = get_f64(r);
    }
    o->pools = calloc((size_t)p->nresources + 1, sizeof *o->pools);
    o->loops = calloc((size_t)p->ncarriers + 1, sizeof *o->loops);
    if (!o->pools || !o->loops) return -1;
    for (int i = 0; i < p->nresources; i++)
        get_f64s(r, &o->pools[i].utilisation, POOL_FIGURES);
    for (int i = 0; i < p->ncarriers; i++)
        get_f64s(r, &o->loops[i].free, LOOP_FIGURES);
    if (flags & OBS_HAS_DAYS) {
        /* three doubles a day must still be there: a corrupt count is
         * refused before it turns into a huge allocation */
        if ((r->len - r->pos) / 24 < (size_t)o->ndays) return -1;
        o->day_produced = alloc_doubles(o->ndays);
        o->day_delivered = alloc_doubles(o->ndays);
        o->day_backlog = alloc_doubles(o->ndays);
        if (!o->day_produced || !o->day_delivered || !o->day_backlog) return -1;
        get_f64s(r, o->day_produced, o->ndays);
        get_f64s(r, o->day_delivered, o->ndays);
        get_f64s(r, o->day_backlog, o->ndays);
    }
    if (flags & OBS_HAS_TARGETS) {
        if (!(o->target_reached = alloc_doubles(p->ntargets))) return -1;
        get_f64s(r, o->target_reached, p->ntargets);
    }
    return r->bad ? -1 : 0;
}

static int unpack_obs(wire_in *r, const takt_plant *p, rep_obs *o)
{
    if (get_u32(r) != WIRE_MAGIC || get_u32(r) != (uint32_t)p->nstations ||
        get_u32(r) != (uint32_t)nbuffers_of(p) || get_u32(r) != (uint32_t)p->ntargets)
        return -1;
    uint32_t ndays = get_u32(r), flags = get_u32(r);
    if (r->bad || ndays > INT32_MAX || (flags & ~OBS_FLAGS)) return -1;
    if ((flags & OBS_HAS_ERROR) && !(o->error = get_text(r))) return -1;
    if (!(flags & OBS_DONE)) return ndays == 0 && flags == (flags & OBS_HAS_ERROR) ? 0 : -1;
    o->ndays = (int)ndays;
    o->throughput_per_hour = get_f64(r);
    o->lead_time_s = get_f64(r);
    o->wip = get_f64(r);
    o->parts_in = (long)get_i64(r); o->parts_out = (long)get_i64(r);
    o->wip_start = (long)get_i64(r); o->wip_end = (long)get_i64(r);
    o->scrapped = (long)get_i64(r); o->merged = (long)get_i64(r);
    o->events = get_u64(r);
    if (r->bad || unpack_arrays(r, p, flags, o) < 0) return -1;
    o->produced = (long)get_i64(r); o->delivered = (long)get_i64(r); o->ordered = (long)get_i64(r);
    o->wait_mean_s = get_f64(r);
    o->wait_n = (long)get_i64(r);
    if (flags & OBS_HAS_WAIT) {
        if (!(o->wait = malloc(sizeof *o->wait)) || unpack_wait(r, o->wait) < 0) return -1;
    }
    if ((flags & OBS_HAS_SERIES) && unpack_series(r, p, o) < 0) return -1;
    return r->bad ? -1 : 0;
}

int rep_obs_unpack(const takt_plant *p, const unsigned char *buf, size_t len, rep_obs *o)
{
    wire_in r = { buf, len, 0, 0 };
    memset(o, 0, sizeof *o);
    if (!buf || unpack_obs(&r, p, o) < 0 || r.pos != len) {
        rep_obs_free(o);
        return -1;
    }
    return 0;
}

/* ---- the processes ---------------------------------------------------- */

#ifndef TAKT_HAVE_MPI

int cluster_init(int *argc, char ***argv) { (void)argc; (void)argv; return 0; }
void cluster_finalize(void) {}
void cluster_abort(int status) { (void)status; }
int cluster_rank(void) { return 0; }
int cluster_size(void) { return 1; }

int cluster_gather(cluster_plant_fn plant_of, const void *ctx, rep_obs *obs, int n)
{
    (void)plant_of; (void)ctx; (void)obs; (void)n;
    return 0;
}

int cluster_broadcast(int32_t *v, int n) { (void)v; (void)n; return 0; }

#else

/* Started by a launcher?  Open MPI's mpirun sets OMPI_COMM_WORLD_SIZE;
 * Slurm's srun sets PMIX_RANK (--mpi=pmix) or PMI_SIZE (--mpi=pmi2). */
static int launched_by_mpi(void)
{
    return getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMIX_RANK") || getenv("PMI_SIZE");
}

static int mpi_running(void)
{
    int init = 0, done = 0;
    MPI_Initialized(&init);
    MPI_Finalized(&done);
    return init && !done;
}

int cluster_init(int *argc, char ***argv)
{
    if (!launched_by_mpi()) return 0;
    int provided;
    if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) return -1;
    return 0;
}

void cluster_finalize(void)
{
    if (mpi_running()) MPI_Finalize();
}

void cluster_abort(int status)
{
    if (cluster_size() > 1) MPI_Abort(MPI_COMM_WORLD, status);
}

int cluster_rank(void)
{
    int r = 0;
    if (mpi_running()) MPI_Comm_rank(MPI_COMM_WORLD, &r);
    return r;
}

int cluster_size(void)
{
    int s = 1;
    if (mpi_running()) MPI_Comm_size(MPI_COMM_WORLD, &s);
    return s;
}

#define CHUNK ((size_t)1 << 30)     /* MPI counts are int                */
#define TAG_OBS 4711

/* What is gathered: obs[k] for k < n, from rank k % size. */
typedef struct share {
    cluster_plant_fn plant_of;
    const void *ctx;
    rep_obs *obs;
    int n, size;
} share;

/* Rank `rank`'s observations, each prefixed by its length. */
static int pack_share(const share *sh, int rank, wire_out *w)
{
    for (int k = rank; k < sh->n; k += sh->size) {
        unsigned char *b;
        size_t len;
        if (rep_obs_pack(sh->plant_of(sh->ctx, k), &sh->obs[k], &b, &len) < 0) return -1;
        put_u64(w, len);
        put_bytes(w, b, len);
        free(b);
    }
    return w->oom ? -1 : 0;
}

static int unpack_share(const share *sh, int rank, const unsigned char *buf, size_t len)
{
    wire_in r = { buf, len, 0, 0 };
    for (int k = rank; k < sh->n; k += sh->size) {
        uint64_t m = get_u64(&r);
        const unsigned char *b = r.bad || m > len ? NULL : take(&r, (size_t)m);
        if (!b || rep_obs_unpack(sh->plant_of(sh->ctx, k), b, (size_t)m, &sh->obs[k]) < 0)
            return -1;
    }
    return r.pos == len ? 0 : -1;
}

static int send_bytes(const unsigned char *b, size_t len)
{
    for (size_t off = 0; off < len; off += CHUNK) {
        int m = (int)(len - off < CHUNK ? len - off : CHUNK);
        if (MPI_Send(b + off, m, MPI_BYTE, 0, TAG_OBS, MPI_COMM_WORLD) != MPI_SUCCESS) return -1;
    }
    return 0;
}

static int recv_bytes(unsigned char *b, size_t len, int from)
{
    for (size_t off = 0; off < len; off += CHUNK) {
        int m = (int)(len - off < CHUNK ? len - off : CHUNK);
        if (MPI_Recv(b + off, m, MPI_BYTE, from, TAG_OBS, MPI_COMM_WORLD, MPI_STATUS_IGNORE)
            != MPI_SUCCESS)
            return -1;
    }
    return 0;
}

/* 0 if every other rank's replications finished; -3 if one stopped on a
 * problem of the plant (its observation holds the message), -1 if some
 * are missing for another reason (out of memory, interrupted). */
static int remote_outcome(const share *sh)
{
    int rc = 0;
    for (int k = 0; k < sh->n; k++) {
        const rep_obs *o = &sh->obs[k];
        if (k % sh->size == 0 || o->stations) continue;
        if (o->error) return -3;
        rc = -1;
    }
    return rc;
}

/* Whether any rank failed: every rank says, every rank learns. */
static int anyone_failed(int failed)
{
    int any = 1;
    if (MPI_Allreduce(&failed, &any, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD) != MPI_SUCCESS) return 1;
    return any;
}

static int gather_on_root(const share *sh)
{
    int size = sh->size, rc = -1;
    uint64_t *lens = calloc((size_t)size, sizeof *lens);
    unsigned char **bufs = calloc((size_t)size, sizeof *bufs);
    if (anyone_failed(!lens || !bufs)) goto done;
    uint64_t mine = 0;
    int go = MPI_Gather(&mine, 1, MPI_UINT64_T, lens, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD) == MPI_SUCCESS;
    for (int r = 1; go && r < size; r++)
        if (lens[r] >= SIZE_MAX || !(bufs[r] = malloc((size_t)lens[r] + 1))) go = 0;
    if (MPI_Bcast(&go, 1, MPI_INT, 0, MPI_COMM_WORLD) != MPI_SUCCESS || !go) goto done;
    rc = 0;
    /* receive from every rank even after a bad share: each sends once */
    for (int r = 1; r < size; r++)
        if (recv_bytes(bufs[r], (size_t)lens[r], r) < 0 ||
            unpack_share(sh, r, bufs[r], (size_t)lens[r]) < 0)
            rc = -1;
    if (rc == 0) rc = remote_outcome(sh);
done:
    for (int r = 0; bufs && r < size; r++) free(bufs[r]);
    free(bufs); free(lens);
    return rc;
}

static int send_to_root(const share *sh, int rank)
{
    wire_out w = {0};
    int go = 0, rc = -1;
    if (!anyone_failed(pack_share(sh, rank, &w) < 0)) {
        uint64_t len = w.len;
        if (MPI_Gather(&len, 1, MPI_UINT64_T, NULL, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD) == MPI_SUCCESS &&
            MPI_Bcast(&go, 1, MPI_INT, 0, MPI_COMM_WORLD) == MPI_SUCCESS && go)
            rc = send_bytes(w.buf, w.len);
    }
    free(w.buf);
    return rc;
}

int cluster_gather(cluster_plant_fn plant_of, const void *ctx, rep_obs *obs, int n)
{
    int size = cluster_size(), rank = cluster_rank();
    share sh = { plant_of, ctx, obs, n, size };
    if (size <= 1) return 0;
    return rank == 0 ? gather_on_root(&sh) : send_to_root(&sh, rank);
}

/* Fixed-size integers need no wire format: MPI converts MPI_INT32_T. */
int cluster_broadcast(int32_t *v, int n)
{
    if (cluster_size() <= 1) return 0;
    return MPI_Bcast(v, n, MPI_INT32_T, 0, MPI_COMM_WORLD) == MPI_SUCCESS ? 0 : -1;
}

#endif

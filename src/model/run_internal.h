/*
 * run_internal.h — the mutable state of one replication, shared by the
 * parts of the run:
 *   run.c     set-up, the event loop, accounting, results
 *   flow.c    how parts move: start, finish, hand-over, blocking, starving
 *   conveyor.c transits, vehicles, standing conveyors, source arrivals
 *   avail.c   when machines can work: failures, shifts, openings, ramp-up
 *   market.c  products released, orders, deliveries, daily series, targets
 *   resource.c pools of people, tools and vehicles; carrier loops
 *   maint.c   planned maintenance
 *
 * Everything a replication touches lives in one struct `run` allocated once
 * at set-up: machines, buffer rings, the event heap and the agenda.
 * Nothing is allocated per event except when an unbounded buffer or the
 * order book grows past its ring (amortised, doubling).
 *
 * The agenda is a FIFO of zero-time follow-up actions (pull a part, fill
 * freed space, feed an idle machine).  Handlers push actions instead of
 * calling each other, so a cascade of unblocking along a 10,000-station
 * line costs no stack depth.
 */
#ifndef TAKT_RUN_INTERNAL_H
#define TAKT_RUN_INTERNAL_H

#include "run.h"
#include "../core/heap.h"
#include "../core/rng.h"
#include "../core/stats.h"
#include "series.h"

/* What a machine is doing, apart from being failed or off shift. */
enum { PH_IDLE = 0, PH_WORK, PH_BLOCKED, PH_WAIT_BBS, PH_WAIT_RES, PH_MAINT };

/* Event types; those up to EV_SETUP target a machine. */
enum { EV_DONE = 1, EV_OPFAIL, EV_REPAIR, EV_CALFAIL, EV_SETUP,
       EV_MAINT_END, EV_MAINT_DUE,
       EV_ARRIVE, EV_READY, EV_WARMUP, EV_END, EV_SHIFT, EV_OPEN,
       EV_ORDER, EV_CARRIER };

#define EV_MACHINE_LAST EV_MAINT_DUE

/* Agenda actions. */
enum { A_PULL = 1, A_SPACE, A_FEED };

typedef struct part {
    double born;                    /* when it entered the system        */
    int product;
    short flag;                     /* fate when finished (flow.c)       */
    uint16_t loops;                 /* carrier loops it rides (bit mask) */
} part;

typedef struct slot {               /* a part waiting in a buffer        */
    part p;
    double ready;                   /* when it may leave (transit)       */
} slot;

typedef struct rbuf {               /* runtime buffer                    */
    slot *ring;
    long head, count, size;         /* ring of `size` slots              */
    long cap;                       /* CAP_INF or >= 0                   */
    long reserved;                  /* slots promised to blocking-before */
    double transit;
    int from, to;                   /* stations; from = -1 for a source  */
    double area, last_t, max;       /* time-weighted level               */
    long pushed, popped;            /* parts in and out since the start  */
    long ready_idx;                 /* part whose EV_READY is pending, -1 */
    long parts_in;                  /* parts put in during the window    */
    int carry;                      /* pool carrying its parts, -1 none  */
    long granted;                   /* carried: parts that got a vehicle */
    int stops;                      /* non-accumulating conveyor         */
    uint32_t gen;                   /* bumps cancel its pending EV_READY */
} rbuf;

typedef struct machine {
    int station;
    unsigned char phase, state;
    short down;                     /* failures in progress              */
    uint32_t gen;                   /* bumps cancel scheduled work events */
    double since;                   /* last accounting time              */
    double seg_start;               /* start of the current segment      */
    double rem_work;                /* work left on the part(s) (s)      */
    double rem_setup;               /* changeover left before the work   */
    double blocked_at;
    int target;                     /* buffer waited on / reserved; -1 any */
    int prev, next;                 /* station's blocked list            */
    int idle_pos;                   /* index in station idle stack or -1 */
    int last_product;               /* for changeovers; -1 none yet      */
    unsigned char waiting;          /* idle with a part in reach, no carrier */
    uint16_t wait_loops;            /* the loops it waits on             */
    int maint_plan;                 /* plan in progress, -1 none         */
    double op_time;                 /* working time since the start (s)  */
    long parts_done;                /* cycles finished since the start   */
    double *maint_next;             /* per plan: op_time, parts or time due */
    int nheld, nout;                /* parts held; parts already passed on */
    part *held;                     /* batch (or 1) parts                */
    double *rem_ttf;                /* per failure mode (operating clock) */
    rng *frng;                      /* per failure mode                  */
    double st[NSTATES];             /* state times in the window         */
} machine;

typedef struct rstation {
    int first, n;                   /* machines [first, first+n)         */
    int *idle; int nidle;           /* stack of idle available machines  */
    int bhead, btail;               /* blocked list (FIFO by block time) */
    unsigned rr;                    /* round-robin cursor                */
    rng cycle_rng, route_rng, mix_rng;
    long parts_out;
    int raw;                        /* no inputs: never starved          */
    int line_end;                   /* finished parts leave the plant    */
    int off;                        /* off shift or not yet open         */
    int closed;                     /* not yet open                      */
    int cal;                        /* calendar in force, -1 none        */
    int rework_buf;                 /* out buffer to rework, -1 none     */
    int nseq;                       /* release sequence cursor           */
    int has_ramp;
    double ramp_cached_t, ramp_cached;
    double ramp_done;               /* after this, every ramp is flat    */
    int nactive;                    /* machines working, in setup or failed */
    long recent_out;                /* to the sink in the last quarter    */
    long sunk;                      /* to the sink in the window          */
    long scrap_n, rework_n;         /* finished and scrapped / sent to
                                       rework in the window               */
    long held_start;                /* finished parts its blocked machines
                                       held at the start of the window    */
    int fast_in;                    /* one plain input buffer, no carriers */
    uint16_t loops_from, loops_to;  /* carrier loops starting / ending here */
    rng maint_rng;                  /* maintenance durations             */
} rstation;

typedef struct rpool {              /* a resource pool during the run    */
    int count, free;
    int off;                        /* off shift: no unit is taken       */
    int cal;                        /* -1 always there                   */
    int nwait;                      /* requests waiting that need it     */
    double busy_area, wait_area, last_t;
    double wait_sum; long wait_n;   /* per request served: time waited   */
} rpool;

typedef struct rloop {              /* a carrier loop during the run     */
    int free, inuse;                /* at `from`; carrying a part        */
    int nwait;                      /* machines at `from` waiting for one */
    double free_area, inuse_area, wait_area, last_t;
    long exits;                     /* parts that left `to` (window)     */
    rng rng;                        /* return times                      */
} rloop;

/* A request for units of pools, served first come, first served. */
enum { RQ_CYCLE = 1, RQ_REPAIR, RQ_MAINT, RQ_CARRY };
typedef struct request {
    int kind, id, arg;              /* machine (cycle, repair, maint) or buffer */
    double t;                       /* when it asked                     */
    int prev, next;
} request;

typedef struct action { int type, id; } action;

#define RUN_FAILED 2
#define MAX_OPEN_ORDERS 20000000L       /* customer orders kept one by one  */

typedef struct order_book {         /* open orders of one product (FIFO) */
    double *t; long head, count, size;
    long stock;                     /* finished cars with no order yet   */
} order_book;

typedef struct run {
    const takt_plant *p;
    int rep;
    uint64_t lim_seed;
    double now, t_warm, t_end;
    double t_recent;                /* start of the last quarter          */
    int measuring;
    int lean;                       /* run_limits.lean                    */
    const unsigned char *skip;      /* run_limits.skip (lean runs only)   */
    heap cal;
    int top_spent;                  /* the top event was handled, not popped */
    machine *m; int nm;
    rstation *s;
    rbuf *b; int nb;                /* plant buffers, then source queues */
    rng *src_rng;
    action *agenda; int ahead, acount, asize;
    int depth;                      /* nesting of follow-up actions      */
    part *held_pool;
    /* system totals */
    long wip, sys_in, sys_out, wip_start, scrapped, merged;
    double wip_area, wip_last;
    double lead_sum;
    uint64_t events;
    int oom;                        /* 1 out of memory; RUN_FAILED: a problem
                                     * of the plant, message in error     */
    /* deadlock watch */
    long n_active, n_blocked, n_off, n_transit;
    double stuck_since;             /* NAN when not stuck                */
    double same_t; uint64_t same_n; /* events at one instant             */
    uint64_t check_mask;            /* check stop/progress when events & it is 0 */
    char *error;                    /* why the run stopped, malloc'd     */
    /* calendars: on/off now */
    unsigned char *cal_on;
    struct bn_tracker *bn;          /* bottleneck detection (window only) */
    int bn_paused;                  /* some open station is off shift     */
    int n_off_open;                 /* open stations off shift            */
    double bn_paused_since, bn_paused_total;
    /* market */
    order_book *book;
    rng order_rng, deliver_rng;
    long produced, delivered, ordered;  /* cumulative since time 0       */
    long open_orders;               /* in all the books                  */
    int ndays;
    double *day_produced, *day_delivered, *day_backlog, *day_ordered;
    double *target_reached;
    qhist *wait;
    double wait_sum; long wait_n;
    /* resources and carriers (resource.c) */
    rpool *pool; rloop *loop;
    request *rq; int rq_size, rq_free, rq_head, rq_tail;
    int *avail;                     /* scratch: units per pool while serving */
    int serving, serve_again;
    double *maint_pool;             /* maint_next of all machines        */
    series_obs *ser;                /* series over time, NULL: none asked */
} run;

#if defined(__GNUC__)
#define RUN_COLD __attribute__((noinline, cold))
#define RUN_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define RUN_COLD
#define RUN_UNLIKELY(x) (x)
#endif

/* run.c */
void run_account(run *r, machine *m);
void run_series_level(run *r, const rbuf *b);
void run_wip(run *r, long delta);
void run_schedule(run *r, double t, int type, int id, uint32_t gen, int arg);
void run_agenda(run *r, int type, int id);
void run_bn_check(run *r);

/* flow.c */
void flow_arrive(run *r, int src);
void flow_ready(run *r, int bi, uint32_t gen);
void flow_finish(run *r, machine *m);
void flow_idle(run *r, machine *m);
void flow_resume(run *r, machine *m);
void flow_act(run *r, action a);
void flow_idle_remove(run *r, machine *m);
static inline int machine_available(const run *r, const machine *m)
{
    return m->down == 0 && !r->s[m->station].off;
}

/* avail.c */
void avail_begin_work(run *r, machine *m);
int avail_setup(run *r);
void avail_end_segment(run *r, machine *m);
void avail_fail(run *r, machine *m, int mode);
void avail_repair(run *r, machine *m, int mode);
void avail_shift(run *r, int cal);
void avail_open(run *r, int station);
double avail_ramp(run *r, int station);

/* resource.c */
int res_setup(run *r);
void res_free(run *r);
void res_request(run *r, int kind, int id, int arg);
void res_release(run *r, int pool, int units);
void res_release_needs(run *r, machine *m);
void res_shift(run *r, int cal);
void res_window(run *r);
void res_account(run *r);
/* Take a carrier of every loop starting at m's station that a part
 * riding `have` lacks; with one missing, m waits (returns 0). */
int loop_take(run *r, machine *m, uint16_t have, uint16_t *got);
void loop_unwait(run *r, machine *m);
void loop_return(run *r, uint16_t bits);
void loop_back(run *r, int loop);
/* pt leaves `station`: it gives back the carriers of loops ending there
 * (all of them when it leaves the plant). */
void loop_leave(run *r, int station, part *pt, int all);
int res_collect(run *r, rep_obs *o);

/* maint.c */
int maint_due(run *r, machine *m);
void maint_start(run *r, machine *m);
void maint_begin(run *r, machine *m);
void maint_end(run *r, machine *m);
void maint_calendar_due(run *r, machine *m, int plan);
int maint_setup(run *r);

/* flow.c, for resource.c */
void flow_begin_cycle(run *r, machine *m);
void flow_carried(run *r, int bi);

/* market.c */
int market_setup(run *r);
void market_free(run *r);
int market_release(run *r, int station);   /* product of a new part      */
void market_produced(run *r, const part *p);
void market_order(run *r, int rate);
int market_collect(run *r, rep_obs *o);

#endif

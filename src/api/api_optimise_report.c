/*
 * api_optimise_report.c — the reports of an optimisation (docs/optimise.md):
 * the text `takt optimise` prints and its JSON.
 */
#include "api_optimise.h"
#include "io/jsonw.h"

static const char *objective_name(const opt_problem *pr)
{
    return pr->objective == OPT_MIN_TOTAL ? "min-total" : "max-throughput";
}

static void json_design(jsonw *w, const char *key, const opt_problem *pr, const opt_design *d)
{
    jw_obj(w, key);
    jw_obj(w, "settings");
    for (int i = 0; i < pr->n; i++) jw_int(w, pr->d[i].path, d->x[i]);
    jw_end(w);
    jw_kpi(w, "throughput_per_hour", d->throughput_per_hour.mean, d->throughput_per_hour.ci95);
    long s = 0;
    for (int i = 0; i < pr->n; i++) s += d->x[i];
    jw_int(w, "total", s);
    jw_int(w, "replications", d->replications);
    jw_end(w);
}

static int write_json(FILE *f, const opt_problem *pr, const opt_result *r)
{
    jsonw w;
    jw_init(&w, f, 1);
    jw_obj(&w, NULL);
    jw_str(&w, "objective", objective_name(pr));
    if (pr->objective == OPT_MIN_TOTAL) jw_num(&w, "target_per_hour", pr->target_per_hour);
    json_design(&w, "best", pr, &r->best);
    jw_arr(&w, "tied");
    for (int i = 0; i < r->ntied; i++) json_design(&w, NULL, pr, &r->tied[i]);
    jw_end(&w);
    jw_int(&w, "evaluated", r->evaluated);
    jw_int(&w, "estimated", r->estimated);
    jw_int(&w, "replications", r->replications);
    jw_str(&w, "search", r->by_estimate ? "estimate" : "simulation");
    jw_end(&w);
    fputc('\n', f);
    return ferror(f) ? -1 : 0;
}

static void text_design(FILE *f, const opt_problem *pr, const opt_design *d)
{
    long s = 0;
    for (int i = 0; i < pr->n; i++) {
        fprintf(f, "%s%s=%ld", i ? ", " : "", pr->d[i].path, d->x[i]);
        s += d->x[i];
    }
    fprintf(f, "\n      throughput %.4g ± %.3g /h, total %ld, %d replication%s\n",
            d->throughput_per_hour.mean, d->throughput_per_hour.ci95, s, d->replications,
            d->replications == 1 ? "" : "s");
}

static int write_text(FILE *f, const opt_problem *pr, const opt_result *r)
{
    fprintf(f, "Optimised (%s", objective_name(pr));
    if (pr->objective == OPT_MIN_TOTAL) fprintf(f, ", target %g/h", pr->target_per_hour);
    fprintf(f, "): searched with the %s, %ld design%s simulated with common random numbers",
            r->by_estimate ? "analytic estimate" : "simulation", r->evaluated,
            r->evaluated == 1 ? "" : "s");
    fprintf(f, " (%ld replication%s in all)", r->replications, r->replications == 1 ? "" : "s");
    if (r->estimated) fprintf(f, ", %ld estimated", r->estimated);
    fprintf(f, "\n\nbest: ");
    text_design(f, pr, &r->best);
    if (r->ntied == 0) fprintf(f, "\nNo other design is statistically tied with it (paired 95 %%).\n");
    else fprintf(f, "\nStatistically tied with it (not significantly worse, paired 95 %%):\n");
    for (int i = 0; i < r->ntied; i++) { fprintf(f, "  - "); text_design(f, pr, &r->tied[i]); }
    return ferror(f) ? -1 : 0;
}

takt_status takt_optimise_write(const takt_optimise *o, takt_format format, FILE *f)
{
    if (!api_opt_design(o, 0) || !f) return TAKT_EBADINPUT;
    int rc;
    if (format == TAKT_FORMAT_TEXT) rc = write_text(f, &o->pr, &o->r);
    else if (format == TAKT_FORMAT_JSON) rc = write_json(f, &o->pr, &o->r);
    else return TAKT_EBADINPUT;
    return rc < 0 ? TAKT_EIO : TAKT_OK;
}

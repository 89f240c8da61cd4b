/*
 * api_report.c — a result's reports (text, JSON, HTML, CSV tables) to a
 * FILE * or into memory; the reporters are the I/O layer's.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "api.h"
#include "io/report.h"

takt_status takt_result_write(const takt_result *r, takt_format format, FILE *f)
{
    if (!r || !f) return TAKT_EBADINPUT;
    int rc;
    switch (format) {
    case TAKT_FORMAT_TEXT: rc = report_text(f, r->sum); break;
    case TAKT_FORMAT_JSON: rc = report_json(f, r->sum); break;
    case TAKT_FORMAT_HTML: rc = report_html(f, r->sum); break;
    case TAKT_FORMAT_CSV:  return takt_result_write_csv(r, "kpis.csv", f);
    default:               return TAKT_EBADINPUT;
    }
    return rc < 0 || ferror(f) ? TAKT_EIO : TAKT_OK;
}

takt_status takt_result_write_csv(const takt_result *r, const char *table, FILE *f)
{
    if (!r || !table || !f) return TAKT_EBADINPUT;
    int rc = report_csv_table(f, table, r->sum);
    return rc == -2 ? TAKT_ENOTFOUND : rc < 0 ? TAKT_EIO : TAKT_OK;
}

takt_status takt_result_write_csv_dir(const takt_result *r, const char *dir, char **message)
{
    char err[512];
    if (message) *message = NULL;
    if (!r || !dir) return TAKT_EBADINPUT;
    outfile_group g;
    memset(&g, 0, sizeof g);
    int rc = report_csv(dir, r->sum, &g, err, sizeof err) < 0
          || outfile_group_finish(&g, err, sizeof err) < 0
          || outfile_group_place(&g, err, sizeof err) < 0;
    outfile_group_discard(&g);
    if (rc) {
        api_message(message, err);
        return TAKT_EIO;
    }
    return TAKT_OK;
}

takt_status takt_result_report(const takt_result *r, takt_format format, char **text, size_t *len)
{
    if (!text) return TAKT_EBADINPUT;
    *text = NULL;
    if (len) *len = 0;
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    if (!f) return TAKT_ENOMEM;
    takt_status st = takt_result_write(r, format, f);
    /* open_memstream's buffer is complete (and NUL-terminated) only after
     * fclose; a failure there is a failure to allocate */
    if (fclose(f) != 0 && st == TAKT_OK) st = TAKT_ENOMEM;
    if (st != TAKT_OK) { free(buf); return st == TAKT_EIO ? TAKT_ENOMEM : st; }
    *text = buf;
    if (len) *len = n;
    return TAKT_OK;
}

takt_status takt_check_csv_dir(const char *dir, char **message)
{
    char err[512];
    if (message) *message = NULL;
    if (report_csv_check(dir, err, sizeof err) < 0) {
        api_message(message, err);
        return TAKT_EBADINPUT;
    }
    return TAKT_OK;
}

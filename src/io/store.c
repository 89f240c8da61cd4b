/* store.c — placeholder until the run store lands. */
#include "store.h"
long long store_record(const char *db, const takt_summary *s, const store_meta *m, char *err, int errlen)
{ (void)db; (void)s; (void)m; (void)err; (void)errlen; return 0; }
int store_list(const char *db, FILE *f, char *err, int errlen) { (void)db; (void)f; snprintf(err, (size_t)errlen, "no run store"); return 1; }
int store_show(const char *db, long long run, FILE *f, char *err, int errlen) { (void)db; (void)run; (void)f; snprintf(err, (size_t)errlen, "no run store"); return 1; }
int store_compare(const char *db, long long a, long long b, FILE *f, char *err, int errlen) { (void)db; (void)a; (void)b; (void)f; snprintf(err, (size_t)errlen, "no run store"); return 1; }

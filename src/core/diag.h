/*
 * diag.h — diagnostics: a list of problems found in an input, each with a
 * position.  Lower layers return diagnostics instead of printing, so the CLI
 * decides how to show them ("FILE:LINE:COLUMN: message").
 */
#ifndef TAKT_DIAG_H
#define TAKT_DIAG_H

typedef struct diag {
    int line, col;      /* 1-based; 0 when the problem has no position */
    char *msg;
} diag;

typedef struct diags {
    char *file;         /* file name shown in messages (owned)         */
    diag *v;
    int n, cap;
} diags;

void diags_init(diags *d, const char *file);
void diags_free(diags *d);
/* Append a message (printf-style).  Never fails visibly: on out of memory
 * the message is dropped but n still counts it. */
void diags_add(diags *d, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Format diagnostic i as "FILE:LINE:COLUMN: msg" into buf. */
void diags_format(const diags *d, int i, char *buf, int len);

#endif

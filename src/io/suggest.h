/*
 * suggest.h — spelling suggestions for names that were not recognised.
 */
#ifndef TAKT_SUGGEST_H
#define TAKT_SUGGEST_H

/* The candidate closest to word (case-insensitive edit distance, or one a
 * prefix of the other), or NULL if none is close enough to suggest. */
const char *text_suggest(const char *word, const char *const *cands, int n);

#endif

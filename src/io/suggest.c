/*
 * suggest.c — "did you mean ...?": the known name closest to a word that
 * was not recognised, for every message of the loader and of --set that
 * names an unknown key, station, unit or choice.
 *
 * Closeness is the edit distance (Levenshtein, case-insensitive), with
 * about one typo allowed per three letters, so a suggestion is close but
 * never anything at all; a word that is a prefix of a name (or the other
 * way round) counts as close.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "suggest.h"

/* Levenshtein distance, case-insensitive, on words of up to 63 bytes. */
static int edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 63 || lb > 63)
        return 99;
    int row[64];
    for (size_t j = 0; j <= lb; j++)
        row[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        int diag = row[0];
        row[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int up = row[j];
            int cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
            int best = diag + cost;
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

static int is_prefix_ci(const char *pre, const char *s)
{
    size_t n = strlen(pre);
    return n >= 2 && strncasecmp(pre, s, n) == 0;
}

/* Tie-break between equally distant candidates: the one whose first
 * differing character is nearer, so 'M3' suggests 'M2' rather than 'M1'. */
static int nearer(const char *word, const char *a, const char *b)
{
    size_t i = 0, j = 0;
    while (a[i] && tolower((unsigned char)a[i]) == tolower((unsigned char)word[i]))
        i++;
    while (b[j] && tolower((unsigned char)b[j]) == tolower((unsigned char)word[j]))
        j++;
    if (i != j)
        return i > j;
    int da = abs(tolower((unsigned char)a[i]) - tolower((unsigned char)word[i]));
    int db = abs(tolower((unsigned char)b[j]) - tolower((unsigned char)word[j]));
    return da < db;
}

const char *text_suggest(const char *word, const char *const *cands, int n)
{
    const char *best = NULL;
    int best_d = 99;
    size_t lw = strlen(word);
    /* Allow about one typo per three letters: close, but not anything. */
    int limit = lw <= 3 ? 1 : lw <= 6 ? 2 : 3;
    for (int i = 0; i < n; i++) {
        int dist = edit_distance(word, cands[i]);
        if (dist > limit && (is_prefix_ci(cands[i], word) || is_prefix_ci(word, cands[i])))
            dist = limit;
        if (dist <= limit && (dist < best_d
                              || (dist == best_d && nearer(word, cands[i], best)))) {
            best = cands[i];
            best_d = dist;
        }
    }
    return best;
}

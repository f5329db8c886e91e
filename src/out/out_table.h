/* out_table.h — a table of UTF-8 strings printed for people: columns
** aligned by display width (code points), numbers right-aligned, a rule
** under the header, no trailing spaces. The CHISO_FORMAT_TABLE form of
** every result. */
#ifndef CHISO_OUT_TABLE_H
#define CHISO_OUT_TABLE_H

#include <stdio.h>

typedef struct out_table out_table;

/* A table of ncols (1..64) columns with these headers (copied). Returns
** NULL on out of memory or a bad ncols. */
out_table *out_table_new(int ncols, const char *const *headers);

/* Append a row of ncols strings (copied; NULL is ""). Returns 0 or
** CHISO_ENOMEM (the table is unchanged). */
int out_table_add(out_table *t, const char *const *cells);

/* Right-align column `col` (numbers). Out of range: nothing. */
void out_table_right(out_table *t, int col);

/* Print the table. Returns 0 or CHISO_EIO. */
int out_table_print(const out_table *t, FILE *f);

/* Free the table. NULL is a no-op. */
void out_table_free(out_table *t);

/* A number as people read it in a table, never in exponent form
** (1.416e+05 is 141600): whole above 1000, else four significant digits
** in fixed notation (12.35, 0.1234); "" for NaN. Into buf of size n.
** Cannot fail. */
void out_table_num(char *buf, size_t n, double v);

/* The order people read a ranking in: indices 0..n-1 by rank[i] ascending
** (1 first), unranked (rank <= 0) last, ties and the unranked in their
** given order (code order). Fills order[0..n). Cannot fail. */
void out_table_rank_order(const int *rank, size_t n, size_t *order);

#endif

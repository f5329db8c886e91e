/* out_table.c — aligned text tables (out_table.h). */
#include "out/out_table.h"

#include "base/err.h"
#include "base/mem.h"
#include "base/text.h"

#include <math.h>

struct out_table {
  int ncols;
  char **cells; /* row-major, row 0 is the header */
  size_t nrows, cap;
  unsigned char right[64];
};

static int add_row(out_table *t, const char *const *cells) {
  if (chiso_grow((void **)&t->cells, &t->cap, (t->nrows + 1) * (size_t)t->ncols,
                 sizeof(char *)) != CHISO_OK)
    return CHISO_ENOMEM;
  for (int c = 0; c < t->ncols; c++) {
    /* a table is for a terminal: cells (file names, values) cannot hold
    ** bytes that drive it */
    char shown[4096];
    char *s = chiso_strdup(text_escape_controls(cells[c], 0, shown, sizeof shown));
    if (!s) return CHISO_ENOMEM;
    t->cells[t->nrows * (size_t)t->ncols + (size_t)c] = s;
  }
  t->nrows++;
  return CHISO_OK;
}

out_table *out_table_new(int ncols, const char *const *headers) {
  if (ncols <= 0 || ncols > 64) return NULL;
  out_table *t = chiso_calloc(1, sizeof *t);
  if (!t) return NULL;
  t->ncols = ncols;
  if (add_row(t, headers) != CHISO_OK) {
    out_table_free(t);
    return NULL;
  }
  return t;
}

int out_table_add(out_table *t, const char *const *cells) { return add_row(t, cells); }

void out_table_num(char *buf, size_t n, double v) {
  double a = fabs(v);
  if (isnan(v)) snprintf(buf, n, "%s", "");
  else if (a >= 1000) snprintf(buf, n, "%.0f", v);
  else snprintf(buf, n, "%.*f", a >= 100 ? 1 : a >= 10 ? 2 : a >= 1 ? 3 : 4, v);
}

void out_table_rank_order(const int *rank, size_t n, size_t *order) {
  /* a stable insertion sort: n is at most a few hundred units */
  for (size_t i = 0; i < n; i++) {
    long ri = rank[i] > 0 ? rank[i] : 1L << 30;
    size_t j = i;
    while (j > 0) {
      long rj = rank[order[j - 1]] > 0 ? rank[order[j - 1]] : 1L << 30;
      if (rj <= ri) break;
      order[j] = order[j - 1];
      j--;
    }
    order[j] = i;
  }
}

void out_table_right(out_table *t, int col) {
  if (col >= 0 && col < t->ncols) t->right[col] = 1;
}

int out_table_print(const out_table *t, FILE *f) {
  size_t width[64] = {0};
  for (size_t r = 0; r < t->nrows; r++)
    for (int c = 0; c < t->ncols; c++) {
      size_t w = text_width(t->cells[r * (size_t)t->ncols + (size_t)c]);
      if (w > width[c]) width[c] = w;
    }
  for (size_t r = 0; r < t->nrows; r++) {
    /* Spaces are owed, not written, until a cell with text follows: no
    ** row ends in spaces, whatever its trailing empty cells. */
    size_t owed = 0;
    for (int c = 0; c < t->ncols; c++) {
      const char *s = t->cells[r * (size_t)t->ncols + (size_t)c];
      size_t pad = width[c] - text_width(s);
      if (t->right[c]) owed += pad;
      if (s[0]) {
        for (; owed; owed--) fputc(' ', f);
        fputs(s, f);
      }
      if (!t->right[c]) owed += pad;
      owed += 2;
    }
    fputc('\n', f);
    if (r == 0) {
      for (int c = 0; c < t->ncols; c++) {
        for (size_t i = 0; i < width[c]; i++) fputc('-', f);
        if (c < t->ncols - 1) fputs("  ", f);
      }
      fputc('\n', f);
    }
  }
  return ferror(f) ? CHISO_EIO : CHISO_OK;
}

void out_table_free(out_table *t) {
  if (!t) return;
  for (size_t i = 0; i < t->nrows * (size_t)t->ncols; i++) chiso_free(t->cells[i]);
  chiso_free(t->cells);
  chiso_free(t);
}

/* out_series.c — every stored year in one table (out_series.h). */
#include "out/out_series.h"

#include "base/err.h"
#include "base/jsonio.h"
#include "base/mem.h"
#include "io/csvwrite.h"
#include "out/out_table.h"

#include <assert.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SERIES_NCOL 8
#define SERIES_CELL 40

/* ---- the scores view ------------------------------------------------------------- */

static const char *const series_columns[SERIES_NCOL] = {"year", "code", "name", "score", "rank",
                                           "score_change", "rank_change", "approx"};

static void cell_num(char *b, double v, int table) {
  if (isnan(v)) b[0] = '\0';
  else if (isinf(v)) snprintf(b, SERIES_CELL, "%s", v > 0 ? "inf" : "-inf");
  else snprintf(b, SERIES_CELL, table ? "%.2f" : "%.17g", v); /* tables: as `chiso compute` */
}

static int score_cells(const series_series *s, const geo_registry *reg, size_t u, size_t t, int table,
                    char cells[SERIES_NCOL][SERIES_CELL]) {
  size_t j = u * s->n_years + t;
  if (isnan(s->score[j])) return 0;
  for (int c = 0; c < SERIES_NCOL; c++) cells[c][0] = '\0';
  snprintf(cells[0], SERIES_CELL, "%d", s->years[t]);
  snprintf(cells[1], SERIES_CELL, "%s", s->code[u]);
  snprintf(cells[2], SERIES_CELL, "%s", geo_unit_at(reg, s->era, u)->name);
  cell_num(cells[3], s->score[j], table);
  if (s->rank[j]) snprintf(cells[4], SERIES_CELL, "%d", s->rank[j]);
  cell_num(cells[5], s->score_change[j], table);
  if (t > 0 && s->rank[j] && s->rank[j - 1]) snprintf(cells[6], SERIES_CELL, "%d", s->rank_change[j]);
  snprintf(cells[7], SERIES_CELL, "%d", s->approx[j]);
  return 1;
}

int out_series_scores_csv(const series_series *s, const geo_registry *reg, FILE *f) {
  if (csvwrite_row(f, series_columns, SERIES_NCOL, 0)) return CHISO_EIO;
  for (size_t t = 0; t < s->n_years; t++)
    for (size_t u = 0; u < s->n_units; u++) {
      char cells[SERIES_NCOL][SERIES_CELL];
      const char *row[SERIES_NCOL];
      if (!score_cells(s, reg, u, t, 0, cells)) continue;
      for (int c = 0; c < SERIES_NCOL; c++) row[c] = cells[c];
      if (csvwrite_row(f, row, SERIES_NCOL, 0)) return CHISO_EIO;
    }
  return CHISO_OK;
}

/* ---- cells as text (shared by the three outputs and formats) --------------- */

/* A number cell: blank when not finite (never "nan"/"inf"); with table = 2
** a share shown as a percentage (tables are for people; CSV and JSON keep
** the proportion). */
static void num(char *b, size_t n, double v, int table) {
  if (!isfinite(v)) b[0] = '\0';
  else if (table == 2) snprintf(b, n, "%.1f%%", 100 * v);
  else snprintf(b, n, table ? "%.4f" : "%.17g", v);
}

/* A grid of text cells printed as CSV, a table or JSON objects. */
typedef struct grid {
  size_t n_cols, n_rows, cap;
  const char *const *head;
  char (*cell)[40];
  unsigned char *is_num; /* per column: 1 = print as a JSON number */
  int synthetic;         /* JSON: each object says "synthetic": true */
} grid;

static char *grid_add(grid *g) {
  if (chiso_grow((void **)&g->cell, &g->cap, (g->n_rows + 1) * g->n_cols, sizeof *g->cell)) return NULL;
  char *row = g->cell[g->n_rows * g->n_cols];
  memset(row, 0, g->n_cols * sizeof *g->cell);
  g->n_rows++;
  return row;
}

#define CELL(g, r, c) ((g)->cell[(r) * (g)->n_cols + (c)])

static int grid_print(const grid *g, chiso_format fmt, FILE *f) {
  if (fmt == CHISO_FORMAT_CSV) {
    csvwrite_row(f, g->head, g->n_cols, 0);
    for (size_t r = 0; r < g->n_rows; r++) {
      const char *row[16];
      for (size_t c = 0; c < g->n_cols; c++) row[c] = CELL(g, r, c);
      if (csvwrite_row(f, row, g->n_cols, 0)) return CHISO_EIO;
    }
    return CHISO_OK;
  }
  if (fmt == CHISO_FORMAT_JSON) {
    json_t *a = json_array();
    for (size_t r = 0; r < g->n_rows; r++) {
      json_t *o = json_object();
      for (size_t c = 0; c < g->n_cols; c++) {
        const char *v = CELL(g, r, c);
        char *end;
        double d = strtod(v, &end);
        /* a number column may hold a word ("never"): kept as a string */
        json_t *x = !v[0] ? json_null() : g->is_num[c] && !*end ? json_real(d) : json_string(v);
        json_object_set_new(o, g->head[c], x);
      }
      if (g->synthetic) json_object_set_new(o, "synthetic", json_true());
      json_array_append_new(a, o);
    }
    return jsonio_dump(a, f);
  }
  out_table *t = out_table_new((int)g->n_cols, g->head);
  if (!t) return CHISO_ENOMEM;
  for (size_t c = 0; c < g->n_cols; c++)
    if (g->is_num[c]) out_table_right(t, (int)c);
  int rc = CHISO_OK;
  for (size_t r = 0; !rc && r < g->n_rows; r++) {
    const char *row[16];
    for (size_t c = 0; c < g->n_cols; c++) row[c] = CELL(g, r, c);
    rc = out_table_add(t, row);
  }
  if (!rc) rc = out_table_print(t, f);
  out_table_free(t);
  return rc;
}

/* ---- the three views ------------------------------------------------------------ */

static int fill_scores(const series_series *s, const geo_registry *reg, int tbl, grid *g) {
  size_t U = s->n_units ? s->n_units : 1;
  int *rank = chiso_malloc(U * sizeof *rank);
  size_t *order = chiso_malloc(U * sizeof *order);
  int rc = rank && order ? CHISO_OK : CHISO_ENOMEM;
  for (size_t t = 0; !rc && t < s->n_years; t++) {
    /* the table reads each year by rank; CSV and JSON keep the code order */
    for (size_t u = 0; u < s->n_units; u++) rank[u] = tbl ? s->rank[u * s->n_years + t] : 0;
    out_table_rank_order(rank, s->n_units, order);
    for (size_t k = 0; !rc && k < s->n_units; k++) {
      char cells[SERIES_NCOL][SERIES_CELL];
      if (!score_cells(s, reg, order[k], t, tbl, cells)) continue;
      if (!grid_add(g)) rc = CHISO_ENOMEM;
      else for (int c = 0; c < SERIES_NCOL; c++) memcpy(CELL(g, g->n_rows - 1, c), cells[c], SERIES_CELL);
    }
  }
  chiso_free(rank);
  chiso_free(order);
  return rc;
}

static int fill_divide(const series_series *s, int tbl, grid *g) {
  for (size_t t = 0; t < s->n_years; t++) {
    const divide_year *y = s->detail[t];
    for (size_t k = 0; k < y->n_measures; k++) {
      if (!grid_add(g)) return CHISO_ENOMEM;
      size_t r = g->n_rows - 1;
      snprintf(CELL(g, r, 0), 40, "%d", s->years[t]);
      snprintf(CELL(g, r, 1), 40, "%s", y->measures[k].name);
      int t = tbl && inequality_measure_is_share(y->measures[k].name) ? 2 : tbl;
      num(CELL(g, r, 2), 40, y->measures[k].value, t);
      num(CELL(g, r, 3), 40, y->measures[k].lo, t);
      num(CELL(g, r, 4), 40, y->measures[k].hi, t);
    }
  }
  return CHISO_OK;
}

static int fill_sigma(const series_series *s, int tbl, grid *g) {
  for (size_t t = 0; t < s->n_years; t++) {
    if (!grid_add(g)) return CHISO_ENOMEM;
    size_t r = g->n_rows - 1;
    snprintf(CELL(g, r, 0), 40, "%d", s->years[t]);
    snprintf(CELL(g, r, 1), 40, "%zu", s->sigma[t].n);
    num(CELL(g, r, 2), 40, s->sigma[t].cv, tbl);
    num(CELL(g, r, 3), 40, s->sigma[t].sd_log, tbl);
  }
  return CHISO_OK;
}

static int fill_beta(const series_series *s, int tbl, grid *g) {
  const inequality_beta *b = &s->beta;
  const char *name[] = {"first_year", "last_year", "n", "beta", "se_beta", "t_beta", "alpha",
                        "r2", "speed", "half_life"};
  double v[] = {s->years[0], s->years[s->n_years - 1], (double)b->n, b->beta, b->se_beta,
                b->t_beta, b->alpha, b->r2, b->speed, b->half_life};
  for (size_t i = 0; s->has_beta && i < sizeof v / sizeof *v; i++) {
    if (!grid_add(g)) return CHISO_ENOMEM;
    snprintf(CELL(g, g->n_rows - 1, 0), 40, "%s", name[i]);
    num(CELL(g, g->n_rows - 1, 1), 40, v[i], i < 3 ? 0 : tbl);
  }
  return CHISO_OK;
}

/* Catch-up years per unit (docs/divide.md, "Catch-up years at the current
** pace"): the scores of the first and last year (ranked units), the
** annualised log growth between them, and series_series.catch_up. */
static int fill_catch_up(const series_series *s, const geo_registry *reg, int tbl, grid *g) {
  size_t T = s->n_years;
  double years = s->years[T - 1] - s->years[0];
  for (size_t u = 0; T >= 2 && u < s->n_units; u++) {
    size_t f = u * T, l = u * T + T - 1;
    double y0 = s->rank[f] ? s->score[f] : NAN, y1 = s->rank[l] ? s->score[l] : NAN;
    if (!grid_add(g)) return CHISO_ENOMEM;
    size_t r = g->n_rows - 1;
    snprintf(CELL(g, r, 0), 40, "%s", s->code[u]);
    snprintf(CELL(g, r, 1), 40, "%.39s", geo_unit_at(reg, s->era, u)->name);
    num(CELL(g, r, 2), 40, y0, tbl);
    num(CELL(g, r, 3), 40, y1, tbl);
    num(CELL(g, r, 4), 40, inequality_log_growth(y0, y1, years), tbl);
    if (isinf(s->catch_up[u])) snprintf(CELL(g, r, 5), 40, "never");
    else num(CELL(g, r, 5), 40, s->catch_up[u], tbl);
  }
  return CHISO_OK;
}

int out_series_write(const series_series *s, const geo_registry *reg, out_series_view view,
                     int synthetic, chiso_format fmt, FILE *f) {
  assert(s && reg && f);
  static const unsigned char n_scores[] = {1, 0, 0, 1, 1, 1, 1, 1};
  static const char *h_div[] = {"year", "measure", "value", "lo", "hi"};
  static const unsigned char n_div[] = {1, 0, 1, 1, 1};
  static const char *h_sig[] = {"year", "n", "cv", "sd_log"};
  static const unsigned char n_sig[] = {1, 1, 1, 1};
  static const char *h_beta[] = {"measure", "value"};
  static const unsigned char n_beta[] = {0, 1};
  static const char *h_cu[] = {"code", "name", "score_first", "score_last", "growth", "catch_up_years"};
  static const unsigned char n_cu[] = {0, 0, 1, 1, 1, 1};
  int tbl = fmt == CHISO_FORMAT_TABLE, rc;
  grid g = {0};
  if (view == 0) {
    g = (grid){SERIES_NCOL, 0, 0, series_columns, NULL, (unsigned char *)n_scores, synthetic};
    rc = fill_scores(s, reg, tbl, &g);
  } else if (view == 1) {
    g = (grid){5, 0, 0, h_div, NULL, (unsigned char *)n_div, synthetic};
    rc = fill_divide(s, tbl, &g);
  } else {
    g = (grid){4, 0, 0, h_sig, NULL, (unsigned char *)n_sig, synthetic};
    rc = fill_sigma(s, tbl, &g);
  }
  if (!rc) rc = grid_print(&g, fmt, f);
  chiso_free(g.cell);
  if (rc || view != 2) return rc;
  if (fmt != CHISO_FORMAT_JSON) fputc('\n', f);
  grid b = {2, 0, 0, h_beta, NULL, (unsigned char *)n_beta, synthetic};
  rc = fill_beta(s, tbl, &b);
  if (!rc) rc = grid_print(&b, fmt, f);
  chiso_free(b.cell);
  if (rc) return rc;
  if (fmt != CHISO_FORMAT_JSON) fputc('\n', f);
  grid cu = {6, 0, 0, h_cu, NULL, (unsigned char *)n_cu, synthetic};
  rc = fill_catch_up(s, reg, tbl, &cu);
  if (!rc) rc = grid_print(&cu, fmt, f);
  chiso_free(cu.cell);
  return rc;
}


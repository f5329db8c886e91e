/* cmd_series.c — `chiso series`: scores, ranks and changes of every stored
** year, the HN+HCM share trend, and convergence. */
#include "cli.h"

#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    "Usage: chiso series --db DB [--units 2025|34|63] [--method M]\n"
    "                    [--convergence | --divide] [--interval none|boot|taylor]\n"
    "                    [--format table|csv|json] [--out FILE]\n\n"
    "Results of every stored year on one set of units:\n"
    "  (default)      one row per unit and year: year,code,name,score,rank,\n"
    "                 score_change,rank_change,approx (changes from the previous\n"
    "                 stored year; rank_change > 0 = moved up; approx = 1 when\n"
    "                 the unit's data include a weighted mean of former provinces)\n"
    "  --divide       one row per year and measure: year,measure,value,lo,hi (the\n"
    "                 rows of `chiso divide`: the HN+HCM share trend and more)\n"
    "  --convergence  sigma-convergence per year (year,n,cv,sd_log), then beta-\n"
    "                 convergence first -> last year (measure,value rows), then\n"
    "                 per unit the catch-up years to the last year's leader at\n"
    "                 the current pace: code,name,score_first,score_last,growth,\n"
    "                 catch_up_years (growth = ln(last/first)/years; catch-up =\n"
    "                 ln(leader/score)/(growth - leader's growth); 0 at or above\n"
    "                 the leader, \"never\" when the gap is not closing)\n"
    "--units 34 (or 2025) re-estimates every year before 2025 on the 2025 units\n"
    "from its microdata (default when a year is 2025 or later); --units 63 works\n"
    "only for years before 2025: a 63-unit view of 2025+ is impossible.\n"
    "Scores are comparable across years only with fixed goalposts (docs/divide.md).\n"
    "--out FILE writes there instead of stdout (atomically; a CSV or table from\n"
    "synthetic data gets FILE.meta.json beside it).\n";

typedef struct opts {
  const char *db, *method, *out;
  long units;
  int what; /* 0 scores, 1 divide, 2 convergence */
  int interval;
  int synthetic; /* a stored year's imports are synthetic (issue 5) */
  cli_format fmt;
} opts;

static int parse(int argc, char **argv, opts *o) {
  static const struct option lo[] = {
      {"db", required_argument, 0, 'd'},       {"units", required_argument, 0, 'u'},
      {"method", required_argument, 0, 'm'},   {"convergence", no_argument, 0, 'c'},
      {"divide", no_argument, 0, 'D'},         {"interval", required_argument, 0, 'i'},
      {"format", required_argument, 0, 'f'},   {"help", no_argument, 0, 'h'},
      {"out", required_argument, 0, 'o'},      {0, 0, 0, 0}};
  int c;
  opterr = 0;
  optind = 1;
  while ((c = getopt_long(argc, argv, "d:u:m:cDi:f:ho:", lo, NULL)) != -1) {
    switch (c) {
    case 'd': o->db = optarg; break;
    case 'm': o->method = optarg; break;
    case 'o': o->out = optarg; break;
    case 'c': o->what = 2; break;
    case 'D': o->what = 1; break;
    case 'u':
      if (cli_parse_long("series", "--units", optarg, 0, 2025, &o->units)) return 1;
      if (o->units != 34 && o->units != 63 && o->units != 2025)
        return cli_usage_error("series", "--units must be 63, 34 or 2025");
      break;
    case 'i':
      if ((o->interval = divide_ci_parse(optarg)) < 0)
        return cli_usage_error("series", "--interval must be boot, taylor or none");
      break;
    case 'f': if (cli_parse_format("series", optarg, &o->fmt)) return 1; break;
    case 'h': fputs(help, stdout); return -1;
    default: return cli_bad_option("series", optopt, argv[optind - 1]);
    }
  }
  if (optind < argc) return cli_usage_error("series", "unexpected argument '%s'", argv[optind]);
  if (!o->db) return cli_usage_error("series", "--db DB is required");
  return 0;
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

static int grid_print(const grid *g, cli_format fmt, FILE *f) {
  if (fmt == CLI_CSV) {
    csvwrite_row(f, g->head, g->n_cols, 0);
    for (size_t r = 0; r < g->n_rows; r++) {
      const char *row[16];
      for (size_t c = 0; c < g->n_cols; c++) row[c] = CELL(g, r, c);
      if (csvwrite_row(f, row, g->n_cols, 0)) return CHISO_EIO;
    }
    return CHISO_OK;
  }
  if (fmt == CLI_JSON) {
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
    int rc = json_dumpf(a, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17)) ? CHISO_EIO : 0;
    fputc('\n', f);
    json_decref(a);
    return rc;
  }
  cli_table *t = cli_table_new((int)g->n_cols, g->head);
  if (!t) return CHISO_ENOMEM;
  for (size_t c = 0; c < g->n_cols; c++)
    if (g->is_num[c]) cli_table_right(t, (int)c);
  for (size_t r = 0; r < g->n_rows; r++) {
    const char *row[16];
    for (size_t c = 0; c < g->n_cols; c++) row[c] = CELL(g, r, c);
    cli_table_add(t, row);
  }
  cli_table_print(t, f);
  cli_table_free(t);
  return CHISO_OK;
}

/* ---- the three views ------------------------------------------------------------ */

static int fill_scores(const series_series *s, const geo_registry *reg, int tbl, grid *g) {
  for (size_t t = 0; t < s->n_years; t++)
    for (size_t u = 0; u < s->n_units; u++) {
      char cells[SERIES_NCOL][SERIES_CELL];
      if (!series_score_cells(s, reg, u, t, tbl, cells)) continue;
      if (!grid_add(g)) return CHISO_ENOMEM;
      for (int c = 0; c < SERIES_NCOL; c++) memcpy(CELL(g, g->n_rows - 1, c), cells[c], SERIES_CELL);
    }
  return CHISO_OK;
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

static int print_view(const opts *o, const series_series *s, const geo_registry *reg, FILE *f) {
  static const unsigned char n_scores[] = {1, 0, 0, 1, 1, 1, 1, 1};
  static const char *h_div[] = {"year", "measure", "value", "lo", "hi"};
  static const unsigned char n_div[] = {1, 0, 1, 1, 1};
  static const char *h_sig[] = {"year", "n", "cv", "sd_log"};
  static const unsigned char n_sig[] = {1, 1, 1, 1};
  static const char *h_beta[] = {"measure", "value"};
  static const unsigned char n_beta[] = {0, 1};
  static const char *h_cu[] = {"code", "name", "score_first", "score_last", "growth", "catch_up_years"};
  static const unsigned char n_cu[] = {0, 0, 1, 1, 1, 1};
  int tbl = o->fmt == CLI_TABLE, rc;
  grid g = {0};
  if (o->what == 0) {
    g = (grid){SERIES_NCOL, 0, 0, series_columns, NULL, (unsigned char *)n_scores, o->synthetic};
    rc = fill_scores(s, reg, tbl, &g);
  } else if (o->what == 1) {
    g = (grid){5, 0, 0, h_div, NULL, (unsigned char *)n_div, o->synthetic};
    rc = fill_divide(s, tbl, &g);
  } else {
    g = (grid){4, 0, 0, h_sig, NULL, (unsigned char *)n_sig, o->synthetic};
    rc = fill_sigma(s, tbl, &g);
  }
  if (!rc) rc = grid_print(&g, o->fmt, f);
  chiso_free(g.cell);
  if (rc || o->what != 2) return rc;
  if (o->fmt != CLI_JSON) fputc('\n', f);
  grid b = {2, 0, 0, h_beta, NULL, (unsigned char *)n_beta, o->synthetic};
  rc = fill_beta(s, tbl, &b);
  if (!rc) rc = grid_print(&b, o->fmt, f);
  chiso_free(b.cell);
  if (rc) return rc;
  if (o->fmt != CLI_JSON) fputc('\n', f);
  grid cu = {6, 0, 0, h_cu, NULL, (unsigned char *)n_cu, o->synthetic};
  rc = fill_catch_up(s, reg, tbl, &cu);
  if (!rc) rc = grid_print(&cu, o->fmt, f);
  chiso_free(cu.cell);
  return rc;
}

/* The methodology's default normalisation is per-year min-max: warn. */
static void warn_minmax(const series_series *s) {
  if (s->n_years < 2 || !s->detail[0]->relative_norm) return;
  chiso_log(CHISO_LOG_NOTE, "series: the methodology normalises within each year (min-max or similar): "
                            "score changes across years mix real change with moving "
                            "goalposts; use a goalposts methodology (docs/divide.md)");
}

CHISO_COMMAND(series, "Every stored year in one table, on one set of units")
{
  opts o = {0};
  o.interval = DIVIDE_CI_NONE;
  int prc = parse(argc, argv, &o);
  if (prc) return prc < 0 ? 0 : prc;
  chiso_err err;
  chiso_err_clear(&err);
  geo_registry *reg = NULL;
  store *st = NULL;
  series_series *s = NULL;
  series_options so;
  int unopened = 0;
  series_options_init(&so);
  so.units = (int)o.units;
  so.divide.interval = o.interval;
  year_options yo;
  year_options_init(&yo);
  yo.method = o.method;
  yearset *set = NULL;
  int rc = geo_registry_new(&reg, &err);
  if (!rc) rc = store_open(o.db, 0, &st, &err);
  if (!rc) rc = yearset_open(st, reg, &yo, &set, &err);
  if (!rc) rc = series_build(set, reg, &so, &s, &err);
  if (!rc) rc = yearset_synthetic(set, &o.synthetic, &err);
  yearset_free(set);
  store_close(st);
  if (!rc) {
    warn_minmax(s);
    FILE *f = cli_open_output("series", o.out);
    if (!f) unopened = 1; /* cli_open_output said why */
    else if ((rc = cli_end_output(f, print_view(&o, s, reg, f))))
      chiso_err_set(&err, rc, "cannot write the output");
  }
  series_free(s);
  geo_registry_free(reg);
  if (unopened) return CHISO_EXIT_DATA;
  if (rc) return cli_report("series", rc, &err);
  return cli_mark_synthetic("series", o.fmt, o.out, o.db, 0, o.synthetic);
}

/* cmd_divide.c — `chiso divide`: concentration and inequality measures. */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <jansson.h>
#include <math.h>
#include <string.h>

static const char help[] =
    "Usage: chiso divide --db DB --year Y [--volume INDICATOR] [--units 34]\n"
    "                    [--interval boot|taylor|none] [--replicates R] [--seed S]\n"
    "                    [--level L] [--threads N] [--method M] [--format table|csv|json]\n"
    "                    [--out FILE]\n"
    "       chiso divide [--values FILE.csv] [--scores FILE.csv] [--year Y]\n"
    "                    [--value-column NAME] [--score-column NAME] [--format F]\n"
    "                    [--out FILE]\n\n"
    "The digital divide in year Y (default: this year), one row per measure:\n"
    "  concentration of the volume (online sales per unit: the survey's weighted\n"
    "  total online_sales_total, or --volume INDICATOR such as parcels):\n"
    "    hn_hcm_share, outside_share, hhi\n"
    "  inequality of the ranked units' total scores (as `chiso compute --db`):\n"
    "    gini, theil_t, theil_t_between, theil_t_within, theil_l,\n"
    "    theil_l_between, theil_l_within, cv, p90_p10, top5_bottom5,\n"
    "    leader_median_gap\n"
    "With --db, hn_hcm_share has an interval from the microdata: --interval boot\n"
    "(default: Rao-Wu bootstrap percentile, --replicates 500, --seed 1) or taylor\n"
    "(linearised ratio of totals, --level 0.90/0.95/0.99); none for no interval.\n"
    "--units 34 puts a year before 2025 on the 2025 units (re-estimated from the\n"
    "microdata); a 63-unit view of 2025 or later is impossible.\n"
    "Without --db: --values (code,value) and --scores (a `chiso compute` CSV;\n"
    "units without a rank are left out). Theil parts are between and within the\n"
    "regions in force. CSV columns: measure,value,lo,hi (lo, hi empty when no\n"
    "interval). JSON adds the unit shares and the Lorenz curve. Definitions:\n"
    "docs/divide.md. --out FILE writes there instead of stdout (atomically; a CSV\n"
    "or table from synthetic data gets FILE.meta.json beside it).\n";

typedef struct opts {
  const char *values, *scores, *value_col, *score_col, *db, *volume, *method, *out;
  long year, units, replicates, threads;
  unsigned long long seed;
  double level;
  int interval;
  cli_format fmt;
} opts;

static int parse_interval(const char *s, int *out) {
  if ((*out = divide_ci_parse(s)) < 0)
    return cli_usage_error("divide", "--interval must be boot, taylor or none");
  return 0;
}

static int parse_db_opt(int c, const char *arg, opts *o) {
  char *end;
  switch (c) {
  case 'b': o->volume = arg; return 0;
  case 'm': o->method = arg; return 0;
  case 'i': return parse_interval(arg, &o->interval);
  case 'u':
    if (cli_parse_long("divide", "--units", arg, 0, 2025, &o->units)) return 1;
    if (o->units != 34 && o->units != 63 && o->units != 2025)
      return cli_usage_error("divide", "--units must be 63, 34 or 2025");
    return 0;
  case 'R': return cli_parse_long("divide", "--replicates", arg, 2, 100000, &o->replicates);
  case 'T': return cli_parse_long("divide", "--threads", arg, 1, 256, &o->threads);
  case 'e':
    o->seed = strtoull(arg, &end, 10);
    if (*end || end == arg || arg[0] == '-') return cli_usage_error("divide", "--seed must be a whole number");
    return 0;
  case 'L':
    o->level = strtod(arg, &end);
    if (*end || end == arg || !(o->level > 0 && o->level < 1))
      return cli_usage_error("divide", "--level must be a number between 0 and 1");
    return 0;
  }
  return 1;
}

static int parse(int argc, char **argv, opts *o) {
  static const struct option lo[] = {
      {"values", required_argument, 0, 'v'},       {"scores", required_argument, 0, 's'},
      {"value-column", required_argument, 0, 'V'}, {"score-column", required_argument, 0, 'S'},
      {"year", required_argument, 0, 'y'},         {"format", required_argument, 0, 'f'},
      {"db", required_argument, 0, 'd'},           {"help", no_argument, 0, 'h'},
      {"volume", required_argument, 0, 'b'},       {"method", required_argument, 0, 'm'},
      {"interval", required_argument, 0, 'i'},     {"units", required_argument, 0, 'u'},
      {"replicates", required_argument, 0, 'R'},  {"threads", required_argument, 0, 'T'},
      {"seed", required_argument, 0, 'e'},         {"level", required_argument, 0, 'L'},
      {"out", required_argument, 0, 'o'},          {0, 0, 0, 0}};
  int c;
  opterr = 0;
  optind = 1;
  while ((c = getopt_long(argc, argv, "v:s:V:S:y:f:d:hb:m:i:u:R:T:e:L:o:", lo, NULL)) != -1) {
    switch (c) {
    case 'b': case 'm': case 'i': case 'u': case 'R': case 'T': case 'e': case 'L':
      if (parse_db_opt(c, optarg, o)) return 1;
      break;
    case 'v': o->values = optarg; break;
    case 's': o->scores = optarg; break;
    case 'V': o->value_col = optarg; break;
    case 'S': o->score_col = optarg; break;
    case 'd': o->db = optarg; break;
    case 'o': o->out = optarg; break;
    case 'y':
      if (cli_parse_long("divide", "--year", optarg, 1900, 2100, &o->year)) return 1;
      break;
    case 'f':
      if (cli_parse_format("divide", optarg, &o->fmt)) return 1;
      break;
    case 'h': fputs(help, stdout); return -1;
    default: return cli_bad_option("divide", optopt, argv[optind - 1]);
    }
  }
  if (optind < argc) return cli_usage_error("divide", "unexpected argument '%s'", argv[optind]);
  if (o->db && (o->values || o->scores))
    return cli_usage_error("divide", "--db cannot be combined with --values or --scores");
  if (!o->db && !o->values && !o->scores)
    return cli_usage_error("divide", "give --db DB, or --values FILE and/or --scores FILE");
  return 0;
}

static json_t *num_or_null(double v) { return isfinite(v) ? json_real(v) : json_null(); }

/* The store's extras: volume, interval, unit shares and the Lorenz curve. */
static void json_detail(json_t *root, const divide_year *y) {
  json_object_set_new(root, "units", json_integer(y->era == GEO_ERA_34 ? 34 : 63));
  if (!y->has_volume) return;
  json_object_set_new(root, "volume", json_string(y->volume));
  json_object_set_new(root, "interval", json_string(y->interval));
  json_t *shares = json_array(), *lorenz = json_array();
  for (size_t u = 0; u < y->n_units; u++) {
    if (isnan(y->volume_value[u])) continue;
    json_array_append_new(shares, json_pack("{s:s,s:o,s:o}", "code", y->code[u], "value",
                                            json_real(y->volume_value[u]), "share",
                                            json_real(y->volume_value[u] / y->conc.total)));
  }
  for (size_t i = 0; i < y->n_lorenz; i++)
    json_array_append_new(lorenz, json_pack("[f,f]", y->lorenz_x[i], y->lorenz_y[i]));
  json_object_set_new(root, "shares", shares);
  json_object_set_new(root, "lorenz", lorenz);
}

static int print_json(long year, int synthetic, const inequality_measure *m, size_t n,
                      const divide_year *y, FILE *out) {
  json_t *root = json_object(), *list = json_array();
  json_object_set_new(root, "year", json_integer(year));
  if (synthetic) json_object_set_new(root, "synthetic", json_true());
  if (y) json_detail(root, y);
  for (size_t i = 0; i < n; i++) {
    json_t *o = json_object();
    json_object_set_new(o, "measure", json_string(m[i].name));
    json_object_set_new(o, "value", num_or_null(m[i].value));
    json_object_set_new(o, "lo", num_or_null(m[i].lo));
    json_object_set_new(o, "hi", num_or_null(m[i].hi));
    json_array_append_new(list, o);
  }
  json_object_set_new(root, "measures", list);
  int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17)) ? CHISO_EIO : 0;
  fputc('\n', out);
  json_decref(root);
  return rc;
}

/* A table cell: blank when not finite, a share as a percentage. */
static void table_num(char *b, size_t n, double v, int pct) {
  if (!isfinite(v)) b[0] = '\0';
  else if (pct) snprintf(b, n, "%.1f%%", 100 * v);
  else snprintf(b, n, "%.4f", v);
}

static int print_table(const inequality_measure *m, size_t n, FILE *out) {
  const char *head[] = {"measure", "value", "lo", "hi"};
  cli_table *t = cli_table_new(4, head);
  if (!t) return CHISO_ENOMEM;
  for (size_t i = 0; i < n; i++) {
    char v[32] = "", l[32] = "", h[32] = "";
    int pct = inequality_measure_is_share(m[i].name); /* shares in % for people */
    table_num(v, sizeof v, m[i].value, pct);
    table_num(l, sizeof l, m[i].lo, pct);
    table_num(h, sizeof h, m[i].hi, pct);
    const char *row[] = {m[i].name, v, l, h};
    cli_table_add(t, row);
  }
  for (int c = 1; c < 4; c++) cli_table_right(t, c);
  cli_table_print(t, out);
  cli_table_free(t);
  return CHISO_OK;
}

/* Read the inputs and compute; fills m and *n. */
static int compute(const opts *o, const geo_registry *reg, inequality_measure *m, size_t *n, chiso_err *err) {
  inequality_vector *vals = NULL, *scores = NULL;
  inequality_concentration c;
  inequality_inequality q;
  int year = (int)o->year, rc = CHISO_OK;
  if (o->values) rc = inequality_vector_read(o->values, reg, year, o->value_col, 0, &vals, err);
  if (!rc && vals) rc = inequality_concentration_compute(vals->codes, vals->value, vals->n, &c, err);
  if (!rc && o->scores) rc = inequality_vector_read(o->scores, reg, year, o->score_col, 1, &scores, err);
  if (!rc && scores)
    rc = inequality_inequality_compute(scores->value, scores->region, scores->n,
                                geo_region_count(geo_era_for_year(year)), &q, err);
  if (rc && !err->file[0]) {
    const char *f = scores ? o->scores : o->values;
    char msg[sizeof err->message];
    snprintf(msg, sizeof msg, "%s", err->message);
    chiso_err_at(err, rc, f, 0, 0, "%s", msg);
  }
  if (!rc) *n = inequality_measures(vals ? &c : NULL, NAN, NAN, scores ? &q : NULL, m);
  inequality_vector_free(vals);
  inequality_vector_free(scores);
  return rc;
}

/* The --db path: everything from the store. */
static int compute_db(const opts *o, const geo_registry *reg, divide_year **y, int *synthetic,
                      chiso_err *err) {
  store *st = NULL;
  divide_options d;
  divide_options_init(&d);
  d.volume = o->volume;
  d.interval = o->interval;
  d.units_34 = o->units == 34 || o->units == 2025;
  if (o->replicates) d.replicates = (size_t)o->replicates;
  if (o->threads) d.threads = (int)o->threads;
  d.seed = o->seed;
  if (o->level > 0) d.level = o->level;
  year_options yo;
  year_options_init(&yo);
  yo.method = o->method;
  year_ctx *yc = NULL;
  int rc = o->units == 63 ? harmonise_check_view((int)o->year, GEO_ERA_63, err) : CHISO_OK;
  if (!rc) rc = store_open(o->db, 0, &st, err);
  if (!rc) rc = year_load(st, reg, (int)o->year, &yo, &yc, err);
  store_close(st);
  if (!rc) rc = divide_year_compute(yc, &d, y, err);
  if (!rc) *synthetic = year_synthetic(yc);
  year_free(yc);
  return rc;
}

/* Write the measures to --out (or stdout) in the chosen format, then mark
** a synthetic output. */
static int print_all(const opts *o, int synthetic, const inequality_measure *m, size_t n,
                     const divide_year *y) {
  FILE *f = cli_open_output("divide", o->out);
  if (!f) return CHISO_EXIT_DATA;
  int rc = o->fmt == CLI_CSV    ? inequality_measures_csv(m, n, f)
           : o->fmt == CLI_JSON ? print_json(o->year, synthetic, m, n, y, f)
                                : print_table(m, n, f);
  if ((rc = cli_end_output(f, rc))) return cli_report("divide", rc, NULL);
  return cli_mark_synthetic("divide", o->fmt, o->out, o->db, (int)o->year, synthetic);
}

CHISO_COMMAND(divide, "Concentration and inequality of e-business across provinces")
{
  opts o = {0};
  o.year = cli_current_year();
  o.seed = 1;
  int prc = parse(argc, argv, &o);
  if (prc) return prc < 0 ? 0 : prc;
  chiso_err err;
  chiso_err_clear(&err);
  geo_registry *reg = NULL;
  divide_year *y = NULL;
  inequality_measure m[INEQUALITY_N_MEASURES];
  size_t n = 0;
  int synthetic = 0;
  int rc = geo_registry_new(&reg, &err);
  if (!rc && o.db) rc = compute_db(&o, reg, &y, &synthetic, &err);
  else if (!rc) rc = compute(&o, reg, m, &n, &err);
  if (!rc && y) {
    n = y->n_measures;
    memcpy(m, y->measures, n * sizeof *m);
    if (y->interval[0]) chiso_log(CHISO_LOG_INFO, "divide: HN+HCM interval: %s", y->interval);
  }
  geo_registry_free(reg);
  if (rc) return cli_report("divide", rc, &err);
  rc = print_all(&o, synthetic, m, n, y);
  divide_year_free(y);
  return rc;
}

/* cmd_divide.c — `chiso divide`: concentration and inequality measures. */
#include "cli.h"

#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <string.h>

static const char help[] =
    "Usage: chiso divide [--values FILE.csv] [--scores FILE.csv] [--year Y]\n"
    "                    [--value-column NAME] [--score-column NAME]\n"
    "                    [--format table|csv|json] [--db DB]\n\n"
    "The digital divide in year Y (default: this year), one row per measure:\n"
    "  from --values (code,value: online sales or another volume per unit):\n"
    "    hn_hcm_share, outside_share, hhi\n"
    "  from --scores (a `chiso compute` CSV: code,...,score,...,rank; units\n"
    "  without a rank are left out):\n"
    "    gini, theil_t, theil_t_between, theil_t_within, theil_l,\n"
    "    theil_l_between, theil_l_within, cv, p90_p10, top5_bottom5,\n"
    "    leader_median_gap\n"
    "Theil parts are between and within the regions in force in Y. Codes must\n"
    "be the units of Y (63 provinces up to 2024, 34 units from 2025).\n"
    "CSV columns: measure,value,lo,hi (lo and hi empty when no interval).\n"
    "Definitions: docs/divide.md. --db (the store) is not in this build yet.\n";

typedef struct opts {
  const char *values, *scores, *value_col, *score_col, *db;
  long year;
  cli_format fmt;
} opts;

static int parse(int argc, char **argv, opts *o) {
  static const struct option lo[] = {
      {"values", required_argument, 0, 'v'},       {"scores", required_argument, 0, 's'},
      {"value-column", required_argument, 0, 'V'}, {"score-column", required_argument, 0, 'S'},
      {"year", required_argument, 0, 'y'},         {"format", required_argument, 0, 'f'},
      {"db", required_argument, 0, 'd'},           {"help", no_argument, 0, 'h'},
      {0, 0, 0, 0}};
  int c;
  opterr = 0;
  optind = 1;
  while ((c = getopt_long(argc, argv, "v:s:V:S:y:f:d:h", lo, NULL)) != -1) {
    switch (c) {
    case 'v': o->values = optarg; break;
    case 's': o->scores = optarg; break;
    case 'V': o->value_col = optarg; break;
    case 'S': o->score_col = optarg; break;
    case 'd': o->db = optarg; break;
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
  if (o->db)
    return cli_usage_error("divide", "--db needs the store, which this build does not have yet; "
                                     "use --values and --scores CSV files");
  if (!o->values && !o->scores) return cli_usage_error("divide", "give --values FILE, --scores FILE or both");
  return 0;
}

static int print_csv(const div_measure *m, size_t n, FILE *out) {
  const char *head[] = {"measure", "value", "lo", "hi"};
  csvout_row(out, head, 4, 0);
  for (size_t i = 0; i < n; i++) {
    if (csvout_field(out, m[i].name, 1) || csvout_number(out, m[i].value, 0) ||
        csvout_number(out, m[i].lo, 0) || csvout_number(out, m[i].hi, 0) || csvout_end_row(out, 0))
      return CHISO_EIO;
  }
  return CHISO_OK;
}

static json_t *num_or_null(double v) { return isfinite(v) ? json_real(v) : json_null(); }

static int print_json(long year, const div_measure *m, size_t n, FILE *out) {
  json_t *root = json_object(), *list = json_array();
  json_object_set_new(root, "year", json_integer(year));
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

static int print_table(const div_measure *m, size_t n, FILE *out) {
  const char *head[] = {"measure", "value", "lo", "hi"};
  cli_table *t = cli_table_new(4, head);
  if (!t) return CHISO_ENOMEM;
  for (size_t i = 0; i < n; i++) {
    char v[32] = "", l[32] = "", h[32] = "";
    if (!isnan(m[i].value)) snprintf(v, sizeof v, "%.4f", m[i].value);
    if (!isnan(m[i].lo)) snprintf(l, sizeof l, "%.4f", m[i].lo);
    if (!isnan(m[i].hi)) snprintf(h, sizeof h, "%.4f", m[i].hi);
    const char *row[] = {m[i].name, v, l, h};
    cli_table_add(t, row);
  }
  for (int c = 1; c < 4; c++) cli_table_right(t, c);
  cli_table_print(t, out);
  cli_table_free(t);
  return CHISO_OK;
}

/* Read the inputs and compute; fills m and *n. */
static int compute(const opts *o, const geo_registry *reg, div_measure *m, size_t *n, chiso_err *err) {
  div_vector *vals = NULL, *scores = NULL;
  div_concentration c;
  div_inequality q;
  int year = (int)o->year, rc = CHISO_OK;
  if (o->values) rc = div_vector_read(o->values, reg, year, o->value_col, 0, &vals, err);
  if (!rc && vals) rc = div_concentration_compute(vals->codes, vals->value, vals->n, &c, err);
  if (!rc && o->scores) rc = div_vector_read(o->scores, reg, year, o->score_col, 1, &scores, err);
  if (!rc && scores)
    rc = div_inequality_compute(scores->value, scores->region, scores->n,
                                geo_region_count(geo_era_for_year(year)), &q, err);
  if (rc && !err->file[0]) {
    const char *f = scores ? o->scores : o->values;
    char msg[sizeof err->message];
    snprintf(msg, sizeof msg, "%s", err->message);
    chiso_err_at(err, rc, f, 0, 0, "%s", msg);
  }
  if (!rc) *n = div_measures(vals ? &c : NULL, NAN, NAN, scores ? &q : NULL, m);
  div_vector_free(vals);
  div_vector_free(scores);
  return rc;
}

CHISO_COMMAND(divide, "Concentration and inequality of e-business across provinces")
{
  opts o = {0};
  o.year = cli_current_year();
  int prc = parse(argc, argv, &o);
  if (prc) return prc < 0 ? 0 : prc;
  chiso_err err;
  chiso_err_clear(&err);
  geo_registry *reg = NULL;
  div_measure m[DIV_N_MEASURES];
  size_t n = 0;
  int rc = geo_registry_new(&reg, &err);
  if (!rc) rc = compute(&o, reg, m, &n, &err);
  geo_registry_free(reg);
  if (rc) return cli_report("divide", rc, &err);
  if (o.fmt == CLI_CSV) rc = print_csv(m, n, stdout);
  else if (o.fmt == CLI_JSON) rc = print_json(o.year, m, n, stdout);
  else rc = print_table(m, n, stdout);
  if (rc) return cli_report("divide", rc, NULL);
  return 0;
}

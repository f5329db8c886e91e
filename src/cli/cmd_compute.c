/* cmd_compute.c — `chiso compute`: run a methodology on a unit table. */
#include "idxcli.h"

#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    "Usage: chiso compute (--method FILE|NAME | --imeta FILE) --data FILE\n"
    "       chiso compute --db DB --year Y [--units 34|63|2025] [--method FILE|NAME]\n"
    "                     [--normalize M] [--range LO,HI] [--aggregate M] [--power P]\n"
    "                     [--impute M] [--treat none|winsorise] [--winmax N]\n"
    "                     [--weights FILE] [--format table|csv|json] [--out FILE]\n"
    "                     [--level N | --all]\n\n"
    "Compute a composite index: screen, impute, treat, normalise, aggregate, rank.\n\n"
    "  --method FILE|NAME  a methodology file, or a shipped one (ebi-2021, ebi-2012)\n"
    "  --imeta FILE        a COINr iMeta table instead (minmax 0-100, arithmetic mean)\n"
    "  --data FILE         units x indicators: uCode|code, uName|name, indicator columns\n"
    "  --db DB --year Y    the index of a stored year: the survey imports of Y estimated\n"
    "                      per province, merged with the indicators imported for Y;\n"
    "                      the tree is the stored methodology's unless --method is given;\n"
    "                      provinces below the minimum of respondents are not ranked\n"
    "  --units 34|2025     (with --db) on the 2025 units: a year before 2025 is\n"
    "                      re-estimated from its microdata re-assigned to the 34\n"
    "                      units; external indicators of merged units are weighted\n"
    "                      means of the former provinces, listed as approximate on\n"
    "                      stderr. --units 63: the 63 provinces, only before 2025\n"
    "  --normalize M       minmax zscore rank prank goalposts fracmax dist2max dist2ref none\n"
    "  --range LO,HI       target range (zscore: MEAN,SD)\n"
    "  --aggregate M       arithmetic geometric harmonic power (every aggregate)\n"
    "  --power P           exponent of the power mean (default 2)\n"
    "  --impute M          none mean median group_mean group_median\n"
    "  --treat T           none or winsorise (COINr rule), --winmax N points at most\n"
    "  --weights FILE      CSV iCode,Weight replacing node weights\n"
    "  --level N           show nodes of level N and above (1 adds the indicators)\n"
    "  --all               same as --level 1\n\n"
    "CSV columns: code,name, one per aggregate (root first), [indicators], rank, note.\n"
    "Rank 1 is best; ties share the smallest rank; unranked units have an empty\n"
    "rank and the reason in note.\n";

typedef struct copts {
  const char *method, *imeta, *data, *weights, *out, *db;
  long year, units;
  cli_format fmt;
  long level;
  idx_options run;
} copts;

static int parse_method_opt(const char *what, const char *text, int (*parse)(const char *),
                            int *out) {
  *out = parse(text);
  if (*out < 0) return cli_usage_error("compute", "unknown %s '%s'", what, text);
  return 0;
}

static int parse_args(int argc, char **argv, copts *o, double *power) {
  static const struct option opts[] = {
      {"method", required_argument, 0, 'm'}, {"imeta", required_argument, 0, 'i'},
      {"data", required_argument, 0, 'd'},   {"normalize", required_argument, 0, 'n'},
      {"normalise", required_argument, 0, 'n'}, {"range", required_argument, 0, 'r'},
      {"aggregate", required_argument, 0, 'a'}, {"power", required_argument, 0, 'p'},
      {"impute", required_argument, 0, 'I'}, {"treat", required_argument, 0, 't'},
      {"winmax", required_argument, 0, 'W'}, {"weights", required_argument, 0, 'w'},
      {"format", required_argument, 0, 'f'}, {"out", required_argument, 0, 'o'},
      {"level", required_argument, 0, 'l'},  {"all", no_argument, 0, 'A'},
      {"db", required_argument, 0, 'D'},    {"year", required_argument, 0, 'Y'},
      {"units", required_argument, 0, 'u'},
      {"help", no_argument, 0, 'h'},         {0, 0, 0, 0}};
  int c;
  long v;
  opterr = 0;
  optind = 1;
  while ((c = getopt_long(argc, argv, "m:i:d:n:r:a:p:I:t:W:w:f:o:l:AD:Y:u:h", opts, NULL)) != -1) {
    switch (c) {
    case 'm': o->method = optarg; break;
    case 'i': o->imeta = optarg; break;
    case 'd': o->data = optarg; break;
    case 'w': o->weights = optarg; break;
    case 'o': o->out = optarg; break;
    case 'n': if (parse_method_opt("normalisation", optarg, idx_norm_parse, &o->run.norm)) return 1; break;
    case 'a': if (parse_method_opt("aggregation", optarg, idx_agg_parse, &o->run.agg)) return 1; break;
    case 'I': if (parse_method_opt("imputation", optarg, idx_impute_parse, &o->run.impute)) return 1; break;
    case 'r':
      if (idxcli_parse_pair("compute", "--range", optarg, &o->run.norm_a, &o->run.norm_b)) return 1;
      break;
    case 'p': {
      char *end;
      *power = strtod(optarg, &end);
      if (*end || end == optarg || !isfinite(*power)) return cli_usage_error("compute", "--power must be a number");
      break;
    }
    case 't':
      if (strcmp(optarg, "none") && strcmp(optarg, "winsorise"))
        return cli_usage_error("compute", "--treat must be none or winsorise");
      o->run.winsorise = !strcmp(optarg, "winsorise");
      break;
    case 'W':
      if (cli_parse_long("compute", "--winmax", optarg, 0, 1000000, &v)) return 1;
      o->run.winmax = (int)v;
      break;
    case 'f': if (cli_parse_format("compute", optarg, &o->fmt)) return 1; break;
    case 'l': if (cli_parse_long("compute", "--level", optarg, 1, 100, &o->level)) return 1; break;
    case 'A': o->level = 1; break;
    case 'D': o->db = optarg; break;
    case 'Y': if (cli_parse_long("compute", "--year", optarg, 1900, 2100, &o->year)) return 1; break;
    case 'u':
      if (cli_parse_long("compute", "--units", optarg, 0, 2025, &o->units)) return 1;
      if (o->units != 34 && o->units != 63 && o->units != 2025)
        return cli_usage_error("compute", "--units must be 63, 34 or 2025");
      break;
    case 'h': fputs(help, stdout); return -1;
    default: return cli_bad_option("compute", optopt, argv[optind - 1]);
    }
  }
  if (optind < argc) return cli_usage_error("compute", "unexpected argument '%s'", argv[optind]);
  if (o->db && (o->data || o->imeta || !o->year))
    return cli_usage_error("compute", "--db needs --year and takes no --data or --imeta");
  if (!o->db && (o->year || o->units)) return cli_usage_error("compute", "--year and --units go with --db");
  return 0;
}

static int print_table(const idx_plan *p, const idx_workspace *ws, const int *cols, int nc, FILE *f) {
  const idx_model *m = idx_plan_model(p);
  const idx_data *d = idx_plan_data(p);
  const char *head[260];
  int n = nc > 250 ? 250 : nc;
  head[0] = "rank";
  head[1] = "code";
  head[2] = "name";
  for (int j = 0; j < n; j++) head[3 + j] = m->nodes[cols[j]].id;
  head[3 + n] = "note";
  cli_table *t = cli_table_new(n + 4, head);
  if (!t) return CHISO_ENOMEM;
  for (int j = 0; j <= n; j++) cli_table_right(t, j == 0 ? 0 : 2 + j);
  for (size_t i = 0; i < d->n_units; i++) {
    char cells[256][24], note[512];
    const char *row[260];
    snprintf(cells[0], 24, "%d", idx_ranks(ws)[i]);
    row[0] = idx_ranks(ws)[i] ? cells[0] : "";
    row[1] = d->code[i];
    row[2] = d->name[i];
    for (int j = 0; j < n; j++) {
      idxcli_fmt(idx_score(ws, cols[j], i), cells[1 + j], 24);
      row[3 + j] = cells[1 + j];
    }
    idx_unranked_text(p, ws, i, note, sizeof note);
    row[3 + n] = note;
    cli_table_add(t, row);
  }
  cli_table_print(t, f);
  cli_table_free(t);
  return CHISO_OK;
}

/* Write the results of the run in ws in the chosen format. */
static int print_result(const copts *o, const idx_plan *p, const idx_workspace *ws, int year,
                        int synthetic) {
  const idx_model *m = idx_plan_model(p);
  chiso_err err;
  chiso_err_clear(&err);
  int *cols = malloc(sizeof(int) * m->n_nodes);
  if (!cols) return cli_report("compute", chiso_err_set(&err, CHISO_ENOMEM, "out of memory"), &err);
  int nc = out_index_nodes(m, (int)o->level, cols), rc;
  FILE *f = cli_open_output("compute", o->out);
  if (!f) {
    free(cols);
    return CHISO_EXIT_DATA;
  }
  rc = o->fmt == CLI_CSV ? out_index_csv(p, ws, cols, nc, f)
       : o->fmt == CLI_JSON ? out_index_json(p, ws, cols, nc, year, synthetic, f)
                            : print_table(p, ws, cols, nc, f);
  if ((rc = cli_end_output(f, rc))) rc = cli_report("compute", rc, &err);
  /* Output made from synthetic data says so (issue 5). */
  if (!rc) rc = cli_mark_synthetic("compute", o->fmt, o->out, o->db, year, synthetic);
  free(cols);
  return rc;
}

static int run_and_print(const copts *o, idx_model *m, idx_data *d) {
  chiso_err err;
  chiso_err_clear(&err);
  idx_plan *p = NULL;
  idx_workspace *ws = NULL;
  double *weights = NULL;
  int rc = idx_plan_new(m, d, &p, &err);
  if (!rc && o->weights) {
    weights = malloc(sizeof(double) * m->n_nodes);
    for (size_t i = 0; i < m->n_nodes; i++) weights[i] = NAN;
    rc = idxio_load_weights(o->weights, m, weights, &err);
  }
  idx_options run = o->run;
  run.weights = weights;
  if (!rc && !(ws = idx_workspace_new(p))) rc = chiso_err_set(&err, CHISO_ENOMEM, "out of memory");
  if (!rc) rc = idx_run(p, ws, &run, &err);
  rc = rc ? cli_report("compute", rc, &err) : print_result(o, p, ws, 0, 0);
  free(weights);
  idx_workspace_free(ws);
  idx_plan_free(p);
  return rc;
}

/* On the 34 units, name the merged units whose external indicators are
** weighted means of former provinces (issue 7: flagged approximate). */
static void note_approx(const year_result *r, int year) {
  char list[34 * 4 + 1] = "";
  size_t len = 0;
  for (size_t i = 0; i < r->n_units && len + 4 < sizeof list; i++)
    if (year_result_approx(r, i)) len += (size_t)snprintf(list + len, sizeof list - len, " %s", r->data->code[i]);
  if (len)
    chiso_log(CHISO_LOG_NOTE, "compute: %d on the 34 units: approximate units (external indicators are "
                              "weighted means of the former provinces):%s", year, list);
}

/* compute --db: the pipeline of a stored year (pipeline.h). */
static int run_stored(const copts *o) {
  chiso_err err;
  chiso_err_clear(&err);
  geo_registry *reg = NULL;
  store *st = NULL;
  year_ctx *y = NULL;
  const year_result *r = NULL;
  year_options po;
  year_options_init(&po);
  po.method = o->method;
  po.weights = o->weights;
  po.run = o->run;
  geo_era era = o->units == 34 || o->units == 2025 ? GEO_ERA_34 : geo_era_for_year((int)o->year);
  int rc = o->units == 63 ? harmonise_check_view((int)o->year, GEO_ERA_63, &err) : CHISO_OK;
  if (!rc) rc = geo_registry_new(&reg, &err);
  if (!rc) rc = store_open(o->db, 0, &st, &err);
  if (!rc) rc = year_load(st, reg, (int)o->year, &po, &y, &err);
  if (!rc) rc = year_result_get(y, era, &r, &err);
  int synthetic = y ? year_synthetic(y) : 0;
  store_close(st);
  if (!rc) note_approx(r, (int)o->year);
  for (size_t k = 0; !rc && k < r->n_absent; k++)
    chiso_log(CHISO_LOG_INFO, "%d: no data for indicator %s", (int)o->year, r->absent[k]);
  rc = rc ? cli_report("compute", rc, &err) : print_result(o, r->plan, r->ws, (int)o->year, synthetic);
  year_free(y);
  geo_registry_free(reg);
  return rc;
}

CHISO_COMMAND(compute, "Compute a composite index from a methodology and a unit table")
{
  copts o;
  memset(&o, 0, sizeof o);
  o.level = 2;
  idx_options_init(&o.run);
  double power = NAN;
  int rc = parse_args(argc, argv, &o, &power);
  if (rc) return rc < 0 ? 0 : rc;
  o.run.agg_power = power;
  if (!isnan(power) && o.run.agg < 0) o.run.agg = IDX_AGG_POWER;
  if (o.db) return run_stored(&o);
  idx_model *m = NULL;
  idx_data *d = NULL;
  rc = idxcli_load("compute", o.method, o.imeta, o.data, &m, &d);
  if (rc) return rc;
  rc = run_and_print(&o, m, d);
  idx_data_free(d);
  idx_model_free(m);
  return rc;
}

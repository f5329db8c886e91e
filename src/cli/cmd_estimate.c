/* cmd_estimate.c — `chiso estimate`: design-based estimates per province,
** region and nation. */
#include "svycli.h"

#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    "Usage: chiso estimate --db FILE --year Y [options]\n"
    "       chiso estimate --method M --survey FILE [--year Y] [options]\n"
    "       chiso estimate --survey FILE --province-col C --vars a,b,c\n"
    "                      [--weight-col W] [--strata-col S] [--year Y] [options]\n\n"
    "Weighted shares, means, totals and ratios with Taylor-linearised standard\n"
    "errors for a stratified design sampled with replacement (as R's\n"
    "survey::svydesign(ids=~1, strata=~stratum, weights=~weight)), for every\n"
    "province, region and the nation. Missing answers are left out as a\n"
    "domain (na.rm=TRUE). See docs/survey.md.\n\n"
    "  --level L            province, region, nation or all (default all)\n"
    "  --format F           csv (default), json or table (shares in %)\n"
    "  --population FILE    post-stratify to counts: [province,][stratum,]count\n"
    "  --strata-by-province strata are province x stratum column\n"
    "  --min N              respondents for a province to be ranked (default:\n"
    "                       the methodology's design.min_respondents)\n"
    "  --out FILE           write there instead of stdout\n\n"
    "CSV columns: code,indicator,estimate,se,n,weighted_n,ranked. code is the\n"
    "province code, the region id or VN; shares are proportions 0..1.\n";

typedef struct eopts {
  const char *db, *method, *survey, *prov_col, *weight_col, *strata_col, *vars, *pop, *out;
  long year, min;
  int level; /* -1 all */
  int by_province;
  int synthetic; /* --db: the year's imports are synthetic (issue 5) */
  cli_format fmt;
} eopts;

static int parse_level(const char *s, int *out) {
  static const char *names[] = {"province", "region", "nation"};
  for (int i = 0; i < 3; i++)
    if (strcmp(s, names[i]) == 0) return *out = i, 0;
  if (strcmp(s, "all") == 0) return *out = -1, 0;
  return cli_usage_error("estimate", "--level must be province, region, nation or all");
}

static int parse_args(int argc, char **argv, eopts *o) {
  static const struct option opts[] = {
      {"db", required_argument, 0, 'd'},          {"method", required_argument, 0, 'm'},
      {"survey", required_argument, 0, 's'},      {"year", required_argument, 0, 'y'},
      {"province-col", required_argument, 0, 'P'}, {"weight-col", required_argument, 0, 'W'},
      {"strata-col", required_argument, 0, 'S'},  {"vars", required_argument, 0, 'V'},
      {"level", required_argument, 0, 'l'},       {"format", required_argument, 0, 'f'},
      {"population", required_argument, 0, 'p'},  {"strata-by-province", no_argument, 0, 'b'},
      {"min", required_argument, 0, 'n'},         {"out", required_argument, 0, 'o'},
      {"help", no_argument, 0, 'h'},              {0, 0, 0, 0}};
  int c;
  opterr = 0;
  optind = 1;
  while ((c = getopt_long(argc, argv, "d:m:s:y:P:W:S:V:l:f:p:bn:o:h", opts, NULL)) != -1) {
    switch (c) {
    case 'd': o->db = optarg; break;
    case 'm': o->method = optarg; break;
    case 's': o->survey = optarg; break;
    case 'y': if (cli_parse_long("estimate", "--year", optarg, 1900, 2100, &o->year)) return 1; break;
    case 'P': o->prov_col = optarg; break;
    case 'W': o->weight_col = optarg; break;
    case 'S': o->strata_col = optarg; break;
    case 'V': o->vars = optarg; break;
    case 'l': if (parse_level(optarg, &o->level)) return 1; break;
    case 'f': if (cli_parse_format("estimate", optarg, &o->fmt)) return 1; break;
    case 'p': o->pop = optarg; break;
    case 'b': o->by_province = 1; break;
    case 'n': if (cli_parse_long("estimate", "--min", optarg, 1, 1000000, &o->min)) return 1; break;
    case 'o': o->out = optarg; break;
    case 'h': fputs(help, stdout); return -1;
    default: return cli_bad_option("estimate", optopt, argv[optind - 1]);
    }
  }
  if (optind < argc) return cli_usage_error("estimate", "unexpected argument '%s'", argv[optind]);
  int modes = (o->db != NULL) + (o->method && o->survey) + (o->survey && o->prov_col && !o->method);
  if (modes != 1 || (o->survey && !o->method && !o->vars) || (o->db && !o->year))
    return cli_usage_error("estimate", "give --db and --year, or --method and --survey, or "
                                       "--survey, --province-col and --vars");
  if (!o->year) o->year = cli_current_year();
  return 0;
}

/* ---- output ------------------------------------------------------------ */

static int is_share(codebook_ind_kind k) { return k == CODEBOOK_SHARE_YES || k == CODEBOOK_SHARE_ANY; }

static int wanted(const eopts *o, const estimator_domain *dm) {
  return o->level < 0 || (int)dm->level == o->level;
}

static json_t *num(double v) { return isnan(v) ? json_null() : json_real(v); }

static int write_json(const estimates *r, const eopts *o, FILE *out) {
  static const char *levels[] = {"province", "region", "nation"};
  static const char *kinds[] = {"share_yes", "share_any", "mean", "total", "ratio"};
  json_t *root = json_object(), *list = json_array();
  json_object_set_new(root, "year", json_integer(o->year));
  if (o->synthetic) json_object_set_new(root, "synthetic", json_true());
  size_t K = estimator_indicator_count(r->design);
  for (size_t i = 0; i < estimator_domain_count(r->design); i++) {
    const estimator_domain *dm = estimator_domain_at(r->design, i);
    if (!wanted(o, dm)) continue;
    for (size_t k = 0; k < K; k++) {
      const estimator_cell *c = &r->cells[i * K + k];
      json_t *e = json_object();
      json_object_set_new(e, "code", json_string(dm->code));
      json_object_set_new(e, "name", json_string(dm->name));
      json_object_set_new(e, "level", json_string(levels[dm->level]));
      json_object_set_new(e, "indicator", json_string(estimator_indicator_id(r->design, k)));
      json_object_set_new(e, "kind", json_string(kinds[estimator_indicator_kind(r->design, k)]));
      json_object_set_new(e, "estimate", num(c->estimate));
      json_object_set_new(e, "se", num(c->se));
      json_object_set_new(e, "n", json_integer(c->n));
      json_object_set_new(e, "weighted_n", num(c->weighted_n));
      json_object_set_new(e, "ranked", json_boolean(dm->ranked));
      json_array_append_new(list, e);
    }
  }
  json_object_set_new(root, "estimates", list);
  int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) ? CHISO_EIO : 0;
  fputc('\n', out);
  json_decref(root);
  return rc;
}

static int write_table(const estimates *r, const eopts *o, FILE *out) {
  const char *head[] = {"code", "name", "indicator", "estimate", "se", "n", "weighted N", "note"};
  cli_table *t = cli_table_new(8, head);
  if (!t) return CHISO_ENOMEM;
  for (int c = 3; c < 7; c++) cli_table_right(t, c);
  size_t K = estimator_indicator_count(r->design);
  for (size_t i = 0; i < estimator_domain_count(r->design); i++) {
    const estimator_domain *dm = estimator_domain_at(r->design, i);
    if (!wanted(o, dm)) continue;
    for (size_t k = 0; k < K; k++) {
      const estimator_cell *c = &r->cells[i * K + k];
      int pct = is_share(estimator_indicator_kind(r->design, k));
      char est[48] = "", se[48] = "", n[32], wn[48];
      if (!isnan(c->estimate)) snprintf(est, sizeof est, pct ? "%.1f%%" : "%.4g", pct ? 100 * c->estimate : c->estimate);
      if (!isnan(c->se)) snprintf(se, sizeof se, pct ? "%.1f" : "%.4g", pct ? 100 * c->se : c->se);
      snprintf(n, sizeof n, "%ld", c->n);
      snprintf(wn, sizeof wn, "%.0f", c->weighted_n);
      const char *row[] = {dm->code, dm->name, estimator_indicator_id(r->design, k), est, se, n, wn,
                           dm->ranked ? "" : "not ranked (too few respondents)"};
      cli_table_add(t, row);
    }
  }
  cli_table_print(t, out);
  cli_table_free(t);
  return CHISO_OK;
}

/* ---- input ------------------------------------------------------------- */

static int load_plain(const eopts *o, const geo_registry *reg, survey_data **s, chiso_err *err) {
  char *list = chiso_strdup(o->vars), *save = NULL;
  const char *vars[512];
  size_t nv = 0;
  if (!list) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  for (char *v = strtok_r(list, ",", &save); v && nv < 512; v = strtok_r(NULL, ",", &save))
    vars[nv++] = v;
  ingest_plain_spec spec = {o->prov_col, o->weight_col, o->strata_col, NULL, vars, nv};
  ingest_report *r = NULL;
  int rc = ingest_file_plain(o->survey, &spec, reg, (int)o->year, NULL, s, &r, err);
  if (rc) svycli_print_problems("estimate", r);
  ingest_report_free(r);
  chiso_free(list);
  return rc;
}

static int load_with_codebook(eopts *o, const geo_registry *reg, svycli_method *m,
                              survey_data **s, chiso_err *err) {
  if (o->db) {
    store *st = NULL;
    char *json = NULL;
    int rc = store_open(o->db, 0, &st, err);
    if (!rc) rc = store_load_year(st, (int)o->year, s, &json, err);
    if (!rc) rc = store_year_synthetic(st, (int)o->year, &o->synthetic, err);
    store_close(st);
    if (!rc) rc = codebook_parse(json, o->db, &m->cb, err);
    chiso_free(json);
    return rc;
  }
  int rc = svycli_method_load(o->method, m, err);
  ingest_report *r = NULL;
  if (!rc) rc = ingest_file(o->survey, m->cb, reg, (int)o->year, NULL, s, &r, err);
  if (rc) svycli_print_problems("estimate", r);
  ingest_report_free(r);
  return rc;
}

CHISO_COMMAND(estimate, "Design-based estimates (and SEs) per province, region and nation")
{
  eopts o = {0};
  o.level = -1;
  o.fmt = CLI_CSV;
  int a = parse_args(argc, argv, &o);
  if (a) return a < 0 ? 0 : a;
  chiso_err err;
  chiso_err_clear(&err);
  geo_registry *reg = NULL;
  svycli_method m = {0};
  survey_data *s = NULL;
  estimator_population *pop = NULL;
  estimates *r = NULL;
  int rc = geo_registry_new(&reg, &err);
  if (!rc) rc = o.vars && !o.method ? load_plain(&o, reg, &s, &err) : load_with_codebook(&o, reg, &m, &s, &err);
  if (!rc && o.pop) rc = svycli_population(o.pop, reg, (int)o.year, &pop, &err);
  estimator_options opt = {(int)o.min, o.by_province, pop};
  if (!rc) rc = m.cb ? estimates_run(s, m.cb, reg, &opt, &r, &err) : estimates_run_vars(s, reg, &opt, &r, &err);
  FILE *out = rc ? NULL : cli_open_output("estimate", o.out);
  if (!rc && !out) rc = CHISO_EIO;
  if (out) {
    if (o.fmt == CLI_CSV) rc = estimates_write_csv(r, o.level, out);
    else if (o.fmt == CLI_JSON) rc = write_json(r, &o, out);
    else rc = write_table(r, &o, out);
    rc = cli_end_output(out, rc);
  }
  estimates_free(r);
  svycli_population_free(pop);
  survey_free(s);
  svycli_method_free(&m);
  geo_registry_free(reg);
  if (rc) return cli_report("estimate", rc, &err);
  return cli_mark_synthetic("estimate", o.fmt, o.out, o.db, (int)o.year, o.synthetic);
}

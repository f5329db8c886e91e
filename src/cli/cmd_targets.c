/* cmd_targets.c — `chiso targets`: how far each KPI of a plan is. */
#include "cli.h"

#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <string.h>

static const char help[] =
    "Usage: chiso targets --plan ID [--plan-file FILE] [--actuals FILE] [--db DB]\n"
    "                     [--province NAME] [--year Y] [--format table|csv|json]\n"
    "                     [--out FILE]\n"
    "       chiso targets --list [--plan-file FILE] [--out FILE]\n\n"
    "For each KPI of plan ID: the latest actual and its year, the progress from\n"
    "baseline to target in %, the status (achieved, on track, off track, no data)\n"
    "judged against the straight line from baseline to target, and the year the\n"
    "target is reached at the current pace.\n\n"
    "  --plan ID         a shipped plan (see --list) or one from --plan-file\n"
    "  --plan-file FILE  a plan CSV (e.g. a province's own plan); see docs/cli.md\n"
    "  --actuals FILE    actuals CSV (kpi,scope,year,value[,source]); these win\n"
    "                    over published actuals of the same year\n"
    "  --db DB           chiso's own estimates from the store for every stored\n"
    "                    year, through each KPI's chiso indicator (baselines.csv);\n"
    "                    precedence: --actuals > estimates > published actuals\n"
    "  --province NAME   judge the plan for one province: national KPIs are read\n"
    "                    with that province's actuals (baseline: its first actual)\n"
    "  --year Y          use actuals up to year Y only (default: all)\n"
    "  --format F        table (default), csv or json\n"
    "  --list            list the plans and their KPI counts\n"
    "  --out FILE        write there instead of stdout (atomically; a CSV or table\n"
    "                    from synthetic --db data gets FILE.meta.json beside it)\n";

typedef struct opts {
  const char *plan, *plan_file, *actuals, *db, *province, *out;
  long year;
  int list;
  int synthetic; /* --db: a stored year's imports are synthetic (issue 5) */
  cli_format fmt;
} opts;

static int parse(int argc, char **argv, opts *o) {
  static const struct option lo[] = {
      {"plan", required_argument, 0, 'p'},    {"plan-file", required_argument, 0, 'P'},
      {"actuals", required_argument, 0, 'a'}, {"db", required_argument, 0, 'd'},
      {"province", required_argument, 0, 'r'}, {"year", required_argument, 0, 'y'},
      {"format", required_argument, 0, 'f'},  {"list", no_argument, 0, 'l'},
      {"help", no_argument, 0, 'h'},          {"out", required_argument, 0, 'o'},
      {0, 0, 0, 0}};
  int c;
  opterr = 0;
  optind = 1;
  while ((c = getopt_long(argc, argv, "p:P:a:d:r:y:f:lho:", lo, NULL)) != -1) {
    switch (c) {
    case 'p': o->plan = optarg; break;
    case 'P': o->plan_file = optarg; break;
    case 'a': o->actuals = optarg; break;
    case 'd': o->db = optarg; break;
    case 'r': o->province = optarg; break;
    case 'l': o->list = 1; break;
    case 'o': o->out = optarg; break;
    case 'y':
      if (cli_parse_long("targets", "--year", optarg, 1900, 2100, &o->year)) return 1;
      break;
    case 'f':
      if (cli_parse_format("targets", optarg, &o->fmt)) return 1;
      break;
    case 'h': fputs(help, stdout); return -1;
    default: return cli_bad_option("targets", optopt, argv[optind - 1]);
    }
  }
  if (optind < argc) return cli_usage_error("targets", "unexpected argument '%s'", argv[optind]);
  return 0;
}

/* ---- output ------------------------------------------------------------------ */

static json_t *num_or_null(double v) { return isfinite(v) ? json_real(v) : json_null(); }

static json_t *result_json(const targets_result *r) {
  const targets_kpi *k = r->kpi;
  json_t *o = json_object();
  json_object_set_new(o, "kpi", json_string(k->kpi));
  json_object_set_new(o, "description", json_string(k->description_en));
  json_object_set_new(o, "scope", json_string(k->scope));
  json_object_set_new(o, "unit", json_string(k->unit));
  json_object_set_new(o, "direction", json_string(k->direction > 0 ? "up" : "down"));
  json_object_set_new(o, "baseline_year", r->baseline_year ? json_integer(r->baseline_year) : json_null());
  json_object_set_new(o, "baseline_value", num_or_null(r->baseline_value));
  json_object_set_new(o, "baseline_from_actual", json_boolean(r->baseline_from_actual));
  json_object_set_new(o, "target_year", json_integer(k->target_year));
  json_object_set_new(o, "target_value", json_real(k->target_value));
  json_object_set_new(o, "actual_year", r->actual_year ? json_integer(r->actual_year) : json_null());
  json_object_set_new(o, "actual_value", num_or_null(r->actual_value));
  json_object_set_new(o, "actual_source", r->actual_source ? json_string(r->actual_source) : json_null());
  json_object_set_new(o, "progress_pct", num_or_null(r->progress_pct));
  json_object_set_new(o, "status", json_string(targets_status_name(r->status)));
  json_object_set_new(o, "reason", json_string(r->reason));
  int py = targets_projected_whole_year(r->projected_year);
  json_object_set_new(o, "projected_year", py ? json_integer(py) : json_null());
  json_object_set_new(o, "never_at_current_pace", json_boolean(isinf(r->projected_year)));
  return o;
}

static int print_json(const opts *o, const targets_result *r, size_t n, FILE *out) {
  json_t *root = json_object(), *list = json_array();
  long year = o->year;
  json_object_set_new(root, "plan", json_string(o->plan));
  if (o->synthetic) json_object_set_new(root, "synthetic", json_true());
  json_object_set_new(root, "as_of_year", year ? json_integer(year) : json_null());
  for (size_t i = 0; i < n; i++) json_array_append_new(list, result_json(&r[i]));
  json_object_set_new(root, "kpis", list);
  int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17)) ? CHISO_EIO : 0;
  fputc('\n', out);
  json_decref(root);
  return rc;
}

static int print_table(const targets_result *r, size_t n, FILE *out) {
  const char *head[] = {"kpi", "scope", "target", "actual", "progress", "status", "reached"};
  cli_table *t = cli_table_new(7, head);
  if (!t) return CHISO_ENOMEM;
  for (size_t i = 0; i < n; i++) {
    const targets_kpi *k = r[i].kpi;
    char tgt[96], act[64] = "-", prog[32] = "-", py[16];
    snprintf(tgt, sizeof tgt, "%s%g %s by %d", k->direction > 0 ? ">= " : "<= ", k->target_value,
             k->unit, k->target_year);
    if (r[i].actual_year) snprintf(act, sizeof act, "%g (%d)", r[i].actual_value, r[i].actual_year);
    /* An achieved KPI shows 100%: a baseline just short of the target
    ** makes the raw figure huge (1235%). CSV and JSON keep it raw. */
    double pct = r[i].progress_pct;
    if (r[i].status == TARGETS_ACHIEVED && pct > 100) pct = 100;
    if (!isnan(pct)) snprintf(prog, sizeof prog, "%.0f%%", pct);
    targets_projected_text(r[i].projected_year, py, sizeof py);
    const char *row[] = {k->kpi, k->scope, tgt, act, prog, targets_status_name(r[i].status), py[0] ? py : "-"};
    cli_table_add(t, row);
  }
  cli_table_right(t, 4);
  cli_table_print(t, out);
  cli_table_free(t);
  return CHISO_OK;
}

static int print_list(const targets_plan_set *set, FILE *out) {
  for (size_t i = 0; i < set->n; i++) {
    size_t j = 0;
    while (j < i && strcmp(set->kpis[j].plan, set->kpis[i].plan)) j++;
    if (j < i) continue;
    fprintf(out, "%s\t%zu KPIs\t%s\n", set->kpis[i].plan, targets_plan_count(set, set->kpis[i].plan),
            set->kpis[i].scope);
  }
  return CHISO_OK;
}

/* ---- evaluation ------------------------------------------------------------------ */

/* Judge the KPIs of o->plan. With a province, national KPIs are copied with
** the province's scope and without the national baseline. */
static int evaluate(const targets_plan_set *set, const targets_actuals *a, const opts *o,
                    const char *province, targets_result *res, targets_kpi *scoped, size_t *n) {
  *n = 0;
  for (size_t i = 0; i < set->n; i++) {
    const targets_kpi *k = &set->kpis[i];
    if (strcmp(k->plan, o->plan)) continue;
    if (province && strcmp(k->scope, TARGETS_NATIONAL) && strcmp(k->scope, province)) continue;
    if (province && !strcmp(k->scope, TARGETS_NATIONAL)) {
      scoped[*n] = *k;
      scoped[*n].scope = (char *)province;
      scoped[*n].baseline_year = 0;
      scoped[*n].baseline_value = NAN;
      k = &scoped[*n];
    }
    targets_evaluate(k, a, (int)o->year, &res[(*n)++]);
  }
  return CHISO_OK;
}

/* chiso's own actuals from the store. With a province, the plan's national
** KPIs are asked for that province's estimates. */
static int load_estimates(opts *o, const char *province, const geo_registry *reg,
                          const targets_plan_set *set, targets_actuals *a, chiso_err *err) {
  store *st = NULL;
  targets_kpi *k = chiso_calloc(set->n + 1, sizeof *k);
  if (!k) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  for (size_t i = 0; i < set->n; i++) {
    k[i] = set->kpis[i];
    if (province && !strcmp(k[i].scope, TARGETS_NATIONAL)) k[i].scope = (char *)province;
  }
  targets_plan_set scoped = {k, set->n, set->n};
  yearset *ys = NULL;
  int rc = store_open(o->db, 0, &st, err);
  if (!rc) rc = yearset_open(st, reg, NULL, &ys, err);
  if (!rc) rc = actuals_from_years(ys, &scoped, o->plan, a, err);
  if (!rc) rc = yearset_synthetic(ys, &o->synthetic, err);
  yearset_free(ys);
  store_close(st);
  chiso_free(k);
  return rc;
}

static int load(opts *o, const char *province, const geo_registry *reg, targets_plan_set **set,
                targets_actuals **a, chiso_err *err) {
  int rc = targets_plans_builtin(reg, set, err);
  if (!rc && o->plan_file) rc = targets_plans_read(o->plan_file, reg, set, err);
  if (!rc && !(*a = targets_actuals_new())) rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  if (!rc) rc = targets_actuals_builtin(reg, *a, err);
  if (!rc && o->actuals) rc = targets_actuals_read(o->actuals, reg, TARGETS_PRIO_EXTERNAL, *a, err);
  if (!rc && o->db && o->plan) rc = load_estimates(o, province, reg, *set, *a, err);
  return rc;
}

/* The --province code ("" when none). Returns an exit code. */
static int resolve_province(const opts *o, const geo_registry *reg, char province[3]) {
  province[0] = '\0';
  if (!o->province) return 0;
  geo_match m;
  chiso_err err;
  int rc = geo_resolve(reg, o->year ? (int)o->year : cli_current_year(), o->province, &m, &err);
  if (rc) return cli_report("targets", rc, &err);
  memcpy(province, m.unit->code, 3);
  return 0;
}

/* Write the results to --out (or stdout) in the chosen format, then mark
** a synthetic output; returns the exit code. */
static int write_results(const opts *o, const targets_result *res, size_t n) {
  FILE *f = cli_open_output("targets", o->out);
  if (!f) return CHISO_EXIT_DATA;
  int rc = o->fmt == CLI_CSV    ? targets_results_csv(res, n, f)
           : o->fmt == CLI_JSON ? print_json(o, res, n, f)
                                : print_table(res, n, f);
  if ((rc = cli_end_output(f, rc))) return cli_report("targets", rc, NULL);
  return cli_mark_synthetic("targets", o->fmt, o->out, o->db, 0, o->synthetic);
}

static int run(opts *o, const char *province, const targets_plan_set *set, const targets_actuals *a) {
  targets_result *res = chiso_calloc(set->n + 1, sizeof *res);
  targets_kpi *scoped = chiso_calloc(set->n + 1, sizeof *scoped);
  int rc = res && scoped ? CHISO_OK : CHISO_ENOMEM;
  size_t n = 0;
  if (!rc) evaluate(set, a, o, province[0] ? province : NULL, res, scoped, &n);
  int exit_code = rc ? cli_report("targets", rc, NULL) : write_results(o, res, n);
  chiso_free(res);
  chiso_free(scoped);
  return exit_code;
}

CHISO_COMMAND(targets, "Show how far each target of a plan is (national or provincial)")
{
  opts o = {0};
  int prc = parse(argc, argv, &o);
  if (prc) return prc < 0 ? 0 : prc;
  chiso_err err;
  chiso_err_clear(&err);
  geo_registry *reg = NULL;
  targets_plan_set *set = NULL;
  targets_actuals *a = NULL;
  char province[3] = "";
  int rc = geo_registry_new(&reg, &err);
  /* An unknown province is a data error (exit 2), as in `chiso resolve`. */
  int bad = rc ? 0 : resolve_province(&o, reg, province);
  if (bad) {
    geo_registry_free(reg);
    return bad;
  }
  if (!rc) rc = load(&o, province[0] ? province : NULL, reg, &set, &a, &err);
  int exit_code = 0;
  if (rc) {
    exit_code = cli_report("targets", rc, &err);
  } else if (o.list) {
    FILE *f = cli_open_output("targets", o.out);
    if (!f) exit_code = CHISO_EXIT_DATA;
    else if (cli_end_output(f, print_list(set, f))) exit_code = cli_report("targets", CHISO_EIO, NULL);
  } else {
    if (!o.plan && o.plan_file && set->n) o.plan = set->kpis[set->n - 1].plan;
    if (!o.plan) exit_code = cli_usage_error("targets", "give --plan ID (see --list)");
    else if (!targets_plan_count(set, o.plan))
      exit_code = cli_usage_error("targets", "unknown plan '%s' (see --list)", o.plan);
    else exit_code = run(&o, province, set, a);
  }
  targets_actuals_free(a);
  targets_plans_free(set);
  geo_registry_free(reg);
  return exit_code;
}

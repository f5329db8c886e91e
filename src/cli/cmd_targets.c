/* cmd_targets.c — `chiso targets`: how far each KPI of a plan is. */
#include "cli.h"

#include <getopt.h>
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
  chiso_format fmt;
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
    default: return cli_bad_option("targets", optopt, argv[optind - 1], lo);
    }
  }
  if (optind < argc) return cli_usage_error("targets", "unexpected argument '%s'", argv[optind]);
  return 0;
}

/* The --province code ("" when none). Returns an exit code. */
static int resolve_province(const opts *o, char province[3]) {
  province[0] = '\0';
  if (!o->province) return 0;
  chiso_match m;
  chiso_err err;
  chiso_err_clear(&err);
  int rc = chiso_resolve(o->year ? (int)o->year : cli_current_year(), o->province, &m, &err);
  if (rc) return cli_report("targets", rc, &err);
  memcpy(province, m.code, 3);
  cli_resolve_note("targets", o->province, &m); /* a former province is judged as its 2025 unit */
  if (m.former_name)
    fprintf(stderr, "chiso targets: note: the plan is judged for %s %s (give --year 2024 or "
                    "earlier for %s %s on the 63 provinces)\n",
            m.code, m.name, m.former_code, m.former_name);
  return 0;
}

/* Judge the plan and write it to --out (or stdout), then label a
** synthetic output. Returns the exit code. */
static int run(const opts *o, const char *province) {
  chiso_err err;
  chiso_err_clear(&err);
  chiso_store *st = NULL;
  chiso_targets_options t = {o->plan, o->plan_file, o->actuals, NULL, province, (int)o->year};
  int synthetic = 0;
  int rc = o->db ? chiso_store_open(o->db, 0, &st, &err) : CHISO_OK;
  if (rc) return cli_report("targets", rc, &err);
  t.store = st;
  FILE *f = cli_open_output("targets", o->out);
  if (!f) {
    chiso_store_close(st);
    return CLI_EXIT_DATA;
  }
  rc = chiso_targets_write(&t, o->fmt, f, &err);
  int wrc = cli_end_output(f, rc);
  if (!rc && st) rc = chiso_store_synthetic(st, 0, &synthetic, &err);
  chiso_store_close(st);
  if (rc == CHISO_EUSAGE) return cli_usage_error("targets", "%s (see --list)", err.message);
  if (rc) return cli_report("targets", rc, &err);
  if (wrc) return cli_report("targets", wrc, NULL);
  return cli_mark_synthetic("targets", o->fmt, o->out, o->db, 0, synthetic);
}

/* --list: the plans. */
static int list(const opts *o) {
  chiso_err err;
  chiso_err_clear(&err);
  FILE *f = cli_open_output("targets", o->out);
  if (!f) return CLI_EXIT_DATA;
  int rc = chiso_plans_write(o->plan_file, f, &err);
  int wrc = cli_end_output(f, rc);
  if (rc) return cli_report("targets", rc, &err);
  return wrc ? cli_report("targets", wrc, NULL) : 0;
}

CHISO_COMMAND(targets, "Show how far each target of a plan is (national or provincial)")
{
  opts o = {0};
  int prc = parse(argc, argv, &o);
  if (prc) return prc < 0 ? 0 : prc;
  if (o.list) return list(&o);
  if (!o.plan && !o.plan_file) return cli_usage_error("targets", "give --plan ID (see --list)");
  char province[3] = "";
  /* An unknown province is a data error (exit 2), as in `chiso resolve`. */
  int bad = resolve_province(&o, province);
  return bad ? bad : run(&o, province[0] ? province : NULL);
}

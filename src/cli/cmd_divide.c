/* cmd_divide.c — `chiso divide`: concentration and inequality measures. */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    "Usage: chiso divide --db DB [--year Y] [--volume INDICATOR] [--units 34]\n"
    "                    [--interval boot|taylor|none] [--replicates R] [--seed S]\n"
    "                    [--level L] [--threads N] [--method M] [--format table|csv|json]\n"
    "                    [--out FILE]\n"
    "       chiso divide [--values FILE.csv] [--scores FILE.csv] [--year Y]\n"
    "                    [--value-column NAME] [--score-column NAME] [--format F]\n"
    "                    [--out FILE]\n\n"
    "The digital divide in year Y (default: with --db the latest stored year,\n"
    "said on stderr; with files this year's units), one row per measure:\n"
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
  const char *values, *scores, *value_col, *score_col, *db, *volume, *method, *out, *interval;
  long year, units, replicates, threads;
  unsigned long long seed;
  double level;
  chiso_format fmt;
} opts;

static int parse_interval(const char *s, const char **out) {
  if (strcmp(s, "boot") && strcmp(s, "taylor") && strcmp(s, "none"))
    return cli_usage_error("divide", "--interval must be boot, taylor or none");
  *out = s;
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
    default: return cli_bad_option("divide", optopt, argv[optind - 1], lo);
    }
  }
  if (optind < argc) return cli_usage_error("divide", "unexpected argument '%s'", argv[optind]);
  if (o->db && (o->values || o->scores))
    return cli_usage_error("divide", "--db cannot be combined with --values or --scores");
  if (!o->db && !o->values && !o->scores)
    return cli_usage_error("divide", "give --db DB, or --values FILE and/or --scores FILE");
  return 0;
}

/* The --db path: the divide of a stored year. */
static int compute_db(opts *o, FILE *f, int *synthetic, chiso_err *err) {
  chiso_store *st = NULL;
  chiso_year *y = NULL;
  chiso_year_options yo;
  chiso_divide_options d;
  char how[160] = "";
  chiso_year_options_init(&yo);
  yo.method = o->method;
  chiso_divide_options_init(&d);
  d.volume = o->volume;
  d.interval = o->interval;
  d.units = (int)o->units;
  d.replicates = (size_t)o->replicates;
  d.threads = (int)o->threads;
  d.seed = o->seed;
  d.level = o->level;
  int rc = chiso_store_open(o->db, 0, &st, err), year = (int)o->year;
  if (!rc && !year) { /* no --year: the latest stored year, said */
    int *years = NULL;
    size_t n = 0;
    rc = chiso_store_years(st, &years, &n, err);
    if (!rc && n) year = years[n - 1];
    chiso_free(years);
    if (!rc && !n) {
      rc = err->code = CHISO_ENOTFOUND;
      snprintf(err->message, sizeof err->message, "the store has no year");
    }
    if (!rc) chiso_log(CHISO_LOG_NOTE, "divide: year %d, the latest stored (give --year for another)", year);
    o->year = year; /* for the synthetic mark */
  }
  if (!rc) rc = chiso_year_open(st, year, &yo, &y, err);
  chiso_store_close(st);
  if (!rc) *synthetic = chiso_year_synthetic(y);
  if (!rc) rc = chiso_year_divide_write(y, &d, o->fmt, f, how, err);
  if (!rc && how[0]) chiso_log(CHISO_LOG_INFO, "divide: HN+HCM interval: %s", how);
  chiso_year_free(y);
  return rc;
}

CHISO_COMMAND(divide, "Concentration and inequality of e-business across provinces")
{
  opts o = {0};
  o.seed = 1;
  int prc = parse(argc, argv, &o);
  if (prc) return prc < 0 ? 0 : prc;
  if (!o.year && !o.db) o.year = cli_current_year(); /* files: this year's units */
  chiso_err err;
  chiso_err_clear(&err);
  int synthetic = 0;
  FILE *f = cli_open_output("divide", o.out);
  if (!f) return CLI_EXIT_DATA;
  int rc = o.db ? compute_db(&o, f, &synthetic, &err)
                : chiso_divide_files_write(o.values, o.value_col, o.scores, o.score_col,
                                           (int)o.year, o.fmt, f, &err);
  int wrc = cli_end_output(f, rc);
  if (rc) return cli_report("divide", rc, &err);
  if (wrc) return cli_report("divide", wrc, NULL);
  return cli_mark_synthetic("divide", o.fmt, o.out, o.db, (int)o.year, synthetic);
}

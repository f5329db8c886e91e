/* cmd_series.c — `chiso series`: scores, ranks and changes of every stored
** year, the HN+HCM share trend, and convergence. */
#include "cli.h"

#include <getopt.h>
#include <string.h>

static const char help[] =
    "Usage: chiso series --db DB [--units 2025|34|63] [--method M] [--from Y] [--to Y]\n"
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
    "--from Y / --to Y keep the stored years in that range: --to 2024 --units 63\n"
    "gives 2020-2024 on the 63 provinces from a store that also holds 2025.\n"
    "Scores are comparable across years only with fixed goalposts (docs/divide.md).\n"
    "--out FILE writes there instead of stdout (atomically; a CSV or table from\n"
    "synthetic data gets FILE.meta.json beside it).\n";

typedef struct opts {
  const char *db, *method, *out, *interval;
  long units, from, to;
  chiso_series_view what;
  chiso_format fmt;
} opts;

static int parse(int argc, char **argv, opts *o) {
  static const struct option lo[] = {
      {"db", required_argument, 0, 'd'},       {"units", required_argument, 0, 'u'},
      {"method", required_argument, 0, 'm'},   {"convergence", no_argument, 0, 'c'},
      {"divide", no_argument, 0, 'D'},         {"interval", required_argument, 0, 'i'},
      {"format", required_argument, 0, 'f'},   {"help", no_argument, 0, 'h'},
      {"out", required_argument, 0, 'o'},      {"from", required_argument, 0, 'F'},
      {"to", required_argument, 0, 't'},       {0, 0, 0, 0}};
  int c;
  opterr = 0;
  optind = 1;
  int views = 0;
  while ((c = getopt_long(argc, argv, "d:u:m:cDi:f:ho:F:t:", lo, NULL)) != -1) {
    switch (c) {
    case 'F': if (cli_parse_long("series", "--from", optarg, 1900, 2100, &o->from)) return 1; break;
    case 't': if (cli_parse_long("series", "--to", optarg, 1900, 2100, &o->to)) return 1; break;
    case 'd': o->db = optarg; break;
    case 'm': o->method = optarg; break;
    case 'o': o->out = optarg; break;
    case 'c': o->what = CHISO_SERIES_CONVERGENCE; views |= 1; break;
    case 'D': o->what = CHISO_SERIES_DIVIDE; views |= 2; break;
    case 'u':
      if (cli_parse_long("series", "--units", optarg, 0, 2025, &o->units)) return 1;
      if (o->units != 34 && o->units != 63 && o->units != 2025)
        return cli_usage_error("series", "--units must be 63, 34 or 2025");
      break;
    case 'i':
      if (strcmp(optarg, "boot") && strcmp(optarg, "taylor") && strcmp(optarg, "none"))
        return cli_usage_error("series", "--interval must be boot, taylor or none");
      o->interval = optarg;
      break;
    case 'f': if (cli_parse_format("series", optarg, &o->fmt)) return 1; break;
    case 'h': fputs(help, stdout); return -1;
    default: return cli_bad_option("series", optopt, argv[optind - 1], lo);
    }
  }
  if (optind < argc) return cli_usage_error("series", "unexpected argument '%s'", argv[optind]);
  if (!o->db) return cli_usage_error("series", "--db DB is required");
  if (views == 3) return cli_usage_error("series", "--convergence and --divide are two views: give one");
  if (o->from && o->to && o->from > o->to)
    return cli_usage_error("series", "--from %ld is after --to %ld", o->from, o->to);
  return 0;
}

CHISO_COMMAND(series, "Every stored year in one table, on one set of units")
{
  opts o = {0};
  o.interval = "none";
  int prc = parse(argc, argv, &o);
  if (prc) return prc < 0 ? 0 : prc;
  chiso_err err;
  chiso_err_clear(&err);
  chiso_store *st = NULL;
  int synthetic = 0;
  int rc = chiso_store_open(o.db, 0, &st, &err);
  if (rc) return cli_report("series", rc, &err);
  FILE *f = cli_open_output("series", o.out);
  if (!f) {
    chiso_store_close(st);
    return CLI_EXIT_DATA;
  }
  rc = chiso_series_write_range(st, o.method, (int)o.units, (int)o.from, (int)o.to, o.interval,
                                o.what, o.fmt, f, &err);
  int wrc = cli_end_output(f, rc);
  if (!rc) rc = chiso_store_synthetic(st, 0, &synthetic, &err);
  chiso_store_close(st);
  if (rc) return cli_report("series", rc, &err);
  if (wrc) return cli_report("series", wrc, NULL);
  return cli_mark_synthetic("series", o.fmt, o.out, o.db, 0, synthetic);
}

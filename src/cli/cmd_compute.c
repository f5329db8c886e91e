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
  const char *imeta, *data, *out, *db;
  long year, units;
  chiso_format fmt;
  long level;
  chiso_year_options run; /* method, weights and the overrides */
} copts;

static int parse_args(int argc, char **argv, copts *o) {
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
    case 'm': o->run.method = optarg; break;
    case 'i': o->imeta = optarg; break;
    case 'd': o->data = optarg; break;
    case 'w': o->run.weights = optarg; break;
    case 'o': o->out = optarg; break;
    case 'n': o->run.normalise = optarg; break;
    case 'a': o->run.aggregate = optarg; break;
    case 'I': o->run.impute = optarg; break;
    case 'r':
      if (idxcli_parse_pair("compute", "--range", optarg, &o->run.range_lo, &o->run.range_hi)) return 1;
      break;
    case 'p': {
      char *end;
      o->run.power = strtod(optarg, &end);
      if (*end || end == optarg || !isfinite(o->run.power)) return cli_usage_error("compute", "--power must be a number");
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
    default: return cli_bad_option("compute", optopt, argv[optind - 1], opts);
    }
  }
  if (optind < argc) return cli_usage_error("compute", "unexpected argument '%s'", argv[optind]);
  if (o->db && (o->data || o->imeta || !o->year))
    return cli_usage_error("compute", "--db needs --year and takes no --data or --imeta");
  if (!o->db && (o->year || o->units)) return cli_usage_error("compute", "--year and --units go with --db");
  if (o->units == 2025) o->units = 34;
  return 0;
}

/* Write the index to --out (or stdout) in the chosen format, then label a
** synthetic output. */
static int print_result(const copts *o, const chiso_index *ix, int synthetic) {
  chiso_err err;
  chiso_err_clear(&err);
  FILE *f = cli_open_output("compute", o->out);
  if (!f) return CLI_EXIT_DATA;
  int rc = chiso_index_write(ix, (int)o->level, o->fmt, f, &err);
  if ((rc = cli_end_output(f, rc))) return cli_report("compute", rc, &err);
  /* Output made from synthetic data says so (issue 5). */
  return cli_mark_synthetic("compute", o->fmt, o->out, o->db, (int)o->year, synthetic);
}

/* compute --db: the index of a stored year. */
static int run_stored(const copts *o) {
  chiso_err err;
  chiso_err_clear(&err);
  chiso_store *st = NULL;
  chiso_year *y = NULL;
  chiso_index *ix = NULL;
  int rc = chiso_store_open(o->db, 0, &st, &err);
  if (!rc) rc = chiso_year_open(st, (int)o->year, &o->run, &y, &err);
  chiso_store_close(st);
  if (!rc) rc = chiso_year_index(y, (int)o->units, &ix, &err);
  if (!rc) cli_index_notes(ix);
  rc = rc ? cli_report("compute", rc, &err) : print_result(o, ix, chiso_year_synthetic(y));
  chiso_index_free(ix);
  chiso_year_free(y);
  return rc;
}

/* compute --method|--imeta --data: the index of a unit table. */
static int run_files(const copts *o) {
  chiso_err err;
  chiso_err_clear(&err);
  chiso_index *ix = NULL;
  if (!!o->run.method == !!o->imeta) return cli_usage_error("compute", "give exactly one of --method and --imeta");
  if (!o->data) return cli_usage_error("compute", "--data FILE is required");
  int rc = chiso_index_files(o->run.method, o->imeta, o->data, &o->run, &ix, &err);
  if (!rc) cli_index_notes(ix);
  rc = rc ? cli_report("compute", rc, &err) : print_result(o, ix, 0);
  chiso_index_free(ix);
  return rc;
}

CHISO_COMMAND(compute, "Compute a composite index from a methodology and a unit table")
{
  copts o;
  memset(&o, 0, sizeof o);
  o.level = 2;
  chiso_year_options_init(&o.run);
  int rc = parse_args(argc, argv, &o);
  if (rc) return rc < 0 ? 0 : rc;
  return o.db ? run_stored(&o) : run_files(&o);
}

/* cmd_estimate.c — `chiso estimate`: design-based estimates per province,
** region and nation. */
#include "cli.h"

#include <getopt.h>
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
    "domain (na.rm=TRUE). See docs/survey.md. A survey FILE is CSV, XLSX, SPSS\n"
    "(.sav, .zsav, .por), Stata (.dta) or SAS (.sas7bdat, .xpt); columns are\n"
    "matched by header, or by variable name or label.\n\n"
    "  --year Y             with --survey: the survey year (default: the file's\n"
    "                       year column, else 2024 when it names provinces that\n"
    "                       exist only before 2025; the year and units used are\n"
    "                       noted on stderr)\n"
    "  --level L            province, region, nation or all (default all)\n"
    "  --format F           csv (default), json or table (shares in %)\n"
    "  --population FILE    post-stratify to counts: [province,][stratum,]count\n"
    "  --strata-by-province strata are province x stratum column\n"
    "  --min N              respondents for a province to be ranked (default:\n"
    "                       the methodology's design.min_respondents)\n"
    "  --out FILE           write there instead of stdout\n"
    "  --encoding E         the survey file's text: auto (default), tcvn3, vni, or\n"
    "                       for CSV utf-8, utf-16le, utf-16be, windows-1258\n\n"
    "CSV columns: code,indicator,estimate,se,n,weighted_n,ranked. code is the\n"
    "province code, the region id or VN; shares are proportions 0..1.\n";

typedef struct eopts {
  const char *db, *method, *survey, *prov_col, *weight_col, *strata_col, *vars, *pop, *out;
  const char *encoding;
  long year, min;
  int level; /* -1 all */
  int by_province;
  int synthetic; /* --db: the year's imports are synthetic (issue 5) */
  chiso_format fmt;
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
      {"encoding", required_argument, 0, 'E'},
      {"help", no_argument, 0, 'h'},              {0, 0, 0, 0}};
  int c;
  opterr = 0;
  optind = 1;
  while ((c = getopt_long(argc, argv, "d:m:s:y:P:W:S:V:l:f:p:bn:o:E:h", opts, NULL)) != -1) {
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
    case 'E': if (cli_check_encoding("estimate", optarg)) return 1; o->encoding = optarg; break;
    case 'h': fputs(help, stdout); return -1;
    default: return cli_bad_option("estimate", optopt, argv[optind - 1], opts);
    }
  }
  if (optind < argc) return cli_usage_error("estimate", "unexpected argument '%s'", argv[optind]);
  int modes = (o->db != NULL) + (o->method && o->survey) + (o->survey && o->prov_col && !o->method);
  if (modes != 1 || (o->survey && !o->method && !o->vars) || (o->db && !o->year))
    return cli_usage_error("estimate", "give --db and --year, or --method and --survey, or "
                                       "--survey, --province-col and --vars");
  return 0;
}

/* The estimation options: --min, --strata-by-province, --population. */
static void year_options(const eopts *o, chiso_year_options *yo) {
  chiso_year_options_init(yo);
  yo->min_respondents = (int)o->min;
  yo->strata_by_province = o->by_province;
  yo->population = o->pop;
  yo->encoding = o->encoding;
}

/* --db: the stored year's estimates. */
static int from_db(eopts *o, FILE *out, chiso_err *err) {
  chiso_store *st = NULL;
  chiso_year *y = NULL;
  chiso_year_options yo;
  year_options(o, &yo);
  int rc = chiso_store_open(o->db, 0, &st, err);
  if (!rc) rc = chiso_year_open(st, (int)o->year, &yo, &y, err);
  chiso_store_close(st);
  if (!rc) o->synthetic = chiso_year_synthetic(y);
  if (!rc) rc = chiso_year_estimates_write(y, 0, o->level, o->fmt, out, err);
  chiso_year_free(y);
  return rc;
}

/* --survey: a file read with a methodology's codebook or its plain columns. */
static int from_file(const eopts *o, FILE *out, chiso_err *err) {
  chiso_method *m = NULL;
  chiso_year_options yo;
  year_options(o, &yo);
  char *list = o->method ? NULL : strdup(o->vars), *save = NULL;
  const char *vars[512];
  size_t nv = 0;
  for (char *v = list ? strtok_r(list, ",", &save) : NULL; v && nv < 512; v = strtok_r(NULL, ",", &save))
    vars[nv++] = v;
  chiso_plain_spec spec = {o->prov_col, o->weight_col, o->strata_col, vars, nv};
  int rc = o->method ? chiso_method_load(o->method, &m, err) : CHISO_OK;
  if (!rc)
    rc = chiso_survey_estimates_write(o->survey, m, o->method ? NULL : &spec, (int)o->year, &yo,
                                      o->level, o->fmt, out, stderr, err);
  chiso_method_free(m);
  free(list);
  return rc;
}

CHISO_COMMAND(estimate, "Design-based estimates (and SEs) per province, region and nation")
{
  eopts o = {0};
  o.level = -1;
  o.fmt = CHISO_FORMAT_CSV;
  int a = parse_args(argc, argv, &o);
  if (a) return a < 0 ? 0 : a;
  chiso_err err;
  chiso_err_clear(&err);
  FILE *out = cli_open_output("estimate", o.out);
  if (!out) return CLI_EXIT_DATA;
  int rc = o.db ? from_db(&o, out, &err) : from_file(&o, out, &err);
  int wrc = cli_end_output(out, rc);
  if (wrc && !rc) {
    fprintf(stderr, "chiso estimate: cannot write the output\n");
    return CLI_EXIT_DATA;
  }
  if (rc) return cli_report("estimate", rc, &err);
  return cli_mark_synthetic("estimate", o.fmt, o.out, o.db, (int)o.year, o.synthetic);
}

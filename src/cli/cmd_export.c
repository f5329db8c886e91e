/* cmd_export.c — `chiso export`: the report model as XLSX, CSV or JSON. */
#include "rptcli.h"

#include <getopt.h>
#include <string.h>
#include <strings.h>

static const char help[] =
    "Usage: chiso export --db DB --year Y [--format xlsx|csv|json] --out PATH\n"
    "                    [--excel] [--lang vi|en] [--units 63|34] [--method M] [--seed S]\n"
    "                    [--runs N] [--sobol N] [--threads N]\n"
    "       chiso export --model FILE.json --format xlsx|csv|json --out PATH [...]\n\n"
    "Export the report model of year Y built from the store (as `chiso report\n"
    "--db` does; the --db options are those of `chiso report`), or a report\n"
    "model file.\n"
    "  xlsx   sheets Index, Pillars, Indicators, Uncertainty, Divide, Targets,\n"
    "         Metadata; column titles in the report language (Vietnamese by default)\n"
    "  csv    the Index table: code,name,region,score,score_lo,score_hi,rank,\n"
    "         rank_lo,rank_hi,respondents, then one column per pillar\n"
    "  json   the whole model, keys in a fixed order\n\n"
    "  --out PATH   output file; '-' for stdout (csv and json only); without\n"
    "               --format the name says it (.xlsx, .csv, .json)\n"
    "  --excel      CSV with a UTF-8 BOM and CRLF line ends, for Excel\n"
    "  --title T    the publication's title (kept in the model and the workbook)\n";

/* The format an --out name says: .xlsx 0, .csv 1, .json 2, else -1. */
static int format_of_path(const char *path) {
  size_t n = strlen(path);
  static const char *const ext[] = {".xlsx", ".csv", ".json"};
  for (int k = 0; k < 3; k++) {
    size_t e = strlen(ext[k]);
    if (n > e && strcasecmp(path + n - e, ext[k]) == 0) return k;
  }
  return -1;
}

static int parse_format(const char *s, int *fmt) {
  if (strcmp(s, "xlsx") == 0) *fmt = 0;
  else if (strcmp(s, "csv") == 0) *fmt = 1;
  else if (strcmp(s, "json") == 0) *fmt = 2;
  else return cli_usage_error("export", "--format must be xlsx, csv or json");
  return 0;
}

/* CSV and JSON go through a temporary file renamed into place (or to
** stdout), so a failure never leaves a partial file. */
static int write_text(const chiso_report *m, int fmt, int excel, const char *out, chiso_err *err) {
  if (strcmp(out, "-") == 0)
    return fmt == 1 ? chiso_report_write_csv(m, excel, stdout, err) : chiso_report_write_json(m, stdout, err);
  char tmp[4096];
  snprintf(tmp, sizeof tmp, "%s.tmp", out);
  FILE *f = cli_open_output("export", out);
  if (!f) return -1; /* cli_open_output said why */
  int rc = fmt == 1 ? chiso_report_write_csv(m, excel, f, err) : chiso_report_write_json(m, f, err);
  int wrc = cli_end_output(f, rc);
  if (wrc && !rc) {
    snprintf(err->message, sizeof err->message, "%s: write failed", out);
    err->code = rc = wrc;
  }
  return rc;
}

CHISO_COMMAND(export, "Export the report model as XLSX, CSV or JSON")
{
  static const struct option opts[] = {RPTCLI_LONG_OPTS,
                                       {"format", required_argument, 0, 'f'},
                                       {"out", required_argument, 0, 'o'},
                                       {"excel", no_argument, 0, 'x'},
                                       {"lang", required_argument, 0, 'l'},
                                       {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
  const char *out = NULL, *lang = "vi";
  rptcli_source src = RPTCLI_SOURCE_INIT;
  int fmt = -1, excel = 0, c;
  opterr = 0;
  optind = 1;
  while ((c = getopt_long(argc, argv, RPTCLI_SHORT_OPTS "f:o:xl:h", opts, NULL)) != -1) {
    int r = rptcli_option("export", c, optarg, &src);
    if (r < 0) return CLI_EXIT_USAGE;
    if (r) continue;
    switch (c) {
    case 'f': if (parse_format(optarg, &fmt)) return 1; break;
    case 'o': out = optarg; break;
    case 'x': excel = 1; break;
    case 'l':
      if (strcmp(optarg, "vi") && strcmp(optarg, "en"))
        return cli_usage_error("export", "--lang must be vi or en");
      lang = optarg;
      break;
    case 'h': fputs(help, stdout); return 0;
    default: return cli_bad_option("export", optopt, argv[optind - 1], opts);
    }
  }
  if (optind < argc) return cli_usage_error("export", "unexpected argument '%s'", argv[optind]);
  if (rptcli_check("export", &src)) return CLI_EXIT_USAGE;
  if (!out) return cli_usage_error("export", "--out PATH is required");
  if (fmt < 0) fmt = format_of_path(out); /* w.xlsx is an XLSX workbook */
  if (fmt < 0)
    return cli_usage_error("export", "give --format xlsx|csv|json (or an --out ending in .xlsx, "
                                     ".csv or .json)");
  int named = format_of_path(out);
  if (named >= 0 && named != fmt)
    return cli_usage_error("export", "--out %s does not end like --format %s", out,
                           fmt == 0 ? "xlsx" : fmt == 1 ? "csv" : "json");
  if (fmt == 0 && strcmp(out, "-") == 0) return cli_usage_error("export", "xlsx cannot go to stdout");
  chiso_err err;
  chiso_err_clear(&err);
  chiso_report *m = NULL;
  int rc = rptcli_model(&src, &m, &err);
  if (rc == CHISO_OK && src.units && src.units != chiso_report_units(m)) {
    int have = chiso_report_units(m);
    chiso_report_free(m);
    return cli_usage_error("export", "the model has %d units, not %d", have, src.units);
  }
  if (rc == CHISO_OK)
    rc = fmt == 0 ? chiso_report_write_xlsx(m, lang, out, &err) : write_text(m, fmt, excel, out, &err);
  chiso_report_free(m);
  if (rc < 0) return CLI_EXIT_DATA;
  if (rc != CHISO_OK) return cli_report("export", rc, &err);
  return 0;
}

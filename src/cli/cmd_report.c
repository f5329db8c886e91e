/* cmd_report.c — `chiso report`: write the HTML report, or the PDF book,
** from the store or a report model file. */
#include "rptcli.h"

#include <getopt.h>
#include <string.h>
#include <strings.h>

static const char help[] =
    "Usage: chiso report --db DB --year Y --out DIR [--lang vi|en] [--units 63|34]\n"
    "                    [--method M] [--seed S] [--runs N] [--sobol N] [--threads N]\n"
    "       chiso report --model FILE.json --out DIR [--lang vi|en] [--units 63|34]\n"
    "       chiso report --format pdf --out FILE.pdf (--db DB --year Y | --model FILE.json) ...\n\n"
    "Write DIR/index.html and DIR/provinces/<code>.html: a self-contained report\n"
    "(inline CSS and SVG, no network request) with the ranking and its intervals,\n"
    "pillars, a choropleth map, the divide, targets, sensitivity, the methodology\n"
    "and the data provenance (docs/report.md). With --format pdf, the same as one\n"
    "A4 book to print: cover and contents, key figures, the ranking across pages,\n"
    "the map and charts, and one page per province (fonts embedded; the same\n"
    "input gives the same bytes).\n\n"
    "  --format F     html or pdf (default: pdf when --out ends in .pdf, else html)\n"
    "  --db DB        the survey store; the index of year Y is computed with the\n"
    "                 methodology the year's surveys were imported with\n"
    "  --year Y       the report year (with --db)\n"
    "  --model FILE   a report model (JSON) instead, e.g. from `chiso export --format json`\n"
    "  --out DIR      output directory (created if needed); with pdf, the file\n"
    "  --lang L       vi (default) or en\n"
    "  --units N      63 or 34: that unit set; with --db, 34 for a year before\n"
    "                 2025 re-estimates it on the 2025 units (harmonised)\n"
    "  --method M     (--db) another methodology file or shipped name\n"
    "  --seed S       (--db) seed of the uncertainty runs, recorded (default 1)\n"
    "  --runs N       (--db) method-uncertainty runs for the rank intervals and\n"
    "                 rank shifts (default 200; 0: none)\n"
    "  --sobol N      (--db) Sobol base rows for the sensitivity indices (default\n"
    "                 256; 0: none)\n"
    "  --threads N    (--db) worker threads (default: one per CPU); the output\n"
    "                 does not depend on it\n"
    "  --title T      the publication's title (default: the methodology's \"title\",\n"
    "                 else its name)\n"
    "  --hide-empty   leave units without a score or respondents (outside a\n"
    "                 regional survey) out of the tables, charts and profiles\n";

/* The PDF into FILE, atomically (nothing is left when it fails). Returns
** the exit status, having reported any error. */
static int write_pdf(const chiso_report *m, const char *lang, int units, const char *path) {
  chiso_err err;
  chiso_err_clear(&err);
  FILE *f = cli_open_output("report", path);
  if (!f) return CLI_EXIT_DATA;
  int rc = chiso_report_write_pdf(m, lang, units, f, &err);
  int wrc = cli_end_output(f, rc);
  if (rc) return cli_report("report", rc, &err);
  if (wrc) {
    fprintf(stderr, "chiso report: cannot write %s\n", path);
    return CLI_EXIT_DATA;
  }
  return 0;
}

CHISO_COMMAND(report, "Write the HTML report (index and province profiles)")
{
  static const struct option opts[] = {RPTCLI_LONG_OPTS,
                                       {"out", required_argument, 0, 'o'},
                                       {"lang", required_argument, 0, 'l'},
                                       {"format", required_argument, 0, 'f'},
                                       {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
  const char *out = NULL, *lang = "vi";
  int pdf = -1; /* -1: told by --out (a name ending in .pdf) */
  rptcli_source src = RPTCLI_SOURCE_INIT;
  int c;
  opterr = 0;
  optind = 1;
  while ((c = getopt_long(argc, argv, RPTCLI_SHORT_OPTS "o:l:f:h", opts, NULL)) != -1) {
    int r = rptcli_option("report", c, optarg, &src);
    if (r < 0) return CLI_EXIT_USAGE;
    if (r) continue;
    switch (c) {
    case 'o': out = optarg; break;
    case 'l':
      if (strcmp(optarg, "vi") && strcmp(optarg, "en"))
        return cli_usage_error("report", "--lang must be vi or en");
      lang = optarg;
      break;
    case 'f':
      if (strcmp(optarg, "html") && strcmp(optarg, "pdf"))
        return cli_usage_error("report", "--format must be html or pdf");
      pdf = strcmp(optarg, "pdf") == 0;
      break;
    case 'h': fputs(help, stdout); return 0;
    default: return cli_bad_option("report", optopt, argv[optind - 1], opts);
    }
  }
  if (optind < argc) return cli_usage_error("report", "unexpected argument '%s'", argv[optind]);
  if (rptcli_check("report", &src)) return CLI_EXIT_USAGE;
  if (pdf < 0) pdf = out && strlen(out) > 4 && strcasecmp(out + strlen(out) - 4, ".pdf") == 0;
  if (!out) return cli_usage_error("report", pdf ? "--out FILE.pdf is required" : "--out DIR is required");
  chiso_err err;
  chiso_err_clear(&err);
  chiso_report *m = NULL;
  int rc = rptcli_model(&src, &m, &err);
  if (rc == CHISO_OK && pdf) {
    int x = write_pdf(m, lang, src.units, out);
    chiso_report_free(m);
    if (x) return x;
  } else {
    if (rc == CHISO_OK) rc = chiso_report_write_html(m, lang, src.units, out, &err);
    chiso_report_free(m);
    if (rc != CHISO_OK) return cli_report("report", rc, &err);
  }
  chiso_log(CHISO_LOG_NOTE, "report written: %s%s", out, pdf ? "" : "/index.html");
  printf("%s%s\n", out, pdf ? "" : "/index.html");
  return 0;
}

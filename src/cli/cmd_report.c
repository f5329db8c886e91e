/* cmd_report.c — `chiso report`: write the HTML report from a report model. */
#include "cli.h"

#include <getopt.h>
#include <string.h>

static const char help[] =
    "Usage: chiso report --model FILE.json --out DIR [--lang vi|en] [--units 63|34]\n\n"
    "Write DIR/index.html and DIR/provinces/<code>.html: a self-contained report\n"
    "(inline CSS and SVG, no network request) with the ranking and its intervals,\n"
    "pillars, a choropleth map, the divide, targets, sensitivity, the methodology\n"
    "and the data provenance. The model file format is described in docs/report.md.\n\n"
    "  --model FILE   a report model (JSON), e.g. tests/data/report-model-63.json\n"
    "  --out DIR      output directory (created if needed)\n"
    "  --lang L       vi (default) or en\n"
    "  --units N      63 or 34: insist on that unit set (the model must match)\n";

CHISO_COMMAND(report, "Write the HTML report (index and province profiles)")
{
  static const struct option opts[] = {{"model", required_argument, 0, 'm'},
                                       {"out", required_argument, 0, 'o'},
                                       {"lang", required_argument, 0, 'l'},
                                       {"units", required_argument, 0, 'u'},
                                       {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
  const char *model = NULL, *out = NULL;
  rpt_options opt = {"vi", 0};
  long units = 0;
  int c;
  opterr = 0;
  optind = 1;
  while ((c = getopt_long(argc, argv, "m:o:l:u:h", opts, NULL)) != -1) {
    switch (c) {
    case 'm': model = optarg; break;
    case 'o': out = optarg; break;
    case 'l':
      if (strcmp(optarg, "vi") && strcmp(optarg, "en"))
        return cli_usage_error("report", "--lang must be vi or en");
      opt.lang = optarg;
      break;
    case 'u':
      if (cli_parse_long("report", "--units", optarg, 34, 63, &units)) return 1;
      if (units != 34 && units != 63) return cli_usage_error("report", "--units must be 63 or 34");
      opt.units = (int)units;
      break;
    case 'h': fputs(help, stdout); return 0;
    default: return cli_bad_option("report", optopt, argv[optind - 1]);
    }
  }
  if (optind < argc) return cli_usage_error("report", "unexpected argument '%s'", argv[optind]);
  if (!model) return cli_usage_error("report", "--model FILE is required");
  if (!out) return cli_usage_error("report", "--out DIR is required");
  chiso_err err;
  chiso_err_clear(&err);
  rmodel *m = NULL;
  int rc = rmodel_load_json(model, &m, &err);
  if (rc == CHISO_OK) rc = rpt_write(m, &opt, out, &err);
  rmodel_free(m);
  if (rc != CHISO_OK) return cli_report("report", rc, &err);
  chiso_log(CHISO_LOG_NOTE, "report written: %s/index.html", out);
  printf("%s/index.html\n", out);
  return 0;
}

/* cmd_import_indicators.c — `chiso import-indicators`: store external
** (official) indicators per province for a year. */
#include "cli.h"

#include <getopt.h>

static const char help[] =
    "Usage: chiso import-indicators --db FILE --year Y INDICATORS.csv\n\n"
    "Store province indicators that do not come from the survey (official\n"
    "statistics) for year Y. Two layouts are read:\n"
    "  long:  code,indicator,value[,source]\n"
    "  wide:  code, then one column per indicator\n"
    "The province column may be named code or province and hold codes or\n"
    "names in any spelling (see `chiso resolve`); empty values are stored as\n"
    "missing. A value already stored for the same year, province and\n"
    "indicator is replaced. The whole file is checked before the store is\n"
    "touched, and stored in one transaction.\n";

CHISO_COMMAND(import_indicators, "Store external province indicators for a year")
{
  static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                       {"year", required_argument, 0, 'y'},
                                       {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
  const char *db = NULL;
  long year = 0;
  int c;
  opterr = 0;
  optind = 1;
  while ((c = getopt_long(argc, argv, "d:y:h", opts, NULL)) != -1) {
    switch (c) {
    case 'd': db = optarg; break;
    case 'y': if (cli_parse_long("import-indicators", "--year", optarg, 1900, 2100, &year)) return 1; break;
    case 'h': fputs(help, stdout); return 0;
    default: return cli_bad_option("import-indicators", optopt, argv[optind - 1], opts);
    }
  }
  if (!db || !year) return cli_usage_error("import-indicators", "--db FILE and --year Y are required");
  if (optind + 1 != argc) return cli_usage_error("import-indicators", "give one CSV file");
  chiso_err err;
  chiso_err_clear(&err);
  size_t n = 0;
  int rc = chiso_indicators_import(db, (int)year, argv[optind], &n, &err);
  if (!rc) chiso_log(CHISO_LOG_NOTE, "stored %zu indicator values for %ld", n, year);
  return rc ? cli_report("import-indicators", rc, &err) : 0;
}

/* cmd_synth.c — `chiso synth`: write a synthetic EBI survey file. */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    "Usage: chiso synth --out FILE [--year Y] [--respondents N] [--seed S]\n"
    "                   [--format csv|xlsx] [--messy] [--method M]\n"
    "       chiso synth --official --out FILE [--year Y] [--seed S]\n\n"
    "Write a SYNTHETIC enterprise survey with the columns of docs/ebi-indicators.md\n"
    "for the province units in force in year Y (63 up to 2024, 34 from 2025).\n"
    "The same seed always gives the same bytes. FILE.meta.json is written beside\n"
    "it and marks the file as synthetic; the model is described in docs/synth.md.\n\n"
    "  --out FILE        the survey file (required)\n"
    "  --year Y          survey year, 2015-2030 (default: this year)\n"
    "  --respondents N   number of respondents (default 6000; at least 4 per unit)\n"
    "  --seed S          random seed, 0-18446744073709551615 (default 1)\n"
    "  --format F        csv (default, or from a .xlsx FILE name) or xlsx\n"
    "  --messy           add what real files contain: name variants, Có/Yes/1/x,\n"
    "                    a BOM, CRLF line ends, old province names from 2025, and\n"
    "                    exactly 4 invalid rows listed in FILE.expected.csv\n"
    "  --method M        methodology id recorded in the metadata (default ebi-2021);\n"
    "                    the columns do not depend on it\n"
    "  --official        write SYNTHETIC official indicators instead: the long CSV\n"
    "                    code,indicator,value,source that `chiso import-indicators`\n"
    "                    reads (domains_per_1000, ewallets_per_capita, and\n"
    "                    parcels_per_capita from 2025), from the same latent\n"
    "                    readiness as the survey (docs/synth.md)\n";

static int parse_seed(const char *text, uint64_t *out) {
  char *end;
  errno = 0;
  if (!*text || *text == '-') return cli_usage_error("synth", "--seed must be a whole number >= 0, not '%s'", text);
  unsigned long long v = strtoull(text, &end, 10);
  if (errno || *end) return cli_usage_error("synth", "--seed must be a whole number >= 0, not '%s'", text);
  *out = (uint64_t)v;
  return 0;
}

static int ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), k = strlen(suffix);
  return n >= k && !strcasecmp(s + n - k, suffix);
}

CHISO_COMMAND(synth, "Write a synthetic EBI survey (CSV or XLSX), deterministic per seed")
{
  static const struct option opts[] = {{"out", required_argument, 0, 'o'},
                                       {"year", required_argument, 0, 'y'},
                                       {"respondents", required_argument, 0, 'n'},
                                       {"seed", required_argument, 0, 's'},
                                       {"format", required_argument, 0, 'f'},
                                       {"messy", no_argument, 0, 'm'},
                                       {"method", required_argument, 0, 'M'},
                                       {"official", no_argument, 0, 'O'},
                                       {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
  chiso_synth_options o = {.year = cli_current_year(), .respondents = 6000, .seed = 1,
                           .method = "ebi-2021"};
  const char *out = NULL, *format = NULL;
  long v;
  int c;
  opterr = 0;
  optind = 1;
  while ((c = getopt_long(argc, argv, "o:y:n:s:f:mM:Oh", opts, NULL)) != -1) {
    switch (c) {
    case 'o': out = optarg; break;
    case 'y':
      if (cli_parse_long("synth", "--year", optarg, CHISO_SYNTH_YEAR_MIN, CHISO_SYNTH_YEAR_MAX, &v)) return 1;
      o.year = (int)v;
      break;
    case 'n':
      if (cli_parse_long("synth", "--respondents", optarg, 1, 2000000000L, &v)) return 1;
      o.respondents = v;
      break;
    case 's':
      if (parse_seed(optarg, &o.seed)) return 1;
      break;
    case 'f': format = optarg; break;
    case 'm': o.messy = 1; break;
    case 'M': o.method = optarg; break;
    case 'O': o.official = 1; break;
    case 'h': fputs(help, stdout); return 0;
    default: return cli_bad_option("synth", optopt, argv[optind - 1], opts);
    }
  }
  if (optind < argc) return cli_usage_error("synth", "unexpected argument '%s'", argv[optind]);
  if (!out) return cli_usage_error("synth", "--out FILE is required");
  if (format && strcmp(format, "csv") && strcmp(format, "xlsx"))
    return cli_usage_error("synth", "--format must be csv or xlsx");
  o.xlsx = format ? !strcmp(format, "xlsx") : ends_with(out, ".xlsx");
  if (o.official && (o.messy || format))
    return cli_usage_error("synth", "--official takes no --messy or --format");
  if (o.year < CHISO_SYNTH_YEAR_MIN || o.year > CHISO_SYNTH_YEAR_MAX)
    return cli_usage_error("synth", "--year must be between %d and %d", CHISO_SYNTH_YEAR_MIN,
                           CHISO_SYNTH_YEAR_MAX);

  chiso_err err;
  chiso_err_clear(&err);
  long rows = 0;
  size_t units = 0;
  o.progress = cli_progress;
  int rc = chiso_synth_write(&o, out, &rows, &units, &err);
  if (rc == CHISO_OK && o.official)
    chiso_log(CHISO_LOG_NOTE, "wrote %s: synthetic official indicators, year %d", out, o.year);
  else if (rc == CHISO_OK)
    chiso_log(CHISO_LOG_NOTE, "wrote %s: %ld synthetic respondents, %zu units, year %d, seed %llu%s",
              out, rows, units, o.year, (unsigned long long)o.seed,
              o.messy ? ", messy (4 invalid rows, see .expected.csv)" : "");
  if (rc == CHISO_EUSAGE) return cli_usage_error("synth", "%s", err.message);
  if (rc != CHISO_OK) return cli_report("synth", rc, &err);
  return 0;
}

/* cmd_demo.c — `chiso demo`: the whole story on synthetic data. */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    "Usage: chiso demo [--out DIR] [--respondents N] [--seed S] [--threads T]\n\n"
    "Build a workspace from SYNTHETIC data and show what chiso computes:\n"
    "synthetic surveys for 2020-2025 (63 provinces, then the 34 units of 2025)\n"
    "and synthetic official indicators are generated (docs/synth.md), imported\n"
    "into DIR/chiso.db, the index is computed for every year with ebi-2021\n"
    "(fixed goalposts, so years compare), and the results are written under\n"
    "DIR/results. A summary is printed. Nothing here describes real firms.\n\n"
    "  --out DIR          workspace (default chiso-demo): a new or empty directory,\n"
    "                     or one an earlier demo made (its files are replaced);\n"
    "                     any other non-empty directory is refused (exit 2)\n"
    "  --respondents N    respondents per year (default 12000)\n"
    "  --seed S           random seed (default 1); same seed, same files\n"
    "  --threads T        threads for generating the surveys (default: CPUs)\n\n"
    "Writes DIR/inputs/survey-YEAR.csv, official-YEAR.csv; DIR/results/\n"
    "index-YEAR.csv and .json, estimates-YEAR.csv, divide-YEAR.csv, series.csv,\n"
    "targets.csv, uncertainty-2025.csv, uncertainty-crossed-2025.csv,\n"
    "report-2025.xlsx and .json; the report in DIR/report (Vietnamese) and\n"
    "DIR/report-en (English). Every CSV has FILE.meta.json beside it saying it\n"
    "is synthetic, every JSON has \"synthetic\": true.\n";


static int parse_args(int argc, char **argv, chiso_demo_options *o) {
  static const struct option opts[] = {{"out", required_argument, 0, 'o'},
                                       {"respondents", required_argument, 0, 'n'},
                                       {"seed", required_argument, 0, 's'},
                                       {"threads", required_argument, 0, 't'},
                                       {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
  int c;
  long v;
  opterr = 0;
  optind = 1;
  while ((c = getopt_long(argc, argv, "o:n:s:t:h", opts, NULL)) != -1) {
    switch (c) {
    case 'o': o->dir = optarg; break;
    case 'n':
      if (cli_parse_long("demo", "--respondents", optarg, 4 * 63, 5000000, &v)) return 1;
      o->respondents = v;
      break;
    case 's':
      if (cli_parse_long("demo", "--seed", optarg, 0, 2147483647L, &v)) return 1;
      o->seed = (uint64_t)v;
      break;
    case 't':
      if (cli_parse_long("demo", "--threads", optarg, 0, 64, &v)) return 1;
      o->threads = (int)v;
      break;
    case 'h': fputs(help, stdout); return -1;
    default: return cli_bad_option("demo", optopt, argv[optind - 1], opts);
    }
  }
  if (optind < argc) return cli_usage_error("demo", "unexpected argument '%s'", argv[optind]);
  return 0;
}

CHISO_COMMAND(demo, "Build a demo workspace from synthetic surveys and show the results")
{
  chiso_demo_options o = {.dir = "chiso-demo", .respondents = 12000, .seed = 1, .threads = 0};
  int rc = parse_args(argc, argv, &o);
  if (rc) return rc < 0 ? 0 : rc;
  o.progress = cli_progress;
  chiso_err err;
  chiso_err_clear(&err);
  chiso_demo *s = NULL;
  rc = chiso_demo_run(&o, &s, &err);
  if (!rc) chiso_demo_write(s, &o, stdout);
  chiso_demo_free(s);
  if (rc == CHISO_EUSAGE) return cli_usage_error("demo", "%s", err.message);
  if (rc == CHISO_EEXISTS) {
    cli_report("demo", rc, &err);
    return CLI_EXIT_DATA;
  }
  return rc ? cli_report("demo", rc, &err) : 0;
}

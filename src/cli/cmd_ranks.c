/* cmd_ranks.c — `chiso ranks`: rank confidence sets from estimates and
** standard errors (or a covariance matrix) alone, as the R package csranks
** (docs/uncertainty.md §2b). */
#include "cli.h"

#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    "Usage: chiso ranks --data FILE [--estimate COL] [--se COL | --cov FILE]\n"
    "                   [--coverage 0.95] [--simul | --marg] [--stepdown | --single-step]\n"
    "                   [--R 1000] [--seed S] [--tau K] [--lower-is-better]\n"
    "                   [--format table|csv|json] [--out FILE]\n\n"
    "Rank units from estimates and their standard errors alone, with honest\n"
    "uncertainty: the confidence sets for ranks of Mogstad, Romano, Shaikh and\n"
    "Wilhelm (2024, Review of Economic Studies 91:476-518), as the R package\n"
    "csranks computes them (csranks(), cstaubest(), cstauworst()). The estimates\n"
    "are taken to be approximately normal around the true values with the given\n"
    "covariance (diagonal from --se); R draws of that normal (the parametric\n"
    "bootstrap) give the critical values. Use it to rank published figures that\n"
    "come with standard errors.\n\n"
    "  --data FILE        CSV with a unit column (code, uCode, unit, or the first\n"
    "                     column), an optional name column, the estimates and the\n"
    "                     standard errors\n"
    "  --estimate COL     column of the estimates (default: estimate)\n"
    "  --se COL           column of the standard errors (default: se)\n"
    "  --cov FILE         a covariance matrix instead: one row per unit (its code\n"
    "                     first), one column per unit named by its code\n"
    "  --coverage P       nominal coverage (default 0.95)\n"
    "  --simul, --marg    L,U are simultaneous sets (default: they cover every\n"
    "                     unit's true rank jointly) or marginal ones (each alone)\n"
    "  --stepdown         the stepdown refinement (default; never wider)\n"
    "  --single-step      MRSW's single-step sets\n"
    "  --R N              parametric bootstrap draws (default 1000)\n"
    "  --seed S           random seed (default 1): same seed, same bytes\n"
    "  --tau K            also the confidence sets for the K best and K worst\n"
    "                     (cstaubest/cstauworst): tau_best = 1 when the unit may be\n"
    "                     among the true K best\n"
    "  --lower-is-better  rank 1 is the smallest estimate (csranks: rank -x)\n\n"
    "CSV columns: code,name,estimate,se,rank,L,U,p_top1,p_top3,p_top5,p_top10\n"
    "[,p_top_tau,tau_best,tau_worst]. rank: 1 + the number of larger estimates;\n"
    "[L, U] covers the true rank with probability >= the coverage; p_topK: the\n"
    "share of draws in which the unit ranks K or better (descriptive).\n";

static int parse_prob(const char *text, double *out) {
  char *end;
  *out = strtod(text, &end);
  return *end || end == text || !(*out > 0 && *out < 1) ? cli_usage_error("ranks", "--coverage must be between 0 and 1") : 0;
}

CHISO_COMMAND(ranks, "Rank confidence sets from estimates and standard errors (as csranks)")
{
  static const struct option opts[] = {
      {"data", required_argument, 0, 'd'},       {"estimate", required_argument, 0, 'e'},
      {"se", required_argument, 0, 's'},         {"cov", required_argument, 0, 'c'},
      {"coverage", required_argument, 0, 'p'},   {"simul", no_argument, 0, 'S'},
      {"marg", no_argument, 0, 'M'},             {"stepdown", no_argument, 0, 'D'},
      {"single-step", no_argument, 0, '1'},      {"R", required_argument, 0, 'R'},
      {"seed", required_argument, 0, 'z'},       {"tau", required_argument, 0, 't'},
      {"lower-is-better", no_argument, 0, 'L'},  {"format", required_argument, 0, 'f'},
      {"out", required_argument, 0, 'o'},        {"help", no_argument, 0, 'h'},
      {0, 0, 0, 0}};
  chiso_ranks_options o;
  chiso_ranks_options_init(&o);
  chiso_format fmt = CHISO_FORMAT_TABLE;
  const char *out = NULL;
  long v;
  int c;
  opterr = 0;
  optind = 1;
  while ((c = getopt_long(argc, argv, "d:e:s:c:p:SMD1R:z:t:Lf:o:h", opts, NULL)) != -1) {
    switch (c) {
    case 'd': o.data = optarg; break;
    case 'e': o.estimate = optarg; break;
    case 's': o.se = optarg; break;
    case 'c': o.cov = optarg; break;
    case 'p': if (parse_prob(optarg, &o.coverage)) return 1; break;
    case 'S': o.marginal = 0; break;
    case 'M': o.marginal = 1; break;
    case 'D': o.single_step = 0; break;
    case '1': o.single_step = 1; break;
    case 'R': if (cli_parse_long("ranks", "--R", optarg, 2, 10000000, &v)) return 1; o.draws = (size_t)v; break;
    case 'z': if (cli_parse_long("ranks", "--seed", optarg, 0, 0x7fffffffffffffffL, &v)) return 1; o.seed = (uint64_t)v; break;
    case 't': if (cli_parse_long("ranks", "--tau", optarg, 1, 1000000, &v)) return 1; o.tau = (int)v; break;
    case 'L': o.lower_is_better = 1; break;
    case 'f': if (cli_parse_format("ranks", optarg, &fmt)) return 1; break;
    case 'o': out = optarg; break;
    case 'h': fputs(help, stdout); return 0;
    default: return cli_bad_option("ranks", optopt, argv[optind - 1], opts);
    }
  }
  if (optind < argc) return cli_usage_error("ranks", "unexpected argument '%s'", argv[optind]);
  if (!o.data) return cli_usage_error("ranks", "--data FILE is required");
  if (o.cov && o.se) return cli_usage_error("ranks", "give --se or --cov, not both");
  chiso_err err;
  chiso_err_clear(&err);
  FILE *f = cli_open_output("ranks", out);
  if (!f) return CLI_EXIT_DATA;
  int rc = chiso_ranks_write(&o, fmt, f, &err);
  if ((rc = cli_end_output(f, rc))) return cli_report("ranks", rc, &err);
  return 0;
}

/* cmd_audit.c — `chiso audit`: the statistical audit of an index. */
#include "cli.h"

#include <getopt.h>
#include <math.h>
#include <string.h>

static const char help[] =
    "Usage: chiso audit (--method FILE|NAME | --imeta FILE) --data FILE\n"
    "                   [--format table|csv|json] [--out FILE]\n"
    "                   [--weights pca|effective|optimise [--level L]] [--denominate]\n\n"
    "Statistical audit (OECD/JRC Handbook; COINr): per indicator n, missing %,\n"
    "min, max, mean, sd, skew, kurtosis and an outlier flag (|skew| >= 2 and\n"
    "kurtosis >= 3.5); Pearson and Spearman correlations of every node with its\n"
    "parent and with the index; Cronbach's alpha of every aggregate; PCA of\n"
    "every pillar (variance explained, first-component loadings).\n\n"
    "Output rows: section,id,parent,measure,value.\n\n"
    "  --weights pca   instead, print PCA weights as a table iCode,Weight,loading,note\n"
    "                  that `chiso compute --weights` reads. Caveats (COINr): the\n"
    "                  loadings maximise explained variance, not importance; they\n"
    "                  favour the most correlated indicators and can be negative\n"
    "                  (such indicators keep their weight and are noted).\n"
    "  --weights effective\n"
    "                  the effective weight of every node in the index (COINr\n"
    "                  get_eff_wts): weights normalised within each parent and\n"
    "                  multiplied down the tree: iCode,Level,Parent,Weight,EffWeight\n"
    "  --weights optimise [--level L]\n"
    "                  weights of level L (default: the level below the index) that\n"
    "                  balance the nodes' correlations with the index (COINr\n"
    "                  get_opt_weights, \"balance\" with equal importance): minimise\n"
    "                  log(mean over j of (1/n - r_j / sum r)^2), r_j the Pearson\n"
    "                  correlation of node j with the index, by Nelder-Mead over\n"
    "                  positive weights. Rows iCode,Level,Parent,Weight,Desired,\n"
    "                  Obtained,Correlation; --weights of compute reads the output.\n"
    "  --denominate    apply the iMeta's denominators first (COINr Denominate)\n";

CHISO_COMMAND(audit, "Statistical audit of an index: statistics, correlations, alpha, PCA")
{
  static const struct option opts[] = {
      {"method", required_argument, 0, 'm'}, {"imeta", required_argument, 0, 'i'},
      {"data", required_argument, 0, 'd'},   {"format", required_argument, 0, 'f'},
      {"weights", required_argument, 0, 'w'}, {"out", required_argument, 0, 'o'},
      {"level", required_argument, 0, 'l'}, {"denominate", no_argument, 0, 'N'},
      {"help", no_argument, 0, 'h'},         {0, 0, 0, 0}};
  const char *method = NULL, *imeta = NULL, *data = NULL, *out = NULL, *kind = NULL;
  int want_pca = 0, c;
  long level = 0;
  chiso_year_options yo;
  chiso_year_options_init(&yo);
  chiso_format fmt = CHISO_FORMAT_TABLE;
  opterr = 0;
  optind = 1;
  while ((c = getopt_long(argc, argv, "m:i:d:f:w:o:l:Nh", opts, NULL)) != -1) {
    switch (c) {
    case 'm': method = optarg; break;
    case 'i': imeta = optarg; break;
    case 'd': data = optarg; break;
    case 'o': out = optarg; break;
    case 'f': if (cli_parse_format("audit", optarg, &fmt)) return 1; break;
    case 'w':
      if (!strcmp(optarg, "pca")) want_pca = 1;
      else if (!strcmp(optarg, "effective") || !strcmp(optarg, "optimise") || !strcmp(optarg, "optimize"))
        kind = optarg;
      else return cli_usage_error("audit", "--weights takes pca, effective or optimise");
      break;
    case 'l': if (cli_parse_long("audit", "--level", optarg, 1, 100, &level)) return 1; break;
    case 'N': yo.denominate = 1; break;
    case 'h': fputs(help, stdout); return 0;
    default: return cli_bad_option("audit", optopt, argv[optind - 1], opts);
    }
  }
  if (optind < argc) return cli_usage_error("audit", "unexpected argument '%s'", argv[optind]);
  if (!!method == !!imeta) return cli_usage_error("audit", "give exactly one of --method and --imeta");
  if (!data) return cli_usage_error("audit", "--data FILE is required");
  if (level && (!kind || strcmp(kind, "effective") == 0))
    return cli_usage_error("audit", "--level goes with --weights optimise");
  chiso_err err;
  chiso_err_clear(&err);
  chiso_index *ix = NULL;
  int rc = chiso_index_files(method, imeta, data, &yo, &ix, &err);
  if (rc) return cli_report("audit", rc, &err);
  cli_index_notes(ix);
  FILE *f = cli_open_output("audit", out);
  if (!f) {
    chiso_index_free(ix);
    return CLI_EXIT_DATA;
  }
  double before = NAN, after = NAN;
  rc = kind ? chiso_index_weights_write(ix, kind, (int)level, fmt, f, &before, &after, &err)
            : chiso_index_audit_write(ix, want_pca, fmt, f, &err);
  if (!rc && kind && strcmp(kind, "effective"))
    chiso_log(CHISO_LOG_NOTE, "audit: objective log(mean squared gap to equal shares) %.4f at the "
                              "given weights, %.4f optimised", before, after);
  if ((rc = cli_end_output(f, rc))) rc = cli_report("audit", rc, &err);
  chiso_index_free(ix);
  return rc;
}

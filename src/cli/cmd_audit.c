/* cmd_audit.c — `chiso audit`: the statistical audit of an index. */
#include "cli.h"

#include <getopt.h>
#include <string.h>

static const char help[] =
    "Usage: chiso audit (--method FILE|NAME | --imeta FILE) --data FILE\n"
    "                   [--format table|csv|json] [--weights pca] [--out FILE]\n\n"
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
    "                  (such indicators keep their weight and are noted).\n";

CHISO_COMMAND(audit, "Statistical audit of an index: statistics, correlations, alpha, PCA")
{
  static const struct option opts[] = {
      {"method", required_argument, 0, 'm'}, {"imeta", required_argument, 0, 'i'},
      {"data", required_argument, 0, 'd'},   {"format", required_argument, 0, 'f'},
      {"weights", required_argument, 0, 'w'}, {"out", required_argument, 0, 'o'},
      {"help", no_argument, 0, 'h'},         {0, 0, 0, 0}};
  const char *method = NULL, *imeta = NULL, *data = NULL, *out = NULL;
  int want_pca = 0, c;
  chiso_format fmt = CHISO_FORMAT_TABLE;
  opterr = 0;
  optind = 1;
  while ((c = getopt_long(argc, argv, "m:i:d:f:w:o:h", opts, NULL)) != -1) {
    switch (c) {
    case 'm': method = optarg; break;
    case 'i': imeta = optarg; break;
    case 'd': data = optarg; break;
    case 'o': out = optarg; break;
    case 'f': if (cli_parse_format("audit", optarg, &fmt)) return 1; break;
    case 'w':
      if (strcmp(optarg, "pca")) return cli_usage_error("audit", "--weights takes only 'pca'");
      want_pca = 1;
      break;
    case 'h': fputs(help, stdout); return 0;
    default: return cli_bad_option("audit", optopt, argv[optind - 1], opts);
    }
  }
  if (optind < argc) return cli_usage_error("audit", "unexpected argument '%s'", argv[optind]);
  if (!!method == !!imeta) return cli_usage_error("audit", "give exactly one of --method and --imeta");
  if (!data) return cli_usage_error("audit", "--data FILE is required");
  chiso_err err;
  chiso_err_clear(&err);
  chiso_index *ix = NULL;
  int rc = chiso_index_files(method, imeta, data, NULL, &ix, &err);
  if (rc) return cli_report("audit", rc, &err);
  FILE *f = cli_open_output("audit", out);
  if (!f) {
    chiso_index_free(ix);
    return CLI_EXIT_DATA;
  }
  rc = chiso_index_audit_write(ix, want_pca, fmt, f, &err);
  if ((rc = cli_end_output(f, rc))) rc = cli_report("audit", rc, &err);
  chiso_index_free(ix);
  return rc;
}

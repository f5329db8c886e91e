/* cmd_convert.c — `chiso convert`: a COINr iMeta table to a methodology file. */
#include "cli.h"

#include <getopt.h>

static const char help[] =
    "Usage: chiso convert --imeta FILE [--out FILE]\n\n"
    "Write a native methodology file (JSON, the \"tree\" of docs/methodology.md)\n"
    "from a COINr iMeta table: the same tree, weights and directions, with\n"
    "COINr's defaults (minmax to 0-100, arithmetic mean).\n";

CHISO_COMMAND(convert, "Convert a COINr iMeta table to a methodology file")
{
  static const struct option opts[] = {{"imeta", required_argument, 0, 'i'},
                                       {"out", required_argument, 0, 'o'},
                                       {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
  const char *imeta = NULL, *out = NULL;
  int c;
  opterr = 0;
  optind = 1;
  while ((c = getopt_long(argc, argv, "i:o:h", opts, NULL)) != -1) {
    switch (c) {
    case 'i': imeta = optarg; break;
    case 'o': out = optarg; break;
    case 'h': fputs(help, stdout); return 0;
    default: return cli_bad_option("convert", optopt, argv[optind - 1], opts);
    }
  }
  if (optind < argc) return cli_usage_error("convert", "unexpected argument '%s'", argv[optind]);
  if (!imeta) return cli_usage_error("convert", "--imeta FILE is required");
  chiso_err err;
  chiso_err_clear(&err);
  FILE *f = cli_open_output("convert", out);
  if (!f) return CLI_EXIT_DATA;
  int rc = chiso_method_convert_imeta(imeta, f, &err);
  int wrc = cli_end_output(f, rc);
  if (wrc && !rc) {
    fprintf(stderr, "chiso convert: cannot write the output\n");
    return CLI_EXIT_DATA;
  }
  return rc ? cli_report("convert", rc, &err) : 0;
}

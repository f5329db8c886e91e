/* cmd_imports.c — `chiso imports`: list the imports of a store. */
#include "cli.h"

#include <getopt.h>

static const char help[] =
    "Usage: chiso imports --db FILE [--format table|csv|json] [--verify]\n\n"
    "List the survey files imported into the store FILE: id, year, file,\n"
    "rows, skipped rows, size, SHA-256, methodology and time (UTC).\n\n"
    "  --verify   check the whole store instead: SQLite's integrity check and\n"
    "             every stored block against its checksum; exit 2 when anything\n"
    "             is damaged (blocks stored before chiso-store-3 have no\n"
    "             checksum and are listed as unchecked)\n";

CHISO_COMMAND(imports, "List the survey files imported into a store")
{
  static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                       {"format", required_argument, 0, 'f'},
                                       {"verify", no_argument, 0, 'v'},
                                       {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
  const char *db = NULL;
  chiso_format fmt = CHISO_FORMAT_TABLE;
  int c, verify = 0;
  opterr = 0;
  optind = 1;
  while ((c = getopt_long(argc, argv, "d:f:h", opts, NULL)) != -1) {
    switch (c) {
    case 'd': db = optarg; break;
    case 'v': verify = 1; break;
    case 'f': if (cli_parse_format("imports", optarg, &fmt)) return 1; break;
    case 'h': fputs(help, stdout); return 0;
    default: return cli_bad_option("imports", optopt, argv[optind - 1], opts);
    }
  }
  if (!db) return cli_usage_error("imports", "--db FILE is required");
  if (optind < argc) return cli_usage_error("imports", "unexpected argument '%s'", argv[optind]);
  chiso_err err;
  chiso_err_clear(&err);
  chiso_store *st = NULL;
  int rc = chiso_store_open(db, 0, &st, &err);
  if (!rc && verify) rc = chiso_store_verify_write(st, fmt, stdout, &err);
  else if (!rc) rc = chiso_store_imports_write(st, fmt, stdout, &err);
  fflush(stdout);
  chiso_store_close(st);
  return rc ? cli_report("imports", rc, &err) : 0;
}

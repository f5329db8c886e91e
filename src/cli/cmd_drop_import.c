/* cmd_drop_import.c — `chiso drop-import`: remove one import from a store. */
#include "cli.h"

#include <getopt.h>

static const char help[] =
    "Usage: chiso drop-import --db FILE ID\n\n"
    "Remove import ID (see `chiso imports`) and all its data from the store,\n"
    "in one transaction.\n";

CHISO_COMMAND(drop_import, "Remove one import from a store")
{
  static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                       {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
  const char *db = NULL;
  int c;
  opterr = 0;
  optind = 1;
  while ((c = getopt_long(argc, argv, "d:h", opts, NULL)) != -1) {
    switch (c) {
    case 'd': db = optarg; break;
    case 'h': fputs(help, stdout); return 0;
    default: return cli_bad_option("drop-import", optopt, argv[optind - 1], opts);
    }
  }
  if (!db) return cli_usage_error("drop-import", "--db FILE is required");
  if (optind + 1 != argc) return cli_usage_error("drop-import", "give exactly one import ID");
  long id;
  if (cli_parse_long("drop-import", "ID", argv[optind], 1, 2147483647L, &id)) return 1;
  chiso_err err;
  chiso_err_clear(&err);
  chiso_store *st = NULL;
  int rc = chiso_store_open(db, 0, &st, &err);
  if (!rc) rc = chiso_store_drop_import(st, id, &err);
  chiso_store_close(st);
  if (rc) return cli_report("drop-import", rc, &err);
  chiso_log(CHISO_LOG_NOTE, "dropped import %ld", id);
  return 0;
}

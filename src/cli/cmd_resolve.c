/* cmd_resolve.c — `chiso resolve`: province names to canonical codes. */
#include "cli.h"

#include <getopt.h>
#include <string.h>

static const char help[] =
    "Usage: chiso resolve [--year Y] NAME...\n\n"
    "Resolve free-text province names, GSO codes (\"79\") or ISO 3166-2 codes\n"
    "(\"VN-SG\") to the unit in force in year Y (default: this year). Prints\n"
    "one line per name: CODE<TAB>OFFICIAL NAME. With NAME '-', names are read\n"
    "from standard input, one per line.\n\n"
    "From 2025 on, a former province resolves to the unit it belongs to, with\n"
    "a note on stderr. An unknown or ambiguous name is reported on stderr with\n"
    "the closest candidates, and the exit code is then 2.\n";

static int resolve_one(int year, const char *name) {
  chiso_match m;
  chiso_err err;
  chiso_err_clear(&err);
  int rc = chiso_resolve(year, name, &m, &err);
  if (rc != CHISO_OK) {
    fprintf(stderr, "chiso resolve: %s\n", err.message);
    return rc;
  }
  printf("%s\t%s\n", m.code, m.name);
  cli_resolve_note("resolve", name, &m);
  return CHISO_OK;
}

CHISO_COMMAND(resolve, "Resolve province names and codes to canonical units")
{
  static const struct option opts[] = {{"year", required_argument, 0, 'y'},
                                       {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
  long year = cli_current_year();
  int c;
  opterr = 0;
  optind = 1;
  while ((c = getopt_long(argc, argv, "y:h", opts, NULL)) != -1) {
    switch (c) {
    case 'y':
      if (cli_parse_long("resolve", "--year", optarg, 1900, 2100, &year)) return 1;
      break;
    case 'h': fputs(help, stdout); return 0;
    default: return cli_bad_option("resolve", optopt, argv[optind - 1], opts);
    }
  }
  if (optind >= argc) return cli_usage_error("resolve", "give at least one NAME");
  int worst = CHISO_OK;
  for (int i = optind; i < argc; i++) {
    if (strcmp(argv[i], "-") == 0) {
      char line[4096];
      while (fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (!line[0]) continue;
        if (resolve_one((int)year, line) != CHISO_OK) worst = CHISO_EDATA;
      }
    } else if (resolve_one((int)year, argv[i]) != CHISO_OK) {
      worst = CHISO_EDATA;
    }
  }
  return cli_exit_code(worst);
}

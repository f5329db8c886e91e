/* cmd_provinces.c — `chiso provinces`: list the units in force in a year. */
#include "cli.h"

#include <getopt.h>
#include <string.h>

static const char help[] =
    "Usage: chiso provinces [--year Y] [--format table|csv|json] [--lang vi|en]\n\n"
    "List the province-level units in force in year Y (default: this year).\n"
    "Up to 2024 there are 63 provinces; from 2025 there are 34 units.\n\n"
    "  --year Y        the year (1900-2100)\n"
    "  --format F      table (default), csv or json\n"
    "  --lang L        language of region names in the table: vi (default) or en\n\n"
    "CSV columns: code,name,name_ascii,iso_3166_2,region,region_id, then\n"
    "code_2025,name_2025 for years before 2025, or members,member_names\n"
    "(old codes and names joined by ';') from 2025 on.\n";

CHISO_COMMAND(provinces, "List the province units in force in a year (63 or 34)")
{
  static const struct option opts[] = {{"year", required_argument, 0, 'y'},
                                       {"format", required_argument, 0, 'f'},
                                       {"lang", required_argument, 0, 'l'},
                                       {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
  long year = cli_current_year();
  chiso_format fmt = CHISO_FORMAT_TABLE;
  const char *lang = "vi";
  int c;
  opterr = 0;
  optind = 1;
  while ((c = getopt_long(argc, argv, "y:f:l:h", opts, NULL)) != -1) {
    switch (c) {
    case 'y':
      if (cli_parse_long("provinces", "--year", optarg, 1900, 2100, &year)) return 1;
      break;
    case 'f':
      if (cli_parse_format("provinces", optarg, &fmt)) return 1;
      break;
    case 'l':
      if (strcmp(optarg, "vi") && strcmp(optarg, "en"))
        return cli_usage_error("provinces", "--lang must be vi or en");
      lang = optarg;
      break;
    case 'h': fputs(help, stdout); return 0;
    default: return cli_bad_option("provinces", optopt, argv[optind - 1], opts);
    }
  }
  if (optind < argc) return cli_usage_error("provinces", "unexpected argument '%s'", argv[optind]);
  chiso_err err;
  chiso_err_clear(&err);
  int rc = chiso_units_write((int)year, lang, fmt, stdout, &err);
  return rc ? cli_report("provinces", rc, &err) : 0;
}

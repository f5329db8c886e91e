/* cmd_validate.c — `chiso validate`: check survey files against a codebook. */
#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    "Usage: chiso validate --method M [--year Y] [--max-errors N] [--encoding E]\n"
    "                      [--sheet NAME] [--delimiter C] FILE...\n\n"
    "Check survey files (CSV, XLSX, SPSS .sav/.zsav/.por, Stata .dta, SAS\n"
    ".sas7bdat/.xpt) against the codebook of methodology M (a JSON file, or the\n"
    "name of a shipped methodology) and report every problem on standard\n"
    "output as\n"
    "  FILE:ROW:COLUMN: message (column \"HEADER\", value \"VALUE\")\n"
    "  FILE: case N, variable NAME: message (value \"VALUE\")   (SPSS, Stata, SAS)\n"
    "then one summary line per file and a total. Rows are numbered as in a\n"
    "spreadsheet (the header is row 1). In SPSS, Stata and SAS files a value\n"
    "label is read as the text it shows (1 [Có] is yes, 1 [Hà Nội] is Hà Nội),\n"
    "its code when the label is no answer; a variable is matched by name or by\n"
    "its label; missing values of every kind are blank.\n\n"
    "  --method M       methodology JSON file or shipped name (required)\n"
    "  --year Y         survey year: provinces are those in force in Y (default: the\n"
    "                   file's year column, else 2024 when it names provinces that\n"
    "                   exist only before 2025; otherwise give --year)\n"
    "  --max-errors N   list at most N problems per file (default 100; 0 = all)\n"
    "  --encoding E     auto (default: detected, legacy TCVN3 and VNI text too),\n"
    "                   tcvn3 or vni (text typed in an ABC .Vn or a VNI font, in\n"
    "                   any format), or for CSV utf-8, utf-16le, utf-16be,\n"
    "                   windows-1258\n"
    "  --sheet NAME     XLSX sheet to read (default: the first)\n"
    "  --delimiter C    CSV delimiter: ',', ';' or 'tab' (default: detected)\n\n"
    "Exit status: 0 when every file is clean, 2 when any has a problem, 1 on a\n"
    "usage error.\n";

typedef struct {
  const char *method, *sheet, *encoding;
  long year, max_errors;
  char delimiter;
} vopts;

static int parse_delimiter(const char *s, char *out) {
  if (strcmp(s, "tab") == 0 || strcmp(s, "\\t") == 0 || strcmp(s, "\t") == 0) *out = '\t';
  else if (strcmp(s, ",") == 0 || strcmp(s, ";") == 0) *out = s[0];
  else return cli_usage_error("validate", "--delimiter must be ',', ';' or 'tab', not '%s'", s);
  return 0;
}

static int parse_args(int argc, char **argv, vopts *o) {
  static const struct option opts[] = {{"method", required_argument, 0, 'm'},
                                       {"year", required_argument, 0, 'y'},
                                       {"max-errors", required_argument, 0, 'e'},
                                       {"encoding", required_argument, 0, 'E'},
                                       {"sheet", required_argument, 0, 's'},
                                       {"delimiter", required_argument, 0, 'd'},
                                       {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
  int c;
  opterr = 0;
  optind = 1;
  while ((c = getopt_long(argc, argv, "m:y:e:E:s:d:h", opts, NULL)) != -1) {
    switch (c) {
    case 'm': o->method = optarg; break;
    case 'y':
      if (cli_parse_long("validate", "--year", optarg, 1900, 2100, &o->year)) return 1;
      break;
    case 'e':
      if (cli_parse_long("validate", "--max-errors", optarg, 0, 100000000, &o->max_errors))
        return 1;
      break;
    case 'E':
      o->encoding = optarg;
      if (cli_check_encoding("validate", optarg)) return 1;
      break;
    case 's': o->sheet = optarg; break;
    case 'd':
      if (parse_delimiter(optarg, &o->delimiter)) return 1;
      break;
    case 'h': fputs(help, stdout); return -1;
    default: return cli_bad_option("validate", optopt, argv[optind - 1], opts);
    }
  }
  if (!o->method) return cli_usage_error("validate", "--method is required");
  if (optind >= argc) return cli_usage_error("validate", "give at least one FILE");
  return 0;
}

/* Print the note (columns the codebook does not know) of a check. */
static void print_notes(const char *text) {
  for (const char *p = text; *p;) {
    size_t n = strcspn(p, "\n");
    fprintf(stderr, "chiso validate: note: %.*s\n", (int)n, p);
    p += n + (p[n] == '\n');
  }
}

CHISO_COMMAND(validate, "Check survey files (CSV, XLSX, SPSS, Stata, SAS) against a codebook")
{
  vopts o = {NULL, NULL, NULL, 0, 100, 0};
  int a = parse_args(argc, argv, &o);
  if (a) return a < 0 ? 0 : a;
  chiso_err err;
  chiso_err_clear(&err);
  chiso_method *m = NULL;
  int rc = chiso_method_load(o.method, &m, &err);
  if (rc) return cli_report("validate", rc, &err);
  chiso_read_options ro;
  chiso_read_options_init(&ro);
  ro.encoding = o.encoding;
  ro.delimiter = o.delimiter;
  ro.sheet = o.sheet;
  ro.max_errors = (size_t)o.max_errors;
  int worst = CHISO_OK;
  size_t bad_files = 0, total = 0;
  for (int i = optind; i < argc; i++) {
    chiso_check *c = NULL;
    chiso_err_clear(&err);
    rc = chiso_check_file(argv[i], m, (int)o.year, &ro, &c, &err);
    if (c) {
      char *notes = NULL;
      size_t len = 0;
      FILE *nf = open_memstream(&notes, &len);
      chiso_check_write(c, rc, &err, CHISO_FORMAT_TABLE, stdout, nf);
      if (nf) fclose(nf);
      if (notes) print_notes(notes);
      free(notes);
      total += chiso_check_problems(c) ? chiso_check_problems(c) : rc != CHISO_OK;
    } else if (rc) {
      cli_report("validate", rc, &err);
    }
    if (rc && c) cli_hint("validate", &err);
    if (rc) {
      bad_files++;
      if (rc == CHISO_ENOMEM || rc == CHISO_EINTERNAL || worst == CHISO_OK) worst = rc;
    }
    chiso_check_free(c);
  }
  if (argc - optind > 1)
    printf("validate: %d files, %zu with problems, %zu problem%s\n", argc - optind, bad_files,
           total, total == 1 ? "" : "s");
  fflush(stdout);
  chiso_method_free(m);
  return cli_exit_code(worst);
}

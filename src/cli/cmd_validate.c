/* cmd_validate.c — `chiso validate`: check survey files against a codebook. */
#include "cli.h"

#include <getopt.h>
#include <string.h>

static const char help[] =
    "Usage: chiso validate --method M [--year Y] [--max-errors N] [--encoding E]\n"
    "                      [--sheet NAME] [--delimiter C] FILE...\n\n"
    "Check survey files (CSV or XLSX) against the codebook of methodology M (a\n"
    "JSON file, or the name of a shipped methodology) and report every problem\n"
    "on standard output as\n"
    "  FILE:ROW:COLUMN: message (column \"HEADER\", value \"VALUE\")\n"
    "then one summary line per file and a total. Rows are numbered as in a\n"
    "spreadsheet (the header is row 1).\n\n"
    "  --method M       methodology JSON file or shipped name (required)\n"
    "  --year Y         survey year: provinces are those in force in Y (default: this year)\n"
    "  --max-errors N   list at most N problems per file (default 100; 0 = all)\n"
    "  --encoding E     CSV encoding: auto (default), utf-8, utf-16le, utf-16be,\n"
    "                   windows-1258\n"
    "  --sheet NAME     XLSX sheet to read (default: the first)\n"
    "  --delimiter C    CSV delimiter: ',', ';' or 'tab' (default: detected)\n\n"
    "Exit status: 0 when every file is clean, 2 when any has a problem, 1 on a\n"
    "usage error.\n";

typedef struct {
  const char *method, *sheet;
  long year, max_errors;
  csvread_encoding encoding;
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
      if (csvread_parse_encoding(optarg, &o->encoding))
        return cli_usage_error("validate", "unknown encoding '%s' (use auto, utf-8, utf-16le, "
                                           "utf-16be or windows-1258)", optarg);
      break;
    case 's': o->sheet = optarg; break;
    case 'd':
      if (parse_delimiter(optarg, &o->delimiter)) return 1;
      break;
    case 'h': fputs(help, stdout); return -1;
    default: return cli_bad_option("validate", optopt, argv[optind - 1]);
    }
  }
  if (!o->method) return cli_usage_error("validate", "--method is required");
  if (optind >= argc) return cli_usage_error("validate", "give at least one FILE");
  return 0;
}

static void print_report(const ingest_report *r, const chiso_err *err) {
  char line[4096];
  for (size_t i = 0; i < r->n_problems; i++) {
    ingest_problem_format(r, &r->problems[i], line, sizeof line);
    printf("%s\n", line);
  }
  if (r->n_errors > r->n_problems)
    printf("%s: ... and %zu more problems not listed (--max-errors)\n", r->file,
           r->n_errors - r->n_problems);
  if (r->fatal) {
    chiso_err_format(err, line, sizeof line);
    printf("%s\n", line);
  }
  if (r->n_unused) {
    fprintf(stderr, "chiso validate: note: %s: %zu column%s not in the codebook:", r->file,
            r->n_unused, r->n_unused == 1 ? "" : "s");
    for (size_t i = 0; i < r->n_unused && i < 10; i++)
      fprintf(stderr, "%s \"%s\"", i ? "," : "", r->unused_columns[i]);
    fprintf(stderr, "%s\n", r->n_unused > 10 ? ", ..." : "");
  }
}

static void print_summary(const ingest_report *r, int rc) {
  char how[64] = "";
  if (strcmp(r->format, "csv") == 0 && r->encoding[0])
    snprintf(how, sizeof how, "CSV, %s, '%s'", r->encoding,
             r->delimiter == '\t' ? "tab" : (char[2]){r->delimiter, 0});
  else
    snprintf(how, sizeof how, "%s", strcmp(r->format, "xlsx") == 0 ? "XLSX" : "CSV");
  if (rc == CHISO_OK)
    printf("%s: ok, %zu rows (%s)\n", r->file, r->rows_read, how);
  else if (r->n_errors)
    printf("%s: %zu problem%s in %zu rows (%s)\n", r->file, r->n_errors,
           r->n_errors == 1 ? "" : "s", r->rows_read, how);
  else
    printf("%s: cannot be read\n", r->file);
}

CHISO_COMMAND(validate, "Check survey files (CSV/XLSX) against a methodology's codebook")
{
  vopts o = {NULL, NULL, cli_current_year(), 100, CSVREAD_ENC_AUTO, 0};
  int a = parse_args(argc, argv, &o);
  if (a) return a < 0 ? 0 : a;
  chiso_err err;
  chiso_err_clear(&err);
  codebook *cb = NULL;
  geo_registry *reg = NULL;
  int rc = codebook_load_method(o.method, &cb, &err);
  if (!rc) rc = geo_registry_new(&reg, &err);
  if (rc) {
    codebook_free(cb);
    return cli_report("validate", rc, &err);
  }
  ingest_options io = {(size_t)o.max_errors, 0, o.encoding, o.delimiter, 0, o.sheet, NULL, NULL};
  int worst = CHISO_OK;
  size_t bad_files = 0, total = 0;
  for (int i = optind; i < argc; i++) {
    survey_data *s = NULL;
    ingest_report *r = NULL;
    chiso_err_clear(&err);
    rc = ingest_file(argv[i], cb, reg, (int)o.year, &io, &s, &r, &err);
    if (r) {
      print_report(r, &err);
      print_summary(r, rc);
      total += r->n_errors ? r->n_errors : rc != CHISO_OK;
    } else if (rc) {
      cli_report("validate", rc, &err);
    }
    if (rc) {
      bad_files++;
      if (rc == CHISO_ENOMEM || rc == CHISO_EINTERNAL || worst == CHISO_OK) worst = rc;
    }
    survey_free(s);
    ingest_report_free(r);
  }
  if (argc - optind > 1)
    printf("validate: %d files, %zu with problems, %zu problems\n", argc - optind, bad_files,
           total);
  fflush(stdout);
  codebook_free(cb);
  geo_registry_free(reg);
  return chiso_exit_code(worst);
}

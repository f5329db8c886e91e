/* cmd_import.c — `chiso import`: code survey files and store them. */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char help[] =
    "Usage: chiso import --db FILE --method M [--year Y] [--replace] [--skip-invalid]\n"
    "                    [--blank-invalid] [--encoding E] FILE...\n\n"
    "Read survey files (CSV, XLSX, SPSS .sav/.zsav/.por, Stata .dta, SAS\n"
    ".sas7bdat/.xpt) with the codebook of methodology M (a file or a shipped\n"
    "name), check every cell, and store them in the SQLite store FILE in ONE\n"
    "transaction: all files are imported or none.\n\n"
    "  --year Y        the survey year (default: the files' year column, the\n"
    "                  same in every file); the year and units each file was\n"
    "                  read for, and the former provinces mapped, are noted\n"
    "                  on stderr\n"
    "  --replace       a file of the same name imported before with other\n"
    "                  content is swapped for the new one (atomically)\n"
    "  --skip-invalid  import the valid rows of a file with problems; the\n"
    "                  skipped rows are reported on stderr\n"
    "  --blank-invalid a wrong answer to a question that is not required (not a\n"
    "                  yes/no word, out of range, not an allowed option, not a\n"
    "                  number) is set to missing and the respondent kept; each\n"
    "                  such cell is reported on stderr\n"
    "  --encoding E    auto (default), tcvn3, vni, utf-8, utf-16le, utf-16be,\n"
    "                  windows-1258 (see chiso validate --help)\n\n"
    "A file already imported for Y (same SHA-256) is left alone, with a note.\n"
    "A file with problems imports nothing (exit 2) and the store is unchanged.\n";

typedef struct iopts {
  const char *db, *method, *encoding;
  long year;
  int replace, skip, blank;
} iopts;

static int parse_args(int argc, char **argv, iopts *o) {
  static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                       {"method", required_argument, 0, 'm'},
                                       {"year", required_argument, 0, 'y'},
                                       {"replace", no_argument, 0, 'r'},
                                       {"skip-invalid", no_argument, 0, 's'},
                                       {"blank-invalid", no_argument, 0, 'b'},
                                       {"encoding", required_argument, 0, 'E'},
                                       {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
  int c;
  opterr = 0;
  optind = 1;
  while ((c = getopt_long(argc, argv, "d:m:y:rsbE:h", opts, NULL)) != -1) {
    switch (c) {
    case 'd': o->db = optarg; break;
    case 'm': o->method = optarg; break;
    case 'y': if (cli_parse_long("import", "--year", optarg, 1900, 2100, &o->year)) return 1; break;
    case 'r': o->replace = 1; break;
    case 's': o->skip = 1; break;
    case 'b': o->blank = 1; break;
    case 'E':
      if (cli_check_encoding("import", optarg)) return 1;
      o->encoding = optarg;
      break;
    case 'h': fputs(help, stdout); return -1;
    default: return cli_bad_option("import", optopt, argv[optind - 1], opts);
    }
  }
  if (!o->db || !o->method)
    return cli_usage_error("import", "--db FILE and --method M are required");
  if (optind >= argc) return cli_usage_error("import", "no survey file given");
  return 0;
}

/* Every file's problems (to stderr) and, on success, what was done. */
static void report(const chiso_import *r, int ok) {
  static const char *what[] = {"imported as", "already imported, nothing done: import",
                               "replaced; now import"};
  chiso_import_problems_write(r, stderr);
  for (size_t i = 0; ok && i < chiso_import_count(r); i++) {
    chiso_import_info f;
    chiso_import_get(r, i, &f);
    if (f.rows_skipped) chiso_log(CHISO_LOG_WARN, "%s: %zu invalid rows skipped", f.path, f.rows_skipped);
    if (f.cells_blanked)
      chiso_log(CHISO_LOG_WARN, "%s: %zu wrong optional answers set to missing", f.path, f.cells_blanked);
  }
  for (size_t i = 0; ok && i < chiso_import_count(r); i++) {
    chiso_import_info f;
    chiso_import_get(r, i, &f);
    chiso_log(CHISO_LOG_NOTE, "%s: %s %lld (%ld rows)", f.path, what[f.outcome], f.import_id, f.rows);
  }
}

CHISO_COMMAND(import, "Import survey files into the SQLite store (one transaction)")
{
  iopts o = {0};
  int a = parse_args(argc, argv, &o);
  if (a) return a < 0 ? 0 : a;
  chiso_err err;
  chiso_err_clear(&err);
  chiso_method *m = NULL;
  chiso_import *r = NULL;
  chiso_import_options io;
  chiso_import_options_init(&io, (int)o.year);
  io.replace = o.replace;
  io.read.skip_invalid = o.skip;
  io.read.blank_invalid = o.blank;
  io.read.encoding = o.encoding;
  int rc = chiso_method_load(o.method, &m, &err);
  if (!rc)
    rc = chiso_import_files(o.db, m, (const char *const *)argv + optind, (size_t)(argc - optind),
                            &io, &r, &err);
  if (r) report(r, rc == CHISO_OK);
  chiso_import_free(r);
  chiso_method_free(m);
  return rc ? cli_report("import", rc, &err) : 0;
}

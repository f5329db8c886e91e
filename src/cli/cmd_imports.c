/* cmd_imports.c — `chiso imports`: list the imports of a store. */
#include "cli.h"

#include <getopt.h>
#include <jansson.h>

static const char help[] =
    "Usage: chiso imports --db FILE [--format table|csv|json]\n\n"
    "List the survey files imported into the store FILE: id, year, file,\n"
    "rows, skipped rows, size, SHA-256, methodology and time (UTC).\n";

static int print_csv(const store_import_info *x, size_t n, FILE *out) {
  const char *head[] = {"id", "year", "file", "rows", "skipped", "size", "sha256",
                        "method", "method_hash", "imported_at"};
  csvwrite_row(out, head, 10, 0);
  for (size_t i = 0; i < n; i++) {
    char id[32], year[16], rows[32], skipped[32], size[32];
    snprintf(id, sizeof id, "%lld", x[i].id);
    snprintf(year, sizeof year, "%d", x[i].year);
    snprintf(rows, sizeof rows, "%ld", x[i].rows);
    snprintf(skipped, sizeof skipped, "%ld", x[i].skipped);
    snprintf(size, sizeof size, "%lld", x[i].size);
    const char *row[] = {id, year, x[i].file, rows, skipped, size, x[i].sha256,
                         x[i].method_id, x[i].method_hash, x[i].imported_at};
    if (csvwrite_row(out, row, 10, 0)) return CHISO_EIO;
  }
  return CHISO_OK;
}

static int print_json(const store_import_info *x, size_t n, FILE *out) {
  json_t *list = json_array();
  for (size_t i = 0; i < n; i++) {
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(x[i].id));
    json_object_set_new(o, "year", json_integer(x[i].year));
    json_object_set_new(o, "file", json_string(x[i].file));
    json_object_set_new(o, "rows", json_integer(x[i].rows));
    json_object_set_new(o, "skipped", json_integer(x[i].skipped));
    json_object_set_new(o, "size", json_integer(x[i].size));
    json_object_set_new(o, "sha256", json_string(x[i].sha256));
    json_object_set_new(o, "method", json_string(x[i].method_id));
    json_object_set_new(o, "method_hash", json_string(x[i].method_hash));
    json_object_set_new(o, "imported_at", json_string(x[i].imported_at));
    json_array_append_new(list, o);
  }
  int rc = json_dumpf(list, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) == 0 ? 0 : CHISO_EIO;
  fputc('\n', out);
  json_decref(list);
  return rc;
}

static int print_table(const store_import_info *x, size_t n, FILE *out) {
  const char *head[] = {"id", "year", "file", "rows", "skipped", "method", "sha256", "imported"};
  cli_table *t = cli_table_new(8, head);
  if (!t) return CHISO_ENOMEM;
  for (int c = 0; c < 5; c++) if (c != 2) cli_table_right(t, c);
  for (size_t i = 0; i < n; i++) {
    char id[32], year[16], rows[32], skipped[32], sha[16];
    snprintf(id, sizeof id, "%lld", x[i].id);
    snprintf(year, sizeof year, "%d", x[i].year);
    snprintf(rows, sizeof rows, "%ld", x[i].rows);
    snprintf(skipped, sizeof skipped, "%ld", x[i].skipped);
    snprintf(sha, sizeof sha, "%.12s", x[i].sha256);
    const char *row[] = {id, year, x[i].file, rows, skipped, x[i].method_id, sha, x[i].imported_at};
    cli_table_add(t, row);
  }
  cli_table_print(t, out);
  cli_table_free(t);
  return CHISO_OK;
}

CHISO_COMMAND(imports, "List the survey files imported into a store")
{
  static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                       {"format", required_argument, 0, 'f'},
                                       {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
  const char *db = NULL;
  cli_format fmt = CLI_TABLE;
  int c;
  opterr = 0;
  optind = 1;
  while ((c = getopt_long(argc, argv, "d:f:h", opts, NULL)) != -1) {
    switch (c) {
    case 'd': db = optarg; break;
    case 'f': if (cli_parse_format("imports", optarg, &fmt)) return 1; break;
    case 'h': fputs(help, stdout); return 0;
    default: return cli_bad_option("imports", optopt, argv[optind - 1]);
    }
  }
  if (!db) return cli_usage_error("imports", "--db FILE is required");
  if (optind < argc) return cli_usage_error("imports", "unexpected argument '%s'", argv[optind]);
  chiso_err err;
  chiso_err_clear(&err);
  store *st = NULL;
  store_import_info *list = NULL;
  size_t n = 0;
  int rc = store_open(db, 0, &st, &err);
  if (!rc) rc = store_list(st, &list, &n, &err);
  store_close(st);
  if (rc) return cli_report("imports", rc, &err);
  if (fmt == CLI_CSV) rc = print_csv(list, n, stdout);
  else if (fmt == CLI_JSON) rc = print_json(list, n, stdout);
  else rc = print_table(list, n, stdout);
  chiso_free(list);
  return rc ? cli_report("imports", rc, &err) : 0;
}

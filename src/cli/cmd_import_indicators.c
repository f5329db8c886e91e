/* cmd_import_indicators.c — `chiso import-indicators`: store external
** (official) indicators per province for a year. */
#include "cli.h"

#include <getopt.h>
#include <math.h>
#include <string.h>

static const char help[] =
    "Usage: chiso import-indicators --db FILE --year Y INDICATORS.csv\n\n"
    "Store province indicators that do not come from the survey (official\n"
    "statistics) for year Y. Two layouts are read:\n"
    "  long:  code,indicator,value[,source]\n"
    "  wide:  code, then one column per indicator\n"
    "The province column may be named code or province and hold codes or\n"
    "names in any spelling (see `chiso resolve`); empty values are stored as\n"
    "missing. A value already stored for the same year, province and\n"
    "indicator is replaced. The whole file is checked before the store is\n"
    "touched, and stored in one transaction.\n";

typedef struct rows {
  store_indicator *v;
  size_t n, cap;
} rows;

static int add_row(rows *r, const char *code, const char *ind, double value, const char *src) {
  if (chiso_grow((void **)&r->v, &r->cap, r->n + 1, sizeof *r->v)) return CHISO_ENOMEM;
  store_indicator *x = &r->v[r->n++];
  memcpy(x->code, code, 3);
  x->indicator = ind;
  x->value = value;
  x->source = src && *src ? src : NULL;
  return CHISO_OK;
}

static int resolve_cell(const csvtable_table *t, size_t r, int c, const geo_registry *reg, int year,
                        char code[3], chiso_err *err) {
  geo_match m;
  int rc = geo_resolve(reg, year, csvtable_cell(t, r, c), &m, err);
  if (rc) {
    char msg[sizeof err->message];
    snprintf(msg, sizeof msg, "%s", err->message);
    return csvtable_error(t, r, c, err, "%s", msg);
  }
  memcpy(code, m.unit->code, 3);
  return CHISO_OK;
}

static int read_rows(const csvtable_table *t, const geo_registry *reg, int year, rows *out,
                     chiso_err *err) {
  int cc = csvtable_col(t, "code");
  if (cc < 0) cc = csvtable_col(t, "province");
  if (cc < 0) return chiso_err_at(err, CHISO_EDATA, t->name, 1, 0, "no code or province column");
  int ci = csvtable_col(t, "indicator"), cv = csvtable_col(t, "value"), cs = csvtable_col(t, "source");
  int is_long = ci >= 0 && cv >= 0;
  int rc = CHISO_OK;
  for (size_t r = 0; !rc && r < t->n_rows; r++) {
    char code[3];
    double v;
    if ((rc = resolve_cell(t, r, cc, reg, year, code, err))) break;
    if (is_long) {
      if (!*csvtable_cell(t, r, ci)) return csvtable_error(t, r, ci, err, "empty indicator id");
      if (!(rc = csvtable_number(t, r, cv, 1, &v, err)))
        rc = add_row(out, code, csvtable_cell(t, r, ci), v, cs >= 0 ? csvtable_cell(t, r, cs) : NULL);
      continue;
    }
    for (size_t c = 0; !rc && c < t->n_cols; c++) {
      if ((int)c == cc || (int)c == cs) continue;
      if (!(rc = csvtable_number(t, r, (int)c, 1, &v, err)))
        rc = add_row(out, code, t->header[c], v, cs >= 0 ? csvtable_cell(t, r, cs) : NULL);
    }
  }
  if (rc == CHISO_ENOMEM) chiso_err_set(err, rc, "out of memory");
  if (!rc && out->n == 0) rc = chiso_err_at(err, CHISO_EDATA, t->name, 0, 0, "no indicator values");
  return rc;
}

CHISO_COMMAND(import_indicators, "Store external province indicators for a year")
{
  static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                       {"year", required_argument, 0, 'y'},
                                       {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
  const char *db = NULL;
  long year = 0;
  int c;
  opterr = 0;
  optind = 1;
  while ((c = getopt_long(argc, argv, "d:y:h", opts, NULL)) != -1) {
    switch (c) {
    case 'd': db = optarg; break;
    case 'y': if (cli_parse_long("import-indicators", "--year", optarg, 1900, 2100, &year)) return 1; break;
    case 'h': fputs(help, stdout); return 0;
    default: return cli_bad_option("import-indicators", optopt, argv[optind - 1]);
    }
  }
  if (!db || !year) return cli_usage_error("import-indicators", "--db FILE and --year Y are required");
  if (optind + 1 != argc) return cli_usage_error("import-indicators", "give one CSV file");
  chiso_err err;
  chiso_err_clear(&err);
  geo_registry *reg = NULL;
  csvtable_table *t = NULL;
  store *st = NULL;
  rows r = {0};
  int rc = geo_registry_new(&reg, &err);
  if (!rc) rc = csvtable_read(argv[optind], &t, &err);
  if (!rc) rc = read_rows(t, reg, (int)year, &r, &err);
  if (!rc) rc = store_open(db, 1, &st, &err);
  if (!rc) rc = store_put_indicators(st, (int)year, r.v, r.n, &err);
  store_close(st);
  if (!rc) chiso_log(CHISO_LOG_NOTE, "stored %zu indicator values for %ld", r.n, year);
  chiso_free(r.v);
  csvtable_free(t);
  geo_registry_free(reg);
  return rc ? cli_report("import-indicators", rc, &err) : 0;
}

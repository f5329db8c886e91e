/* rptcli.c — the report model source of `chiso report` and `chiso export`. */
#include "rptcli.h"

#include <errno.h>
#include <stdlib.h>

static int parse_seed(const char *cmd, const char *arg, uint64_t *out) {
  char *end;
  errno = 0;
  unsigned long long v = strtoull(arg, &end, 10);
  if (errno || *end || end == arg || arg[0] == '-') {
    cli_usage_error(cmd, "--seed must be a whole number >= 0");
    return -1;
  }
  *out = (uint64_t)v;
  return 1;
}

int rptcli_option(const char *cmd, int c, const char *arg, rptcli_source *s) {
  long v;
  switch (c) {
  case 'm': s->model = arg; return 1;
  case 'K': s->title = arg; return 1;
  case 'H': s->hide_empty = 1; return 1;
  case 'd': s->db = arg; return 1;
  case 'M': s->method = arg; return 1;
  case 'S': return parse_seed(cmd, arg, &s->seed);
  case 'R': return cli_parse_long(cmd, "--runs", arg, 0, 100000, &s->runs) ? -1 : 1;
  case 'B': return cli_parse_long(cmd, "--sobol", arg, 0, 100000, &s->sobol) ? -1 : 1;
  case 'T': return cli_parse_long(cmd, "--threads", arg, 1, 256, &s->threads) ? -1 : 1;
  case 'y':
    if (cli_parse_long(cmd, "--year", arg, 1900, 2100, &s->year)) return -1;
    return 1;
  case 'u':
    if (cli_parse_long(cmd, "--units", arg, 34, 63, &v)) return -1;
    if (v != 34 && v != 63) {
      cli_usage_error(cmd, "--units must be 63 or 34");
      return -1;
    }
    s->units = (int)v;
    return 1;
  default: return 0;
  }
}

int rptcli_check(const char *cmd, const rptcli_source *s) {
  if (s->model && s->db) return cli_usage_error(cmd, "give either --model FILE or --db FILE, not both");
  if (!s->model && !s->db) return cli_usage_error(cmd, "--db FILE --year Y (or --model FILE) is required");
  if (s->db && !s->year) return cli_usage_error(cmd, "--year Y is required with --db");
  if (s->model && (s->year || s->method))
    return cli_usage_error(cmd, "--year and --method go with --db, not --model");
  return 0;
}

static int from_db(const rptcli_source *s, chiso_report **out, chiso_err *err) {
  chiso_store *st = NULL;
  chiso_report_options o;
  chiso_report_options_init(&o);
  o.units = s->units;
  o.method = s->method;
  o.seed = s->seed;
  o.synthetic = s->synthetic;
  o.runs = (size_t)s->runs;
  o.sobol = (size_t)s->sobol;
  o.threads = (int)s->threads;
  int rc = chiso_store_open(s->db, 0, &st, err);
  if (!rc) rc = chiso_report_build(st, (int)s->year, &o, out, err);
  chiso_store_close(st);
  return rc;
}

int rptcli_model(const rptcli_source *s, chiso_report **out, chiso_err *err) {
  int rc = s->model ? chiso_report_load(s->model, out, err) : from_db(s, out, err);
  if (!rc && s->title) rc = chiso_report_set_title(*out, s->title, s->title, err);
  if (!rc && s->hide_empty) chiso_report_hide_empty(*out, 1);
  if (rc) {
    chiso_report_free(*out);
    *out = NULL;
  }
  return rc;
}

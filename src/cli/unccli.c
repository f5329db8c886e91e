/* unccli.c — options and input loading of the uncertainty commands. */
#include "unccli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static int parse_mode(const char *cmd, const char *s, unccli_mode *m) {
  if (!strcmp(s, "sampling")) *m = UNCCLI_SAMPLING;
  else if (!strcmp(s, "method")) *m = UNCCLI_METHOD;
  else if (!strcmp(s, "crossed") || !strcmp(s, "both")) *m = UNCCLI_BOTH;
  else return cli_usage_error(cmd, "--mode must be sampling, method or crossed");
  return 0;
}

static int parse_one(const char *cmd, int c, unccli_opts *o) {
  switch (c) {
  case 'm': o->method = optarg; return 0;
  case 'i': o->imeta = optarg; return 0;
  case 'd': o->data = optarg; return 0;
  case 'D': o->db = optarg; return 0;
  case 's': o->spec = optarg; return 0;
  case 'o': o->out = optarg; return 0;
  case 'C': o->convergence = 1; return 0;
  case 'M': return parse_mode(cmd, optarg, &o->mode);
  case 'y': return cli_parse_long(cmd, "--year", optarg, 1900, 2100, &o->year);
  case 'n': return cli_parse_long(cmd, "--runs", optarg, 2, 100000000, &o->runs);
  case 'r': return cli_parse_long(cmd, "--replicates", optarg, 2, 1000000, &o->replicates);
  case 't': return cli_parse_long(cmd, "--threads", optarg, 1, 256, &o->threads);
  case 'S': return cli_parse_long(cmd, "--seed", optarg, 0, 0x7fffffffffffffffL, &o->seed);
  case 'f': return cli_parse_format(cmd, optarg, &o->fmt);
  default: return -2;
  }
}

int unccli_parse(const char *cmd, const char *help, int argc, char **argv, long runs,
                 unccli_opts *o) {
  static const struct option lo[] = {
      {"method", required_argument, 0, 'm'},  {"imeta", required_argument, 0, 'i'},
      {"data", required_argument, 0, 'd'},    {"db", required_argument, 0, 'D'},
      {"year", required_argument, 0, 'y'},    {"spec", required_argument, 0, 's'},
      {"mode", required_argument, 0, 'M'},    {"runs", required_argument, 0, 'n'},
      {"replicates", required_argument, 0, 'r'}, {"threads", required_argument, 0, 't'},
      {"seed", required_argument, 0, 'S'},    {"format", required_argument, 0, 'f'},
      {"out", required_argument, 0, 'o'},     {"convergence", no_argument, 0, 'C'},
      {"help", no_argument, 0, 'h'},          {0, 0, 0, 0}};
  memset(o, 0, sizeof *o);
  o->runs = runs;
  o->replicates = 500;
  o->seed = 1;
  o->threads = 0; /* one per CPU */
  int c;
  opterr = 0;
  optind = 1;
  while ((c = getopt_long(argc, argv, "m:i:d:D:y:s:M:n:r:t:S:f:o:Ch", lo, NULL)) != -1) {
    if (c == 'h') { fputs(help, stdout); return -1; }
    int rc = parse_one(cmd, c, o);
    if (rc == -2) return cli_bad_option(cmd, optopt, argv[optind - 1], lo);
    if (rc) return rc;
  }
  if (optind < argc) return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
  if (o->db && (o->imeta || o->data))
    return cli_usage_error(cmd, "give --db and --year, or --imeta/--method with --data");
  if (o->db && !o->year) return cli_usage_error(cmd, "--db needs --year");
  if (!o->db && o->year) return cli_usage_error(cmd, "--year needs --db");
  if (!o->db && (o->mode == UNCCLI_SAMPLING || o->mode == UNCCLI_BOTH))
    return cli_usage_error(cmd, "--mode %s needs survey microdata (--db)",
                           o->mode == UNCCLI_SAMPLING ? "sampling" : "crossed");
  if (!o->db && !o->data) return cli_usage_error(cmd, "give --db and --year, or --data");
  return 0;
}

/* The progress callback on a terminal, else none. */
static chiso_progress_fn progress_fn(void) { return cli_stderr_is_tty() ? cli_progress : NULL; }

void unccli_default_mode(unccli_opts *o, unccli_mode with_db) {
  if (o->mode == UNCCLI_AUTO) o->mode = o->db ? with_db : UNCCLI_METHOD;
}

/* A stored year and its index on the year's own units. */
static int load_db(const unccli_opts *o, unccli_input *in, chiso_err *err) {
  chiso_store *st = NULL;
  chiso_year_options yo;
  chiso_year_options_init(&yo);
  yo.method = o->method;
  int rc = chiso_store_open(o->db, 0, &st, err);
  if (!rc) rc = chiso_year_open(st, (int)o->year, &yo, &in->year, err);
  chiso_store_close(st);
  if (!rc) rc = chiso_year_index(in->year, 0, &in->index, err);
  if (!rc) in->synthetic = chiso_year_synthetic(in->year);
  return rc;
}

int unccli_load(const char *cmd, const unccli_opts *o, unccli_input *in) {
  memset(in, 0, sizeof *in);
  chiso_err err;
  chiso_err_clear(&err);
  if (!o->db && !!o->method == !!o->imeta)
    return cli_usage_error(cmd, "give exactly one of --method and --imeta");
  int rc = o->db ? load_db(o, in, &err)
                 : chiso_index_files(o->method, o->imeta, o->data, NULL, &in->index, &err);
  if (rc) {
    unccli_input_free(in);
    return cli_report(cmd, rc, &err);
  }
  return 0;
}

void unccli_input_free(unccli_input *in) {
  chiso_index_free(in->index);
  chiso_year_free(in->year);
  memset(in, 0, sizeof *in);
}

void unccli_options(const unccli_opts *o, chiso_unc_options *uo) {
  memset(uo, 0, sizeof *uo);
  uo->mode = o->mode == UNCCLI_SAMPLING ? CHISO_UNC_SAMPLING
             : o->mode == UNCCLI_BOTH   ? CHISO_UNC_CROSSED
                                        : CHISO_UNC_METHOD;
  uo->spec = o->spec;
  uo->runs = (size_t)o->runs;
  uo->replicates = (size_t)o->replicates;
  uo->seed = (uint64_t)o->seed;
  uo->threads = (int)o->threads;
  uo->convergence = o->convergence;
  uo->progress = progress_fn();
}

int unccli_run(const char *cmd, const unccli_opts *o, const unccli_input *in,
               unccli_write_fn write) {
  chiso_unc_options uo;
  chiso_err err;
  chiso_err_clear(&err);
  unccli_options(o, &uo);
  FILE *f = cli_open_output(cmd, o->out);
  if (!f) return CLI_EXIT_DATA;
  int rc = write(in->index, &uo, o->fmt, f, &err);
  int wrc = cli_end_output(f, rc);
  if (rc) return cli_report(cmd, rc, &err);
  if (wrc) {
    fprintf(stderr, "chiso %s: cannot write the output\n", cmd);
    return CLI_EXIT_DATA;
  }
  return cli_mark_synthetic(cmd, o->fmt, o->out, o->db, (int)o->year, in->synthetic);
}

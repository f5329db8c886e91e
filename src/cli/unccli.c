/* unccli.c — options and input loading of the uncertainty commands. */
#include "unccli.h"

#include "idxcli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static int parse_mode(const char *cmd, const char *s, unccli_mode *m) {
  if (!strcmp(s, "sampling")) *m = UNCCLI_SAMPLING;
  else if (!strcmp(s, "method")) *m = UNCCLI_METHOD;
  else if (!strcmp(s, "both")) *m = UNCCLI_BOTH;
  else return cli_usage_error(cmd, "--mode must be sampling, method or both");
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
  o->threads = workers_default_threads();
  int c;
  opterr = 0;
  optind = 1;
  while ((c = getopt_long(argc, argv, "m:i:d:D:y:s:M:n:r:t:S:f:o:Ch", lo, NULL)) != -1) {
    if (c == 'h') { fputs(help, stdout); return -1; }
    int rc = parse_one(cmd, c, o);
    if (rc == -2) return cli_bad_option(cmd, optopt, argv[optind - 1]);
    if (rc) return rc;
  }
  if (optind < argc) return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
  if (o->db)
    return cli_usage_error(cmd, "--db needs the survey store, which this build does not have "
                                "yet; use --imeta/--method with --data");
  if (o->mode == UNCCLI_SAMPLING || o->mode == UNCCLI_BOTH)
    return cli_usage_error(cmd, "--mode %s needs survey microdata (--db)",
                           o->mode == UNCCLI_SAMPLING ? "sampling" : "both");
  if (o->mode == UNCCLI_AUTO) o->mode = UNCCLI_METHOD;
  return 0;
}

int unccli_load(const char *cmd, const unccli_opts *o, unccli_input *in) {
  memset(in, 0, sizeof *in);
  int rc = idxcli_load(cmd, o->method, o->imeta, o->data, &in->model, &in->data);
  if (rc) return rc;
  chiso_err err;
  chiso_err_clear(&err);
  rc = idx_plan_new(in->model, in->data, &in->plan, &err);
  if (!rc && o->spec) rc = unc_spec_load(o->spec, &in->spec, &err);
  if (rc) {
    unccli_input_free(in);
    return cli_report(cmd, rc, &err);
  }
  return 0;
}

void unccli_input_free(unccli_input *in) {
  unc_spec_free(in->spec);
  idx_plan_free(in->plan);
  idx_data_free(in->data);
  idx_model_free(in->model);
  free(in->replicates);
  memset(in, 0, sizeof *in);
}

void unccli_setup(const unccli_opts *o, const unccli_input *in, unc_setup *s) {
  memset(s, 0, sizeof *s);
  s->plan = in->plan;
  s->spec = in->spec;
  s->replicates = in->replicates;
  s->n_replicates = in->n_replicates;
  s->seed = (uint64_t)o->seed;
  s->threads = (int)o->threads;
  s->progress = cli_stderr_is_tty() ? cli_progress : NULL;
}

int unccli_write(const char *cmd, const char *path, unccli_print_fn print, const void *ud) {
  FILE *f = cli_open_output(cmd, path);
  if (!f) return CHISO_EXIT_DATA;
  int rc = print(f, ud);
  if (cli_close_output(f) && !rc) rc = CHISO_EIO;
  if (!rc) return 0;
  chiso_err err;
  chiso_err_set(&err, rc, "cannot write the output");
  return cli_report(cmd, rc, &err);
}

int unccli_dump_json(json_t *root, FILE *f) {
  int rc = json_dumpf(root, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17)) ? CHISO_EIO : 0;
  fputc('\n', f);
  json_decref(root);
  return rc;
}

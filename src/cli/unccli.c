/* unccli.c — options and input loading of the uncertainty commands. */
#include "unccli.h"

#include "idxcli.h"

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

/* A stored year: the nominal index, and its bootstrap replicates when the
** mode samples. The replicate seed is derived from --seed so that the
** replicate streams and the analysis streams differ. */
static int load_db(const unccli_opts *o, unccli_input *in, chiso_err *err) {
  store *st = NULL;
  const year_result *r = NULL;
  int rc = store_open(o->db, 0, &st, err);
  year_options po;
  year_options_init(&po);
  po.method = o->method;
  if (!rc) rc = geo_registry_new(&in->reg, err);
  if (!rc) rc = year_load(st, in->reg, (int)o->year, &po, &in->year, err);
  store_close(st);
  geo_era era = in->year ? year_own_era(in->year) : GEO_ERA_34;
  if (!rc) rc = year_result_get(in->year, era, &r, err);
  if (!rc && (o->mode == UNCCLI_SAMPLING || o->mode == UNCCLI_BOTH)) {
    const year_replicates *rep = NULL;
    rc = year_replicates_get(in->year, era, (size_t)o->replicates,
                             unccli_boot_seed((uint64_t)o->seed), (int)o->threads, progress_fn(),
                             NULL, &rep, err);
    if (!rc) {
      in->replicates = rep->tables;
      in->n_replicates = rep->n_replicates;
    }
  }
  if (rc) return rc;
  in->synthetic = year_synthetic(in->year);
  in->model = (idx_model *)r->model;
  in->data = r->data;
  in->plan = r->plan;
  return CHISO_OK;
}

void unccli_default_mode(unccli_opts *o, unccli_mode with_db) {
  if (o->mode == UNCCLI_AUTO) o->mode = o->db ? with_db : UNCCLI_METHOD;
}

uint64_t unccli_boot_seed(uint64_t seed) { return uncertainty_boot_seed(seed); }

int unccli_load(const char *cmd, const unccli_opts *o, unccli_input *in) {
  memset(in, 0, sizeof *in);
  chiso_err err;
  chiso_err_clear(&err);
  int rc;
  if (o->db) {
    rc = load_db(o, in, &err);
  } else {
    rc = idxcli_load(cmd, o->method, o->imeta, o->data, &in->model, &in->data);
    if (rc) return rc;
    rc = idx_plan_new(in->model, in->data, &in->plan, &err);
  }
  if (!rc && o->spec) rc = montecarlo_spec_load(o->spec, &in->spec, &err);
  if (!rc && o->mode == UNCCLI_BOTH && in->spec && !montecarlo_spec_has(in->spec, MONTECARLO_SAMPLING))
    rc = chiso_err_set(&err, CHISO_EUSAGE, "%s: --mode crossed needs a {\"type\": \"sampling\"} "
                       "input in the spec", o->spec);
  if (rc) {
    unccli_input_free(in);
    return cli_report(cmd, rc, &err);
  }
  return 0;
}

void unccli_input_free(unccli_input *in) {
  montecarlo_spec_free(in->spec);
  if (in->year) year_free(in->year);
  else {
    idx_plan_free(in->plan);
    idx_data_free(in->data);
    idx_model_free(in->model);
  }
  geo_registry_free(in->reg);
  memset(in, 0, sizeof *in);
}

void unccli_setup(const unccli_opts *o, const unccli_input *in, montecarlo_setup *s) {
  memset(s, 0, sizeof *s);
  s->plan = in->plan;
  s->spec = in->spec;
  s->replicates = in->replicates;
  s->n_replicates = in->n_replicates;
  s->seed = (uint64_t)o->seed;
  s->threads = (int)o->threads;
  s->progress = progress_fn();
}

int unccli_write(const char *cmd, const unccli_opts *o, const unccli_input *in,
                 unccli_print_fn print, const void *ud) {
  FILE *f = cli_open_output(cmd, o->out);
  if (!f) return CHISO_EXIT_DATA;
  int rc = print(f, ud);
  rc = cli_end_output(f, rc);
  if (!rc) return cli_mark_synthetic(cmd, o->fmt, o->out, o->db, (int)o->year, in->synthetic);
  chiso_err err;
  chiso_err_set(&err, rc, "cannot write the output");
  return cli_report(cmd, rc, &err);
}

void unccli_json_synthetic(json_t *root, const unccli_input *in) {
  if (in->synthetic) json_object_set_new(root, "synthetic", json_true());
}

int unccli_dump_json(json_t *root, FILE *f) {
  int rc = json_dumpf(root, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17)) ? CHISO_EIO : 0;
  fputc('\n', f);
  json_decref(root);
  return rc;
}

/* unccli.h — options and input loading shared by `chiso uncertainty` and
** `chiso sensitivity`. */
#ifndef CHISO_UNCCLI_H
#define CHISO_UNCCLI_H

#include "cli.h"

#include <jansson.h>

typedef enum { UNCCLI_AUTO = 0, UNCCLI_SAMPLING, UNCCLI_METHOD, UNCCLI_BOTH } unccli_mode;

typedef struct unccli_opts {
  const char *method, *imeta, *data, *db, *spec, *out;
  long year, runs, replicates, threads, seed;
  cli_format fmt;
  unccli_mode mode;
  int convergence;
} unccli_opts;

/* Parse the command line of `cmd` (help text `help`; runs default
** `runs`). Returns 0, -1 after printing the help, or the usage exit code
** after printing the error. */
int unccli_parse(const char *cmd, const char *help, int argc, char **argv, long runs,
                 unccli_opts *o);

/* Everything an analysis needs, loaded from the options. */
typedef struct unccli_input {
  idx_model *model;
  idx_data *data;
  idx_plan *plan;
  montecarlo_spec *spec;     /* NULL = the default */
  double *replicates; /* NULL without microdata (borrowed from rep) */
  size_t n_replicates;
  geo_registry *reg;  /* --db: the units (owned) */
  year_ctx *year;      /* --db: the stored year (owns the index and replicates) */
  int synthetic;      /* --db: the year's imports are synthetic (issue 5) */
} unccli_input;

/* The seed of the bootstrap replicates for analysis seed `seed`. */
uint64_t unccli_boot_seed(uint64_t seed);

/* Settle --mode AUTO: sampling (uncertainty) or crossed (sensitivity) with
** --db, else method. */
void unccli_default_mode(unccli_opts *o, unccli_mode with_db);

/* Load the model, data and spec and bind the plan. Prints the error and
** returns the exit code (0 on success); free with unccli_input_free. */
int unccli_load(const char *cmd, const unccli_opts *o, unccli_input *in);
void unccli_input_free(unccli_input *in);

/* An montecarlo_setup over in with the options' seed and threads, progress on
** stderr when it is a terminal. */
void unccli_setup(const unccli_opts *o, const unccli_input *in, montecarlo_setup *s);

/* Write the result with print(f, ud) to --out (or stdout) and close it,
** then label it when in->synthetic (cli_mark_synthetic). Returns 0 or the
** exit code after printing the error. */
typedef int (*unccli_print_fn)(FILE *f, const void *ud);
int unccli_write(const char *cmd, const unccli_opts *o, const unccli_input *in,
                 unccli_print_fn print, const void *ud);

/* Add "synthetic": true to root when in->synthetic. */
void unccli_json_synthetic(json_t *root, const unccli_input *in);

/* Dump a JSON document (indented, order kept, 17 digits) and a newline to
** f, then release it. Returns 0 or CHISO_EIO. */
int unccli_dump_json(json_t *root, FILE *f);

#endif

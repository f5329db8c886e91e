/* unccli.h — options and input loading shared by `chiso uncertainty` and
** `chiso sensitivity`. */
#ifndef CHISO_UNCCLI_H
#define CHISO_UNCCLI_H

#include "cli.h"

typedef enum { UNCCLI_AUTO = 0, UNCCLI_SAMPLING, UNCCLI_METHOD, UNCCLI_BOTH } unccli_mode;

typedef struct unccli_opts {
  const char *method, *imeta, *data, *db, *spec, *out;
  long year, runs, replicates, threads, seed;
  chiso_format fmt;
  unccli_mode mode;
  int convergence;
  int denominate;   /* 1: --denominate (COINr Denominate); -1 as the method */
  const char *params;   /* --params FILE: the parameters of every run */
  long dump_run;        /* --dump-run N (1-based), 0 = none */
  const char *dump;     /* --dump FILE: run N's whole index */
} unccli_opts;

/* Parse the command line of `cmd` (help text `help`; runs default
** `runs`). Returns 0, -1 after printing the help, or the usage exit code
** after printing the error. */
int unccli_parse(const char *cmd, const char *help, int argc, char **argv, long runs,
                 unccli_opts *o);

/* Settle --mode AUTO: sampling (uncertainty) or crossed (sensitivity) with
** --db, else method. */
void unccli_default_mode(unccli_opts *o, unccli_mode with_db);

/* What an analysis runs on: the index of a stored year or of files. */
typedef struct unccli_input {
  chiso_year *year;   /* --db: the stored year (owns what the index borrows) */
  chiso_index *index;
  int synthetic;      /* --db: the year's imports are synthetic (issue 5) */
} unccli_input;

/* Load the index. Prints the error and returns the exit code (0 on
** success); free with unccli_input_free. */
int unccli_load(const char *cmd, const unccli_opts *o, unccli_input *in);
void unccli_input_free(unccli_input *in);

/* The library options of the command line (progress on a terminal). */
void unccli_options(const unccli_opts *o, chiso_unc_options *uo);

/* A writer of the library: chiso_uncertainty_write or chiso_sensitivity_write. */
typedef int (*unccli_write_fn)(const chiso_index *ix, const chiso_unc_options *o,
                               chiso_format fmt, FILE *out, chiso_err *err);

/* Run write(ix, uo, fmt, f, err) into --out (or stdout), then label a
** synthetic output. Returns 0 or the exit code after printing the error. */
int unccli_run(const char *cmd, const unccli_opts *o, const unccli_input *in,
               unccli_write_fn write);

#endif

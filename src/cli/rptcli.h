/* rptcli.h — the report model for `chiso report` and `chiso export`:
** from a model file (--model) or built from the store (--db, --year). */
#ifndef CHISO_RPTCLI_H
#define CHISO_RPTCLI_H

#include "cli.h"

typedef struct rptcli_source {
  const char *model;  /* --model FILE.json, or NULL */
  const char *db;     /* --db FILE, or NULL */
  long year;          /* --year (0: not given) */
  int units;          /* --units 63|34, 0 when not given */
  const char *method; /* --method (db only), NULL: the stored one */
  uint64_t seed;      /* --seed (db only) */
  int synthetic;      /* -1 auto, 0/1 forced */
  long runs;          /* --runs (db only): method-uncertainty runs, 0 = none */
  long sobol;         /* --sobol (db only): Sobol base rows, 0 = none */
  long threads;       /* --threads (db only); 0: one per CPU */
  const char *title;  /* --title: the publication's title, NULL: the methodology's */
  int hide_empty;     /* --hide-empty: units without data left out of the tables */
} rptcli_source;

/* The defaults of the shared options: seed 1, synthetic from the store,
** 200 uncertainty runs, Sobol with 256 base rows, one thread per CPU. */
#define RPTCLI_SOURCE_INIT {NULL, NULL, 0, 0, NULL, 1, -1, 200, 256, 0, NULL, 0}

/* Parse the options shared by report and export (--model, --db, --year,
** --units, --method, --seed, --runs, --sobol, --threads) for getopt code `c` with argument `arg`.
** Returns 1 when the option was one of them (0 when not), or -1 after a
** usage error was printed. */
int rptcli_option(const char *cmd, int c, const char *arg, rptcli_source *s);

/* Check that exactly one of --model and --db is given (--year with --db).
** Returns 0, or CLI_EXIT_USAGE after printing a usage error. */
int rptcli_check(const char *cmd, const rptcli_source *s);

/* Load or build the model. On success *out is new (chiso_report_free).
** Returns a CHISO_E* code with err filled. */
int rptcli_model(const rptcli_source *s, chiso_report **out, chiso_err *err);

/* getopt long options of the shared flags (terminated by the caller). */
#define RPTCLI_LONG_OPTS                                                   \
  {"model", required_argument, 0, 'm'}, {"db", required_argument, 0, 'd'}, \
      {"year", required_argument, 0, 'y'}, {"units", required_argument, 0, 'u'}, \
      {"method", required_argument, 0, 'M'}, {"seed", required_argument, 0, 'S'}, \
      {"runs", required_argument, 0, 'R'}, {"sobol", required_argument, 0, 'B'}, \
      {"threads", required_argument, 0, 'T'}, {"title", required_argument, 0, 'K'}, \
      {"hide-empty", no_argument, 0, 'H'}
#define RPTCLI_SHORT_OPTS "m:d:y:u:M:S:R:B:T:K:H"

#endif

/* svycli.h — helpers shared by the survey commands (import, estimate). */
#ifndef CHISO_SVYCLI_H
#define CHISO_SVYCLI_H

#include "cli.h"

/* A methodology given as a file path or a shipped name (methods/NAME.json):
** its text, parsed codebook, "id" and SHA-256. Returns a CHISO_E* code
** with err filled; on success the caller frees m with svycli_method_free. */
typedef struct svycli_method {
  char *json;
  codebook *cb;
  char id[128];
  char hash[65];
} svycli_method;
int svycli_method_load(const char *method, svycli_method *m, chiso_err *err);
void svycli_method_free(svycli_method *m);

/* Read a population file (CSV: [province,][stratum,]count; province codes
** or names resolved for `year`). On success *out is new; free it with
** svycli_population_free. */
int svycli_population(const char *path, const geo_registry *reg, int year,
                      estimator_population **out, chiso_err *err);
void svycli_population_free(estimator_population *p);

/* Print an ingest report's problems to stderr, one FILE:ROW:COL line each. */
void svycli_print_problems(const char *cmd, const ingest_report *r);

#endif

/* idxcli.h — helpers shared by the index commands (compute, audit,
** convert): loading a model and its data from the command line. */
#ifndef CHISO_IDXCLI_H
#define CHISO_IDXCLI_H

#include "cli.h"

/* Load the model from --method (a file or a shipped name) or --imeta, and
** the data from --data. Prints the error and returns the exit code (0 on
** success). On success the caller frees *m and *d. */
int idxcli_load(const char *cmd, const char *method, const char *imeta, const char *data,
                idx_model **m, idx_data **d);

/* Parse "LO,HI" into two numbers with LO < HI. Returns 0 or prints a usage
** error and returns 1. */
int idxcli_parse_pair(const char *cmd, const char *what, const char *text, double *a,
                      double *b);

/* Format a number for tables: two decimals, "" for NaN. */
void idxcli_fmt(double v, char *buf, size_t n);

#endif

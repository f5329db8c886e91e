/* idxcli.h — helpers shared by the index commands (compute,
** uncertainty, sensitivity). */
#ifndef CHISO_IDXCLI_H
#define CHISO_IDXCLI_H

#include "cli.h"

/* Parse "LO,HI" into two numbers with LO < HI. Returns 0 or prints a usage
** error and returns 1. */
int idxcli_parse_pair(const char *cmd, const char *what, const char *text, double *a,
                      double *b);

#endif

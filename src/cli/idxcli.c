/* idxcli.c — helpers shared by the index commands. */
#include "idxcli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int idxcli_parse_pair(const char *cmd, const char *what, const char *text, double *a,
                      double *b) {
  char *end;
  *a = strtod(text, &end);
  if (end == text || *end != ',') return cli_usage_error(cmd, "%s must be LO,HI", what);
  const char *s = end + 1;
  *b = strtod(s, &end);
  if (end == s || *end || !isfinite(*a) || !isfinite(*b))
    return cli_usage_error(cmd, "%s must be LO,HI", what);
  return 0;
}

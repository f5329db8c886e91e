/* idxcli.c — helpers shared by the index commands. */
#include "idxcli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int idxcli_load(const char *cmd, const char *method, const char *imeta, const char *data,
                idx_model **m, idx_data **d) {
  *m = NULL;
  *d = NULL;
  if (!!method == !!imeta) return cli_usage_error(cmd, "give exactly one of --method and --imeta");
  if (!data) return cli_usage_error(cmd, "--data FILE is required");
  chiso_err err;
  chiso_err_clear(&err);
  int rc = method ? idxio_load_method(method, m, &err) : idxio_load_imeta(imeta, m, &err);
  if (!rc) rc = idxio_load_data(data, *m, d, &err);
  if (rc) {
    idx_model_free(*m);
    *m = NULL;
    return cli_report(cmd, rc, &err);
  }
  return 0;
}

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

void idxcli_fmt(double v, char *buf, size_t n) {
  if (isnan(v)) snprintf(buf, n, "%s", "");
  else snprintf(buf, n, "%.2f", v);
}

/* fuzz_coinr.c — COINr's iMeta and iData tables and a weight table
** (index/idxio), then one run of the index engine on what they give. The
** input is the three files separated by a line "====". Check: a unit that
** is ranked has a rank from 1 to the number of units. */
#include "fuzz.h"

#include <math.h>

static void run_index(const idx_model *m, const idx_data *d, const double *weights) {
  idx_plan *p = NULL;
  chiso_err err;
  if (idx_plan_new(m, d, &p, &err) != CHISO_OK) return;
  idx_workspace *ws = idx_workspace_new(p);
  FUZZ_CHECK(ws != NULL);
  idx_options o;
  idx_options_init(&o);
  o.weights = weights;
  if (idx_run(p, ws, &o, &err) == CHISO_OK) {
    const int *ranks = idx_ranks(ws);
    for (size_t i = 0; i < d->n_units; i++)
      FUZZ_CHECK(ranks[i] >= 0 && (size_t)ranks[i] <= d->n_units);
  }
  idx_workspace_free(ws);
  idx_plan_free(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const uint8_t *part[3];
  size_t len[3];
  size_t n = fuzz_split(data, size, "\n====\n", part, len, 3);
  chiso_err err;
  idx_model *m = NULL;
  if (idxio_load_imeta(fuzz_file(0, part[0], len[0]), &m, &err) != CHISO_OK) return 0;
  idx_data *d = NULL;
  double *w = NULL;
  if (n > 1 && idxio_load_data(fuzz_file(1, part[1], len[1]), m, &d, &err) == CHISO_OK) {
    if (n > 2) {
      w = malloc((m->n_nodes ? m->n_nodes : 1) * sizeof *w);
      FUZZ_CHECK(w != NULL);
      for (size_t k = 0; k < m->n_nodes; k++) w[k] = NAN;
      if (idxio_load_weights(fuzz_file(2, part[2], len[2]), m, w, &err) != CHISO_OK) {
        free(w);
        w = NULL;
      }
    }
    run_index(m, d, w);
  }
  free(w);
  idx_data_free(d);
  idx_model_free(m);
  return 0;
}

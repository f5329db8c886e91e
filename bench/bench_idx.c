/* bench_idx.c — time the index engine: one full index (screen, normalise,
** aggregate, rank) for 63 units × 40 indicators, and recomputations per
** second on 2 threads for the ASEM-sized framework (51 × 49), with
** replaced data values as in a bootstrap replicate. Prints the figures. */
#include "chiso_internal.h"

#include "bench.h"

#include <math.h>
#include <stdlib.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* n_pil pillars of n_ind/n_pil indicators under one root. */
static void build(size_t U, size_t K, size_t n_pil, idx_model **mo, idx_data **dout) {
  idx_model *m = idx_model_new();
  char id[32], par[32];
  idx_model_add(m, "root", NULL);
  for (size_t p = 0; p < n_pil; p++) {
    snprintf(id, sizeof id, "p%zu", p);
    idx_model_add(m, id, "root");
  }
  idx_data *d = idx_data_new(U, K);
  unsigned s = 12345;
  for (size_t k = 0; k < K; k++) {
    snprintf(id, sizeof id, "i%zu", k);
    snprintf(par, sizeof par, "p%zu", k % n_pil);
    idx_node *n = idx_model_add(m, id, par);
    n->direction = k % 7 == 3 ? -1 : 1;
    idx_data_set_col(d, k, id);
    for (size_t i = 0; i < U; i++) {
      s = s * 1103515245u + 12345u;
      *idx_data_at(d, k, i) = (double)(s >> 8) / 1e5;
    }
  }
  for (size_t i = 0; i < U; i++) {
    snprintf(id, sizeof id, "%02zu", i + 1);
    idx_data_set_unit(d, i, id, id, i % 3 ? "a" : "b");
  }
  chiso_err err;
  if (idx_model_finish(m, &err)) fprintf(stderr, "%s\n", err.message);
  *mo = m;
  *dout = d;
}

typedef struct job { const idx_plan *p; const idx_data *d; long runs; } job;

static void *worker(void *arg) {
  job *j = arg;
  idx_workspace *ws = idx_workspace_new(j->p);
  size_t n = j->d->n_units * j->d->n_cols;
  double *vals = malloc(sizeof(double) * n);
  memcpy(vals, j->d->values, sizeof(double) * n);
  idx_options o;
  idx_options_init(&o);
  o.values = vals;
  chiso_err err;
  for (long r = 0; r < j->runs; r++) {
    vals[(size_t)r % n] *= 1.0001; /* a replicate differs a little */
    idx_run(j->p, ws, &o, &err);
  }
  free(vals);
  idx_workspace_free(ws);
  return NULL;
}

int main(void) {
  idx_model *m;
  idx_data *d;
  idx_plan *p;
  chiso_err err;
  build(63, 40, 5, &m, &d);
  idx_plan_new(m, d, &p, &err);
  idx_workspace *ws = idx_workspace_new(p);
  long N = 20000;
  double wall, cpu;
  printf("index engine\n");
  bench_mark t = bench_start();
  for (long r = 0; r < N; r++) idx_run(p, ws, NULL, &err);
  cpu = bench_since(t, &wall);
  bench_line("63 units x 40 indicators (minmax, arithmetic)", wall, cpu,
             "%.1f microseconds per full index", wall / (double)N * 1e6);
  idx_options o;
  idx_options_init(&o);
  o.norm = IDX_NORM_RANK;
  o.agg = IDX_AGG_GEOMETRIC;
  o.winsorise = 1;
  o.impute = IDX_IMP_GROUP_MEDIAN;
  t = bench_start();
  for (long r = 0; r < N; r++) idx_run(p, ws, &o, &err);
  cpu = bench_since(t, &wall);
  bench_line("63 x 40 (rank, geometric, winsorise, group median)", wall, cpu,
             "%.1f microseconds", wall / (double)N * 1e6);
  idx_workspace_free(ws);
  idx_plan_free(p);
  idx_data_free(d);
  idx_model_free(m);

  build(51, 49, 8, &m, &d);
  idx_plan_new(m, d, &p, &err);
  pthread_t th[2];
  job jobs[2] = {{p, d, 200000}, {p, d, 200000}};
  t = bench_start();
  for (int i = 0; i < 2; i++) pthread_create(&th[i], NULL, worker, &jobs[i]);
  for (int i = 0; i < 2; i++) pthread_join(th[i], NULL);
  cpu = bench_since(t, &wall);
  bench_line("51 units x 49 indicators, replaced values, 2 threads", wall, cpu,
             "%.0f runs per second, %.0f per CPU-second", 400000 / wall, 400000 / cpu);
  idx_plan_free(p);
  idx_data_free(d);
  idx_model_free(m);
  return 0;
}

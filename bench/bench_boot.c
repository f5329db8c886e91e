/* bench_boot.c — benchmark (b) of issue 6: R Rao–Wu bootstrap replicates
** of the FULL index for n respondents × k indicators in 63 provinces × 4
** size strata: replicate domain means (bootstrap_domain_stats), the replicate
** index tables, the whole index per replicate (minmax normalisation
** recomputed, k indicators in 6 pillars, arithmetic means) and the rank
** statistics with MRSW sets (montecarlo_sampling_analysis). Prints wall and CPU
** time and peak memory; asserts nothing.
** Usage: bench_boot [n] [k] [R] [threads] */
#include "chiso_internal.h"

#include "bench.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <string.h>
#include <time.h>

/* k indicators under 6 pillars under the root, minmax, arithmetic. */
static idx_model *make_model(size_t k) {
  idx_model *m = idx_model_new();
  char id[32], par[32];
  idx_model_add(m, "index", NULL);
  for (int p = 0; p < 6; p++) {
    snprintf(id, sizeof id, "p%d", p);
    idx_model_add(m, id, "index");
  }
  for (size_t v = 0; v < k; v++) {
    snprintf(id, sizeof id, "i%zu", v);
    snprintf(par, sizeof par, "p%zu", v % 6);
    idx_model_add(m, id, par);
  }
  chiso_err err;
  if (idx_model_finish(m, &err)) { fprintf(stderr, "%s\n", err.message); exit(1); }
  return m;
}

/* The nominal table (full-sample weighted means) and the replicate tables
** in idx_data's layout, from the replicate means out[R][G][k]. */
static idx_data *make_data(size_t n, size_t k, size_t G, const int *domain, const double *w,
                           double **cols, size_t R, const double *out, double **tables) {
  idx_data *d = idx_data_new(G, k);
  char id[32];
  for (size_t g = 0; g < G; g++) {
    snprintf(id, sizeof id, "%02zu", g);
    idx_data_set_unit(d, g, id, id, NULL);
  }
  double *sw = calloc(G, sizeof *sw), *swy = calloc(G, sizeof *swy);
  for (size_t v = 0; v < k; v++) {
    snprintf(id, sizeof id, "i%zu", v);
    idx_data_set_col(d, v, id);
    memset(sw, 0, G * sizeof *sw);
    memset(swy, 0, G * sizeof *swy);
    for (size_t i = 0; i < n; i++)
      if (!isnan(cols[v][i])) { sw[domain[i]] += w[i]; swy[domain[i]] += w[i] * cols[v][i]; }
    for (size_t g = 0; g < G; g++) *idx_data_at(d, v, g) = swy[g] / sw[g];
  }
  *tables = malloc(R * k * G * sizeof **tables);
  for (size_t r = 0; r < R; r++)
    for (size_t g = 0; g < G; g++)
      for (size_t v = 0; v < k; v++) (*tables)[r * k * G + v * G + g] = out[(r * G + g) * k + v];
  free(sw);
  free(swy);
  return d;
}

int main(int argc, char **argv) {
  size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000;
  size_t k = argc > 2 ? strtoul(argv[2], NULL, 10) : 30;
  size_t R = argc > 3 ? strtoul(argv[3], NULL, 10) : 1000;
  int threads = argc > 4 ? atoi(argv[4]) : 2;
  const size_t G = 63;
  int *stratum = malloc(n * sizeof(int)), *domain = malloc(n * sizeof(int));
  double *w = malloc(n * sizeof(double));
  double **cols = malloc(k * sizeof(double *));
  rng_stream r;
  rng_init(&r, 1, 0);
  for (size_t i = 0; i < n; i++) {
    domain[i] = (int)(i % G);
    stratum[i] = (int)(i % (G * 4));
    w[i] = 1 + rng_below(&r, 20);
  }
  for (size_t v = 0; v < k; v++) {
    cols[v] = malloc(n * sizeof(double));
    for (size_t i = 0; i < n; i++) cols[v][i] = rng_uniform(&r) < 0.05 ? NAN : rng_uniform(&r);
  }
  double *out = malloc(R * G * k * sizeof(double));
  chiso_err err;
  chiso_err_clear(&err);
  bootstrap_design *d = NULL;
  double wall, cpu, total_wall = 0, total_cpu = 0;
  printf("bootstrap (b): %zu respondents x %zu indicators (5%% missing), %zu domains, %zu "
         "replicates, %d threads\n", n, k, G, R, threads);
  bench_mark t = bench_start();
  if (bootstrap_design_new(n, stratum, w, 2024, &d, &err)) { fprintf(stderr, "%s\n", err.message); return 1; }
  cpu = bench_since(t, &wall);
  total_wall += wall, total_cpu += cpu;
  bench_line("design", wall, cpu, "%zu strata", bootstrap_design_strata(d));
  t = bench_start();
  int rc = bootstrap_domain_means(d, domain, G, (const double *const *)cols, k, R, threads, out, NULL,
                             NULL, &err);
  if (rc) { fprintf(stderr, "%s\n", err.message); return 1; }
  cpu = bench_since(t, &wall);
  total_wall += wall, total_cpu += cpu;
  bench_line("replicate domain-mean tables", wall, cpu, "%.0f replicates/s, %.2f CPU-ms per replicate",
             (double)R / wall, 1e3 * cpu / (double)R);
  idx_model *m = make_model(k);
  double *tables = NULL;
  idx_data *data = make_data(n, k, G, domain, w, cols, R, out, &tables);
  idx_plan *plan = NULL;
  if (idx_plan_new(m, data, &plan, &err)) { fprintf(stderr, "%s\n", err.message); return 1; }
  montecarlo_setup us = {.plan = plan, .replicates = tables, .n_replicates = R, .seed = 1,
                  .threads = threads};
  montecarlo_result res;
  t = bench_start();
  if (montecarlo_sampling_analysis(&us, &res, &err)) { fprintf(stderr, "%s\n", err.message); return 1; }
  cpu = bench_since(t, &wall);
  total_wall += wall, total_cpu += cpu;
  bench_line("whole index + ranks + MRSW sets on every replicate", wall, cpu, "%zu runs", R);
  bench_line("total, design to rank statistics (data generation excluded)", total_wall, total_cpu,
             "%.2f s per core if %d cores were free", total_cpu / threads, threads);
  printf("  peak memory (max RSS): %.0f MB\n", bench_peak_mb());
  printf("  check: SE of domain 0, indicator 0 = %.5f; unit 00 rank %d, 95%% rank interval %d-%d\n",
         bootstrap_se(out, R, G * k, 0), res.unit[0].r.rank, res.unit[0].r.rank_lo95,
         res.unit[0].r.rank_hi95);
  montecarlo_result_free(&res);
  idx_plan_free(plan);
  idx_data_free(data);
  idx_model_free(m);
  free(tables);
  bootstrap_design_free(d);
  for (size_t v = 0; v < k; v++) free(cols[v]);
  free(cols);
  free(out);
  free(stratum);
  free(domain);
  free(w);
  return 0;
}

/* bench_boot.c — benchmark (b) of issue 6: R Rao–Wu bootstrap replicates
** of the FULL index for n respondents × k indicators in 63 provinces × 4
** size strata: replicate domain means (bootstrap_domain_stats), the replicate
** index tables, the whole index per replicate (minmax normalisation
** recomputed, k indicators in 6 pillars, arithmetic means) and the rank
** statistics with MRSW sets (montecarlo_sampling_analysis). Prints wall and CPU
** time and peak memory; asserts nothing.
** Usage: bench_boot [n] [k] [R] [threads] */
#include "chiso_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <string.h>
#include <time.h>

static double cpu_seconds(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (double)ru.ru_utime.tv_sec + 1e-6 * (double)ru.ru_utime.tv_usec +
         (double)ru.ru_stime.tv_sec + 1e-6 * (double)ru.ru_stime.tv_usec;
}

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

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
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
  double t0 = now(), c0 = cpu_seconds();
  if (bootstrap_design_new(n, stratum, w, 2024, &d, &err)) { fprintf(stderr, "%s\n", err.message); return 1; }
  double t1 = now(), c1 = cpu_seconds();
  int rc = bootstrap_domain_means(d, domain, G, (const double *const *)cols, k, R, threads, out, NULL,
                             NULL, &err);
  double t2 = now();
  if (rc) { fprintf(stderr, "%s\n", err.message); return 1; }
  double c2 = cpu_seconds();
  idx_model *m = make_model(k);
  double *tables = NULL;
  idx_data *data = make_data(n, k, G, domain, w, cols, R, out, &tables);
  idx_plan *plan = NULL;
  if (idx_plan_new(m, data, &plan, &err)) { fprintf(stderr, "%s\n", err.message); return 1; }
  double t3 = now(), c3 = cpu_seconds();
  montecarlo_setup us = {.plan = plan, .replicates = tables, .n_replicates = R, .seed = 1,
                  .threads = threads};
  montecarlo_result res;
  if (montecarlo_sampling_analysis(&us, &res, &err)) { fprintf(stderr, "%s\n", err.message); return 1; }
  double t4 = now(), c4 = cpu_seconds();
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  printf("bootstrap (b): %zu respondents x %zu indicators (5%% missing), %zu strata, %zu domains,"
         " %d threads\n", n, k, bootstrap_design_strata(d), G, threads);
  printf("  design %.2f s; %zu replicate domain-mean tables in %.2f s wall, %.2f CPU-s "
         "(%.0f replicates/s)\n", t1 - t0, R, t2 - t1, c2 - c1, (double)R / (t2 - t1));
  printf("  whole index + ranks + MRSW sets on the %zu replicates: %.2f s wall, %.2f CPU-s\n", R,
         t4 - t3, c4 - c3);
  printf("  total (design to rank statistics, data generation excluded): %.2f s wall, %.2f CPU-s"
         " (%.2f s per core if %d cores were free)\n", (t2 - t0) + (t4 - t3),
         (c2 - c0) + (c4 - c3), ((c2 - c0) + (c4 - c3)) / threads, threads);
  printf("  peak memory (max RSS): %.0f MB\n", (double)ru.ru_maxrss / 1024.0);
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

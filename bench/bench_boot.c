/* bench_boot.c — prints throughput of the Rao–Wu bootstrap of domain means
** (benchmark (b) of issue 6, estimation part): n respondents × k indicators
** in 63 provinces × 4 size strata, R replicates. Prints figures; asserts
** nothing. Usage: bench_boot [n] [k] [R] [threads] */
#include "chiso.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

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
  boot_design *d = NULL;
  double t0 = now();
  if (boot_design_new(n, stratum, w, 2024, &d, &err)) { fprintf(stderr, "%s\n", err.message); return 1; }
  double t1 = now();
  int rc = boot_domain_means(d, domain, G, (const double *const *)cols, k, R, threads, out, NULL,
                             NULL, &err);
  double t2 = now();
  if (rc) { fprintf(stderr, "%s\n", err.message); return 1; }
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  printf("bootstrap: %zu respondents x %zu indicators (5%% missing), %zu strata, %zu domains\n",
         n, k, boot_design_strata(d), G);
  printf("  design %.2f s; %zu replicates in %.2f s with %d threads (%.0f replicates/s)\n",
         t1 - t0, R, t2 - t1, threads, (double)R / (t2 - t1));
  printf("  peak memory (max RSS): %.0f MB\n", (double)ru.ru_maxrss / 1024.0);
  printf("  check: SE of domain 0, indicator 0 = %.5f\n", boot_se(out, R, G * k, 0));
  boot_design_free(d);
  for (size_t v = 0; v < k; v++) free(cols[v]);
  free(cols);
  free(out);
  free(stratum);
  free(domain);
  free(w);
  return 0;
}

/* bench_ranks.c — the MRSW rank confidence sets (issue 17): single step
** against stepdown for 63 units and 1,000 draws (simultaneous and every
** marginal set), and `chiso ranks`' parametric path (Cholesky, draws,
** P(top k), sets). Prints wall and CPU time and the average set width;
** asserts nothing. Usage: bench_ranks [units] [draws] */
#include "chiso_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

static double cpu_seconds(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (double)ru.ru_utime.tv_sec + 1e-6 * (double)ru.ru_utime.tv_usec +
         (double)ru.ru_stime.tv_sec + 1e-6 * (double)ru.ru_stime.tv_usec;
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int main(int argc, char **argv) {
  size_t U = argc > 1 ? strtoul(argv[1], NULL, 10) : 63, R = argc > 2 ? strtoul(argv[2], NULL, 10) : 1000;
  double *hat = malloc(U * sizeof *hat), *z = malloc(R * U * sizeof *z), *cov = calloc(U * U, sizeof *cov);
  int *b = malloc(4 * U * sizeof *b);
  rankstat_param_unit *pu = malloc(U * sizeof *pu);
  if (!hat || !z || !cov || !b || !pu) return 1;
  rng_stream g;
  rng_init(&g, 17, 0);
  /* scores spread like a provincial index: a few leaders, a crowded middle */
  for (size_t j = 0; j < U; j++) hat[j] = 80.0 * (double)(U - j) / (double)U + 3 * rng_normal(&g);
  for (size_t r = 0; r < R; r++)
    for (size_t j = 0; j < U; j++) z[r * U + j] = 2.0 * rng_normal(&g);
  for (size_t j = 0; j < U; j++) cov[j * U + j] = 4.0;
  chiso_err err;
  printf("rank sets (MRSW 2024): %zu units, %zu draws\n", U, R);
  for (int step = 0; step < 2; step++) {
    double t0 = now(), c0 = cpu_seconds();
    if (rankstat_sets(hat, z, R, U, NULL, 0.05, step, b, b + U, b + 2 * U, b + 3 * U, &err)) return 1;
    double t1 = now(), c1 = cpu_seconds(), ws = 0, wm = 0;
    for (size_t j = 0; j < U; j++) { ws += b[U + j] - b[j]; wm += b[3 * U + j] - b[2 * U + j]; }
    printf("  %-11s simultaneous + %zu marginal sets: %.3f s wall, %.3f CPU-s; mean width %.2f "
           "(simultaneous), %.2f (marginal)\n", step ? "stepdown" : "single step", U, t1 - t0, c1 - c0,
           ws / (double)U, wm / (double)U);
  }
  rankstat_param_options o = {.coverage = 0.95, .R = R, .seed = 1, .tau = 5};
  double t0 = now(), c0 = cpu_seconds();
  if (rankstat_parametric(hat, cov, U, &o, pu, &err)) return 1;
  printf("  chiso ranks path (Cholesky, %zu draws, P(top k), stepdown sets): %.3f s wall, %.3f CPU-s\n", R,
         now() - t0, cpu_seconds() - c0);
  free(hat); free(z); free(cov); free(b); free(pu);
  return 0;
}

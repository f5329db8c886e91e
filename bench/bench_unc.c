/* bench_unc.c — benchmark (a) of issue 6: method uncertainty analysis of
** the COINr ASEM framework (51 units × 49 indicators, 4 levels) with the
** default spec (±25% weights at every level, minmax|zscore,
** arithmetic|geometric, winsorisation off|on). Prints runs/s of the whole
** analysis and of the index runs alone; asserts nothing.
** Usage: bench_unc [runs] [threads] */
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

static int die(const chiso_err *e) {
  char buf[1200];
  chiso_err_format(e, buf, sizeof buf);
  fprintf(stderr, "bench_unc: %s\n", buf);
  return 1;
}

int main(int argc, char **argv) {
  size_t runs = argc > 1 ? strtoul(argv[1], NULL, 10) : 10000;
  int threads = argc > 2 ? atoi(argv[2]) : 2;
  chiso_err err;
  chiso_err_clear(&err);
  idx_model *m = NULL;
  idx_data *d = NULL;
  idx_plan *p = NULL;
  if (idxio_load_imeta("data/reference/coinr-asem/asem_iMeta.csv", &m, &err) ||
      idxio_load_data("data/reference/coinr-asem/asem_iData.csv", m, &d, &err) ||
      idx_plan_new(m, d, &p, &err))
    return die(&err);
  montecarlo_setup s = {.plan = p, .seed = 1, .threads = threads};
  montecarlo_result res;
  double t0 = now(), c0 = cpu_seconds();
  if (montecarlo_method_analysis(&s, runs, &res, &err)) return die(&err);
  double t1 = now(), c1 = cpu_seconds();
  printf("uncertainty (a): ASEM %zu units x %zu indicators, %d levels, default spec\n",
         d->n_units, m->n_ind, m->nodes[m->root].level);
  printf("  %zu runs in %.3f s with %d threads: %.0f runs/s (whole analysis incl. summaries)\n",
         runs, t1 - t0, threads, (double)runs / (t1 - t0));
  printf("  CPU time %.3f s: %.0f runs per CPU-second (x %d = the rate if %d cores were free)\n",
         c1 - c0, (double)runs / (c1 - c0), threads, threads);
  printf("  check: unit %s nominal rank %d, 95%% rank interval %d-%d\n", d->code[0],
         res.unit[0].r.rank, res.unit[0].r.rank_lo95, res.unit[0].r.rank_hi95);
  montecarlo_result_free(&res);
  montecarlo_sobol so;
  size_t N = 1024;
  t0 = now();
  if (montecarlo_sensitivity(&s, N, 0, &so, &err)) return die(&err);
  t1 = now();
  printf("  Sobol: N = %zu, %zu runs in %.3f s: %.0f runs/s\n", N, so.sobol.runs, t1 - t0,
         (double)so.sobol.runs / (t1 - t0));
  montecarlo_sobol_free(&so);
  /* the engine alone, one thread, alternating the heaviest options */
  idx_workspace *ws = idx_workspace_new(p);
  idx_options o;
  idx_options_init(&o);
  size_t n1 = runs / 4 ? runs / 4 : 1;
  t0 = now();
  for (size_t r = 0; r < n1; r++) {
    o.winsorise = (int)(r & 1);
    o.agg = (int)((r >> 1) & 1);
    o.norm = (int)((r >> 2) & 1);
    if (idx_run(p, ws, &o, &err)) return die(&err);
  }
  t1 = now();
  printf("  idx_run alone: %.1f us/run on one thread\n", 1e6 * (t1 - t0) / (double)n1);
  idx_workspace_free(ws);
  idx_plan_free(p);
  idx_data_free(d);
  idx_model_free(m);
  return 0;
}

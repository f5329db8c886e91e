/* bench_unc.c — benchmark (a) of issue 6: method uncertainty analysis of
** the COINr ASEM framework (51 units × 49 indicators, 4 levels) with the
** default spec (±25% weights at every level, minmax|zscore,
** arithmetic|geometric, winsorisation off|on). Prints runs/s of the whole
** analysis and of the index runs alone; asserts nothing.
** Usage: bench_unc [runs] [threads] */
#include "chiso_internal.h"

#include "bench.h"

#include <stdio.h>
#include <stdlib.h>

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
  double wall, cpu;
  printf("uncertainty (a): ASEM %zu units x %zu indicators, %d levels, default spec, %d threads\n",
         d->n_units, m->n_ind, m->nodes[m->root].level, threads);
  bench_mark t = bench_start();
  if (montecarlo_method_analysis(&s, runs, &res, &err)) return die(&err);
  cpu = bench_since(t, &wall);
  bench_line("method Monte Carlo", wall, cpu,
             "%zu runs, %.0f runs/s (whole analysis incl. summaries), %.0f runs per CPU-second",
             runs, (double)runs / wall, (double)runs / cpu);
  printf("  check: unit %s nominal rank %d, 95%% rank interval %d-%d\n", d->code[0],
         res.unit[0].r.rank, res.unit[0].r.rank_lo95, res.unit[0].r.rank_hi95);
  montecarlo_result_free(&res);
  montecarlo_sobol so;
  size_t N = 1024;
  t = bench_start();
  if (montecarlo_sensitivity(&s, N, 0, &so, &err)) return die(&err);
  cpu = bench_since(t, &wall);
  bench_line("Sobol", wall, cpu, "N = %zu, %zu runs, %.0f runs/s", N, so.sobol.runs,
             (double)so.sobol.runs / wall);
  montecarlo_sobol_free(&so);
  /* the engine alone, one thread, alternating the heaviest options */
  idx_workspace *ws = idx_workspace_new(p);
  idx_options o;
  idx_options_init(&o);
  size_t n1 = runs / 4 ? runs / 4 : 1;
  t = bench_start();
  for (size_t r = 0; r < n1; r++) {
    o.winsorise = (int)(r & 1);
    o.agg = (int)((r >> 1) & 1);
    o.norm = (int)((r >> 2) & 1);
    if (idx_run(p, ws, &o, &err)) return die(&err);
  }
  cpu = bench_since(t, &wall);
  bench_line("idx_run alone, uncached, one thread", wall, cpu, "%.1f us/run", 1e6 * wall / (double)n1);
  idx_workspace_free(ws);
  idx_plan_free(p);
  idx_data_free(d);
  idx_model_free(m);
  return 0;
}

/* svy_bench.c — timings of the estimator and the store on a synthetic
** survey held in memory (no CSV parsing): N respondents x K questions,
** 63 provinces, 4 size strata, weights, 5% missing answers.
**   bench_survey [N [K [DBFILE]]]   (default 1000000 40)
** Prints: design build, estimate_all (estimates + SEs for every
** indicator x province/region/nation), one estimate_point (a bootstrap
** replicate), store import (MB/s of doubles written) and store load. */
#include "chiso_internal.h"

#include "bench.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static survey_data *synth(const geo_registry *reg, size_t n, size_t k) {
  survey_data *s = survey_new(n, k);
  uint64_t st = 42;
  static const char *sizes[] = {"micro", "small", "medium", "large"};
  s->year = 2024;
  s->stratum_names = chiso_calloc(4, sizeof(char *));
  for (int h = 0; h < 4; h++) s->stratum_names[h] = chiso_strdup(sizes[h]);
  s->n_strata = 4;
  s->weight = chiso_malloc(n * sizeof(double));
  for (size_t i = 0; i < n; i++) {
    uint64_t r = rng_splitmix64(&st);
    const geo_unit *u = geo_unit_at(reg, GEO_ERA_63, r % 63);
    memcpy(s->province[i], u->code, 3);
    s->stratum[i] = (int)((r >> 8) % 4);
    s->weight[i] = 1.0 + (double)((r >> 16) % 500) / 10.0;
    char id[24];
    snprintf(id, sizeof id, "R%zu", i);
    s->respondent_id[i] = chiso_strdup(id);
    s->source_row[i] = (long)i + 2;
  }
  for (size_t v = 0; v < k; v++) {
    char id[32];
    snprintf(id, sizeof id, "q%02zu", v);
    s->vars[v].id = chiso_strdup(id);
    for (size_t i = 0; i < n; i++) {
      uint64_t r = rng_splitmix64(&st);
      if (r % 20 == 0) continue; /* missing */
      s->vars[v].values[i] = v % 2 ? (double)((r >> 8) & 1) : (double)((r >> 8) % 1000) / 10.0;
    }
  }
  return s;
}

int main(int argc, char **argv) {
  size_t n = argc > 1 ? (size_t)atol(argv[1]) : 1000000, k = argc > 2 ? (size_t)atol(argv[2]) : 40;
  const char *db = argc > 3 ? argv[3] : "/tmp/chiso-bench.db";
  chiso_err err;
  geo_registry *reg;
  if (geo_registry_new(&reg, &err)) return 3;
  survey_data *s = synth(reg, n, k);
  estimator_spec *specs = calloc(k, sizeof *specs);
  for (size_t v = 0; v < k; v++)
    specs[v] = (estimator_spec){s->vars[v].id, v % 2 ? CODEBOOK_SHARE_YES : CODEBOOK_MEAN,
                          s->vars[v].values, NULL};
  estimator_options opt = {30, 0, NULL};
  estimator_design *d;
  double wall, cpu;
  printf("estimation: %zu respondents x %zu indicators\n", n, k);
  bench_mark t = bench_start();
  if (estimator_design_new(s, reg, specs, k, &opt, &d, &err)) return 2;
  cpu = bench_since(t, &wall);
  bench_line("design build", wall, cpu, "%zu domains", estimator_domain_count(d));
  size_t D = estimator_domain_count(d);
  estimator_cell *cells = calloc(D * k, sizeof *cells);
  t = bench_start();
  estimator_estimate_all(d, cells, &err);
  cpu = bench_since(t, &wall);
  bench_line("estimates + SEs", wall, cpu, "%zu estimates", D * k);
  double *work = calloc(estimator_point_work_size(d), sizeof(double)), *pt = calloc(D * k, sizeof(double));
  t = bench_start();
  estimator_estimate_point(d, estimator_weights(d), work, pt);
  cpu = bench_since(t, &wall);
  bench_line("one replicate point", wall, cpu, "%zu estimates", D * k);
  printf("  check: nation %s: %.6f (se %.6f)\n", specs[1].id, cells[(D - 1) * k + 1].estimate,
         cells[(D - 1) * k + 1].se);
  unlink(db);
  store *st;
  if (store_open(db, 1, &st, &err)) return 2;
  store_method m = {"bench", "0", "{}"};
  store_file f = {"bench.csv", "0", 0, 0, 0, s};
  store_outcome out;
  long long id;
  double mb = (double)(n * (k + 1) * 8) / 1e6;
  printf("store: %.0f MB of column data\n", mb);
  t = bench_start();
  if (store_import(st, &m, 2024, &f, 1, 0, &out, &id, &err)) {
    fprintf(stderr, "%s\n", err.message);
    return 2;
  }
  cpu = bench_since(t, &wall);
  bench_line("import (one transaction)", wall, cpu, "%.0f MB/s, %.0f rows/s", mb / wall,
             (double)n / wall);
  survey_data *back;
  char *json;
  t = bench_start();
  store_load_year(st, 2024, &back, &json, &err);
  cpu = bench_since(t, &wall);
  bench_line("load year", wall, cpu, "%zu rows", back ? back->n : 0);
  store_close(st);
  printf("  peak RSS %.0f MB\n", bench_peak_mb());
  survey_free(back);
  chiso_free(json);
  estimator_design_free(d);
  survey_free(s);
  free(specs);
  free(cells);
  free(work);
  free(pt);
  geo_registry_free(reg);
  unlink(db);
  return 0;
}

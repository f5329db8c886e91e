/* out_demo.c — the summary `chiso demo` prints (out_demo.h). */
#include "out/out_demo.h"

#include "base/err.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>

/* The unit holding rank `rank`, or -1. */
static long unit_with_rank(const year_result *r, int rank) {
  for (size_t i = 0; i < r->n_units; i++)
    if (r->rank[i] == rank) return (long)i;
  return -1;
}

static int max_rank(const year_result *r) {
  int m = 0;
  for (size_t i = 0; i < r->n_units; i++)
    if (r->rank[i] > m) m = r->rank[i];
  return m;
}

/* Width of a UTF-8 string in code points (names are NFC). */
static int width(const char *s) {
  int n = 0;
  for (; *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
  return n;
}

static void print_rank_lines(const demo_summary *s, int from, int to, FILE *out) {
  const year_result *r = s->latest;
  for (int k = from; k <= to; k++) {
    long i = unit_with_rank(r, k);
    if (i < 0) continue;
    const char *name = r->data->name[i];
    int pad = 22 - width(name);
    fprintf(out, "  %2d  %s%*s %6.1f", k, name, pad > 0 ? pad : 0, "",
           year_result_score(r, r->model->root, (size_t)i));
    if (s->rank_lo && s->rank_lo[i]) fprintf(out, "   rank %d-%d", s->rank_lo[i], s->rank_hi[i]);
    fputc('\n', out);
  }
}

static void print_share(const demo_year *y, FILE *out) {
  fprintf(out, "  %-4d  %-5d %5.1f%%", y->year, y->year >= GEO_FIRST_34_YEAR ? 34 : 63,
          100 * y->hn_hcm_share);
  if (!isnan(y->share_lo)) fprintf(out, "  [%4.1f-%4.1f]", 100 * y->share_lo, 100 * y->share_hi);
  else fprintf(out, "  %-11s", "");
  fprintf(out, "  %-7s",
         !isnan(y->share_lo) && y->share_hi < 0.5  ? "met"
         : !isnan(y->share_lo) && y->share_lo <= 0.5 ? "unclear"
         : y->hn_hcm_share <= 0.5                   ? "met"
                                                    : "not met");
  if (y->year < GEO_FIRST_34_YEAR && y->share_34 > 0) fprintf(out, "  %5.1f%%", 100 * y->share_34);
  else fprintf(out, "  %6s", "same");
  fprintf(out, "  %10.1f\n", y->mean);
}

int out_demo_write(const demo_summary *s, const demo_options *o, FILE *out) {
  assert(s && o && out);
  const year_result *r = s->latest;
  const demo_year *last = &s->years[DEMO_N_YEARS - 1];
  int n = max_rank(r);
  fprintf(out, "SYNTHETIC DATA — chiso demo: generated surveys, not real firms (seed %llu, %ld respondents a year)\n\n",
         (unsigned long long)o->seed, o->respondents);
  fprintf(out, "E-Business Index %d (%s, %zu units, %zu ranked", r->table->year, DEMO_METHOD, last->n_units,
         last->n_ranked);
  if (s->rank_lo)
    fprintf(out, ";\n rank intervals: %.0f%% of %d runs of bootstrap replicate x method choices",
           100 * s->interval_level, DEMO_RUNS);
  fprintf(out, ")\n top 5\n");
  print_rank_lines(s, 1, 5, out);
  fprintf(out, " bottom 5\n");
  print_rank_lines(s, n - 4 > 5 ? n - 4 : 6, n, out);
  fprintf(out, " mean of the %zu ranked units: %.1f\n\n", last->n_ranked, last->mean);
  fprintf(out, "HN + HCM share of estimated online sales, %.0f%% bootstrap interval (target: at most 50%%)\n",
         100 * last->share_level);
  fprintf(out, "  on the units of each year (63 provinces to 2024, 34 units from 2025), and on the\n"
               "  34 units of 2025 for every year, as the report's chart and workbook show it\n"
               "  (HCM then includes former Bình Dương and Bà Rịa-Vũng Tàu)\n");
  fprintf(out, "  %-4s  %-5s %6s  %-11s  %-7s  %6s  %10s\n", "year", "units", "share", "interval",
          "status", "on 34", "mean score");
  for (int t = 0; t < DEMO_N_YEARS; t++) print_share(&s->years[t], out);
  fprintf(out, "  (mean score: the mean index score of the units ranked that year)\n");
  fprintf(out, "\nNational plan KPIs measured by the survey\n");
  for (size_t i = 0; i < s->n_targets; i++) {
    const demo_target *t = &s->targets[i];
    fprintf(out, "  %-18s %-26s target %g by %d: %s", t->plan, t->kpi, t->target, t->target_year, t->status);
    if (t->actual_year) fprintf(out, " (%.1f in %d)", t->actual, t->actual_year);
    fputc('\n', out);
  }
  fprintf(out, "\nWrote %zu files (each CSV with a .meta.json saying SYNTHETIC):\n", s->n_files);
  fprintf(out, "  database     %s\n", s->db);
  fprintf(out, "  index        %s/index-YEAR.csv, .json (%d-%d; %d with intervals)\n", s->results,
         DEMO_FIRST_YEAR, DEMO_LAST_YEAR, DEMO_LAST_YEAR);
  fprintf(out, "  uncertainty  %s/uncertainty-%d.csv (sampling), uncertainty-crossed-%d.csv\n", s->results,
         DEMO_LAST_YEAR, DEMO_LAST_YEAR);
  fprintf(out, "  divide       %s/divide-YEAR.csv\n", s->results);
  fprintf(out, "  series       %s/series.csv (every year on the 34 units)\n", s->results);
  fprintf(out, "  targets      %s/targets.csv\n", s->results);
  fprintf(out, "  estimates    %s/estimates-YEAR.csv\n", s->results);
  fprintf(out, "  workbook     %s (and report-%d.json)\n", s->xlsx, DEMO_LAST_YEAR);
  fprintf(out, "  report       %s/index.html (English: %s/index.html)\n", s->report, s->report_en);
  fprintf(out, "  PDF          %s (English: %s)\n\n", s->pdf, s->pdf_en);
  fprintf(out, "open %s/index.html\n", s->report);
  return ferror(out) ? CHISO_EIO : CHISO_OK;
}


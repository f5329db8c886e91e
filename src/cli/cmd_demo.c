/* cmd_demo.c — `chiso demo`: the whole story on synthetic data. */
#include "cli.h"

#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    "Usage: chiso demo [--out DIR] [--respondents N] [--seed S] [--threads T]\n\n"
    "Build a workspace from SYNTHETIC data and show what chiso computes:\n"
    "synthetic surveys for 2020-2025 (63 provinces, then the 34 units of 2025)\n"
    "and synthetic official indicators are generated (docs/synth.md), imported\n"
    "into DIR/chiso.db, the index is computed for every year with ebi-2021\n"
    "(fixed goalposts, so years compare), and the results are written under\n"
    "DIR/results. A summary is printed. Nothing here describes real firms.\n\n"
    "  --out DIR          workspace (default chiso-demo); DIR/chiso.db is replaced\n"
    "                     only when an earlier demo made it\n"
    "  --respondents N    respondents per year (default 12000)\n"
    "  --seed S           random seed (default 1); same seed, same files\n"
    "  --threads T        threads for generating the surveys (default: CPUs)\n\n"
    "Writes DIR/inputs/survey-YEAR.csv, official-YEAR.csv; DIR/results/\n"
    "index-YEAR.csv and .json, estimates-YEAR.csv, divide.csv, targets.csv;\n"
    "every CSV has FILE.meta.json beside it saying it is synthetic, every JSON\n"
    "has \"synthetic\": true.\n";


static int parse_args(int argc, char **argv, demo_options *o) {
  static const struct option opts[] = {{"out", required_argument, 0, 'o'},
                                       {"respondents", required_argument, 0, 'n'},
                                       {"seed", required_argument, 0, 's'},
                                       {"threads", required_argument, 0, 't'},
                                       {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
  int c;
  long v;
  opterr = 0;
  optind = 1;
  while ((c = getopt_long(argc, argv, "o:n:s:t:h", opts, NULL)) != -1) {
    switch (c) {
    case 'o': o->dir = optarg; break;
    case 'n':
      if (cli_parse_long("demo", "--respondents", optarg, 4 * 63, 5000000, &v)) return 1;
      o->respondents = v;
      break;
    case 's':
      if (cli_parse_long("demo", "--seed", optarg, 0, 2147483647L, &v)) return 1;
      o->seed = (uint64_t)v;
      break;
    case 't':
      if (cli_parse_long("demo", "--threads", optarg, 0, 64, &v)) return 1;
      o->threads = (int)v;
      break;
    case 'h': fputs(help, stdout); return -1;
    default: return cli_bad_option("demo", optopt, argv[optind - 1]);
    }
  }
  if (optind < argc) return cli_usage_error("demo", "unexpected argument '%s'", argv[optind]);
  return 0;
}

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

static void print_rank_lines(const demo_summary *s, int from, int to) {
  const year_result *r = s->latest;
  for (int k = from; k <= to; k++) {
    long i = unit_with_rank(r, k);
    if (i < 0) continue;
    const char *name = r->data->name[i];
    int pad = 22 - width(name);
    printf("  %2d  %s%*s %6.1f", k, name, pad > 0 ? pad : 0, "",
           year_result_score(r, r->model->root, (size_t)i));
    if (s->rank_lo && s->rank_lo[i]) printf("   rank %d-%d", s->rank_lo[i], s->rank_hi[i]);
    putchar('\n');
  }
}

static void print_share(const demo_year *y) {
  printf("  %d  %5.1f%%", y->year, 100 * y->hn_hcm_share);
  if (!isnan(y->share_lo)) printf("  [%4.1f-%4.1f]", 100 * y->share_lo, 100 * y->share_hi);
  else printf("  %13s", "");
  printf("  %-7s  mean index %5.1f%s\n",
         !isnan(y->share_lo) && y->share_hi < 0.5  ? "met"
         : !isnan(y->share_lo) && y->share_lo <= 0.5 ? "unclear"
         : y->hn_hcm_share <= 0.5                   ? "met"
                                                    : "not met",
         y->mean, y->year >= GEO_FIRST_34_YEAR ? "  (34 units: HCM includes Bình Dương, Bà Rịa-Vũng Tàu)" : "");
}

static void print_summary(const demo_summary *s, const demo_options *o) {
  const year_result *r = s->latest;
  const demo_year *last = &s->years[DEMO_N_YEARS - 1];
  int n = max_rank(r);
  printf("SYNTHETIC DATA — chiso demo: generated surveys, not real firms (seed %llu, %ld respondents a year)\n\n",
         (unsigned long long)o->seed, o->respondents);
  printf("E-Business Index %d (%s, %zu units, %zu ranked", r->table->year, DEMO_METHOD, last->n_units,
         last->n_ranked);
  if (s->rank_lo)
    printf(";\n rank intervals: %.0f%% of %d runs of bootstrap replicate x method choices",
           100 * s->interval_level, DEMO_RUNS);
  printf(")\n top 5\n");
  print_rank_lines(s, 1, 5);
  printf(" bottom 5\n");
  print_rank_lines(s, n - 4 > 5 ? n - 4 : 6, n);
  printf(" national mean (ranked units): %.1f\n\n", last->mean);
  printf("HN + HCM share of estimated online sales, %.0f%% bootstrap interval (target: at most 50%%)\n",
         100 * last->share_level);
  for (int t = 0; t < DEMO_N_YEARS; t++) print_share(&s->years[t]);
  printf("\nNational plan KPIs measured by the survey\n");
  for (size_t i = 0; i < s->n_targets; i++) {
    const demo_target *t = &s->targets[i];
    printf("  %-18s %-26s target %g by %d: %s", t->plan, t->kpi, t->target, t->target_year, t->status);
    if (t->actual_year) printf(" (%.1f in %d)", t->actual, t->actual_year);
    putchar('\n');
  }
  printf("\nWrote %zu files (each CSV with a .meta.json saying SYNTHETIC):\n", s->n_files);
  printf("  database     %s\n", s->db);
  printf("  index        %s/index-YEAR.csv, .json (%d-%d; %d with intervals)\n", s->results,
         DEMO_FIRST_YEAR, DEMO_LAST_YEAR, DEMO_LAST_YEAR);
  printf("  uncertainty  %s/uncertainty-%d.csv (sampling), uncertainty-crossed-%d.csv\n", s->results,
         DEMO_LAST_YEAR, DEMO_LAST_YEAR);
  printf("  divide       %s/divide-YEAR.csv\n", s->results);
  printf("  series       %s/series.csv (every year on the 34 units)\n", s->results);
  printf("  targets      %s/targets.csv\n", s->results);
  printf("  estimates    %s/estimates-YEAR.csv\n", s->results);
  printf("  workbook     %s (and report-%d.json)\n", s->xlsx, DEMO_LAST_YEAR);
  printf("  report       %s/index.html (English: %s/index.html)\n\n", s->report, s->report_en);
  printf("open %s/index.html\n", s->report);
}

CHISO_COMMAND(demo, "Build a demo workspace from synthetic surveys and show the results")
{
  demo_options o = {.dir = "chiso-demo", .respondents = 12000, .seed = 1, .threads = 0};
  int rc = parse_args(argc, argv, &o);
  if (rc) return rc < 0 ? 0 : rc;
  o.progress = cli_progress;
  chiso_err err;
  chiso_err_clear(&err);
  geo_registry *reg = NULL;
  demo_summary *s = NULL;
  rc = geo_registry_new(&reg, &err);
  if (!rc) rc = demo_run(reg, &o, &s, &err);
  if (!rc) print_summary(s, &o);
  demo_summary_free(s);
  geo_registry_free(reg);
  if (rc == CHISO_EUSAGE) return cli_usage_error("demo", "%s", err.message);
  if (rc == CHISO_EEXISTS) {
    cli_report("demo", rc, &err);
    return CHISO_EXIT_DATA;
  }
  return rc ? cli_report("demo", rc, &err) : 0;
}

/* cmd_uncertainty.c — `chiso uncertainty`: per-unit score and rank
** intervals from a Monte Carlo over method choices (docs/uncertainty.md). */
#include "unccli.h"

static const char help[] =
    "Usage: chiso uncertainty (--imeta FILE | --method FILE|NAME) --data FILE\n"
    "                         [--spec FILE] [--runs N] [--seed S] [--threads T]\n"
    "                         [--format table|csv|json] [--out FILE] [--denominate]\n"
    "                         [--params FILE] [--dump-run N --dump FILE]\n"
    "       chiso uncertainty --db DB --year Y [--method FILE|NAME]\n"
    "                         [--mode sampling|method|crossed] [--replicates R] ...\n\n"
    "Run the whole index N times (default 1000), each run drawing the uncertain\n"
    "method choices of the spec (default: +-25% weight noise at every level,\n"
    "minmax or zscore, arithmetic or geometric mean, winsorisation off or on),\n"
    "and report per unit the score and rank intervals.\n"
    "With --db, the year's stored survey is resampled: --mode sampling (the\n"
    "default) recomputes the whole index on R Rao-Wu bootstrap replicates\n"
    "(--replicates, default 500) of the province estimates, official indicators\n"
    "held fixed; --mode crossed draws a replicate and a method in each of the\n"
    "--runs runs; --mode method varies the method only.\n\n"
    "CSV columns: code,name,score,score_lo,score_hi,rank,rank_lo,rank_hi,\n"
    "  p_top1,p_top3,p_top5,p_top10,p_above_mean,rank_median,rank_q05,rank_q95,\n"
    "  mean_abs_shift,se,score_lo90,score_hi90,rank_lo90,rank_hi90,rank_sim_lo,rank_sim_hi,\n"
    "  tied_group,tied_size\n"
    "score_lo/hi and rank_lo/hi are 95% percentile intervals (empty score\n"
    "intervals when the normalisation varies: scores are then on different\n"
    "scales); rank_median, rank_q05, rank_q95 and mean_abs_shift are the\n"
    "COINr-style summary of the ranks; rank_sim_lo/hi are simultaneous 95%\n"
    "rank sets (Mogstad et al. 2024), given only with sampling uncertainty;\n"
    "tied_group numbers near-tie groups (1 = best): neighbours in the nominal\n"
    "order whose order is reversed in >= 2.5% of the runs share a group, of\n"
    "tied_size units.\n"
    "Same seed, same bytes, whatever --threads.\n\n"
    "  --params FILE    the parameters drawn in every run (COINr's $Para): CSV\n"
    "                   run, one column per input (weights_L2:b2c = a weight\n"
    "                   multiplier, normalisation = the choice, replicate = the\n"
    "                   bootstrap replicate), to see which choice moved a rank\n"
    "  --dump-run N --dump FILE\n"
    "                   run N again and write its whole index to FILE (compute's\n"
    "                   CSV with every node and normalised indicator); its\n"
    "                   parameters are printed on stderr\n"
    "  --denominate     apply the iMeta's denominators first (COINr Denominate)\n";

CHISO_COMMAND(uncertainty, "Score and rank intervals from method choices (and survey sampling)")
{
  unccli_opts o;
  int rc = unccli_parse("uncertainty", help, argc, argv, 1000, &o);
  if (rc) return rc < 0 ? 0 : rc;
  unccli_default_mode(&o, UNCCLI_SAMPLING);
  unccli_input in;
  if ((rc = unccli_load("uncertainty", &o, &in))) return rc;
  rc = unccli_run("uncertainty", &o, &in, chiso_uncertainty_write);
  unccli_input_free(&in);
  return rc;
}

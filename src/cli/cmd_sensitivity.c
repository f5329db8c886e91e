/* cmd_sensitivity.c — `chiso sensitivity`: Sobol first-order and total
** indices of the rank shifts for each uncertain method input. */
#include "unccli.h"

static const char help[] =
    "Usage: chiso sensitivity (--imeta FILE | --method FILE|NAME) --data FILE\n"
    "                         [--spec FILE] [--runs N] [--seed S] [--threads T]\n"
    "                         [--convergence] [--format table|csv|json] [--out FILE]\n"
    "       chiso sensitivity --db DB --year Y [--method FILE|NAME] [--mode crossed|method]\n"
    "                         [--replicates R] ...\n\n"
    "Sobol sensitivity of the mean absolute rank shift (from the nominal ranks)\n"
    "to each uncertain input of the spec (default as `chiso uncertainty`):\n"
    "Saltelli (2010) design on Sobol points with N base rows (--runs, default\n"
    "1024; N(k+2) index runs for k inputs), Jansen estimators, 95% bootstrap CIs.\n"
    "With --db the default spec adds the survey bootstrap replicate (R Rao-Wu\n"
    "replicates of the stored year, --replicates, default 500) as one more input\n"
    "named \"sampling\" (--mode crossed, the default); --mode method leaves it out.\n\n"
    "CSV columns: input,si,si_lo,si_hi,st,st_lo,st_hi — one row per input at N.\n"
    "--convergence adds a column n_base and rows at N/4 and N/2 (then N).\n"
    "Same seed, same bytes, whatever --threads.\n";

CHISO_COMMAND(sensitivity, "Sobol sensitivity indices of the ranks to method choices")
{
  unccli_opts o;
  int rc = unccli_parse("sensitivity", help, argc, argv, 1024, &o);
  if (rc) return rc < 0 ? 0 : rc;
  unccli_default_mode(&o, UNCCLI_BOTH);
  if (o.mode == UNCCLI_SAMPLING)
    return cli_usage_error("sensitivity", "--mode sampling has no method inputs; use crossed");
  if (o.runs < 8) return cli_usage_error("sensitivity", "--runs (base rows N) must be at least 8");
  if (o.params || o.dump)
    return cli_usage_error("sensitivity", "--params and --dump go with chiso uncertainty");
  unccli_input in;
  if ((rc = unccli_load("sensitivity", &o, &in))) return rc;
  rc = unccli_run("sensitivity", &o, &in, chiso_sensitivity_write);
  unccli_input_free(&in);
  return rc;
}

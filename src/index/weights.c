/* weights.c — effective weights and correlation-balancing weights (see
** weights.h): COINr's get_eff_wts and get_opt_weights (Becker et al.
** 2022, JOSS 7(78) 4567; the linear version of Becker, Saisana, Paruolo &
** Vandecasteele 2017, "Weights and importance in composite indicators:
** Closing the gap", Ecological Indicators 80:12–22). */
#include "index/weights.h"

#include "base/mem.h"
#include "index/audit.h"

#include <assert.h>
#include <math.h>
#include <string.h>

/* ---- effective weights ------------------------------------------------- */

void weights_effective(const idx_model *m, const double *w, double *eff) {
  assert(m && m->finished && eff);
  for (size_t n = 0; n < m->n_nodes; n++) eff[n] = 0;
  eff[m->root] = 1;
  /* aggregates come bottom-up with the root last: walk them top-down */
  for (size_t a = m->n_nodes; a-- > m->n_ind;) {
    const idx_node *nd = &m->nodes[a];
    double sum = 0;
    for (int j = 0; j < nd->n_children; j++) {
      int c = m->children[nd->first_child + j];
      sum += w ? w[c] : m->nodes[c].weight;
    }
    for (int j = 0; j < nd->n_children; j++) {
      int c = m->children[nd->first_child + j];
      double wc = w ? w[c] : m->nodes[c].weight;
      eff[c] = sum > 0 ? eff[a] * wc / sum : 0;
    }
  }
}

/* ---- the objective ------------------------------------------------------ */

typedef struct problem {
  const idx_plan *p;
  idx_workspace *ws;
  const weights_opt_options *opt;
  size_t n;
  const int *node;
  double *target;   /* n, sums to 1 */
  double *all;      /* n_nodes weights of a run */
  double *corr;     /* n correlations of the last evaluation */
  double *x, *y;    /* U scratch: the active units' scores */
  int evals;
  chiso_err *err;
  int run_rc;       /* the error of a failed run (a bad option), else 0 */
} problem;

static double evaluate(problem *pb, const double *w_level) {
  const idx_model *m = idx_plan_model(pb->p);
  size_t U = idx_plan_data(pb->p)->n_units;
  idx_options run;
  if (pb->opt->run) run = *pb->opt->run;
  else idx_options_init(&run);
  for (size_t i = 0; i < m->n_nodes; i++)
    pb->all[i] = pb->opt->w0 ? pb->opt->w0[i] : m->nodes[i].weight;
  double sum = 0;
  for (size_t j = 0; j < pb->n; j++) sum += w_level[j];
  for (size_t j = 0; j < pb->n; j++) pb->all[pb->node[j]] = w_level[j] / sum;
  run.weights = pb->all;
  run.weight_mult = NULL;
  pb->evals++;
  if ((pb->run_rc = idx_run(pb->p, pb->ws, &run, pb->err))) return NAN;
  size_t c = 0;
  double csum = 0, ss = 0;
  for (size_t j = 0; j < pb->n; j++) {
    c = 0;
    for (size_t i = 0; i < U; i++) {
      int node;
      if (idx_unranked_reason(pb->ws, i, &node) != IDX_RANKED) continue;
      pb->x[c] = idx_score(pb->ws, pb->node[j], i);
      pb->y[c++] = idx_score(pb->ws, m->root, i);
    }
    pb->corr[j] = audit_pearson(pb->x, pb->y, c);
    csum += pb->corr[j];
  }
  for (size_t j = 0; j < pb->n; j++) {
    double d = pb->target[j] - pb->corr[j] / csum;
    ss += d * d;
  }
  return log(ss / (double)pb->n);
}

double weights_objective(const idx_plan *p, idx_workspace *ws, const weights_opt_options *opt,
                         const double *w_level, chiso_err *err) {
  assert(p && ws && opt && w_level);
  const idx_model *m = idx_plan_model(p);
  size_t N = m->n_nodes, U = idx_plan_data(p)->n_units, n = 0;
  int *node = chiso_malloc(N * sizeof *node);
  double *buf = chiso_malloc((N + 3 * N + 2 * U + 1) * sizeof *buf);
  double v = NAN;
  if (node && buf) {
    for (size_t i = 0; i < N; i++)
      if (m->nodes[i].level == opt->level) node[n++] = (int)i;
    problem pb = {p, ws, opt, n, node, buf, buf + N, buf + 2 * N, buf + 3 * N, buf + 3 * N + U, 0, err, 0};
    double t = 0;
    for (size_t j = 0; j < n; j++) t += opt->itarg ? opt->itarg[j] : 1;
    for (size_t j = 0; j < n; j++) pb.target[j] = (opt->itarg ? opt->itarg[j] : 1) / t;
    if (n) v = evaluate(&pb, w_level);
  } else {
    chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  }
  chiso_free(node);
  chiso_free(buf);
  return v;
}

/* ---- Nelder–Mead over log-weights --------------------------------------- */

static double eval_log(problem *pb, const double *pt, double *w) {
  for (size_t j = 0; j < pb->n; j++) w[j] = exp(pt[j]);
  double f = evaluate(pb, w);
  return isnan(f) ? INFINITY : f;
}

/* One Nelder–Mead search (Lagarias, Reeds, Wright & Wright 1998, SIAM J.
** Optim. 9:112–147: reflection 1, expansion 2, contraction 1/2, shrink
** 1/2) from the simplex around start with edges `step`; the best point
** returns in start, its value as the result. s holds (n+1)(n+1) + 4n. */
static double nelder_mead(problem *pb, double *start, double step, int budget, double *s) {
  size_t n = pb->n, k = n + 1;
  double *pts = s, *f = s + k * n, *cen = f + k, *xr = cen + n, *xe = xr + n, *w = xe + n;
  for (size_t i = 0; i < k; i++) {
    for (size_t j = 0; j < n; j++) pts[i * n + j] = start[j] + (i > 0 && j == i - 1 ? step : 0);
    f[i] = eval_log(pb, pts + i * n, w);
  }
  while (pb->evals < budget) {
    for (size_t i = 1; i < k; i++) /* sort by value, stable */
      for (size_t q = i; q > 0 && f[q] < f[q - 1]; q--) {
        double t = f[q]; f[q] = f[q - 1]; f[q - 1] = t;
        for (size_t j = 0; j < n; j++) { t = pts[q * n + j]; pts[q * n + j] = pts[(q - 1) * n + j]; pts[(q - 1) * n + j] = t; }
      }
    double size = 0;
    for (size_t i = 1; i < k; i++)
      for (size_t j = 0; j < n; j++) size = fmax(size, fabs(pts[i * n + j] - pts[j]));
    if (f[n] - f[0] <= 1e-12 * (1 + fabs(f[0])) || size < 1e-9) break;
    for (size_t j = 0; j < n; j++) {
      cen[j] = 0;
      for (size_t i = 0; i < n; i++) cen[j] += pts[i * n + j] / (double)n;
    }
    double *worst = pts + n * n;
    for (size_t j = 0; j < n; j++) xr[j] = cen[j] + (cen[j] - worst[j]);
    double fr = eval_log(pb, xr, w);
    if (fr < f[0]) {
      for (size_t j = 0; j < n; j++) xe[j] = cen[j] + 2 * (cen[j] - worst[j]);
      double fe = eval_log(pb, xe, w);
      memcpy(worst, fe < fr ? xe : xr, n * sizeof *worst);
      f[n] = fe < fr ? fe : fr;
    } else if (fr < f[n - 1]) {
      memcpy(worst, xr, n * sizeof *worst);
      f[n] = fr;
    } else {
      int outside = fr < f[n];
      for (size_t j = 0; j < n; j++)
        xe[j] = outside ? cen[j] + 0.5 * (xr[j] - cen[j]) : cen[j] + 0.5 * (worst[j] - cen[j]);
      double fc = eval_log(pb, xe, w);
      if (fc < (outside ? fr : f[n])) {
        memcpy(worst, xe, n * sizeof *worst);
        f[n] = fc;
      } else { /* shrink towards the best point */
        for (size_t i = 1; i < k; i++) {
          for (size_t j = 0; j < n; j++) pts[i * n + j] = pts[j] + 0.5 * (pts[i * n + j] - pts[j]);
          f[i] = eval_log(pb, pts + i * n, w);
        }
      }
    }
  }
  size_t best = 0;
  for (size_t i = 1; i < k; i++)
    if (f[i] < f[best]) best = i;
  memcpy(start, pts + best * n, n * sizeof *start);
  return f[best];
}

void weights_opt_result_clear(weights_opt_result *res) {
  if (!res) return;
  chiso_free(res->node);
  chiso_free(res->weight);
  chiso_free(res->desired);
  chiso_free(res->obtained);
  chiso_free(res->corr);
  chiso_free(res->weights_all);
  memset(res, 0, sizeof *res);
}

static int alloc_result(weights_opt_result *res, size_t n, size_t N) {
  memset(res, 0, sizeof *res);
  res->n = n;
  res->node = chiso_malloc((n + 1) * sizeof *res->node);
  res->weight = chiso_malloc((n + 1) * sizeof(double));
  res->desired = chiso_malloc((n + 1) * sizeof(double));
  res->obtained = chiso_malloc((n + 1) * sizeof(double));
  res->corr = chiso_malloc((n + 1) * sizeof(double));
  res->weights_all = chiso_malloc(N * sizeof(double));
  return res->node && res->weight && res->desired && res->obtained && res->corr && res->weights_all
             ? CHISO_OK
             : CHISO_ENOMEM;
}

/* Search from the start, restarting around the best point until a
** restart gains less than 1e-10; the best log-weights end in pt. */
static double search(problem *pb, double *pt, double *scratch, int budget) {
  double best = eval_log(pb, pt, scratch), step = 1.0;
  while (pb->evals < budget) {
    double f = nelder_mead(pb, pt, step, budget, scratch);
    int gained = f < best - 1e-10;
    best = f < best ? f : best;
    if (!gained) break;
    step = 0.5;
  }
  return best;
}

int weights_optimise(const idx_plan *p, const weights_opt_options *opt, weights_opt_result *res,
                     chiso_err *err) {
  assert(p && opt && res);
  const idx_model *m = idx_plan_model(p);
  size_t N = m->n_nodes, U = idx_plan_data(p)->n_units, n = 0;
  for (size_t i = 0; i < N; i++) n += m->nodes[i].level == opt->level;
  memset(res, 0, sizeof *res);
  if (n == 0 || opt->level >= m->nodes[m->root].level)
    return chiso_err_set(err, CHISO_EUSAGE, "no weights to optimise at level %d (levels 1 to %d)",
                         opt->level, m->nodes[m->root].level - 1);
  idx_workspace *ws = idx_workspace_new(p);
  double *buf = chiso_malloc((3 * N + 2 * U + (n + 1) * (n + 1) + 8 * n + 8) * sizeof *buf);
  int rc = ws && buf ? alloc_result(res, n, N) : CHISO_ENOMEM;
  if (rc) goto done;
  for (size_t i = 0, j = 0; i < N; i++)
    if (m->nodes[i].level == opt->level) res->node[j++] = (int)i;
  problem pb = {p, ws, opt, n, res->node, res->desired, buf, res->corr, buf + N, buf + N + U, 0, err, 0};
  double *pt = buf + N + 2 * U, *scratch = pt + n, t = 0;
  for (size_t j = 0; j < n; j++) t += opt->itarg ? opt->itarg[j] : 1;
  for (size_t j = 0; j < n; j++) {
    res->desired[j] = (opt->itarg ? opt->itarg[j] : 1) / t;
    pt[j] = log(opt->w0 ? opt->w0[res->node[j]] : m->nodes[res->node[j]].weight);
  }
  res->objective0 = eval_log(&pb, pt, scratch);
  if (!isfinite(res->objective0)) {
    rc = pb.run_rc ? pb.run_rc
                   : chiso_err_set(err, CHISO_EDATA, "the correlations with the index are "
                                                     "undefined (fewer than 3 units, or a constant score)");
    goto done;
  }
  res->objective = search(&pb, pt, scratch, opt->max_evals > 0 ? opt->max_evals : 20000);
  res->evals = pb.evals;
  double sum = 0;
  for (size_t j = 0; j < n; j++) sum += exp(pt[j]);
  for (size_t j = 0; j < n; j++) res->weight[j] = exp(pt[j]) / sum;
  evaluate(&pb, res->weight); /* the correlations at the optimum */
  double csum = 0;
  for (size_t j = 0; j < n; j++) csum += res->corr[j];
  for (size_t j = 0; j < n; j++) res->obtained[j] = res->corr[j] / csum;
  memcpy(res->weights_all, pb.all, N * sizeof *res->weights_all);
done:
  if (rc == CHISO_ENOMEM) chiso_err_set(err, rc, "out of memory");
  if (rc) weights_opt_result_clear(res);
  idx_workspace_free(ws);
  chiso_free(buf);
  return rc;
}

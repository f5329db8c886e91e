/* montecarlo.c — spec files and the uncertainty / sensitivity drivers (montecarlo.h). */
#include "uncertainty/montecarlo.h"
#include "base/jsonio.h"
#include "base/textfile.h"

#include "base/mem.h"
#include "base/workers.h"

#include <assert.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define MONTECARLO_CACHE_SLOTS 8 /* settings kept per indicator (idx_workspace_cache) */

static const char *const kind_names[MONTECARLO_KIND_COUNT] = {
    "weights", "normalisation", "aggregation", "winsorisation",
    "winmax",  "imputation",    "exclude",     "sampling"};

const char *montecarlo_kind_name(montecarlo_kind k) {
  return (unsigned)k < MONTECARLO_KIND_COUNT ? kind_names[k] : "?";
}

static int kind_parse(const char *s) {
  for (int k = 0; k < MONTECARLO_KIND_COUNT; k++)
    if (!strcmp(s, kind_names[k])) return k;
  if (!strcmp(s, "normalization")) return MONTECARLO_NORMALISATION;
  if (!strcmp(s, "winsorization")) return MONTECARLO_WINSORISATION;
  return -1;
}

/* ======================================================================
** Locating an entry of "inputs" in the JSON text (jansson keeps no
** positions), so errors can say FILE:LINE:COL.
** ==================================================================== */

static size_t skip_ws(const char *t, size_t len, size_t i) {
  while (i < len && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r')) i++;
  return i;
}

static size_t skip_string(const char *t, size_t len, size_t i) {
  for (i++; i < len; i++) {
    if (t[i] == '\\') i++;
    else if (t[i] == '"') return i + 1;
  }
  return len;
}

/* Offset of element `want` of the array opening at `open`, or 0. */
static size_t array_element(const char *t, size_t len, size_t open, size_t want) {
  size_t i = skip_ws(t, len, open + 1), n = 0;
  int depth = 0;
  if (want == 0) return i;
  while (i < len) {
    char c = t[i];
    if (c == '"') { i = skip_string(t, len, i); continue; }
    if (c == '{' || c == '[') depth++;
    else if (c == '}' || c == ']') { if (depth-- == 0) return 0; }
    else if (c == ',' && depth == 0 && ++n == want) return skip_ws(t, len, i + 1);
    i++;
  }
  return 0;
}

/* Offset of inputs[want] in the top-level object, or 0. */
static size_t locate_input(const char *t, size_t len, size_t want) {
  int depth = 0;
  for (size_t i = 0; i < len;) {
    if (t[i] == '"') {
      size_t e = skip_string(t, len, i);
      if (depth == 1 && e - i == 8 && !memcmp(t + i, "\"inputs\"", 8)) {
        size_t j = skip_ws(t, len, e);
        if (j < len && t[j] == ':') {
          j = skip_ws(t, len, j + 1);
          if (j < len && t[j] == '[') return array_element(t, len, j, want);
        }
      }
      i = e;
      continue;
    }
    if (t[i] == '{' || t[i] == '[') depth++;
    else if (t[i] == '}' || t[i] == ']') depth--;
    i++;
  }
  return 0;
}

static void offset_to_line(const char *t, size_t off, long *row, long *col) {
  long r = 1, c = 1;
  for (size_t i = 0; i < off; i++) {
    if (t[i] == '\n') { r++; c = 1; } else c++;
  }
  *row = r;
  *col = c;
}

/* ======================================================================
** Spec parsing
** ==================================================================== */

typedef struct pctx {
  const char *name;
  montecarlo_input *in;
  chiso_err *err;
} pctx;

static int perr(const pctx *x, const char *fmt, const char *a) {
  char msg[600];
  snprintf(msg, sizeof msg, fmt, a ? a : "");
  return chiso_err_at(x->err, CHISO_EDATA, x->name, x->in->row, x->in->col, "%s: %s",
                      x->in->name[0] ? x->in->name : "input", msg);
}

/* A normalisation option: "zscore" or {"method": "zscore", "range": [a, b]}. */
static int parse_norm_option(const pctx *x, json_t *v, montecarlo_option *o) {
  json_t *meth = json_is_object(v) ? json_object_get(v, "method") : v;
  o->a = o->b = NAN;
  if (!json_is_string(meth)) return perr(x, "an option is a method name or {\"method\", \"range\"}%s", 0);
  o->code = idx_norm_parse(json_string_value(meth));
  if (o->code < 0) return perr(x, "unknown normalisation '%s'", json_string_value(meth));
  if (!json_is_object(v)) return CHISO_OK;
  const char *key;
  json_t *val;
  json_object_foreach(v, key, val) {
    if (!strcmp(key, "method")) continue;
    if (strcmp(key, "range") || !json_is_array(val) || json_array_size(val) != 2 ||
        !json_is_number(json_array_get(val, 0)) || !json_is_number(json_array_get(val, 1)))
      return perr(x, "unknown or bad key '%s' in a normalisation option (\"range\": [a, b])", key);
    o->a = json_number_value(json_array_get(val, 0));
    o->b = json_number_value(json_array_get(val, 1));
  }
  return CHISO_OK;
}

static int parse_option(const pctx *x, json_t *v, montecarlo_option *o) {
  o->a = o->b = NAN;
  const char *s = json_is_string(v) ? json_string_value(v) : NULL;
  switch (x->in->kind) {
  case MONTECARLO_NORMALISATION: return parse_norm_option(x, v, o);
  case MONTECARLO_AGGREGATION:
    if (!s || (o->code = idx_agg_parse(s)) < 0) return perr(x, "unknown aggregation '%s'", s ? s : "?");
    return CHISO_OK;
  case MONTECARLO_IMPUTATION:
    if (!s || (o->code = idx_impute_parse(s)) < 0) return perr(x, "unknown imputation '%s'", s ? s : "?");
    return CHISO_OK;
  case MONTECARLO_WINSORISATION:
    if (!json_is_boolean(v)) return perr(x, "options are true or false%s", 0);
    o->code = json_is_true(v);
    return CHISO_OK;
  case MONTECARLO_WINMAX:
    if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 1000000)
      return perr(x, "options are whole numbers of points >= 0%s", 0);
    o->code = (int)json_integer_value(v);
    return CHISO_OK;
  default: return perr(x, "this type takes no options%s", 0);
  }
}

static int parse_options(const pctx *x, json_t *arr) {
  if (!json_is_array(arr) || json_array_size(arr) == 0 || json_array_size(arr) > MONTECARLO_MAX_OPTIONS)
    return perr(x, "\"options\" must be a list of 1 to 16 choices%s", 0);
  x->in->n_options = (int)json_array_size(arr);
  for (size_t i = 0; i < json_array_size(arr); i++) {
    int rc = parse_option(x, json_array_get(arr, i), &x->in->options[i]);
    if (rc) return rc;
  }
  return CHISO_OK;
}

static int parse_exclude_ids(const pctx *x, json_t *arr) {
  montecarlo_input *in = x->in;
  if (!json_is_array(arr) || json_array_size(arr) == 0)
    return perr(x, "\"indicators\" must be a non-empty list of indicator ids%s", 0);
  in->exclude_ids = chiso_calloc(json_array_size(arr), sizeof(char *));
  if (!in->exclude_ids) return chiso_err_set(x->err, CHISO_ENOMEM, "out of memory");
  for (size_t i = 0; i < json_array_size(arr); i++) {
    json_t *v = json_array_get(arr, i);
    if (!json_is_string(v)) return perr(x, "\"indicators\" holds indicator ids (strings)%s", 0);
    if (!(in->exclude_ids[i] = chiso_strdup(json_string_value(v))))
      return chiso_err_set(x->err, CHISO_ENOMEM, "out of memory");
    in->n_exclude_ids++;
  }
  return CHISO_OK;
}

/* The defaults of each type (docs/uncertainty.md §3). */
static void input_defaults(montecarlo_input *in) {
  static const int norm[] = {IDX_NORM_MINMAX, IDX_NORM_ZSCORE};
  in->n_options = 2;
  for (int i = 0; i < 2; i++) in->options[i] = (montecarlo_option){i, NAN, NAN};
  switch (in->kind) {
  case MONTECARLO_NORMALISATION:
    for (int i = 0; i < 2; i++) in->options[i].code = norm[i];
    in->options[1].a = 10;
    in->options[1].b = 2;
    break;
  case MONTECARLO_WINMAX: in->options[0].code = 3; in->options[1].code = 5; break;
  case MONTECARLO_IMPUTATION: in->options[1].code = IDX_IMP_MEAN; break;
  case MONTECARLO_WEIGHTS: in->noise = 0.25; in->n_options = 0; break;
  case MONTECARLO_EXCLUDE: case MONTECARLO_SAMPLING: in->n_options = 0; break;
  default: break;
  }
  if (in->kind == MONTECARLO_WEIGHTS && in->level > 0) snprintf(in->name, sizeof in->name, "weights_L%d", in->level);
  else snprintf(in->name, sizeof in->name, "%s", kind_names[in->kind]);
}

static int parse_weights_key(const pctx *x, const char *key, json_t *v) {
  montecarlo_input *in = x->in;
  if (!strcmp(key, "level")) {
    if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 100)
      return perr(x, "\"level\" must be a level number (0 = every level)%s", 0);
    in->level = (int)json_integer_value(v);
    if (in->level > 0) snprintf(in->name, sizeof in->name, "weights_L%d", in->level);
    return CHISO_OK;
  }
  if (!json_is_number(v)) return perr(x, "\"%s\" must be a number", key);
  double d = json_number_value(v);
  if (!strcmp(key, "noise")) {
    if (!(d >= 0 && d < 1)) return perr(x, "\"noise\" must be in [0, 1)%s", 0);
    in->noise = d;
    return CHISO_OK;
  }
  if (!(d > 0 && isfinite(d))) return perr(x, "\"dirichlet\" (a concentration) must be > 0%s", 0);
  in->dirichlet = d;
  return CHISO_OK;
}

static int parse_key(const pctx *x, const char *key, json_t *v) {
  montecarlo_input *in = x->in;
  if (!strcmp(key, "type")) return CHISO_OK;
  if (!strcmp(key, "name")) {
    if (!json_is_string(v) || !json_string_length(v) || json_string_length(v) >= sizeof in->name)
      return perr(x, "\"name\" must be a string of 1 to 63 bytes%s", 0);
    snprintf(in->name, sizeof in->name, "%s", json_string_value(v));
    return CHISO_OK;
  }
  if (in->kind == MONTECARLO_WEIGHTS &&
      (!strcmp(key, "level") || !strcmp(key, "noise") || !strcmp(key, "dirichlet")))
    return parse_weights_key(x, key, v);
  if (in->kind == MONTECARLO_EXCLUDE && !strcmp(key, "indicators")) return parse_exclude_ids(x, v);
  if (!strcmp(key, "options") && in->kind != MONTECARLO_WEIGHTS && in->kind != MONTECARLO_EXCLUDE &&
      in->kind != MONTECARLO_SAMPLING)
    return parse_options(x, v);
  return perr(x, "unknown key '%s' for this type", key);
}

static int parse_input(const pctx *x, json_t *obj) {
  montecarlo_input *in = x->in;
  json_t *type = json_is_object(obj) ? json_object_get(obj, "type") : NULL;
  if (!json_is_string(type)) return perr(x, "each input is an object with a \"type\"%s", 0);
  int k = kind_parse(json_string_value(type));
  if (k < 0) return perr(x, "unknown type '%s' (weights normalisation aggregation winsorisation "
                            "winmax imputation exclude sampling)", json_string_value(type));
  in->kind = (montecarlo_kind)k;
  input_defaults(in);
  const char *key;
  json_t *v;
  json_object_foreach(obj, key, v) {
    int rc = parse_key(x, key, v);
    if (rc) return rc;
  }
  if (in->kind == MONTECARLO_WEIGHTS && json_object_get(obj, "noise") && in->dirichlet > 0)
    return perr(x, "give \"noise\" or \"dirichlet\", not both%s", 0);
  return CHISO_OK;
}

static montecarlo_spec *spec_new(size_t n, const char *name) {
  montecarlo_spec *s = chiso_calloc(1, sizeof *s);
  if (!s) return NULL;
  s->inputs = chiso_calloc(n ? n : 1, sizeof *s->inputs);
  s->source = chiso_strdup(name ? name : "");
  if (!s->inputs || !s->source) { montecarlo_spec_free(s); return NULL; }
  return s;
}

int montecarlo_spec_parse(const char *json, size_t len, const char *name, montecarlo_spec **out,
                   chiso_err *err) {
  *out = NULL;
  json_t *root = NULL;
  int prc = jsonio_parse(json, len, 0, name, &root, err);
  if (prc) return prc;
  json_t *arr = json_is_object(root) ? json_object_get(root, "inputs") : NULL;
  int rc = CHISO_OK;
  montecarlo_spec *s = NULL;
  if (!json_is_array(arr) || json_array_size(arr) == 0) {
    rc = chiso_err_at(err, CHISO_EDATA, name, 1, 1,
                      "a spec is an object with a non-empty list \"inputs\"");
    goto done;
  }
  if (!(s = spec_new(json_array_size(arr), name))) { rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory"); goto done; }
  for (size_t i = 0; i < json_array_size(arr) && !rc; i++) {
    montecarlo_input *in = &s->inputs[s->n++];
    offset_to_line(json, locate_input(json, len, i), &in->row, &in->col);
    snprintf(in->name, sizeof in->name, "inputs[%zu]", i);
    pctx x = {name, in, err};
    rc = parse_input(&x, json_array_get(arr, i));
  }
done:
  json_decref(root);
  if (rc) montecarlo_spec_free(s);
  else *out = s;
  return rc;
}

int montecarlo_spec_load(const char *path, montecarlo_spec **out, chiso_err *err) {
  char *buf = NULL;
  size_t len = 0;
  *out = NULL;
  int rc = textfile_read(path, &buf, &len, err);
  if (!rc) rc = montecarlo_spec_parse(buf, len, path, out, err);
  chiso_free(buf);
  return rc;
}

static int add_default(montecarlo_spec *s, montecarlo_kind kind, int level) {
  montecarlo_input *in = &s->inputs[s->n++];
  in->kind = kind;
  in->level = level;
  input_defaults(in);
  return CHISO_OK;
}

int montecarlo_spec_default(const idx_model *m, int sampling, montecarlo_spec **out, chiso_err *err) {
  int top = m->nodes[m->root].level;
  montecarlo_spec *s = spec_new((size_t)top + 4, "");
  *out = NULL;
  if (!s) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  for (int lv = 1; lv < top; lv++) add_default(s, MONTECARLO_WEIGHTS, lv);
  add_default(s, MONTECARLO_NORMALISATION, 0);
  add_default(s, MONTECARLO_AGGREGATION, 0);
  add_default(s, MONTECARLO_WINSORISATION, 0);
  if (sampling) add_default(s, MONTECARLO_SAMPLING, 0);
  *out = s;
  return CHISO_OK;
}

void montecarlo_spec_free(montecarlo_spec *s) {
  if (!s) return;
  for (size_t i = 0; i < s->n; i++) {
    for (int k = 0; k < s->inputs[i].n_exclude_ids; k++) chiso_free(s->inputs[i].exclude_ids[k]);
    chiso_free(s->inputs[i].exclude_ids);
  }
  chiso_free(s->inputs);
  chiso_free(s->source);
  chiso_free(s);
}

int montecarlo_spec_has(const montecarlo_spec *s, montecarlo_kind kind) {
  for (size_t i = 0; s && i < s->n; i++)
    if (s->inputs[i].kind == kind) return 1;
  return 0;
}

/* ======================================================================
** Binding a spec to a plan: sens inputs, and x → idx_options
** ==================================================================== */

typedef struct binput {
  int *nodes;      /* MONTECARLO_WEIGHTS: nodes moved; MONTECARLO_EXCLUDE: choices (-1 = none) */
  double *shares;  /* MONTECARLO_WEIGHTS with Dirichlet: nominal shares */
  int n;
} binput;

typedef struct binding {
  const montecarlo_setup *s;
  const montecarlo_spec *spec;
  montecarlo_spec *own_spec;        /* the default, when s->spec is NULL */
  const idx_plan *p;
  size_t U, N, table;        /* units, nodes, values per replicate table */
  sensitivity_input *in;
  binput *bi;
  int threads;
  idx_workspace **ws;
  double *mult;              /* threads × N weight multipliers */
  const double *nominal_rank; /* U (NaN = unranked), for the Sobol scalar */
  int scalar;                /* 1: y = mean absolute rank shift; else scores, ranks */
  double *params;            /* runs × n_params drawn inputs, or NULL */
  size_t n_params;           /* Σ input dimensions */
  double *scores, *ranks;    /* runs × U each: where the runs write their
                                scores and ranks (NaN = unranked), or NULL
                                for the Sobol scalar */
  unsigned char *keep;       /* NULL, or (runs + 1) root states to save (run, then the
                                nominal one at index runs): montecarlo_prepare */
  const unsigned char *replay; /* NULL, or the root states to aggregate again */
  size_t state_size, state_nominal; /* bytes of one root state; index of the nominal one */
} binding;


static int spec_err(const binding *b, const montecarlo_input *in, int code, chiso_err *err,
                    const char *msg, const char *a) {
  char text[600];
  snprintf(text, sizeof text, msg, a ? a : "");
  return chiso_err_at(err, code, b->spec->source, in->row, in->col, "%s: %s", in->name, text);
}

static int bind_weights(binding *b, const montecarlo_input *in, binput *bi, sensitivity_input *si,
                        chiso_err *err) {
  const idx_model *m = idx_plan_model(b->p);
  bi->nodes = chiso_malloc(b->N * sizeof *bi->nodes);
  bi->shares = chiso_malloc(b->N * sizeof *bi->shares);
  if (!bi->nodes || !bi->shares) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  double tot = 0;
  for (size_t n = 0; n < b->N; n++) {
    if ((int)n == m->root || (in->level > 0 && m->nodes[n].level != in->level)) continue;
    double w = b->s->weights && !isnan(b->s->weights[n]) ? b->s->weights[n] : m->nodes[n].weight;
    bi->shares[bi->n] = w;
    tot += w;
    bi->nodes[bi->n++] = (int)n;
  }
  if (bi->n == 0) {
    char lv[32];
    snprintf(lv, sizeof lv, "%d", in->level);
    return spec_err(b, in, CHISO_EDATA, err, "level %s has no weights to vary (levels are 1 = "
                    "indicators up to the level below the root; 0 = all)", lv);
  }
  for (int k = 0; k < bi->n; k++) bi->shares[k] /= tot;
  si->dim = bi->n;
  if (in->dirichlet > 0) {
    si->kind = SENSITIVITY_DIRICHLET;
    si->conc = in->dirichlet;
    si->mean = bi->shares;
  } else {
    si->kind = SENSITIVITY_UNIFORM;
    si->lo = 1 - in->noise;
    si->hi = 1 + in->noise;
  }
  return CHISO_OK;
}

/* The exclusion choices: -1 (none) then the candidate indicators. */
static int bind_exclude(binding *b, const montecarlo_input *in, binput *bi, sensitivity_input *si,
                        chiso_err *err) {
  const idx_model *m = idx_plan_model(b->p);
  size_t n = in->n_exclude_ids ? (size_t)in->n_exclude_ids : m->n_ind;
  bi->nodes = chiso_malloc((n + 1) * sizeof *bi->nodes);
  if (!bi->nodes) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  bi->nodes[bi->n++] = -1;
  for (size_t k = 0; k < n; k++) {
    int node = in->n_exclude_ids ? idx_model_find(m, in->exclude_ids[k]) : (int)k;
    if (node < 0 || !m->nodes[node].is_indicator)
      return spec_err(b, in, CHISO_EDATA, err, "'%s' is not an indicator of the model",
                      in->exclude_ids[k]);
    bi->nodes[bi->n++] = node;
  }
  si->kind = SENSITIVITY_DISCRETE;
  si->levels = bi->n;
  return CHISO_OK;
}

static int bind_input(binding *b, const montecarlo_input *in, binput *bi, sensitivity_input *si,
                      chiso_err *err) {
  snprintf(si->name, sizeof si->name, "%s", in->name);
  si->dim = 1;
  if (in->kind == MONTECARLO_WEIGHTS) return bind_weights(b, in, bi, si, err);
  if (in->kind == MONTECARLO_EXCLUDE) return bind_exclude(b, in, bi, si, err);
  si->kind = SENSITIVITY_DISCRETE;
  si->levels = in->n_options;
  if (in->kind != MONTECARLO_SAMPLING) return CHISO_OK;
  if (b->s->n_replicates < 2 || !b->s->replicates)
    return spec_err(b, in, CHISO_EUSAGE, err,
                    "sampling uncertainty needs bootstrap replicates of the data (survey "
                    "microdata)%s", 0);
  si->levels = (int)b->s->n_replicates;
  return CHISO_OK;
}

static void unbind(binding *b) {
  for (size_t i = 0; b->bi && i < b->spec->n; i++) {
    chiso_free(b->bi[i].nodes);
    chiso_free(b->bi[i].shares);
  }
  for (int t = 0; b->ws && t < b->threads; t++) idx_workspace_free(b->ws[t]);
  chiso_free(b->ws);
  chiso_free(b->bi);
  chiso_free(b->in);
  chiso_free(b->mult);
  montecarlo_spec_free(b->own_spec);
}

/* no_cache: 1 for runs that only aggregate the root (no indicator cache). */
static int bind(binding *b, const montecarlo_setup *s, int no_cache, chiso_err *err) {
  memset(b, 0, sizeof *b);
  b->s = s;
  b->p = s->plan;
  const idx_model *m = idx_plan_model(s->plan);
  const idx_data *d = idx_plan_data(s->plan);
  b->U = d->n_units;
  b->N = m->n_nodes;
  b->table = d->n_cols * d->n_units;
  b->threads = s->threads < 1 ? 1 : s->threads;
  b->spec = s->spec;
  int rc = CHISO_OK;
  if (!b->spec) {
    rc = montecarlo_spec_default(m, s->replicates && s->n_replicates >= 2, &b->own_spec, err);
    if (rc) return rc;
    b->spec = b->own_spec;
  }
  size_t n = b->spec->n ? b->spec->n : 1;
  b->in = chiso_calloc(n, sizeof *b->in);
  b->bi = chiso_calloc(n, sizeof *b->bi);
  b->ws = chiso_calloc((size_t)b->threads, sizeof *b->ws);
  b->mult = chiso_malloc((size_t)b->threads * b->N * sizeof *b->mult);
  if (!b->in || !b->bi || !b->ws || !b->mult) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  for (size_t i = 0; i < b->spec->n && !rc; i++) {
    rc = bind_input(b, &b->spec->inputs[i], &b->bi[i], &b->in[i], err);
    b->n_params += rc ? 0 : (size_t)b->in[i].dim;
  }
  /* method runs reuse treated/normalised indicators; replicates would only thrash the cache */
  int cache = !no_cache && b->spec->n > 0 && !montecarlo_spec_has(b->spec, MONTECARLO_SAMPLING);
  for (int t = 0; t < b->threads && !rc; t++) {
    if (!(b->ws[t] = idx_workspace_new(s->plan))) rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
    else if (cache && idx_workspace_cache(b->ws[t], MONTECARLO_CACHE_SLOTS))
      rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  }
  return rc;
}

/* Map the sampled inputs x (sensitivity_transform'ed) to engine options. */
static void apply_inputs(const binding *b, int thread, const double *x, idx_options *o) {
  double *mult = b->mult + (size_t)thread * b->N;
  int any_w = 0;
  size_t off = 0;
  idx_options_init(o);
  for (size_t i = 0; i < b->spec->n; i++) {
    const montecarlo_input *in = &b->spec->inputs[i];
    const binput *bi = &b->bi[i];
    if (in->kind == MONTECARLO_WEIGHTS) {
      if (!any_w) for (size_t n = 0; n < b->N; n++) mult[n] = 1;
      any_w = 1;
      for (int k = 0; k < bi->n; k++)
        mult[bi->nodes[k]] *= in->dirichlet > 0 ? x[off + (size_t)k] / bi->shares[k] : x[off + (size_t)k];
      off += (size_t)bi->n;
      continue;
    }
    int c = (int)x[off++];
    const montecarlo_option *op = &in->options[c < MONTECARLO_MAX_OPTIONS ? c : 0];
    switch (in->kind) {
    case MONTECARLO_NORMALISATION: o->norm = op->code; o->norm_a = op->a; o->norm_b = op->b; break;
    case MONTECARLO_AGGREGATION: o->agg = op->code; break;
    case MONTECARLO_WINSORISATION: o->winsorise = op->code; break;
    case MONTECARLO_WINMAX: o->winmax = op->code; break;
    case MONTECARLO_IMPUTATION: o->impute = op->code; break;
    case MONTECARLO_EXCLUDE: o->exclude = bi->nodes[c]; break;
    case MONTECARLO_SAMPLING: o->values = b->s->replicates + (size_t)c * b->table; break;
    default: break;
    }
  }
  if (any_w) o->weight_mult = mult;
  o->weights = b->s->weights;
  o->root_only = 1;
}

/* One index run (run `run` of the analysis, or the nominal one at
** b->state_nominal); `score` and `rank` receive U scores and U ranks
** (NaN = unranked), or (scalar) score[0] the mean absolute rank shift of
** the nominally ranked units. With b->replay the run aggregates its saved
** root state again; with b->keep it saves it. */
static int run_one(const binding *b, int thread, size_t run, const idx_options *o, double *score,
                   double *rank) {
  chiso_err e;
  idx_workspace *ws = b->ws[thread];
  int rc = b->replay ? idx_run_root(b->p, ws, o, b->replay + run * b->state_size, &e)
                     : idx_run(b->p, ws, o, &e);
  if (rc) return rc;
  if (b->keep) idx_root_state_save(b->p, ws, b->keep + run * b->state_size);
  const int *rk = idx_ranks(ws);
  if (b->scalar) {
    double s = 0;
    size_t n = 0;
    for (size_t i = 0; i < b->U; i++)
      if (!isnan(b->nominal_rank[i]) && rk[i]) { s += fabs(rk[i] - b->nominal_rank[i]); n++; }
    score[0] = n ? s / (double)n : 0;
    return CHISO_OK;
  }
  const double *sc = idx_scores(ws) + (size_t)idx_plan_model(b->p)->root * b->U;
  for (size_t i = 0; i < b->U; i++) {
    score[i] = rk[i] ? sc[i] : NAN;
    rank[i] = rk[i] ? rk[i] : NAN;
  }
  return CHISO_OK;
}

/* Run `run` into the analysis's rows (y: the Sobol scalar). */
static int run_into_rows(const binding *b, int thread, size_t run, const idx_options *o, double *y) {
  if (b->scalar) return run_one(b, thread, run, o, y, NULL);
  return run_one(b, thread, run, o, b->scores + run * b->U, b->ranks + run * b->U);
}

static int model_fn(void *ud, int thread, size_t run, const double *x, double *y) {
  const binding *b = ud;
  if (b->params) memcpy(b->params + run * b->n_params, x, b->n_params * sizeof *x);
  idx_options o;
  apply_inputs(b, thread, x, &o);
  return run_into_rows(b, thread, run, &o, y);
}

/* The nominal run into y (scores, ranks). */
static int nominal(binding *b, double *y, chiso_err *err) {
  idx_options o;
  idx_options_init(&o);
  o.weights = b->s->weights;
  int rc = b->replay ? idx_run_root(b->p, b->ws[0], &o, b->replay + b->state_nominal * b->state_size, err)
                     : idx_run(b->p, b->ws[0], &o, err);
  if (rc) return rc;
  int scalar = b->scalar;
  b->scalar = 0;
  rc = run_one(b, 0, b->state_nominal, &o, y, y + b->U);
  b->scalar = scalar;
  return rc;
}

static void sensitivity_setup(const binding *b, sensitivity_problem *sp, size_t n_out) {
  memset(sp, 0, sizeof *sp);
  sp->inputs = b->in;
  sp->n_inputs = b->spec->n;
  sp->model = model_fn;
  sp->ud = (void *)b;
  sp->n_out = n_out;
  sp->seed = b->s->seed;
  sp->threads = b->threads;
  sp->qmc = 1;
  sp->progress = b->s->progress;
  sp->progress_ud = b->s->progress_ud;
}

/* ======================================================================
** Summaries
** ==================================================================== */

/* res->scores and res->ranks for `runs` runs, and the binding's rows
** pointing at them: the runs write there, no copy. */
static int rows_alloc(binding *b, size_t runs, montecarlo_result *res, chiso_err *err) {
  res->scores = chiso_malloc(runs * b->U * sizeof *res->scores);
  res->ranks = chiso_malloc(runs * b->U * sizeof *res->ranks);
  if (!res->scores || !res->ranks) return chiso_err_set(err, CHISO_ENOMEM, "out of memory for %zu runs", runs);
  b->scores = res->scores;
  b->ranks = res->ranks;
  return CHISO_OK;
}

/* rankstat_compute over the nominally ranked units only (their columns
** copied out when some unit is not ranked). */
static int rank_stats(const montecarlo_result *res, const double *nom, uint64_t seed, int threads,
                      int no_sets, int intervals_only, int scores, chiso_err *err) {
  size_t U = res->n_units, R = res->runs, m = 0;
  size_t *keep = chiso_malloc(U * sizeof *keep);
  double *hat = chiso_malloc(U * sizeof *hat), *th = NULL;
  const double *theta = res->scores;
  rankstat_unit *ru = chiso_malloc(U * sizeof *ru);
  int rc = CHISO_OK;
  if (!keep || !hat || !ru) { rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory"); goto done; }
  for (size_t i = 0; i < U; i++)
    if (!isnan(nom[U + i])) { keep[m] = i; hat[m++] = nom[i]; }
  if (m == 0) { rc = chiso_err_set(err, CHISO_EDATA, "no unit has a rank: nothing to analyse"); goto done; }
  if (m < U) {
    theta = th = chiso_malloc(R * m * sizeof *th);
    if (!th) { rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory"); goto done; }
    for (size_t r = 0; r < R; r++)
      for (size_t j = 0; j < m; j++) th[r * m + j] = res->scores[r * U + keep[j]];
  }
  rankstat_options ro = {.alpha = 0.05, .seed = seed, .no_sets = no_sets, .threads = threads,
                         .intervals_only = intervals_only, .no_score_intervals = !scores};
  rc = rankstat_compute(hat, theta, R, m, &ro, ru, err);
  for (size_t j = 0; j < m && !rc; j++) {
    res->unit[keep[j]].ranked = 1;
    res->unit[keep[j]].r = ru[j];
  }
done:
  chiso_free(keep);
  chiso_free(hat);
  chiso_free(th);
  chiso_free(ru);
  return rc;
}

static void blank_unit(montecarlo_unit *u, double score) {
  memset(u, 0, sizeof *u);
  u->r.score = score;
  u->r.se = u->r.lo90 = u->r.hi90 = u->r.lo95 = u->r.hi95 = u->r.rank_median = NAN;
  u->r.p_above_mean = NAN;
  for (int k = 0; k < RANKSTAT_NTOP; k++) u->r.p_top[k] = NAN;
}

/* The unit summaries of `runs` runs, from the rows they wrote into
** res->scores and res->ranks (rows_alloc) and the nominal run nom. */
static int summarise(const binding *b, size_t runs, const double *nom, montecarlo_result *res,
                     chiso_err *err) {
  size_t U = b->U;
  res->n_units = U;
  res->runs = runs;
  res->unit = chiso_malloc(U * sizeof *res->unit);
  sensitivity_ua_stat *st = chiso_malloc(U * sizeof *st);
  int rc = CHISO_OK;
  if (!res->unit || !st) { rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory"); goto done; }
  for (size_t i = 0; i < U; i++) blank_unit(&res->unit[i], nom[i]);
  rc = rank_stats(res, nom, b->s->seed, b->threads, !res->inference || b->s->no_sets,
                  b->s->intervals_only, res->scores_comparable, err);
  if (!rc && !b->s->intervals_only)
    rc = sensitivity_ua_summary(res->ranks, runs, U, nom + U, b->threads, st, err);
  for (size_t i = 0; i < U && !rc; i++) {
    sensitivity_ua_stat none = {nom[U + i], NAN, NAN, NAN, NAN};
    res->unit[i].rank = b->s->intervals_only ? none : st[i];
  }
  for (size_t i = 0; i < U && !rc && !res->scores_comparable; i++) {
    rankstat_unit *r = &res->unit[i].r;
    r->se = r->lo90 = r->hi90 = r->lo95 = r->hi95 = NAN;
  }
done:
  chiso_free(st);
  return rc;
}

/* ======================================================================
** The analyses
** ==================================================================== */

/* The parameter columns of a bound spec: one per weight moved, one per
** discrete input; params allocated for `runs` rows. */
static int param_columns(const binding *b, size_t runs, montecarlo_result *res, chiso_err *err) {
  size_t n = b->n_params ? b->n_params : 1;
  res->n_params = b->n_params;
  res->params = chiso_calloc(runs * n, sizeof *res->params);
  res->param_input = chiso_malloc(n * sizeof *res->param_input);
  res->param_node = chiso_malloc(n * sizeof *res->param_node);
  if (!res->params || !res->param_input || !res->param_node)
    return chiso_err_set(err, CHISO_ENOMEM, "out of memory for the parameters of %zu runs", runs);
  size_t c = 0;
  for (size_t i = 0; i < b->spec->n; i++)
    for (int k = 0; k < b->in[i].dim; k++, c++) {
      res->param_input[c] = (int)i;
      res->param_node[c] = b->spec->inputs[i].kind == MONTECARLO_WEIGHTS ? b->bi[i].nodes[k] : -1;
    }
  return CHISO_OK;
}

/* What an analysis does with the root states of its runs
** (montecarlo_prepare): nothing (both NULL), save them (keep), or
** aggregate them again instead of running the index (replay, with the
** runs' drawn parameters). */
typedef struct roots {
  unsigned char *keep;
  const unsigned char *replay;
  size_t size;               /* bytes of one state */
  const double *params;      /* replay of a method analysis: runs × n_params */
} roots;

static void use_roots(binding *b, const roots *rs, size_t runs) {
  if (!rs) return;
  b->keep = rs->keep;
  b->replay = rs->replay;
  b->state_size = rs->size;
  b->state_nominal = runs;
}

typedef struct replay_job { const binding *b; const double *params; } replay_job;

/* The method runs again from their drawn parameters (montecarlo_prepare). */
static int replay_items(void *ud, int thread, size_t r0, size_t r1) {
  replay_job *j = ud;
  const binding *b = j->b;
  for (size_t r = r0; r < r1; r++) {
    int rc = model_fn((void *)b, thread, r, j->params + r * b->n_params, NULL);
    if (rc) return rc;
  }
  return CHISO_OK;
}

static int method_analysis(const montecarlo_setup *s, size_t runs, const roots *rs,
                           montecarlo_result *res, chiso_err *err) {
  memset(res, 0, sizeof *res);
  if (runs < 2) return chiso_err_set(err, CHISO_EUSAGE, "uncertainty analysis needs at least 2 runs");
  binding b;
  double *nom = NULL;
  int rc = bind(&b, s, rs && rs->replay, err);
  use_roots(&b, rs, runs);
  if (!rc) {
    nom = chiso_malloc(2 * b.U * sizeof *nom);
    rc = nom ? rows_alloc(&b, runs, res, err) : chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  }
  if (!rc) rc = nominal(&b, nom, err);
  if (!rc) rc = param_columns(&b, runs, res, err);
  if (!rc && b.replay) {
    memcpy(res->params, rs->params, runs * b.n_params * sizeof *res->params);
    replay_job j = {&b, rs->params};
    rc = workers_run(b.threads, runs, 16, replay_items, &j, s->progress, s->progress_ud,
                     "uncertainty", err);
  } else if (!rc) {
    b.params = res->params;
    sensitivity_problem sp;
    sensitivity_setup(&b, &sp, 2 * b.U);
    rc = sensitivity_ua_run(&sp, runs, NULL, err);
    b.params = NULL;
  }
  if (!rc) {
    res->scores_comparable = !montecarlo_spec_has(b.spec, MONTECARLO_NORMALISATION);
    res->inference = montecarlo_spec_has(b.spec, MONTECARLO_SAMPLING);
    rc = summarise(&b, runs, nom, res, err);
  }
  chiso_free(nom);
  unbind(&b);
  if (rc) montecarlo_result_free(res);
  return rc;
}

int montecarlo_method_analysis(const montecarlo_setup *s, size_t runs, montecarlo_result *res, chiso_err *err) {
  assert(s && s->plan && res);
  return method_analysis(s, runs, NULL, res, err);
}

static int samp_items(void *ud, int thread, size_t r0, size_t r1) {
  const binding *b = ud;
  for (size_t r = r0; r < r1; r++) {
    idx_options o;
    idx_options_init(&o);
    o.values = b->s->replicates + r * b->table;
    o.weights = b->s->weights;
    o.root_only = 1;
    int rc = run_into_rows(b, thread, r, &o, NULL);
    if (rc) return rc;
  }
  return CHISO_OK;
}

static int sampling_analysis(const montecarlo_setup *s, const roots *rs, montecarlo_result *res,
                             chiso_err *err) {
  memset(res, 0, sizeof *res);
  if (s->n_replicates < 2 || !s->replicates)
    return chiso_err_set(err, CHISO_EUSAGE, "sampling uncertainty needs at least 2 replicates");
  montecarlo_setup s2 = *s;
  montecarlo_spec none = {NULL, 0, ""};
  s2.spec = &none; /* the sampling run binds no method inputs */
  binding b;
  size_t R = s->n_replicates;
  double *nom = NULL;
  int rc = bind(&b, &s2, rs && rs->replay, err);
  use_roots(&b, rs, R);
  if (!rc) {
    nom = chiso_malloc(2 * b.U * sizeof *nom);
    rc = nom ? rows_alloc(&b, R, res, err) : chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  }
  if (!rc) rc = nominal(&b, nom, err);
  if (!rc) {
    rc = workers_run(b.threads, R, 4, samp_items, &b, s->progress, s->progress_ud,
                     "sampling uncertainty", err);
  }
  if (!rc) {
    res->scores_comparable = 1;
    res->inference = 1;
    rc = summarise(&b, R, nom, res, err);
  }
  if (!rc) { /* the one parameter of a sampling run: its replicate */
    res->n_params = 1;
    res->params = chiso_malloc(R * sizeof *res->params);
    res->param_input = chiso_malloc(sizeof *res->param_input);
    res->param_node = chiso_malloc(sizeof *res->param_node);
    if (!res->params || !res->param_input || !res->param_node) rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
    for (size_t r = 0; !rc && r < R; r++) res->params[r] = (double)r;
    if (!rc) { res->param_input[0] = -1; res->param_node[0] = -1; }
  }
  chiso_free(nom);
  unbind(&b);
  if (rc) montecarlo_result_free(res);
  return rc;
}

int montecarlo_sampling_analysis(const montecarlo_setup *s, montecarlo_result *res, chiso_err *err) {
  assert(s && s->plan && res);
  return sampling_analysis(s, NULL, res, err);
}

/* ---- prepared analyses (the what-if) --------------------------------------- */

static const montecarlo_spec *spec_of(const montecarlo_setup *s, montecarlo_spec **own);

struct montecarlo_prepared {
  montecarlo_setup s;        /* the setup prepared (weights: the copy below) */
  double *weights;           /* n_nodes: the weights prepared at */
  size_t runs;               /* method runs, or replicates */
  int sampling;              /* 1: the sampling analysis */
  int dirichlet;             /* a Dirichlet weights input: its draws follow the weights */
  double *params;            /* method: runs × n_params drawn inputs */
  unsigned char *states;     /* (runs + 1) root states, the nominal one last */
  size_t state_size;
};

void montecarlo_prepared_free(montecarlo_prepared *pr) {
  if (!pr) return;
  chiso_free(pr->weights);
  chiso_free(pr->params);
  chiso_free(pr->states);
  chiso_free(pr);
}

/* The weight of node n under weights w (NULL or NaN: the model's). */
static double weight_of(const idx_model *m, const double *w, size_t n) {
  return w && !isnan(w[n]) ? w[n] : m->nodes[n].weight;
}

int montecarlo_prepare(const montecarlo_setup *s, size_t runs, montecarlo_prepared **out,
                       chiso_err *err) {
  assert(s && s->plan && out);
  *out = NULL;
  const idx_model *m = idx_plan_model(s->plan);
  montecarlo_prepared *pr = chiso_calloc(1, sizeof *pr);
  montecarlo_result res;
  memset(&res, 0, sizeof res);
  int rc = pr ? CHISO_OK : chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  size_t n = 0;
  if (!rc) {
    pr->s = *s;
    pr->sampling = runs == 0;
    pr->runs = pr->sampling ? s->n_replicates : runs;
    pr->state_size = idx_root_state_size(s->plan);
    n = pr->runs + 1;
    pr->weights = chiso_malloc((m->n_nodes ? m->n_nodes : 1) * sizeof *pr->weights);
    pr->states = chiso_malloc(n * pr->state_size);
    if (!pr->weights || !pr->states) rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory for %zu runs", n);
  }
  if (!rc) {
    for (size_t k = 0; k < m->n_nodes; k++) pr->weights[k] = weight_of(m, s->weights, k);
    pr->s.weights = pr->weights;
    pr->s.progress = NULL;
    roots rs = {pr->states, NULL, pr->state_size, NULL};
    rc = pr->sampling ? sampling_analysis(&pr->s, &rs, &res, err)
                      : method_analysis(&pr->s, pr->runs, &rs, &res, err);
  }
  if (!rc && !pr->sampling) {
    montecarlo_spec *own = NULL;
    const montecarlo_spec *sp = spec_of(&pr->s, &own);
    for (size_t i = 0; sp && i < sp->n; i++)
      pr->dirichlet |= sp->inputs[i].kind == MONTECARLO_WEIGHTS && sp->inputs[i].dirichlet > 0;
    montecarlo_spec_free(own);
    pr->params = res.params; /* kept: the replay draws them again */
    res.params = NULL;
  }
  montecarlo_result_free(&res);
  if (rc) {
    montecarlo_prepared_free(pr);
    return rc;
  }
  *out = pr;
  return CHISO_OK;
}

int montecarlo_prepared_fits(const montecarlo_prepared *pr, const double *weights) {
  assert(pr);
  const idx_model *m = idx_plan_model(pr->s.plan);
  const idx_node *root = &m->nodes[m->root];
  for (size_t n = 0; n < m->n_nodes; n++) {
    double w = weight_of(m, weights, n);
    int child = 0;
    for (int j = 0; j < root->n_children && !child; j++) child = m->children[root->first_child + j] == (int)n;
    if (child ? pr->dirichlet || !(w > 0) != !(pr->weights[n] > 0)
              : (int)n != m->root && w != pr->weights[n])
      return 0;
  }
  return 1;
}

int montecarlo_prepared_analysis(const montecarlo_prepared *pr, const double *weights,
                                 montecarlo_result *res, chiso_err *err) {
  assert(pr && res);
  memset(res, 0, sizeof *res);
  if (!montecarlo_prepared_fits(pr, weights))
    return chiso_err_set(err, CHISO_EUSAGE, "these weights change more than the root's children");
  montecarlo_setup s = pr->s;
  s.weights = weights;
  roots rs = {NULL, pr->states, pr->state_size, pr->params};
  return pr->sampling ? sampling_analysis(&s, &rs, res, err) : method_analysis(&s, pr->runs, &rs, res, err);
}

void montecarlo_result_free(montecarlo_result *res) {
  if (!res) return;
  chiso_free(res->unit);
  chiso_free(res->scores);
  chiso_free(res->ranks);
  chiso_free(res->params);
  chiso_free(res->param_input);
  chiso_free(res->param_node);
  res->unit = NULL;
  res->scores = res->ranks = res->params = NULL;
  res->param_input = res->param_node = NULL;
  res->n_params = 0;
}

/* The spec the analysis ran with: s's, or the model's default (built
** again; the caller frees *own). */
static const montecarlo_spec *spec_of(const montecarlo_setup *s, montecarlo_spec **own) {
  *own = NULL;
  if (s->spec) return s->spec;
  chiso_err e;
  montecarlo_spec_default(idx_plan_model(s->plan), s->replicates && s->n_replicates >= 2, own, &e);
  return *own;
}

void montecarlo_param_name(const montecarlo_setup *s, const montecarlo_result *res, size_t c,
                           char *buf, size_t n) {
  int i = c < res->n_params ? res->param_input[c] : -2;
  montecarlo_spec *own;
  const montecarlo_spec *sp = i >= 0 ? spec_of(s, &own) : NULL;
  if (i == -1) snprintf(buf, n, "replicate");
  else if (!sp || (size_t)i >= sp->n) snprintf(buf, n, "?");
  else if (res->param_node[c] >= 0)
    snprintf(buf, n, "%s:%s", sp->inputs[i].name, idx_plan_model(s->plan)->nodes[res->param_node[c]].id);
  else snprintf(buf, n, "%s", sp->inputs[i].name);
  if (i >= 0) montecarlo_spec_free(own);
}

/* The label of choice c of a discrete input. */
static void option_text(const idx_model *m, const montecarlo_input *in, int c, char *buf, size_t n) {
  const montecarlo_option *op = &in->options[c >= 0 && c < in->n_options ? c : 0];
  switch (in->kind) {
  case MONTECARLO_NORMALISATION:
    if (isnan(op->a)) snprintf(buf, n, "%s", idx_norm_name((idx_norm)op->code));
    else snprintf(buf, n, "%s(%g;%g)", idx_norm_name((idx_norm)op->code), op->a, op->b);
    break;
  case MONTECARLO_AGGREGATION: snprintf(buf, n, "%s", idx_agg_name((idx_agg)op->code)); break;
  case MONTECARLO_IMPUTATION: snprintf(buf, n, "%s", idx_impute_name((idx_impute)op->code)); break;
  case MONTECARLO_WINSORISATION: snprintf(buf, n, "%s", op->code ? "on" : "off"); break;
  case MONTECARLO_WINMAX: snprintf(buf, n, "%d", op->code); break;
  case MONTECARLO_EXCLUDE:
    if (c <= 0) snprintf(buf, n, "none");
    else snprintf(buf, n, "%s", in->n_exclude_ids ? in->exclude_ids[c - 1] : m->nodes[c - 1].id);
    break;
  case MONTECARLO_SAMPLING: snprintf(buf, n, "%d", c); break;
  default: snprintf(buf, n, "%d", c); break;
  }
}

void montecarlo_param_text(const montecarlo_setup *s, const montecarlo_result *res, size_t c,
                           double v, char *buf, size_t n) {
  int i = c < res->n_params ? res->param_input[c] : -2;
  montecarlo_spec *own = NULL;
  const montecarlo_spec *sp = i >= 0 ? spec_of(s, &own) : NULL;
  if (i == -1) snprintf(buf, n, "%.0f", v);
  else if (!sp || (size_t)i >= sp->n) snprintf(buf, n, "?");
  else if (res->param_node[c] >= 0 || sp->inputs[i].kind == MONTECARLO_WEIGHTS) snprintf(buf, n, "%.17g", v);
  else option_text(idx_plan_model(s->plan), &sp->inputs[i], (int)v, buf, n);
  montecarlo_spec_free(own);
}

int montecarlo_replay(const montecarlo_setup *s, const montecarlo_result *res, size_t run,
                      idx_workspace *ws, chiso_err *err) {
  assert(s && res && ws);
  if (run >= res->runs || !res->params)
    return chiso_err_set(err, CHISO_EUSAGE, "run %zu is not one of the %zu runs", run + 1, res->runs);
  if (res->n_params == 1 && res->param_input[0] == -1) { /* a sampling run */
    idx_options o;
    idx_options_init(&o);
    o.values = s->replicates + (size_t)res->params[run] *
                                   (idx_plan_data(s->plan)->n_cols * idx_plan_data(s->plan)->n_units);
    return idx_run(s->plan, ws, &o, err);
  }
  montecarlo_setup one = *s;
  one.threads = 1;
  binding b;
  int rc = bind(&b, &one, 0, err);
  if (!rc && b.n_params != res->n_params)
    rc = chiso_err_set(err, CHISO_EINTERNAL, "the spec does not match the result");
  if (!rc) {
    idx_options o;
    apply_inputs(&b, 0, res->params + run * res->n_params, &o);
    rc = idx_run(s->plan, ws, &o, err);
  }
  unbind(&b);
  return rc;
}

int montecarlo_sensitivity(const montecarlo_setup *s, size_t N, size_t n_boot, montecarlo_sobol *res,
                    chiso_err *err) {
  assert(s && s->plan && res);
  memset(res, 0, sizeof *res);
  binding b;
  double *nom = NULL;
  int rc = bind(&b, s, 0, err);
  if (!rc && !(nom = chiso_malloc(2 * b.U * sizeof *nom))) rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  if (!rc) rc = nominal(&b, nom, err);
  if (!rc && !(res->names = chiso_calloc(b.spec->n ? b.spec->n : 1, sizeof *res->names)))
    rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  if (!rc) {
    for (size_t i = 0; i < b.spec->n; i++) memcpy(res->names[i], b.spec->inputs[i].name, 64);
    b.nominal_rank = nom + b.U;
    b.scalar = 1;
    sensitivity_problem sp;
    sensitivity_setup(&b, &sp, 1);
    rc = sensitivity_sobol(&sp, N, n_boot, &res->sobol, err);
  }
  chiso_free(nom);
  unbind(&b);
  if (rc) montecarlo_sobol_free(res);
  return rc;
}

void montecarlo_sobol_free(montecarlo_sobol *res) {
  if (!res) return;
  sensitivity_sobol_result_free(&res->sobol);
  chiso_free(res->names);
  res->names = NULL;
}

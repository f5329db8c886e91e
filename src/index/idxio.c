/* idxio.c — methodology files, COINr iMeta/iData tables, data and weight
** tables for the index engine (see idxio.h, docs/methodology.md). */
#include "index/idxio.h"
#include "base/jsonio.h"
#include "base/textfile.h"

#include "io/csvtable.h"
#include "io/number.h"
#include "base/embed.h"
#include "base/mem.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ======================================================================
** CSV
** ==================================================================== */

/* The cell of row r of a COINr table, counting the header as row 0. */
static const char *cell(const csvtable *t, size_t r, int c) {
  return r == 0 ? (c >= 0 && (size_t)c < t->n_cols ? t->header[c] : "") : csvtable_cell(t, r - 1, c);
}

/* The file line of row r (header = row 0, line 1). */
static long line_of(const csvtable *t, size_t r) { return r == 0 ? 1 : t->line[r - 1]; }

/* The number in data row r (1-based) and column c, read in its column
** (csvtable_value: "1.250" is decided by the column's other values);
** missing markers give NaN. */
static int table_number(const char *path, const csvtable *t, size_t r, int c, const char *what,
                        double *v, chiso_err *err) {
  char why[300];
  int k = csvtable_value(t, r - 1, c, 0, v, why, sizeof why);
  if (k == NUMBER_AMBIGUOUS)
    return chiso_err_at(err, CHISO_EDATA, path, line_of(t, r), c + 1, "%s: %s", what, why);
  if (k < 0)
    return chiso_err_at(err, CHISO_EDATA, path, line_of(t, r), c + 1, "%s: %s: \"%s\"", what,
                        number_data_reason(k), cell(t, r, c));
  return CHISO_OK;
}

/* A COINr table: blank column names are R's row names. */
static int read_table(const char *path, csvtable **out, chiso_err *err) {
  return csvtable_read_blank(path, 1, out, err);
}


/* ======================================================================
** Methodology JSON
** ==================================================================== */

typedef struct jctx {
  const char *name;     /* file name */
  const char *text;
  size_t len;
  size_t pos;           /* search start for locating node ids */
  long row, col;        /* location of the current node */
  chiso_err *err;
} jctx;

/* Line and column (1-based, in bytes) of offset off. */
static void locate_offset(const char *text, size_t off, long *row, long *col) {
  long r = 1, c = 1;
  for (size_t i = 0; i < off; i++) {
    if (text[i] == '\n') { r++; c = 1; } else c++;
  }
  *row = r;
  *col = c;
}

/* Find `"id"` `:` `"VALUE"` after ctx->pos; set the location of the value. */
static void locate_id(jctx *x, const char *value) {
  size_t vl = strlen(value);
  x->row = x->col = 0;
  for (size_t i = x->pos; i + 4 < x->len; i++) {
    if (memcmp(x->text + i, "\"id\"", 4)) continue;
    size_t j = i + 4;
    while (j < x->len && isspace((unsigned char)x->text[j])) j++;
    if (j >= x->len || x->text[j] != ':') continue;
    j++;
    while (j < x->len && isspace((unsigned char)x->text[j])) j++;
    if (j + vl + 2 <= x->len && x->text[j] == '"' && !memcmp(x->text + j + 1, value, vl) &&
        x->text[j + 1 + vl] == '"') {
      locate_offset(x->text, j, &x->row, &x->col);
      x->pos = j + vl + 2;
      return;
    }
  }
}

static int jerr(jctx *x, const char *fmt, const char *a, const char *b) {
  char msg[600];
  snprintf(msg, sizeof msg, fmt, a ? a : "", b ? b : "");
  return chiso_err_at(x->err, CHISO_EDATA, x->name, x->row, x->col, "%s", msg);
}

static int key_allowed(const char *key, const char *const *allowed) {
  for (; *allowed; allowed++)
    if (!strcmp(key, *allowed)) return 1;
  return 0;
}

static int check_keys(jctx *x, json_t *obj, const char *const *allowed, const char *where) {
  const char *key;
  json_t *v;
  json_object_foreach(obj, key, v) {
    (void)v;
    if (!key_allowed(key, allowed)) return jerr(x, "unknown key '%s' in %s", key, where);
  }
  return CHISO_OK;
}

static int get_number(jctx *x, json_t *obj, const char *key, double *out, const char *where) {
  json_t *v = json_object_get(obj, key);
  if (!v) return CHISO_OK;
  if (!json_is_number(v)) return jerr(x, "'%s' of %s must be a number", key, where);
  *out = json_number_value(v);
  return CHISO_OK;
}

static int dup_string(jctx *x, json_t *v, char **out, const char *what) {
  if (!v) return CHISO_OK;
  if (!json_is_string(v)) return jerr(x, "%s must be a string%s", what, 0);
  chiso_free(*out);
  *out = chiso_strdup(json_string_value(v));
  return *out ? CHISO_OK : chiso_err_set(x->err, CHISO_ENOMEM, "out of memory");
}

/* "name": "text" or {"vi": ..., "en": ...} */
static int get_names(jctx *x, json_t *v, char **vi, char **en) {
  if (!v) return CHISO_OK;
  if (json_is_string(v)) {
    int rc = dup_string(x, v, vi, "name");
    return rc ? rc : dup_string(x, v, en, "name");
  }
  if (!json_is_object(v)) return jerr(x, "name must be a string or {\"vi\", \"en\"}%s%s", 0, 0);
  int rc = dup_string(x, json_object_get(v, "vi"), vi, "name.vi");
  if (!rc) rc = dup_string(x, json_object_get(v, "en"), en, "name.en");
  if (!rc && !*vi && *en) rc = dup_string(x, json_object_get(v, "en"), vi, "name.en");
  if (!rc && !*en && *vi) rc = dup_string(x, json_object_get(v, "vi"), en, "name.vi");
  return rc;
}

/* {"method": ..., ...} or "method"; returns the object (or NULL) in *obj. */
static int method_of(jctx *x, json_t *v, const char **method, json_t **obj, const char *what) {
  *obj = NULL;
  *method = NULL;
  if (!v) return CHISO_OK;
  if (json_is_string(v)) { *method = json_string_value(v); return CHISO_OK; }
  if (!json_is_object(v)) return jerr(x, "%s must be a string or an object%s", what, 0);
  json_t *m = json_object_get(v, "method");
  if (!json_is_string(m)) return jerr(x, "%s needs a \"method\"%s", what, 0);
  *method = json_string_value(m);
  *obj = v;
  return CHISO_OK;
}

static int parse_range(jctx *x, json_t *o, double *a, double *b, const char *what) {
  json_t *r = json_object_get(o, "range");
  if (!r) return CHISO_OK;
  if (!json_is_array(r) || json_array_size(r) != 2 || !json_is_number(json_array_get(r, 0)) ||
      !json_is_number(json_array_get(r, 1)))
    return jerr(x, "'range' of %s must be [low, high]%s", what, 0);
  *a = json_number_value(json_array_get(r, 0));
  *b = json_number_value(json_array_get(r, 1));
  if (!(*a < *b)) return jerr(x, "'range' of %s must have low < high%s", what, 0);
  return CHISO_OK;
}

static const char *const norm_keys[] = {"method", "range", "mean", "sd", "reference", "cap", 0};

static int parse_norm(jctx *x, json_t *v, idx_normspec *ns, const char *what) {
  const char *meth;
  json_t *o;
  int rc = method_of(x, v, &meth, &o, what);
  if (rc || !meth) return rc;
  int m = idx_norm_parse(meth);
  if (m < 0) return jerr(x, "unknown normalisation '%s' in %s", meth, what);
  ns->method = (idx_norm)m;
  if (m == IDX_NORM_ZSCORE) { ns->a = 0; ns->b = 1; }
  else if (m == IDX_NORM_RANK || m == IDX_NORM_NONE) { ns->a = 0; ns->b = 0; }
  else if (!(ns->a < ns->b)) { ns->a = 0; ns->b = 100; }
  if (!o) return CHISO_OK;
  if ((rc = check_keys(x, o, norm_keys, what))) return rc;
  if ((rc = parse_range(x, o, &ns->a, &ns->b, what))) return rc;
  if ((rc = get_number(x, o, "mean", &ns->a, what))) return rc;
  if ((rc = get_number(x, o, "sd", &ns->b, what))) return rc;
  if (m == IDX_NORM_ZSCORE && !(ns->b > 0)) return jerr(x, "'sd' of %s must be > 0%s", what, 0);
  if ((rc = dup_string(x, json_object_get(o, "reference"), &ns->ref_unit, "reference"))) return rc;
  json_t *cap = json_object_get(o, "cap");
  if (cap) ns->cap = json_is_true(cap);
  return CHISO_OK;
}

static const char *const agg_keys[] = {"method", "power", 0};

static int parse_agg(jctx *x, json_t *v, int *set, idx_agg *agg, double *power, const char *what) {
  const char *meth;
  json_t *o;
  int rc = method_of(x, v, &meth, &o, what);
  if (rc || !meth) return rc;
  int m = idx_agg_parse(meth);
  if (m < 0) return jerr(x, "unknown aggregation '%s' in %s", meth, what);
  *agg = (idx_agg)m;
  *set = 1;
  if (!o) return CHISO_OK;
  if ((rc = check_keys(x, o, agg_keys, what))) return rc;
  return get_number(x, o, "power", power, what);
}

static const char *const gp_keys[] = {"low", "high", "target", 0};
static const char *const node_keys[] = {
    "id", "name", "parent", "weight", "direction", "type", "aggregation", "min_data",
    "normalisation", "goalposts", "transform", "treatment", "measures", "source", "unit", 0};

static int parse_node_indicator(jctx *x, json_t *o, idx_node *n) {
  int rc = CHISO_OK;
  json_t *v;
  if ((v = json_object_get(o, "normalisation"))) {
    n->norm.a = 0; n->norm.b = 100;
    if ((rc = parse_norm(x, v, &n->norm, "the node's normalisation"))) return rc;
    n->has_norm = 1;
  }
  if ((v = json_object_get(o, "goalposts"))) {
    if (!json_is_object(v)) return jerr(x, "goalposts must be {\"low\", \"high\"}%s%s", 0, 0);
    if ((rc = check_keys(x, v, gp_keys, "goalposts"))) return rc;
    if ((rc = get_number(x, v, "low", &n->gp_low, "goalposts")) ||
        (rc = get_number(x, v, "high", &n->gp_high, "goalposts")) ||
        (rc = get_number(x, v, "target", &n->gp_target, "goalposts")))
      return rc;
    if (isnan(n->gp_low) || isnan(n->gp_high)) return jerr(x, "goalposts need low and high%s%s", 0, 0);
  }
  if ((v = json_object_get(o, "transform"))) {
    int t = json_is_string(v) ? idx_transform_parse(json_string_value(v)) : -1;
    if (t < 0) return jerr(x, "transform must be \"none\", \"log\" or \"log_ct\"%s%s", 0, 0);
    n->transform = (idx_transform)t;
  }
  if ((v = json_object_get(o, "treatment"))) {
    const char *s = json_is_string(v) ? json_string_value(v) : "";
    if (!strcmp(s, "none")) n->treat = 0;
    else if (!strcmp(s, "winsorise")) n->treat = 1;
    else if (!strcmp(s, "default")) n->treat = -1;
    else return jerr(x, "treatment of a node must be \"none\", \"winsorise\" or \"default\"%s%s", 0, 0);
  }
  return rc;
}

static int parse_node(jctx *x, idx_model *m, json_t *o) {
  if (!json_is_object(o)) return jerr(x, "every node must be an object%s%s", 0, 0);
  json_t *id = json_object_get(o, "id"), *parent = json_object_get(o, "parent");
  if (!json_is_string(id)) return jerr(x, "a node has no \"id\"%s%s", 0, 0);
  locate_id(x, json_string_value(id));
  if (parent && !json_is_string(parent) && !json_is_null(parent))
    return jerr(x, "parent of '%s' must be a string%s", json_string_value(id), 0);
  int rc = check_keys(x, o, node_keys, "a node");
  if (rc) return rc;
  idx_node *n = idx_model_add(m, json_string_value(id), json_is_string(parent) ? json_string_value(parent) : NULL);
  if (!n) return chiso_err_set(x->err, CHISO_ENOMEM, "out of memory");
  n->src_row = x->row;
  n->src_col = x->col;
  json_t *v;
  if ((rc = get_names(x, json_object_get(o, "name"), &n->name_vi, &n->name_en))) return rc;
  if ((v = json_object_get(o, "weight")) && !json_is_number(v))
    return jerr(x, "weight of '%s' must be a number%s", n->id, 0);
  if (v) n->weight = json_number_value(v);
  if ((v = json_object_get(o, "direction"))) {
    if (!json_is_integer(v)) return jerr(x, "direction of '%s' must be 1 or -1%s", n->id, 0);
    n->direction = (int)json_integer_value(v);
  }
  if ((v = json_object_get(o, "type"))) {
    const char *t = json_is_string(v) ? json_string_value(v) : "";
    if (!strcmp(t, "indicator")) n->is_indicator = 1;
    else if (!strcmp(t, "aggregate")) n->is_indicator = 0;
    else return jerr(x, "type of '%s' must be \"indicator\" or \"aggregate\"%s", n->id, 0);
  }
  if ((rc = parse_agg(x, json_object_get(o, "aggregation"), &n->agg_set, &n->agg, &n->power,
                      "the node's aggregation")))
    return rc;
  if ((rc = get_number(x, o, "min_data", &n->min_data, "a node"))) return rc;
  if ((rc = dup_string(x, json_object_get(o, "measures"), &n->measures, "measures"))) return rc;
  if ((rc = dup_string(x, json_object_get(o, "source"), &n->source, "source"))) return rc;
  return parse_node_indicator(x, o, n);
}

static const char *const treat_keys[] = {"method", "winmax", "skew", "kurtosis", "fallback", 0};

static int parse_treatment(jctx *x, idx_model *m, json_t *v) {
  const char *meth;
  json_t *o;
  int rc = method_of(x, v, &meth, &o, "treatment");
  if (rc || !meth) return rc;
  if (!strcmp(meth, "winsorise")) m->winsorise = 1;
  else if (!strcmp(meth, "none")) m->winsorise = 0;
  else return jerr(x, "unknown treatment '%s'%s", meth, 0);
  if (!o) return CHISO_OK;
  if ((rc = check_keys(x, o, treat_keys, "treatment"))) return rc;
  double wm = m->winmax;
  if ((rc = get_number(x, o, "winmax", &wm, "treatment")) ||
      (rc = get_number(x, o, "skew", &m->skew_max, "treatment")) ||
      (rc = get_number(x, o, "kurtosis", &m->kurt_max, "treatment")))
    return rc;
  if (!(wm >= 0 && wm <= 1e6)) return jerr(x, "winmax must be >= 0%s%s", 0, 0);
  m->winmax = (int)wm;
  json_t *fb = json_object_get(o, "fallback");
  if (fb) {
    const char *s = json_is_string(fb) ? json_string_value(fb) : "";
    if (!strcmp(s, "log_ct")) m->log_fallback = 1;
    else if (!strcmp(s, "none")) m->log_fallback = 0;
    else return jerr(x, "fallback must be \"none\" or \"log_ct\"%s%s", 0, 0);
  }
  return CHISO_OK;
}

static const char *const level_keys[] = {"level", "weight", "aggregation", 0};

static int parse_levels(jctx *x, idx_model *m, json_t *v) {
  if (!v) return CHISO_OK;
  if (!json_is_array(v)) return jerr(x, "levels must be an array%s%s", 0, 0);
  m->levels = chiso_calloc(json_array_size(v) + 1, sizeof *m->levels);
  if (!m->levels) return chiso_err_set(x->err, CHISO_ENOMEM, "out of memory");
  size_t i;
  json_t *o;
  json_array_foreach(v, i, o) {
    idx_level *lv = &m->levels[m->n_levels++];
    lv->weight = NAN;
    lv->power = 2;
    int rc = json_is_object(o) ? check_keys(x, o, level_keys, "levels") : jerr(x, "levels[] must be objects%s%s", 0, 0);
    double level = NAN;
    if (!rc) rc = get_number(x, o, "level", &level, "levels");
    if (!rc && !(level >= 1)) rc = jerr(x, "every levels[] entry needs \"level\" >= 1%s%s", 0, 0);
    if (!rc) rc = get_number(x, o, "weight", &lv->weight, "levels");
    if (!rc) rc = parse_agg(x, json_object_get(o, "aggregation"), &lv->agg_set, &lv->agg, &lv->power, "levels");
    if (rc) return rc;
    lv->level = (int)level;
  }
  return CHISO_OK;
}

static const char *const tree_keys[] = {"normalisation", "aggregation", "treatment", "imputation",
                                        "screening", "geometric_floor", "levels", "nodes",
                                        "weights_note", 0};

static int parse_tree(jctx *x, idx_model *m, json_t *t) {
  if (!json_is_object(t)) return jerr(x, "\"tree\" must be an object%s%s", 0, 0);
  int rc = check_keys(x, t, tree_keys, "the tree");
  int dummy = 0;
  if (!rc) rc = parse_norm(x, json_object_get(t, "normalisation"), &m->norm, "the tree's normalisation");
  if (!rc) rc = parse_agg(x, json_object_get(t, "aggregation"), &dummy, &m->agg, &m->power, "the tree's aggregation");
  if (!rc) rc = parse_treatment(x, m, json_object_get(t, "treatment"));
  if (!rc) {
    const char *meth;
    json_t *o;
    rc = method_of(x, json_object_get(t, "imputation"), &meth, &o, "imputation");
    if (!rc && meth) {
      int im = idx_impute_parse(meth);
      if (im < 0) rc = jerr(x, "unknown imputation '%s'%s", meth, 0);
      else m->impute = (idx_impute)im;
    }
  }
  json_t *sc = json_object_get(t, "screening");
  if (!rc && sc) rc = get_number(x, sc, "min_data", &m->min_data, "screening");
  if (!rc && !(m->min_data >= 0 && m->min_data <= 1)) rc = jerr(x, "screening.min_data must be between 0 and 1%s%s", 0, 0);
  if (!rc) rc = get_number(x, t, "geometric_floor", &m->geo_floor, "the tree");
  if (!rc && !(m->geo_floor > 0)) rc = jerr(x, "geometric_floor must be > 0%s%s", 0, 0);
  if (!rc) rc = parse_levels(x, m, json_object_get(t, "levels"));
  json_t *nodes = json_object_get(t, "nodes");
  if (!rc && !json_is_array(nodes)) rc = jerr(x, "the tree needs a \"nodes\" array%s%s", 0, 0);
  size_t i;
  json_t *o;
  if (!rc) json_array_foreach(nodes, i, o) {
      if ((rc = parse_node(x, m, o))) break;
    }
  return rc;
}

static int parse_header(jctx *x, idx_model *m, json_t *root) {
  int rc = dup_string(x, json_object_get(root, "id"), &m->id, "id");
  if (!rc) rc = dup_string(x, json_object_get(root, "version"), &m->version, "version");
  if (!rc) rc = get_names(x, json_object_get(root, "name"), &m->name_vi, &m->name_en);
  return rc;
}

int idxio_parse_method(const char *json, size_t len, const char *name, idx_model **out,
                       chiso_err *err) {
  *out = NULL;
  json_t *root = NULL;
  int prc = jsonio_parse(json, len, 0, name, &root, err);
  if (prc) return prc;
  jctx x = {name, json, len, 0, 0, 0, err};
  idx_model *m = idx_model_new();
  int rc = CHISO_OK;
  if (!m || !(m->source = chiso_strdup(name))) { rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory"); goto done; }
  if (!json_is_object(root)) { rc = jerr(&x, "a methodology file is a JSON object%s%s", 0, 0); goto done; }
  json_t *tree = json_object_get(root, "tree");
  if (!tree) { rc = chiso_err_at(err, CHISO_EDATA, name, 1, 1, "no \"tree\" in this methodology file"); goto done; }
  rc = parse_header(&x, m, root);
  if (!rc) rc = parse_tree(&x, m, tree);
  if (!rc) rc = idx_model_finish(m, err);
done:
  json_decref(root);
  if (rc) { idx_model_free(m); return rc; }
  *out = m;
  return CHISO_OK;
}

int idxio_load_method(const char *path, idx_model **out, chiso_err *err) {
  char *text = NULL;
  size_t len = 0;
  *out = NULL;
  int rc = textfile_method(path, &text, &len, err);
  if (rc == CHISO_OK) rc = idxio_parse_method(text, len, path, out, err);
  chiso_free(text);
  return rc;
}

/* ======================================================================
** COINr iMeta
** ==================================================================== */

static int imeta_number(const char *path, const csvtable *t, size_t r, int c, double *v,
                        chiso_err *err) {
  if (c < 0) { *v = NAN; return CHISO_OK; }
  return table_number(path, t, r, c, t->header[c], v, err);
}

typedef struct imeta_cols { int level, code, name, dir, weight, parent, type; } imeta_cols;

static int imeta_row(const char *path, const csvtable *t, const imeta_cols *k, size_t r,
                     idx_model *m, chiso_err *err) {
  const char *type = cell(t, r, k->type), *code = cell(t, r, k->code);
  double level, dir, w;
  int rc = imeta_number(path, t, r, k->level, &level, err);
  if (rc) return rc;
  int is_ind;
  if (k->type >= 0 && *type) {
    if (!strcasecmp(type, "Indicator")) is_ind = 1;
    else if (!strcasecmp(type, "Aggregate")) is_ind = 0;
    else if (!strcasecmp(type, "Group") || !strcasecmp(type, "Denominator") || !strcasecmp(type, "Other"))
      return CHISO_OK;
    else
      return chiso_err_at(err, CHISO_EDATA, path, line_of(t, r), k->type + 1,
                          "Type must be Indicator, Aggregate, Group, Denominator or Other, not \"%s\"", type);
  } else if (!isnan(level)) is_ind = level == 1;
  else return CHISO_OK;
  if (!*code) return chiso_err_at(err, CHISO_EDATA, path, line_of(t, r), k->code + 1, "empty iCode");
  if ((rc = imeta_number(path, t, r, k->dir, &dir, err)) || (rc = imeta_number(path, t, r, k->weight, &w, err)))
    return rc;
  idx_node *n = idx_model_add(m, code, cell(t, r, k->parent));
  if (!n) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  n->is_indicator = is_ind;
  n->src_row = line_of(t, r);
  n->src_col = k->code + 1;
  n->col_parent = k->parent + 1;
  n->col_weight = k->weight + 1;
  n->col_direction = k->dir + 1;
  n->weight = w;
  n->direction = isnan(dir) ? 1 : dir == 1 ? 1 : dir == -1 ? -1 : 0;
  const char *nm = cell(t, r, k->name);
  if (*nm && (!(n->name_vi = chiso_strdup(nm)) || !(n->name_en = chiso_strdup(nm))))
    return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  return CHISO_OK;
}

int idxio_load_imeta(const char *path, idx_model **out, chiso_err *err) {
  *out = NULL;
  csvtable *t = NULL;
  int rc = read_table(path, &t, err);
  if (rc) return rc;
  imeta_cols k = {csvtable_col(t, "Level"),     csvtable_col(t, "iCode"),
                  csvtable_col(t, "iName"),     csvtable_col(t, "Direction"),
                  csvtable_col(t, "Weight"),    csvtable_col(t, "Parent"),
                  csvtable_col(t, "Type")};
  idx_model *m = idx_model_new();
  if (!m || !(m->source = chiso_strdup(path))) { rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory"); goto done; }
  if (k.code < 0 || k.parent < 0 || (k.type < 0 && k.level < 0)) {
    rc = chiso_err_at(err, CHISO_EDATA, path, 1, 0,
                      "an iMeta table needs the columns iCode, Parent and Type (or Level)");
    goto done;
  }
  for (size_t r = 1; r <= t->n_rows && !rc; r++) rc = imeta_row(path, t, &k, r, m, err);
  if (!rc) rc = idx_model_finish(m, err);
  if (!rc && !(m->id = chiso_strdup("coinr"))) rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
done:
  csvtable_free(t);
  if (rc) { idx_model_free(m); return rc; }
  *out = m;
  return CHISO_OK;
}

/* ======================================================================
** Data tables
** ==================================================================== */

static int first_col(const csvtable *t, const char *const *names) {
  for (; *names; names++) {
    int c = csvtable_col(t, *names);
    if (c >= 0) return c;
  }
  return -1;
}

static int group_col(const csvtable *t) {
  static const char *const names[] = {"Group", "region", "region_id", 0};
  int c = first_col(t, names);
  if (c >= 0) return c;
  for (size_t j = 0; j < t->n_cols; j++) {
    size_t l = strlen(t->header[j]);
    if (l > 6 && !strcasecmp(t->header[j] + l - 6, "_group")) return (int)j;
  }
  return -1;
}

static int check_time(const char *path, const csvtable *t, chiso_err *err) {
  int c = csvtable_col(t, "Time");
  if (c < 0) return CHISO_OK;
  for (size_t r = 2; r <= t->n_rows; r++)
    if (strcmp(cell(t, r, c), cell(t, 1, c)))
      return chiso_err_at(err, CHISO_EDATA, path, line_of(t, r), c + 1,
                          "several Time values (%s, %s): give one year's rows", cell(t, 1, c),
                          cell(t, r, c));
  return CHISO_OK;
}

static int data_units(const char *path, const csvtable *t, int ccode, int cname, int cgroup,
                      idx_data *d, chiso_err *err) {
  for (size_t r = 1; r <= t->n_rows; r++) {
    const char *code = cell(t, r, ccode);
    if (!*code) return chiso_err_at(err, CHISO_EDATA, path, line_of(t, r), ccode + 1, "empty unit code");
    for (size_t q = 1; q < r; q++)
      if (!strcmp(code, cell(t, q, ccode)))
        return chiso_err_at(err, CHISO_EDATA, path, line_of(t, r), ccode + 1,
                            "unit code '%s' repeats (first on line %ld)", code, line_of(t, q));
    const char *name = cname >= 0 && *cell(t, r, cname) ? cell(t, r, cname) : code;
    if (idx_data_set_unit(d, r - 1, code, name, cgroup >= 0 ? cell(t, r, cgroup) : NULL))
      return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
    d->src_row[r - 1] = line_of(t, r);
  }
  return CHISO_OK;
}

static int data_values(const char *path, const csvtable *t, const idx_model *m, idx_data *d,
                       chiso_err *err) {
  for (size_t k = 0; k < m->n_ind; k++) {
    int c = csvtable_col(t, m->nodes[k].id);
    if (c < 0)
      return chiso_err_at(err, CHISO_EDATA, path, 1, 0, "no column for indicator '%s'", m->nodes[k].id);
    if (idx_data_set_col(d, k, m->nodes[k].id)) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
    for (size_t r = 1; r <= t->n_rows; r++) {
      int rc = table_number(path, t, r, c, m->nodes[k].id, idx_data_at(d, k, r - 1), err);
      if (rc) return rc;
    }
  }
  return CHISO_OK;
}

int idxio_load_data(const char *path, const idx_model *m, idx_data **out, chiso_err *err) {
  *out = NULL;
  static const char *const code_names[] = {"uCode", "code", 0}, *const name_names[] = {"uName", "name", 0};
  csvtable *t = NULL;
  idx_data *d = NULL;
  int rc = read_table(path, &t, err);
  if (rc) return rc;
  int ccode = first_col(t, code_names), cname = first_col(t, name_names), cgroup = group_col(t);
  if (ccode < 0) { rc = chiso_err_at(err, CHISO_EDATA, path, 1, 0, "no unit code column (uCode or code)"); goto done; }
  if (t->n_rows < 1) { rc = chiso_err_at(err, CHISO_EDATA, path, 2, 0, "no units in the data"); goto done; }
  if ((rc = check_time(path, t, err))) goto done;
  d = idx_data_new(t->n_rows, m->n_ind);
  if (!d) { rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory"); goto done; }
  rc = data_units(path, t, ccode, cname, cgroup, d, err);
  if (!rc) rc = data_values(path, t, m, d, err);
done:
  csvtable_free(t);
  if (rc) { idx_data_free(d); return rc; }
  *out = d;
  return CHISO_OK;
}

int idxio_load_weights(const char *path, const idx_model *m, double *weights, chiso_err *err) {
  static const char *const ids[] = {"iCode", "id", 0}, *const ws[] = {"Weight", 0};
  csvtable *t = NULL;
  int rc = read_table(path, &t, err);
  if (rc) return rc;
  int ci = first_col(t, ids), cw = first_col(t, ws);
  if (ci < 0 || cw < 0) rc = chiso_err_at(err, CHISO_EDATA, path, 1, 0, "a weight table needs the columns iCode (or id) and Weight");
  for (size_t r = 1; r <= t->n_rows && !rc; r++) {
    int n = idx_model_find(m, cell(t, r, ci));
    double w;
    int k;
    if (n < 0)
      rc = chiso_err_at(err, CHISO_EDATA, path, line_of(t, r), ci + 1, "unknown node '%s'", cell(t, r, ci));
    else if ((k = csvtable_value(t, r - 1, cw, 0, &w, NULL, 0)) != NUMBER_OK)
      rc = chiso_err_at(err, CHISO_EDATA, path, line_of(t, r), cw + 1, "weight is %s: \"%s\"",
                        k == NUMBER_AMBIGUOUS ? "ambiguous" : number_data_reason(k), cell(t, r, cw));
    else if (!(w > 0))
      rc = chiso_err_at(err, CHISO_EDATA, path, line_of(t, r), cw + 1, "weight must be > 0");
    else
      weights[n] = w;
  }
  csvtable_free(t);
  return rc;
}

/* ======================================================================
** Writing a methodology
** ==================================================================== */

static json_t *names_json(const char *vi, const char *en) {
  json_t *o = json_object();
  json_object_set_new(o, "vi", json_string(vi ? vi : ""));
  json_object_set_new(o, "en", json_string(en ? en : vi ? vi : ""));
  return o;
}

static json_t *norm_json(const idx_normspec *ns) {
  json_t *o = json_object();
  json_object_set_new(o, "method", json_string(idx_norm_name(ns->method)));
  if (ns->method == IDX_NORM_ZSCORE) {
    json_object_set_new(o, "mean", json_real(ns->a));
    json_object_set_new(o, "sd", json_real(ns->b));
  } else if (ns->method != IDX_NORM_RANK && ns->method != IDX_NORM_NONE) {
    json_object_set_new(o, "range", json_pack("[f,f]", ns->a, ns->b));
  }
  if (ns->ref_unit) json_object_set_new(o, "reference", json_string(ns->ref_unit));
  return o;
}

static json_t *node_json(const idx_model *m, const idx_node *n) {
  json_t *o = json_object();
  json_object_set_new(o, "id", json_string(n->id));
  json_object_set_new(o, "name", names_json(n->name_vi ? n->name_vi : n->id, n->name_en));
  if (n->parent >= 0) json_object_set_new(o, "parent", json_string(m->nodes[n->parent].id));
  json_object_set_new(o, "weight", json_real(n->weight));
  if (n->is_indicator) {
    json_object_set_new(o, "direction", json_integer(n->direction));
    if (n->has_norm) json_object_set_new(o, "normalisation", norm_json(&n->norm));
    if (!isnan(n->gp_low)) json_object_set_new(o, "goalposts", json_pack("{s:f,s:f}", "low", n->gp_low, "high", n->gp_high));
  } else if (n->agg_set) {
    json_t *a = json_object();
    json_object_set_new(a, "method", json_string(idx_agg_name(n->agg)));
    if (n->agg == IDX_AGG_POWER) json_object_set_new(a, "power", json_real(n->power));
    json_object_set_new(o, "aggregation", a);
  }
  if (!n->is_indicator && !isnan(n->min_data)) json_object_set_new(o, "min_data", json_real(n->min_data));
  return o;
}

int idxio_write_method(const idx_model *m, FILE *f, chiso_err *err) {
  json_t *root = json_object(), *tree = json_object(), *nodes = json_array();
  json_object_set_new(root, "id", json_string(m->id ? m->id : "converted"));
  json_object_set_new(root, "name", names_json(m->name_vi ? m->name_vi : m->id, m->name_en));
  json_object_set_new(root, "version", json_string(m->version ? m->version : "1"));
  json_object_set_new(tree, "normalisation", norm_json(&m->norm));
  json_object_set_new(tree, "aggregation", json_string(idx_agg_name(m->agg)));
  json_object_set_new(tree, "imputation", json_string(idx_impute_name(m->impute)));
  /* Aggregates top-down (root first), then the indicators in their order. */
  for (int lv = m->nodes[m->root].level; lv >= 2; lv--)
    for (size_t i = m->n_ind; i < m->n_nodes; i++)
      if (m->nodes[i].level == lv) json_array_append_new(nodes, node_json(m, &m->nodes[i]));
  for (size_t i = 0; i < m->n_ind; i++) json_array_append_new(nodes, node_json(m, &m->nodes[i]));
  json_object_set_new(tree, "nodes", nodes);
  json_object_set_new(root, "tree", tree);
  int rc = json_dumpf(root, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17)) == 0
               ? CHISO_OK
               : chiso_err_set(err, CHISO_EIO, "cannot write the methodology");
  if (!rc && fputc('\n', f) == EOF) rc = chiso_err_set(err, CHISO_EIO, "cannot write the methodology");
  json_decref(root);
  return rc;
}

/* codebook.c — read the "codebook" object of a methodology JSON file.
**
** The format is documented in docs/methodology.md. Parse errors carry the
** line and column jansson reports; semantic errors name the JSON path
** (e.g. questions[3]) and the id when there is one. */
#include "survey/codebook.h"
#include "base/jsonio.h"
#include "base/textfile.h"

#include "base/embed.h"
#include "base/mem.h"

#include <assert.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- small helpers ------------------------------------------------------ */

/* Copy an optional JSON string member into *out (NULL when absent). */
static int opt_string(json_t *obj, const char *key, char **out) {
  json_t *v = json_object_get(obj, key);
  *out = NULL;
  if (!v || json_is_null(v)) return CHISO_OK;
  if (!json_is_string(v)) return CHISO_EDATA;
  *out = chiso_strdup(json_string_value(v));
  return *out ? CHISO_OK : CHISO_ENOMEM;
}

/* Copy a JSON array of strings; a lone string is taken as a list of one. */
static int string_list(json_t *v, char ***out, size_t *n) {
  *out = NULL;
  *n = 0;
  if (!v || json_is_null(v)) return CHISO_OK;
  if (json_is_string(v)) {
    *out = chiso_calloc(1, sizeof(char *));
    if (!*out || !((*out)[0] = chiso_strdup(json_string_value(v)))) return CHISO_ENOMEM;
    *n = 1;
    return CHISO_OK;
  }
  if (!json_is_array(v)) return CHISO_EDATA;
  size_t len = json_array_size(v);
  *out = chiso_calloc(len ? len : 1, sizeof(char *));
  if (!*out) return CHISO_ENOMEM;
  for (size_t i = 0; i < len; i++) {
    json_t *s = json_array_get(v, i);
    if (!json_is_string(s)) return CHISO_EDATA;
    if (!((*out)[i] = chiso_strdup(json_string_value(s)))) return CHISO_ENOMEM;
    *n = i + 1;
  }
  return CHISO_OK;
}

static void free_list(char **list, size_t n) {
  for (size_t i = 0; list && i < n; i++) chiso_free(list[i]);
  chiso_free(list);
}

static int bad(chiso_err *err, const char *name, const char *what, size_t i,
               const char *id, const char *msg) {
  return chiso_err_at(err, CHISO_EDATA, name, 0, 0, "codebook: %s[%zu]%s%s%s: %s", what, i,
                      id ? " (" : "", id ? id : "", id ? ")" : "", msg);
}

static const char *const qtype_names[] = {"yesno", "single", "multi", "number", "percent", "text"};
static const char *const kind_names[] = {"share_yes", "share_any", "mean", "total", "ratio"};

static int lookup(const char *s, const char *const *names, int n) {
  for (int i = 0; s && i < n; i++)
    if (strcmp(s, names[i]) == 0) return i;
  return -1;
}

/* ---- questions ---------------------------------------------------------- */

static int parse_options(json_t *arr, codebook_question *q) {
  size_t n = json_array_size(arr);
  q->options = chiso_calloc(n ? n : 1, sizeof(codebook_option));
  if (!q->options) return CHISO_ENOMEM;
  for (size_t k = 0; k < n; k++) {
    json_t *o = json_array_get(arr, k);
    codebook_option *opt = &q->options[k];
    q->n_options = k + 1;
    if (json_is_string(o)) { /* a bare label is its own id */
      if (!(opt->id = chiso_strdup(json_string_value(o)))) return CHISO_ENOMEM;
      continue;
    }
    if (!json_is_object(o)) return CHISO_EDATA;
    int rc = opt_string(o, "id", &opt->id);
    if (rc) return rc;
    if (!opt->id || !opt->id[0]) return CHISO_EDATA;
    if ((rc = string_list(json_object_get(o, "labels"), &opt->labels, &opt->n_labels)))
      return rc;
  }
  return CHISO_OK;
}

static int parse_text(json_t *q, codebook_question *out) {
  json_t *t = json_object_get(q, "text");
  int rc;
  if (json_is_string(t)) {
    out->text_vi = chiso_strdup(json_string_value(t));
    return out->text_vi ? CHISO_OK : CHISO_ENOMEM;
  }
  if (t && !json_is_object(t)) return CHISO_EDATA;
  if ((rc = opt_string(t, "vi", &out->text_vi))) return rc;
  return opt_string(t, "en", &out->text_en);
}

static int parse_range(json_t *q, codebook_question *out) {
  json_t *mn = json_object_get(q, "min"), *mx = json_object_get(q, "max");
  out->min = NAN;
  out->max = NAN;
  if (mn && !json_is_null(mn)) {
    if (!json_is_number(mn)) return CHISO_EDATA;
    out->min = json_number_value(mn);
  }
  if (mx && !json_is_null(mx)) {
    if (!json_is_number(mx)) return CHISO_EDATA;
    out->max = json_number_value(mx);
  }
  if (out->type == CODEBOOK_PERCENT) { /* a percentage is 0..100 unless narrowed */
    if (isnan(out->min)) out->min = 0;
    if (isnan(out->max)) out->max = 100;
  }
  return CHISO_OK;
}

/* How a number question's answers are written: its unit, the most
** decimals an answer has (a count or an amount in đồng has none, so
** "1.250" there is 1250) and its decimal separator, all optional. */
static int parse_unit(json_t *q, codebook_question *out) {
  json_t *d = json_object_get(q, "decimals"), *sep = json_object_get(q, "decimal_separator");
  out->decimals = -1;
  out->decimal_sep = 0;
  int rc = opt_string(q, "unit", &out->unit);
  if (rc) return rc;
  if (out->unit && (!strcmp(out->unit, "count") || !strcmp(out->unit, "vnd"))) out->decimals = 0;
  if (d && (!json_is_integer(d) || json_integer_value(d) < 0 || json_integer_value(d) > 15))
    return CHISO_EDATA;
  if (d) out->decimals = (int)json_integer_value(d);
  if (sep) {
    const char *v = json_string_value(sep);
    if (!v || (strcmp(v, ".") && strcmp(v, ","))) return CHISO_EDATA;
    out->decimal_sep = v[0];
  }
  return CHISO_OK;
}

static int parse_question(json_t *q, size_t i, codebook_question *out, const char *name,
                          chiso_err *err) {
  if (!json_is_object(q)) return bad(err, name, "questions", i, NULL, "not an object");
  int rc = opt_string(q, "id", &out->id);
  if (rc == CHISO_ENOMEM) return chiso_err_set(err, rc, "out of memory");
  if (rc || !out->id || !out->id[0])
    return bad(err, name, "questions", i, NULL, "needs a string \"id\"");
  json_t *type = json_object_get(q, "type");
  int t = lookup(json_string_value(type), qtype_names, 6);
  if (t < 0)
    return bad(err, name, "questions", i, out->id,
               "\"type\" must be yesno, single, multi, number, percent or text");
  out->type = (codebook_qtype)t;
  if ((rc = parse_text(q, out)))
    return rc == CHISO_ENOMEM ? chiso_err_set(err, rc, "out of memory")
                              : bad(err, name, "questions", i, out->id, "bad \"text\"");
  if ((rc = string_list(json_object_get(q, "headers"), &out->headers, &out->n_headers)))
    return rc == CHISO_ENOMEM ? chiso_err_set(err, rc, "out of memory")
                              : bad(err, name, "questions", i, out->id,
                                    "\"headers\" must be a list of strings");
  json_t *opts = json_object_get(q, "options");
  if (out->type == CODEBOOK_SINGLE || out->type == CODEBOOK_MULTI) {
    if (!json_is_array(opts) || json_array_size(opts) == 0)
      return bad(err, name, "questions", i, out->id, "a choice question needs \"options\"");
    if ((rc = parse_options(opts, out)))
      return rc == CHISO_ENOMEM ? chiso_err_set(err, rc, "out of memory")
                                : bad(err, name, "questions", i, out->id,
                                      "each option needs an \"id\" and a list of \"labels\"");
  }
  if (parse_range(q, out))
    return bad(err, name, "questions", i, out->id, "\"min\" and \"max\" must be numbers");
  if (!isnan(out->min) && !isnan(out->max) && out->min > out->max)
    return bad(err, name, "questions", i, out->id, "\"min\" is greater than \"max\"");
  if ((rc = parse_unit(q, out)))
    return rc == CHISO_ENOMEM ? chiso_err_set(err, rc, "out of memory")
                              : bad(err, name, "questions", i, out->id,
                                    "\"unit\" must be a string, \"decimals\" a whole number "
                                    "from 0 to 15 and \"decimal_separator\" \".\" or \",\"");
  json_t *req = json_object_get(q, "required");
  if (req && !json_is_boolean(req))
    return bad(err, name, "questions", i, out->id, "\"required\" must be true or false");
  out->required = json_is_true(req);
  return CHISO_OK;
}

/* ---- indicators --------------------------------------------------------- */

static int option_index(const codebook_question *q, const char *id) {
  for (size_t k = 0; k < q->n_options; k++)
    if (strcmp(q->options[k].id, id) == 0) return (int)k;
  return -1;
}

/* Check that the questions an indicator names exist and suit its kind. */
static int check_indicator(const codebook *cb, const codebook_indicator *ind, size_t i,
                           const char *name, chiso_err *err) {
  const codebook_question *q = codebook_find_question(cb, ind->question);
  if (!q) return bad(err, name, "indicators", i, ind->id, "names an unknown question");
  if (ind->kind == CODEBOOK_SHARE_YES && q->type != CODEBOOK_YESNO)
    return bad(err, name, "indicators", i, ind->id, "share_yes needs a yesno question");
  if (ind->kind == CODEBOOK_SHARE_ANY) {
    if (q->type != CODEBOOK_SINGLE && q->type != CODEBOOK_MULTI)
      return bad(err, name, "indicators", i, ind->id, "share_any needs a choice question");
    if (ind->n_options == 0)
      return bad(err, name, "indicators", i, ind->id, "share_any needs \"options\"");
    for (size_t k = 0; k < ind->n_options; k++)
      if (option_index(q, ind->options[k]) < 0)
        return bad(err, name, "indicators", i, ind->id, "names an option the question lacks");
  }
  if ((ind->kind == CODEBOOK_MEAN || ind->kind == CODEBOOK_TOTAL || ind->kind == CODEBOOK_RATIO) &&
      (q->type == CODEBOOK_TEXT || q->type == CODEBOOK_SINGLE || q->type == CODEBOOK_MULTI))
    return bad(err, name, "indicators", i, ind->id, "needs a yesno, number or percent question");
  if (ind->kind == CODEBOOK_RATIO) {
    const codebook_question *d = ind->denominator ? codebook_find_question(cb, ind->denominator) : NULL;
    if (!d || d->type == CODEBOOK_TEXT || d->type == CODEBOOK_SINGLE || d->type == CODEBOOK_MULTI)
      return bad(err, name, "indicators", i, ind->id,
                 "ratio needs a \"denominator\" naming a numeric question");
  }
  return CHISO_OK;
}

static int parse_indicator(json_t *o, size_t i, codebook_indicator *out, const char *name,
                           chiso_err *err) {
  if (!json_is_object(o)) return bad(err, name, "indicators", i, NULL, "not an object");
  int rc = opt_string(o, "id", &out->id);
  if (!rc) rc = opt_string(o, "question", &out->question);
  if (!rc) rc = opt_string(o, "denominator", &out->denominator);
  if (rc == CHISO_ENOMEM) return chiso_err_set(err, rc, "out of memory");
  if (rc || !out->id || !out->question)
    return bad(err, name, "indicators", i, out->id, "needs string \"id\" and \"question\"");
  int k = lookup(json_string_value(json_object_get(o, "kind")), kind_names, 5);
  if (k < 0)
    return bad(err, name, "indicators", i, out->id,
               "\"kind\" must be share_yes, share_any, mean, total or ratio");
  out->kind = (codebook_kind)k;
  if ((rc = string_list(json_object_get(o, "options"), &out->options, &out->n_options)))
    return rc == CHISO_ENOMEM ? chiso_err_set(err, rc, "out of memory")
                              : bad(err, name, "indicators", i, out->id,
                                    "\"options\" must be a list of strings");
  return CHISO_OK;
}

/* ---- design ------------------------------------------------------------- */

static int parse_design(json_t *d, codebook_design *out, const char *name, chiso_err *err) {
  static const char *const keys[] = {"respondent_id", "province", "stratum",
                                     "weight", "sector", "year"};
  char **slots[] = {&out->respondent_id, &out->province, &out->stratum,
                    &out->weight, &out->sector, &out->year};
  if (!json_is_object(d))
    return chiso_err_at(err, CHISO_EDATA, name, 0, 0, "codebook: needs a \"design\" object");
  for (int i = 0; i < 6; i++) {
    int rc = opt_string(d, keys[i], slots[i]);
    if (rc == CHISO_ENOMEM) return chiso_err_set(err, rc, "out of memory");
    if (rc)
      return chiso_err_at(err, CHISO_EDATA, name, 0, 0,
                          "codebook: design.%s must be a column name", keys[i]);
  }
  if (!out->respondent_id || !out->province)
    return chiso_err_at(err, CHISO_EDATA, name, 0, 0,
                        "codebook: design needs \"respondent_id\" and \"province\"");
  json_t *m = json_object_get(d, "min_respondents");
  if (m && (!json_is_integer(m) || json_integer_value(m) < 0))
    return chiso_err_at(err, CHISO_EDATA, name, 0, 0,
                        "codebook: design.min_respondents must be a whole number >= 0");
  out->min_respondents = m ? (int)json_integer_value(m) : 0;
  return CHISO_OK;
}

/* ---- the whole codebook ------------------------------------------------- */

static int parse_lists(json_t *c, codebook *cb, const char *name, chiso_err *err) {
  json_t *qs = json_object_get(c, "questions"), *is = json_object_get(c, "indicators");
  if (!json_is_array(qs) || json_array_size(qs) == 0)
    return chiso_err_at(err, CHISO_EDATA, name, 0, 0, "codebook: needs a \"questions\" list");
  if (is && !json_is_array(is))
    return chiso_err_at(err, CHISO_EDATA, name, 0, 0, "codebook: \"indicators\" must be a list");
  size_t nq = json_array_size(qs), ni = json_array_size(is);
  cb->questions = chiso_calloc(nq, sizeof(codebook_question));
  cb->indicators = chiso_calloc(ni ? ni : 1, sizeof(codebook_indicator));
  if (!cb->questions || !cb->indicators) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  for (size_t i = 0; i < nq; i++) {
    cb->n_questions = i + 1;
    int rc = parse_question(json_array_get(qs, i), i, &cb->questions[i], name, err);
    if (rc) return rc;
    for (size_t j = 0; j < i; j++)
      if (strcmp(cb->questions[j].id, cb->questions[i].id) == 0)
        return bad(err, name, "questions", i, cb->questions[i].id, "duplicate question id");
  }
  for (size_t i = 0; i < ni; i++) {
    cb->n_indicators = i + 1;
    int rc = parse_indicator(json_array_get(is, i), i, &cb->indicators[i], name, err);
    if (!rc) rc = check_indicator(cb, &cb->indicators[i], i, name, err);
    if (rc) return rc;
  }
  return CHISO_OK;
}

int codebook_parse(const char *json, const char *name, codebook **out, chiso_err *err) {
  assert(json && out);
  codebook *cb = NULL;
  int rc = CHISO_OK;
  *out = NULL;
  json_t *root = NULL;
  rc = jsonio_parse(json, strlen(json), JSON_REJECT_DUPLICATES, name, &root, err);
  if (rc) goto done;
  json_t *c = json_is_object(root) ? json_object_get(root, "codebook") : NULL;
  if (!json_is_object(c)) {
    rc = chiso_err_at(err, CHISO_EDATA, name, 0, 0, "no \"codebook\" object");
    goto done;
  }
  if (!(cb = chiso_calloc(1, sizeof *cb))) {
    rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
    goto done;
  }
  if ((rc = parse_design(json_object_get(c, "design"), &cb->design, name, err))) goto done;
  if ((rc = parse_lists(c, cb, name, err))) goto done;
  *out = cb;
  cb = NULL;
done:
  codebook_free(cb);
  json_decref(root);
  return rc;
}
int codebook_load(const char *path, codebook **out, chiso_err *err) {
  char *text = NULL;
  *out = NULL;
  int rc = textfile_read(path, &text, NULL, err);
  if (rc == CHISO_OK) rc = codebook_parse(text, path, out, err);
  chiso_free(text);
  return rc;
}

int codebook_load_method(const char *method, codebook **out, chiso_err *err) {
  char *text = NULL;
  *out = NULL;
  int rc = textfile_method(method, &text, NULL, err);
  if (rc == CHISO_OK) rc = codebook_parse(text, method, out, err);
  chiso_free(text);
  return rc;
}

static void free_question(codebook_question *q) {
  chiso_free(q->id);
  chiso_free(q->text_vi);
  chiso_free(q->text_en);
  chiso_free(q->unit);
  free_list(q->headers, q->n_headers);
  for (size_t k = 0; q->options && k < q->n_options; k++) {
    chiso_free(q->options[k].id);
    free_list(q->options[k].labels, q->options[k].n_labels);
  }
  chiso_free(q->options);
}

void codebook_free(codebook *cb) {
  if (!cb) return;
  for (size_t i = 0; cb->questions && i < cb->n_questions; i++) free_question(&cb->questions[i]);
  for (size_t i = 0; cb->indicators && i < cb->n_indicators; i++) {
    codebook_indicator *ind = &cb->indicators[i];
    chiso_free(ind->id);
    chiso_free(ind->question);
    chiso_free(ind->denominator);
    free_list(ind->options, ind->n_options);
  }
  chiso_free(cb->questions);
  chiso_free(cb->indicators);
  codebook_design *d = &cb->design;
  chiso_free(d->respondent_id);
  chiso_free(d->province);
  chiso_free(d->stratum);
  chiso_free(d->weight);
  chiso_free(d->sector);
  chiso_free(d->year);
  chiso_free(cb);
}

const codebook_question *codebook_find_question(const codebook *cb, const char *id) {
  for (size_t i = 0; cb && id && i < cb->n_questions; i++)
    if (strcmp(cb->questions[i].id, id) == 0) return &cb->questions[i];
  return NULL;
}

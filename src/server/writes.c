/* writes.c — the write side of the JSON API (writes.h). */
#include "writes.h"

#include "body.h"
#include "sandbox.h"
#include "state.h"
#include "wstate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define JSON_TYPE "application/json; charset=utf-8"
#define CSV_TYPE "text/csv; charset=utf-8"

/* ---- helpers ------------------------------------------------------------------------------------- */

int writes_json(reply *r, int status, json_t *o) {
  char *text = o ? json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
  json_decref(o);
  if (!text) return reply_error(r, 500, NULL, NULL, 0, "out of memory");
  size_t n = strlen(text);
  char *body = realloc(text, n + 2);
  if (!body) {
    free(text);
    return reply_error(r, 500, NULL, NULL, 0, "out of memory");
  }
  body[n] = '\n';
  body[n + 1] = '\0';
  reply_take(r, body, n + 1, JSON_TYPE);
  r->status = status;
  r->cache = REPLY_NO_STORE;
  return status;
}

int writes_status_of(int rc) {
  switch (rc) {
  case CHISO_OK: return 200;
  case CHISO_EUSAGE: return 400;
  case CHISO_ENOTFOUND: return 404;
  case CHISO_EEXISTS: return 409;
  case CHISO_EDENIED: return 403;
  case CHISO_EDATA: return 422;
  case CHISO_EIO: return 503;
  case CHISO_ENOMEM: return 503;
  default: return 500;
  }
}

/* An error of the library as a JSON reply (its message located). */
static int lib_error(reply *r, int rc, const chiso_err *err) {
  char msg[1200];
  chiso_err_format(err, msg, sizeof msg);
  int st = writes_status_of(rc);
  if (st == 503) r->retry_after = 5;
  return reply_error(r, st, err->column[0] ? err->column : NULL, NULL, 0, "%s", msg[0] ? msg : chiso_strerror(rc));
}

static int no_store(reply *r) {
  r->retry_after = 5;
  return reply_error(r, 503, NULL, NULL, 0, "the store cannot be written by this server now");
}

int writes_year(request *q, reply *r, int *year) {
  const int *years = NULL;
  size_t n = q->snap ? state_years(q->snap, &years) : 0;
  time_t now = time(NULL);
  struct tm tm;
  gmtime_r(&now, &tm);
  long y = 0;
  if (!request_int(q, "year", 1900, 2100, n ? years[n - 1] : tm.tm_year + 1900, &y, r)) return 0;
  *year = (int)y;
  return 1;
}

void writes_clean_name(const char *client, char *out, size_t n) {
  const char *base = client ? client : "";
  for (const char *p = base; *p; p++)
    if (*p == '/' || *p == '\\') base = p + 1; /* a path is never a name */
  size_t o = 0, len = strlen(base);
  while (*base == '.' || *base == ' ') base++, len--;
  for (size_t i = 0; i < len && o + 5 < n && o < 200;) {
    unsigned char c = (unsigned char)base[i];
    size_t k = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    int ok = k && i + k <= len;
    for (size_t j = 1; ok && j < k; j++) ok = ((unsigned char)base[i + j] & 0xC0) == 0x80;
    if (ok && k == 1 && (c < 32 || c == 127)) ok = 0;
    if (!ok || o + k >= n || o + k > 200) {
      out[o++] = '_';
      i++;
      continue;
    }
    memcpy(out + o, base + i, k);
    o += k;
    i += k;
  }
  out[o] = '\0';
  if (!o || strspn(out, "_") == o) snprintf(out, n, "upload%s%s", *body_extension(client) ? "." : "", body_extension(client));
}

static json_t *account_json(const chiso_account *a) {
  json_t *o = json_object(), *scope = json_array();
  json_object_set_new(o, "id", json_integer(a->id));
  json_object_set_new(o, "name", json_string(a->name));
  json_object_set_new(o, "role", json_string(chiso_role_name(a->role)));
  json_object_set_new(o, "scope_year", a->n_scope ? json_integer(a->scope_year) : json_null());
  for (size_t i = 0; i < a->n_scope; i++) json_array_append_new(scope, json_string(a->scope[i]));
  json_object_set_new(o, "scope", scope);
  json_object_set_new(o, "via", json_string(a->via));
  return o;
}

/* The account of a job (written by account_json in the parent). */
static int account_of(const json_t *o, chiso_account *a) {
  memset(a, 0, sizeof *a);
  const char *name = json_string_value(json_object_get(o, "name"));
  const char *via = json_string_value(json_object_get(o, "via"));
  json_t *scope = json_object_get(o, "scope");
  if (!name || !via || chiso_role_parse(json_string_value(json_object_get(o, "role")), &a->role)) return -1;
  a->id = json_integer_value(json_object_get(o, "id"));
  snprintf(a->name, sizeof a->name, "%s", name);
  snprintf(a->via, sizeof a->via, "%s", via);
  a->scope_year = (int)json_integer_value(json_object_get(o, "scope_year"));
  for (size_t i = 0; i < json_array_size(scope) && i < CHISO_SCOPE_MAX; i++)
    snprintf(a->scope[a->n_scope++], 3, "%s", json_string_value(json_array_get(scope, i)) ? json_string_value(json_array_get(scope, i)) : "");
  return 0;
}

/* Write a library table (fmt) to a reply. */
static int table_reply(reply *r, chiso_format fmt, int rc, const chiso_err *err, char *buf, size_t len,
                       const char *file) {
  if (rc) {
    free(buf);
    return lib_error(r, rc, err);
  }
  reply_take(r, buf, len, fmt == CHISO_FORMAT_JSON ? JSON_TYPE : CSV_TYPE);
  if (fmt != CHISO_FORMAT_JSON) snprintf(r->filename, sizeof r->filename, "%s", file);
  r->status = 200;
  return 200;
}

static int format_param(request *q, reply *r, chiso_format *fmt) {
  static const char *const fmts[] = {"json", "csv"};
  size_t k = 0;
  if (!request_choice(q, "format", fmts, 2, 0, &k, r)) return 0;
  *fmt = k ? CHISO_FORMAT_CSV : CHISO_FORMAT_JSON;
  return 1;
}

/* ---- who am I ------------------------------------------------------------------------------------- */

int writes_whoami(request *q, reply *r, const char *const *args, size_t n_args) {
  (void)args, (void)n_args;
  if (!request_params_check(q, NULL, 0, r)) return r->status;
  return writes_json(r, 200, account_json(q->account));
}

/* ---- uploads ------------------------------------------------------------------------------------- */

typedef struct upload_job {
  char *job;                       /* the worker's job (JSON text) */
  const wstate_options *o;
  void (*then)(void *ctx, reply *r);
  void *ctx;
  void (*ctx_free)(void *ctx);
} upload_job;

static void upload_job_free(void *p) {
  upload_job *j = p;
  if (j->ctx && j->ctx_free) j->ctx_free(j->ctx);
  free(j->job);
  free(j);
}

static void run_upload(void *p, reply *r) {
  upload_job *j = p;
  int status = 500;
  char *body = NULL;
  size_t len = 0;
  if (j->o->self) sandbox_run(j->o->self, j->job, &j->o->limits, &status, &body, &len);
  else writes_upload_work(j->job, strlen(j->job), &status, &body); /* no worker binary known */
  if (body) {
    reply_take(r, body, strlen(body), JSON_TYPE);
    r->status = status;
  } else {
    reply_error(r, 500, NULL, NULL, 0, "the upload could not be run");
  }
  if (j->then) j->then(j->ctx, r);
}

int writes_start_upload(request *q, reply *r, int year, const char *name, int replace,
                        void (*then)(void *ctx, reply *r), void *ctx, void (*ctx_free)(void *ctx)) {
  wstate *w = q->wstate;
  const char *client = NULL;
  size_t size = 0;
  const char *path = q->body ? body_file(q->body, &client, &size) : NULL;
  char clean[256];
  int st = 0;
  if (!path) st = reply_error(r, 400, "file", NULL, 0, "no file was sent (a multipart field \"file\" or the body itself)");
  writes_clean_name(name && *name ? name : client, clean, sizeof clean);
  if (!st && strncmp(clean, "web-", 4) == 0)
    st = reply_error(r, 400, "name", NULL, 0, "file names starting with \"web-\" are kept for the publications "
                                              "of the questionnaire: rename the file");
  upload_job *j = st ? NULL : calloc(1, sizeof *j);
  if (!st && !j) st = reply_error(r, 500, NULL, NULL, 0, "out of memory");
  if (st) {
    if (ctx && ctx_free) ctx_free(ctx);
    return st;
  }
  const wstate_options *o = wstate_options_of(w);
  json_t *job = json_object();
  json_object_set_new(job, "db", json_string(o->db));
  json_object_set_new(job, "method", json_string(o->method));
  json_object_set_new(job, "year", json_integer(year));
  json_object_set_new(job, "replace", json_boolean(replace));
  json_object_set_new(job, "file", json_string(path));
  json_object_set_new(job, "name", json_string(clean));
  json_object_set_new(job, "address", json_string(q->client ? q->client : ""));
  json_object_set_new(job, "account", account_json(q->account));
  j->job = json_dumps(job, JSON_COMPACT);
  json_decref(job);
  j->o = o;
  j->then = then, j->ctx = ctx, j->ctx_free = ctx_free;
  if (!j->job) {
    upload_job_free(j);
    return reply_error(r, 500, NULL, NULL, 0, "out of memory");
  }
  return reply_async(r, run_upload, j, upload_job_free);
}

int writes_upload(request *q, reply *r, const char *const *args, size_t n_args) {
  static const char *const ok[] = {"year", "replace", "name"};
  long replace = 0;
  int year = 0;
  (void)args, (void)n_args;
  if (!request_params_check(q, ok, 3, r) || !writes_year(q, r, &year) ||
      !request_int(q, "replace", 0, 1, 0, &replace, r))
    return r->status;
  return writes_start_upload(q, r, year, request_param_get(q, "name"), (int)replace, NULL, NULL, NULL);
}

/* The JSON answer of an import (ok or not). */
static json_t *import_json(int rc, const chiso_err *err, const chiso_import *imp, int *status) {
  json_t *o = NULL;
  char msg[1200];
  chiso_err_format(err, msg, sizeof msg);
  *status = writes_status_of(rc);
  if (rc == CHISO_OK) {
    static const char *const how[] = {"added", "same", "replaced"};
    json_t *list = json_array();
    int added = 0;
    for (size_t i = 0; i < chiso_import_count(imp); i++) {
      chiso_import_info f;
      chiso_import_get(imp, i, &f);
      json_t *x = json_object();
      json_object_set_new(x, "import", json_integer(f.import_id));
      json_object_set_new(x, "outcome", json_string(how[f.outcome]));
      json_object_set_new(x, "rows", json_integer(f.rows));
      json_array_append_new(list, x);
      added |= f.outcome != CHISO_IMPORT_SAME;
    }
    *status = added ? 201 : 200;
    o = json_object();
    json_object_set_new(o, "status", json_integer(*status));
    json_object_set_new(o, "imports", list);
    return o;
  }
  o = json_object();
  if (rc == CHISO_EDATA && err->hint == CHISO_HINT_REPLACE) *status = 409;
  if (rc == CHISO_ENOMEM) *status = 422; /* the worker's memory limit */
  json_object_set_new(o, "error", json_string(msg[0] ? msg : chiso_strerror(rc)));
  json_object_set_new(o, "status", json_integer(*status));
  if (*status == 409) json_object_set_new(o, "parameter", json_string("replace"));
  if (imp && (rc == CHISO_EDATA || rc == CHISO_EDENIED)) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (f && !chiso_import_report_write(imp, f) && !fclose(f)) {
      json_t *rep = json_loadb(buf, len, 0, NULL);
      const char *keys[] = {"problems", "more", "outside", "outside_more"};
      for (int k = 0; rep && k < 4; k++) json_object_set(o, keys[k], json_object_get(rep, keys[k]));
      json_decref(rep);
    } else if (f) {
      fclose(f);
    }
    free(buf);
  }
  return o;
}

void writes_upload_work(const char *job, size_t len, int *status, char **body) {
  json_t *j = json_loadb(job, len, 0, NULL), *out = NULL;
  chiso_account who;
  chiso_err err;
  chiso_intake *h = NULL;
  chiso_method *m = NULL;
  chiso_import *imp = NULL;
  chiso_err_clear(&err);
  const char *db = json_string_value(json_object_get(j, "db"));
  const char *method = json_string_value(json_object_get(j, "method"));
  const char *file = json_string_value(json_object_get(j, "file"));
  const char *name = json_string_value(json_object_get(j, "name"));
  const char *address = json_string_value(json_object_get(j, "address"));
  int year = (int)json_integer_value(json_object_get(j, "year"));
  int rc = !db || !method || !file || !name || account_of(json_object_get(j, "account"), &who) ? CHISO_EINTERNAL : 0;
  if (rc) snprintf(err.message, sizeof err.message, "the worker could not read its job");
  if (!rc) rc = chiso_intake_open(db, 0, &h, &err);
  if (!rc) rc = chiso_intake_method(h, year, method, &m, &err);
  if (!rc)
    rc = chiso_intake_upload(h, m, file, name, year, json_is_true(json_object_get(j, "replace")), &who,
                             address ? address : "", &imp, &err);
  out = import_json(rc, &err, imp, status);
  if (out && rc == CHISO_OK) json_object_set_new(out, "file", json_string(name));
  *body = out ? json_dumps(out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
  json_decref(out);
  chiso_import_free(imp);
  chiso_method_free(m);
  chiso_intake_close(h);
  json_decref(j);
}

/* ---- publication --------------------------------------------------------------------------------- */

typedef struct publish_job {
  const wstate_options *o;
  int year;
  chiso_account who;
  char address[64];
  void (*then)(void *ctx, reply *r);
  void *ctx;
  void (*ctx_free)(void *ctx);
} publish_job;

static void publish_job_free(void *p) {
  publish_job *j = p;
  if (j->ctx && j->ctx_free) j->ctx_free(j->ctx);
  free(j);
}

/* On its own connection: the staged responses are read and published
** while the server's connection serves the other requests. */
static void run_publish(void *p, reply *r) {
  publish_job *j = p;
  chiso_err err;
  chiso_intake *h = NULL;
  chiso_method *m = NULL;
  chiso_import *imp = NULL;
  int status = 500;
  chiso_err_clear(&err);
  int rc = chiso_intake_open(j->o->db, 0, &h, &err);
  if (!rc) rc = chiso_intake_method(h, j->year, j->o->method, &m, &err);
  if (!rc) rc = chiso_intake_publish(h, m, j->year, &j->who, j->address, &imp, &err);
  json_t *out = import_json(rc, &err, imp, &status);
  writes_json(r, status, out);
  chiso_import_free(imp);
  chiso_method_free(m);
  chiso_intake_close(h);
  if (j->then) j->then(j->ctx, r);
}

int writes_start_publish(request *q, reply *r, int year, void (*then)(void *ctx, reply *r),
                         void *ctx, void (*ctx_free)(void *ctx)) {
  publish_job *j = calloc(1, sizeof *j);
  if (!j) {
    if (ctx && ctx_free) ctx_free(ctx);
    return reply_error(r, 500, NULL, NULL, 0, "out of memory");
  }
  j->o = wstate_options_of(q->wstate);
  j->year = year;
  j->who = *q->account;
  snprintf(j->address, sizeof j->address, "%s", q->client ? q->client : "");
  j->then = then, j->ctx = ctx, j->ctx_free = ctx_free;
  return reply_async(r, run_publish, j, publish_job_free);
}

int writes_publish(request *q, reply *r, const char *const *args, size_t n_args) {
  static const char *const ok[] = {"year"};
  int year = 0;
  (void)args, (void)n_args;
  if (!request_params_check(q, ok, 1, r) || !writes_year(q, r, &year)) return r->status;
  return writes_start_publish(q, r, year, NULL, NULL, NULL);
}

/* ---- invitations and quotas ------------------------------------------------------------------------- */

/* The JSON body of q: an object, or NULL with a 400 in r. */
static json_t *json_body(request *q, reply *r) {
  size_t len = 0;
  const char *text = q->body ? body_json(q->body, &len) : NULL;
  json_error_t e;
  json_t *o = text ? json_loadb(text, len, JSON_REJECT_DUPLICATES, &e) : NULL;
  if (!json_is_object(o)) {
    json_decref(o);
    reply_error(r, 400, NULL, NULL, 0, "the body must be a JSON object%s%s", text ? ": " : "",
                text ? e.text : "");
    return NULL;
  }
  return o;
}

static int int_member(const json_t *o, const char *key, long lo, long hi, long *out, reply *r) {
  json_t *v = json_object_get(o, key);
  if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi) {
    reply_error(r, 400, key, NULL, 0, "%s must be a whole number from %ld to %ld", key, lo, hi);
    return 0;
  }
  *out = (long)json_integer_value(v);
  return 1;
}

int writes_invite(request *q, reply *r, const char *const *args, size_t n_args) {
  (void)args, (void)n_args;
  json_t *o = json_body(q, r), *list = NULL, *out = NULL;
  long year = 0;
  if (!o || !request_params_check(q, NULL, 0, r) || !int_member(o, "year", 1900, 2100, &year, r)) {
    json_decref(o);
    return r->status;
  }
  const char *unit = json_string_value(json_object_get(o, "unit"));
  const char *kind = json_string_value(json_object_get(o, "kind"));
  json_t *resp = json_object_get(o, "respondents");
  int ent = kind && strcmp(kind, "enterprise") == 0;
  if (!unit || !kind || (!ent && strcmp(kind, "unit")) || (ent && (!json_is_array(resp) || !json_array_size(resp) ||
                                                                    json_array_size(resp) > 1000))) {
    json_decref(o);
    return reply_error(r, 400, NULL, NULL, 0, "give unit, kind (\"unit\" or \"enterprise\") and, for "
                                              "enterprises, respondents: 1 to 1000 [{\"id\", \"stratum\"}]");
  }
  chiso_intake *h = wstate_lock(q->wstate);
  if (!h) {
    json_decref(o);
    return no_store(r);
  }
  chiso_err err;
  chiso_err_clear(&err);
  int rc = 0;
  list = json_array();
  size_t n = ent ? json_array_size(resp) : 1;
  for (size_t i = 0; !rc && i < n; i++) {
    json_t *x = ent ? json_array_get(resp, i) : NULL;
    const char *id = x ? json_string_value(json_object_get(x, "id")) : NULL;
    const char *stratum = x ? json_string_value(json_object_get(x, "stratum")) : NULL;
    char code[32];
    if (ent && !id) {
      rc = CHISO_EUSAGE;
      snprintf(err.message, sizeof err.message, "respondent %zu has no \"id\"", i + 1);
      break;
    }
    rc = chiso_invite_new(h, (int)year, unit, ent ? CHISO_INVITE_ENTERPRISE : CHISO_INVITE_UNIT, id, stratum,
                          q->account, q->client, code, &err);
    if (rc) break;
    char url[96];
    snprintf(url, sizeof url, "/survey/%ld/%s", year, code);
    json_t *v = json_object();
    json_object_set_new(v, "code", json_string(code));
    json_object_set_new(v, "url", json_string(url));
    json_object_set_new(v, "unit", json_string(unit));
    json_object_set_new(v, "kind", json_string(kind));
    json_object_set_new(v, "respondent", id ? json_string(id) : json_null());
    json_array_append_new(list, v);
  }
  wstate_unlock(q->wstate);
  json_decref(o);
  if (rc) {
    json_decref(list);
    return lib_error(r, rc, &err);
  }
  out = json_object();
  json_object_set_new(out, "invitations", list);
  json_object_set_new(out, "note", json_string("the codes are shown this once: only their SHA-256 is kept"));
  return writes_json(r, 201, out);
}

int writes_quota(request *q, reply *r, const char *const *args, size_t n_args) {
  (void)args, (void)n_args;
  json_t *o = json_body(q, r);
  long year = 0, quota = 0;
  if (!o || !request_params_check(q, NULL, 0, r) || !int_member(o, "year", 1900, 2100, &year, r) ||
      !int_member(o, "quota", 0, 100000000, &quota, r)) {
    json_decref(o);
    return r->status;
  }
  const char *unit = json_string_value(json_object_get(o, "unit"));
  const char *stratum = json_string_value(json_object_get(o, "stratum"));
  json_t *pop = json_object_get(o, "population");
  if (!unit || !stratum || (pop && !json_is_null(pop) && !json_is_number(pop))) {
    json_decref(o);
    return reply_error(r, 400, NULL, NULL, 0, "give unit, stratum, quota and population (a number or null)");
  }
  double population = json_is_number(pop) ? json_number_value(pop) : NAN;
  chiso_intake *h = wstate_lock(q->wstate);
  if (!h) {
    json_decref(o);
    return no_store(r);
  }
  chiso_err err;
  chiso_err_clear(&err);
  int rc = chiso_quota_set(h, (int)year, unit, stratum, quota, population, q->account, q->client, &err);
  wstate_unlock(q->wstate);
  json_decref(o);
  if (rc) return lib_error(r, rc, &err);
  json_t *out = json_object();
  json_object_set_new(out, "status", json_integer(200));
  json_object_set_new(out, "quota", json_integer(quota));
  return writes_json(r, 200, out);
}

/* A list of the intake: which one, for q's caller, in fmt. */
typedef enum { LIST_STATUS, LIST_INVITES, LIST_AUDIT } list_kind;

static int list(request *q, reply *r, list_kind kind, int year, size_t limit, long long before,
                const char *action, chiso_format fmt) {
  static const char *const files[] = {"intake.csv", "invitations.csv", "audit.csv"};
  char *buf = NULL;
  size_t len = 0;
  chiso_err err;
  chiso_err_clear(&err);
  FILE *f = open_memstream(&buf, &len);
  if (!f) return reply_error(r, 500, NULL, NULL, 0, "out of memory");
  chiso_intake *h = wstate_lock(q->wstate);
  int rc = h ? 0 : CHISO_EIO;
  if (!h) chiso_err_clear(&err), snprintf(err.message, sizeof err.message, "the store cannot be read by the write side");
  if (h && kind == LIST_STATUS) rc = chiso_intake_status_write(h, q->account, year, fmt, f, &err);
  if (h && kind == LIST_INVITES) rc = chiso_invites_write(h, q->account, year, fmt, f, &err);
  if (h && kind == LIST_AUDIT) rc = chiso_audit_log_write(h, limit, before, action, fmt, f, &err);
  if (h) wstate_unlock(q->wstate);
  if (fclose(f) && !rc) rc = CHISO_ENOMEM;
  return table_reply(r, fmt, rc, &err, buf, len, files[kind]);
}

/* A list of one year (?year=Y[&format=F]). */
static int year_list(request *q, reply *r, list_kind kind) {
  static const char *const ok[] = {"year", "format"};
  chiso_format fmt;
  int year = 0;
  if (!request_params_check(q, ok, 2, r) || !writes_year(q, r, &year) || !format_param(q, r, &fmt)) return r->status;
  return list(q, r, kind, year, 0, 0, NULL, fmt);
}

int writes_status(request *q, reply *r, const char *const *args, size_t n_args) {
  (void)args, (void)n_args;
  return year_list(q, r, LIST_STATUS);
}

int writes_invites(request *q, reply *r, const char *const *args, size_t n_args) {
  (void)args, (void)n_args;
  return year_list(q, r, LIST_INVITES);
}

int writes_audit(request *q, reply *r, const char *const *args, size_t n_args) {
  static const char *const ok[] = {"limit", "before", "action", "format"};
  chiso_format fmt;
  long limit = 0, before = 0;
  (void)args, (void)n_args;
  if (!request_params_check(q, ok, 4, r) || !request_int(q, "limit", 1, 10000, 200, &limit, r) ||
      !request_int(q, "before", 0, 2147483647L, 0, &before, r) || !format_param(q, r, &fmt))
    return r->status;
  return list(q, r, LIST_AUDIT, 0, (size_t)limit, before, request_param_get(q, "action"), fmt);
}

/* ---- an invitation's answer through the API ---------------------------------------------------------- */

int writes_respond(request *q, reply *r, const char *const *args, size_t n_args) {
  long year = 0;
  if (n_args != 2 || !request_params_check(q, NULL, 0, r)) return r->status ? r->status : 404;
  char *end = NULL;
  year = strtol(args[0], &end, 10);
  if (*end || year < 1900 || year > 2100) return reply_error(r, 404, NULL, NULL, 0, "no such questionnaire");
  json_t *o = json_body(q, r);
  if (!o) return r->status;
  const char *keys[512], *values[512];
  char nums[512][40];
  size_t n = 0;
  int bad = 0;
  json_t *answers = json_object_get(o, "answers");
  const char *stratum = json_string_value(json_object_get(o, "stratum"));
  const char *key;
  json_t *v;
  if (!json_is_object(answers)) bad = 1;
  json_object_foreach(answers, key, v) {
    json_t *one;
    size_t i;
    if (json_is_array(v)) {
      json_array_foreach(v, i, one) {
        if (!json_is_string(one) || n == 512) bad = 1;
        else keys[n] = key, values[n++] = json_string_value(one);
      }
      continue;
    }
    if (n == 512) bad = 1;
    else if (json_is_string(v)) keys[n] = key, values[n++] = json_string_value(v);
    else if (json_is_number(v)) snprintf(nums[n], sizeof nums[n], "%.17g", json_number_value(v)), keys[n] = key, values[n] = nums[n], n++;
    else if (json_is_boolean(v)) keys[n] = key, values[n++] = json_is_true(v) ? "1" : "0";
    else if (!json_is_null(v)) bad = 1;
  }
  if (bad) {
    json_decref(o);
    return reply_error(r, 400, "answers", NULL, 0, "answers must be an object of question: text, number, "
                                                   "true/false, null or a list of texts (at most 512)");
  }
  chiso_intake *h = wstate_lock(q->wstate);
  if (!h) {
    json_decref(o);
    return no_store(r);
  }
  chiso_err err;
  chiso_method *m = NULL;
  chiso_check *c = NULL;
  long long id = 0;
  chiso_err_clear(&err);
  int rc = chiso_intake_method(h, (int)year, wstate_options_of(q->wstate)->method, &m, &err);
  if (!rc) rc = chiso_response_submit(h, m, (int)year, args[1], stratum, keys, values, n, q->client, &id, &c, &err);
  wstate_unlock(q->wstate);
  chiso_method_free(m);
  json_decref(o);
  if (rc == CHISO_EDATA && c) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (f) {
      chiso_check_write(c, rc, &err, CHISO_FORMAT_JSON, f, NULL);
      fclose(f);
    }
    json_t *rep = buf ? json_loadb(buf, len, 0, NULL) : NULL, *out = json_object();
    free(buf);
    chiso_check_free(c);
    json_object_set_new(out, "error", json_string("some answers break the questionnaire's rules"));
    json_object_set_new(out, "status", json_integer(422));
    json_object_set(out, "problems", json_object_get(rep, "problems"));
    json_decref(rep);
    return writes_json(r, 422, out);
  }
  chiso_check_free(c);
  if (rc == CHISO_EDENIED) return reply_error(r, 410, NULL, NULL, 0, "%s", err.message);
  if (rc) return lib_error(r, rc, &err);
  json_t *out = json_object();
  json_object_set_new(out, "status", json_integer(201));
  json_object_set_new(out, "response", json_integer(id));
  return writes_json(r, 201, out);
}

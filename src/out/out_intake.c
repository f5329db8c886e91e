/* out_intake.c — the online intake's lists (out_intake.h). */
#include "out/out_intake.h"

#include "base/jsonio.h"
#include "geo/geo.h"
#include "io/csvwrite.h"
#include "out/out_check.h"
#include "out/out_table.h"

#include <assert.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* n rows of `cols` cells each, made by cell(ctx, row, cells) into
** buffers it owns, as a table or CSV (JSON is each writer's own). */
typedef void (*row_fn)(const void *ctx, size_t i, const char **cells, char (*buf)[256]);

static int table_or_csv(const char *const *head, int cols, const int *right, size_t n,
                        const void *ctx, row_fn cell, chiso_format fmt, FILE *out) {
  const char *cells[16];
  char buf[16][256];
  assert(cols <= 16);
  if (fmt == CHISO_FORMAT_CSV) {
    int rc = csvwrite_row(out, head, cols, 0);
    for (size_t i = 0; !rc && i < n; i++) {
      cell(ctx, i, cells, buf);
      rc = csvwrite_row(out, cells, cols, 0);
    }
    return rc ? CHISO_EIO : CHISO_OK;
  }
  out_table *t = out_table_new(cols, head);
  if (!t) return CHISO_ENOMEM;
  for (int c = 0; right && right[c] >= 0; c++) out_table_right(t, right[c]);
  int rc = CHISO_OK;
  for (size_t i = 0; !rc && i < n; i++) {
    cell(ctx, i, cells, buf);
    rc = out_table_add(t, cells);
  }
  if (!rc) rc = out_table_print(t, out);
  out_table_free(t);
  return rc;
}

/* ---- accounts ---------------------------------------------------------------------------------- */

typedef struct {
  const chiso_account *a;
  const long *tokens;
  const char (*created)[32];
} users_ctx;

static const char *role_name(chiso_role r) {
  return r == CHISO_ROLE_ADMIN ? "admin" : r == CHISO_ROLE_PROVINCE ? "province" : "viewer";
}

static void scope_of(const chiso_account *a, char *buf, size_t n) {
  size_t len = 0;
  buf[0] = '\0';
  for (size_t k = 0; k < a->n_scope && len + 4 < n; k++)
    len += (size_t)snprintf(buf + len, n - len, "%s%s", k ? " " : "", a->scope[k]);
}

static void user_row(const void *ctx, size_t i, const char **cells, char (*buf)[256]) {
  const users_ctx *u = ctx;
  const chiso_account *a = &u->a[i];
  snprintf(buf[0], 256, "%d", a->role == CHISO_ROLE_PROVINCE ? a->scope_year : 0);
  scope_of(a, buf[1], 256);
  snprintf(buf[2], 256, "%ld", u->tokens[i]);
  cells[0] = a->name, cells[1] = role_name(a->role), cells[2] = a->n_scope ? buf[0] : "";
  cells[3] = buf[1], cells[4] = a->disabled ? "yes" : "no", cells[5] = buf[2], cells[6] = u->created[i];
}

int out_intake_users(const chiso_account *a, const long *tokens, const char (*created)[32], size_t n,
                     chiso_format fmt, FILE *out) {
  static const char *const head[] = {"name", "role", "scope_year", "scope", "disabled", "tokens", "created_at"};
  static const int right[] = {2, 5, -1};
  users_ctx u = {a, tokens, created};
  if (fmt != CHISO_FORMAT_JSON) return table_or_csv(head, 7, right, n, &u, user_row, fmt, out);
  json_t *list = json_array();
  for (size_t i = 0; i < n; i++) {
    json_t *o = json_object(), *sc = json_array();
    json_object_set_new(o, "name", json_string(a[i].name));
    json_object_set_new(o, "role", json_string(role_name(a[i].role)));
    json_object_set_new(o, "scope_year", a[i].n_scope ? json_integer(a[i].scope_year) : json_null());
    for (size_t k = 0; k < a[i].n_scope; k++) json_array_append_new(sc, json_string(a[i].scope[k]));
    json_object_set_new(o, "scope", sc);
    json_object_set_new(o, "disabled", json_boolean(a[i].disabled));
    json_object_set_new(o, "tokens", json_integer(tokens[i]));
    json_object_set_new(o, "created_at", json_string(created[i]));
    json_array_append_new(list, o);
  }
  return jsonio_dump(list, out);
}

/* ---- tokens ------------------------------------------------------------------------------------ */

/* "2026-12-06T11:45:00Z", or "" for 0 (never). */
static void utc_text(long long when, char *buf, size_t n) {
  time_t tt = (time_t)when;
  struct tm tm;
  buf[0] = '\0';
  if (when && gmtime_r(&tt, &tm)) strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void token_row(const void *ctx, size_t i, const char **cells, char (*buf)[256]) {
  const accounts_token_row *t = (const accounts_token_row *)ctx + i;
  utc_text(t->expires, buf[0], 256);
  cells[0] = t->name, cells[1] = t->label, cells[2] = t->created_at;
  cells[3] = t->expires ? buf[0] : "never", cells[4] = t->state;
}

int out_intake_tokens(const accounts_token_row *t, size_t n, chiso_format fmt, FILE *out) {
  static const char *const head[] = {"name", "label", "created_at", "expires", "state"};
  static const int right[] = {-1};
  if (fmt != CHISO_FORMAT_JSON) return table_or_csv(head, 5, right, n, t, token_row, fmt, out);
  json_t *list = json_array();
  for (size_t i = 0; i < n; i++) {
    char when[32];
    json_t *o = json_object();
    utc_text(t[i].expires, when, sizeof when);
    json_object_set_new(o, "name", json_string(t[i].name));
    json_object_set_new(o, "label", json_string(t[i].label));
    json_object_set_new(o, "created_at", json_string(t[i].created_at));
    json_object_set_new(o, "expires", t[i].expires ? json_string(when) : json_null());
    json_object_set_new(o, "state", json_string(t[i].state));
    json_array_append_new(list, o);
  }
  return jsonio_dump(list, out);
}

/* ---- invitations ------------------------------------------------------------------------------- */

static void invite_row(const void *ctx, size_t i, const char **cells, char (*buf)[256]) {
  const chiso_invite *v = (const chiso_invite *)ctx + i;
  snprintf(buf[0], 256, "%lld", v->id);
  snprintf(buf[1], 256, "%d", v->year);
  snprintf(buf[2], 256, "%s…", v->prefix);
  cells[0] = buf[0], cells[1] = buf[1], cells[2] = v->unit;
  cells[3] = v->kind == CHISO_INVITE_UNIT ? "unit" : "enterprise", cells[4] = v->respondent;
  cells[5] = v->stratum, cells[6] = buf[2], cells[7] = v->kind == CHISO_INVITE_UNIT ? "" : v->used ? "yes" : "no";
  cells[8] = v->created_by, cells[9] = v->created_at;
}

int out_intake_invites(const chiso_invite *v, size_t n, chiso_format fmt, FILE *out) {
  static const char *const head[] = {"id", "year", "unit", "kind", "respondent", "stratum", "prefix",
                                     "used", "created_by", "created_at"};
  static const int right[] = {0, -1};
  if (fmt != CHISO_FORMAT_JSON) return table_or_csv(head, 10, right, n, v, invite_row, fmt, out);
  json_t *list = json_array();
  for (size_t i = 0; i < n; i++) {
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(v[i].id));
    json_object_set_new(o, "year", json_integer(v[i].year));
    json_object_set_new(o, "unit", json_string(v[i].unit));
    json_object_set_new(o, "kind", json_string(v[i].kind == CHISO_INVITE_UNIT ? "unit" : "enterprise"));
    json_object_set_new(o, "respondent", v[i].respondent[0] ? json_string(v[i].respondent) : json_null());
    json_object_set_new(o, "stratum", v[i].stratum[0] ? json_string(v[i].stratum) : json_null());
    json_object_set_new(o, "prefix", json_string(v[i].prefix));
    json_object_set_new(o, "used", v[i].kind == CHISO_INVITE_UNIT ? json_null() : json_boolean(v[i].used));
    json_object_set_new(o, "created_by", json_string(v[i].created_by));
    json_object_set_new(o, "created_at", json_string(v[i].created_at));
    json_array_append_new(list, o);
  }
  return jsonio_dump(list, out);
}

/* ---- responses against quotas ------------------------------------------------------------------- */

typedef struct {
  const staging_status *s;
  int year;
} status_ctx;

static const char *unit_name(int year, const char *code) {
  const geo_registry *reg = NULL;
  const geo_unit *u = geo_registry_shared(&reg, NULL) ? NULL : geo_find_code(reg, geo_era_for_year(year), code);
  return u ? u->name : "";
}

static void status_row(const void *ctx, size_t i, const char **cells, char (*buf)[256]) {
  const status_ctx *c = ctx;
  const staging_status *s = &c->s[i];
  if (s->quota >= 0) snprintf(buf[0], 256, "%ld", s->quota);
  else buf[0][0] = '\0';
  if (!isnan(s->population)) snprintf(buf[1], 256, "%.17g", s->population);
  else buf[1][0] = '\0';
  snprintf(buf[2], 256, "%ld", s->received);
  snprintf(buf[3], 256, "%ld", s->published);
  cells[0] = s->unit, cells[1] = unit_name(c->year, s->unit), cells[2] = s->stratum;
  cells[3] = buf[0], cells[4] = buf[1], cells[5] = buf[2], cells[6] = buf[3];
}

int out_intake_status(const staging_status *s, size_t n, int year, chiso_format fmt, FILE *out) {
  static const char *const head[] = {"unit", "name", "stratum", "quota", "population", "received", "published"};
  static const int right[] = {3, 4, 5, 6, -1};
  status_ctx c = {s, year};
  if (fmt != CHISO_FORMAT_JSON) return table_or_csv(head, 7, right, n, &c, status_row, fmt, out);
  json_t *root = json_object(), *units = json_array(), *u = NULL, *strata = NULL;
  long received = 0, published = 0;
  json_object_set_new(root, "year", json_integer(year));
  for (size_t i = 0; i < n; i++) {
    if (!u || strcmp(json_string_value(json_object_get(u, "code")), s[i].unit) != 0) {
      u = json_object();
      strata = json_array();
      received = published = 0;
      json_object_set_new(u, "code", json_string(s[i].unit));
      json_object_set_new(u, "name", json_string(unit_name(year, s[i].unit)));
      json_object_set_new(u, "received", json_integer(0));
      json_object_set_new(u, "published", json_integer(0));
      json_object_set_new(u, "strata", strata);
      json_array_append_new(units, u);
    }
    json_t *o = json_object();
    json_object_set_new(o, "stratum", json_string(s[i].stratum));
    json_object_set_new(o, "quota", s[i].quota >= 0 ? json_integer(s[i].quota) : json_null());
    json_object_set_new(o, "population", jsonio_number(s[i].population));
    json_object_set_new(o, "received", json_integer(s[i].received));
    json_object_set_new(o, "published", json_integer(s[i].published));
    json_array_append_new(strata, o);
    json_object_set_new(u, "received", json_integer(received += s[i].received));
    json_object_set_new(u, "published", json_integer(published += s[i].published));
  }
  json_object_set_new(root, "units", units);
  return jsonio_dump(root, out);
}

/* ---- the audit log --------------------------------------------------------------------------------- */

static void audit_row(const void *ctx, size_t i, const char **cells, char (*buf)[256]) {
  const auditlog_row *r = (const auditlog_row *)ctx + i;
  snprintf(buf[0], 256, "%lld", r->id);
  cells[0] = buf[0], cells[1] = r->at, cells[2] = r->actor, cells[3] = r->via, cells[4] = r->address;
  cells[5] = r->action, cells[6] = r->target, cells[7] = r->detail, cells[8] = r->sha256, cells[9] = r->chain;
}

int out_intake_audit(const auditlog_row *r, size_t n, long long checked, long long broken,
                     chiso_format fmt, FILE *out) {
  static const char *const head[] = {"id", "at", "actor", "via", "address", "action", "target",
                                     "detail", "sha256", "chain"};
  static const int right[] = {0, -1};
  if (fmt != CHISO_FORMAT_JSON) return table_or_csv(head, fmt == CHISO_FORMAT_CSV ? 10 : 8, right, n, r,
                                                    audit_row, fmt, out);
  json_t *root = json_object(), *chain = json_object(), *list = json_array();
  json_object_set_new(chain, "checked", json_integer(checked));
  json_object_set_new(chain, "broken", broken ? json_integer(broken) : json_null());
  json_object_set_new(root, "chain", chain);
  for (size_t i = 0; i < n; i++) {
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(r[i].id));
    const char *keys[] = {"at", "actor", "via", "address", "action", "target", "detail", "sha256", "chain"};
    const char *vals[] = {r[i].at, r[i].actor, r[i].via, r[i].address, r[i].action, r[i].target,
                          r[i].detail, r[i].sha256, r[i].chain};
    for (int k = 0; k < 9; k++) json_object_set_new(o, keys[k], json_stringn(vals[k], strlen(vals[k])));
    json_array_append_new(list, o);
  }
  json_object_set_new(root, "entries", list);
  return jsonio_dump(root, out);
}

/* ---- an import that went wrong ---------------------------------------------------------------------- */

int out_intake_report(const import_result *r, FILE *out) {
  assert(r && out);
  json_t *root = json_object(), *probs = json_array(), *outside = json_array();
  size_t more = 0, more_outside = 0;
  for (size_t i = 0; i < r->n; i++) {
    const import_file *f = &r->files[i];
    const ingest_report *rep = f->report;
    for (size_t k = 0; rep && k < rep->n_problems; k++) {
      const ingest_problem *p = &rep->problems[k];
      char loc[512];
      json_t *o = out_check_problem_json(p);
      snprintf(loc, sizeof loc, "%s:%ld:%ld", f->name, p->row, p->col);
      json_object_set_new(o, "file", json_string(f->name));
      json_object_set_new(o, "where", json_string(loc));
      json_array_append_new(probs, o);
    }
    if (rep) more += rep->n_errors - rep->n_problems;
    for (size_t k = 0; k < f->n_outside; k++) {
      json_t *o = json_object();
      json_object_set_new(o, "file", json_string(f->name));
      json_object_set_new(o, "row", json_integer(f->outside[k].row));
      json_object_set_new(o, "unit", json_string(f->outside[k].unit));
      json_object_set_new(o, "name", json_string(unit_name(r->year, f->outside[k].unit)));
      json_array_append_new(outside, o);
    }
    more_outside += f->n_outside_all - f->n_outside;
  }
  json_object_set_new(root, "problems", probs);
  json_object_set_new(root, "more", json_integer((json_int_t)more));
  json_object_set_new(root, "outside", outside);
  json_object_set_new(root, "outside_more", json_integer((json_int_t)more_outside));
  return jsonio_dump(root, out);
}

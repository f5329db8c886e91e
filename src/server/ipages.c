/* ipages.c — the pages of the write side (ipages.h). */
#include "ipages.h"

#include "auth.h"
#include "body.h"
#include "cookie.h"
#include "gate.h"
#include "hdoc.h"
#include "page.h"
#include "state.h"
#include "uitext.h"
#include "writes.h"
#include "wstate.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A page being written. */
typedef struct ipage {
  request *q;
  reply *r;
  const char *lang;
  hdoc d;
  char csrf[64];
} ipage;

static const char *T(const ipage *p, const char *key) { return uitext_get(p->lang, key); }

/* The CSRF token of the page's forms; the pre-session cookie is set when
** the browser has none yet. */
static void csrf_of(ipage *p) {
  char secret[64], name[64];
  int fresh = 0;
  gate_csrf_secret(p->q, secret, &fresh);
  auth_csrf(secret, p->csrf);
  if (fresh) {
    cookie_name(AUTH_CSRF_COOKIE, p->q->tls, name, sizeof name);
    cookie_set(p->r->cookies[1], sizeof p->r->cookies[1], name, secret, 0, p->q->tls);
  }
}

static void start(ipage *p, request *q, reply *r, const char *lang) {
  memset(p, 0, sizeof *p);
  p->q = q, p->r = r, p->lang = lang;
  hdoc_init(&p->d, lang);
  csrf_of(p);
}

static void text(ipage *p, const char *s) { hdoc_text(&p->d, s); }
static void raw(ipage *p, const char *s) { hdoc_raw(&p->d, s); }

static void hidden_csrf(ipage *p) {
  hdoc_printf(&p->d, "<input type=\"hidden\" name=\"csrf\" value=\"%s\"/>", p->csrf);
}

static void para(ipage *p, const char *cls, const char *id, const char *s) {
  hdoc_printf(&p->d, "<p class=\"%s\"%s%s%s>", cls, id ? " id=\"" : "", id ? id : "", id ? "\"" : "");
  text(p, s);
  raw(p, "</p>\n");
}

/* The head, the navigation (the dashboard, the desk, the audit log for an
** admin), the language switch, who is signed in, and the title. */
static void open_page(ipage *p, const char *title, const char *before, const char *after) {
  const chiso_account *a = p->q->account;
  hdoc_printf(&p->d, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\"/>\n"
                     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<title>",
              p->lang);
  text(p, title);
  raw(p, " · chiso</title>\n<link rel=\"icon\" href=\"data:,\"/>\n"
         "<link rel=\"stylesheet\" href=\"/assets/report.css\"/>\n"
         "<link rel=\"stylesheet\" href=\"/assets/app.css\"/>\n</head>\n");
  hdoc_printf(&p->d, "<body data-lang=\"%s\" data-page=\"intake\">\n<header class=\"top\"><div class=\"bar\">"
                     "<nav class=\"main\" id=\"nav\"><a href=\"/%s/\">", p->lang, p->lang);
  text(p, T(p, "nav_overview"));
  if (a) {
    hdoc_printf(&p->d, "</a><a href=\"/%s/intake\">", p->lang);
    text(p, T(p, "nav_intake"));
  }
  if (a && a->role == CHISO_ROLE_ADMIN) {
    hdoc_printf(&p->d, "</a><a href=\"/%s/admin/audit\">", p->lang);
    text(p, T(p, "nav_audit"));
  }
  raw(p, "</a></nav>");
  if (before) { /* the same page in the other language: before LANG after */
    const char *other = strcmp(p->lang, "vi") == 0 ? "en" : "vi";
    hdoc_printf(&p->d, "<a class=\"lang\" id=\"lang-switch\" hreflang=\"%s\" lang=\"%s\" href=\"", other, other);
    text(p, before);
    raw(p, other);
    text(p, after);
    raw(p, "\">");
    text(p, uitext_get(other, "lang_name"));
    raw(p, "</a>");
  }
  raw(p, "</div>\n<h1>");
  text(p, title);
  raw(p, "</h1>");
  if (a) {
    char who[256];
    char rkey[32];
    snprintf(rkey, sizeof rkey, "role_%s", chiso_role_name(a->role));
    snprintf(who, sizeof who, "%s %s (%s", T(p, "signed_in_as"), a->name, T(p, rkey));
    raw(p, "<form class=\"who\" method=\"post\" action=\"/");
    raw(p, p->lang);
    raw(p, "/logout\"><span id=\"who\">");
    text(p, who);
    for (size_t i = 0; i < a->n_scope; i++) {
      raw(p, i ? ", " : ": ");
      text(p, a->scope[i]);
    }
    raw(p, ")</span> ");
    hidden_csrf(p);
    raw(p, "<button type=\"submit\" id=\"logout\">");
    text(p, T(p, "logout"));
    raw(p, "</button></form>");
  }
  raw(p, "</header>\n<main>\n");
}

/* Close the page and make it the reply with `status`. */
static int finish(ipage *p, int status) {
  char nonce[23];
  raw(p, "</main>\n<footer><p>chiso ");
  text(p, chiso_version());
  raw(p, "</p></footer>\n</body>\n</html>\n");
  size_t n = 0;
  char *body = hdoc_take(&p->d, &n);
  if (!body || page_nonce(nonce)) {
    free(body);
    return reply_error(p->r, 500, NULL, NULL, 0, "cannot make the page");
  }
  reply_take(p->r, body, n, "text/html; charset=utf-8");
  snprintf(p->r->nonce, sizeof p->r->nonce, "%s", nonce);
  p->r->status = status;
  p->r->csp = REPLY_CSP_PAGE;
  p->r->cache = REPLY_NO_STORE;
  return status;
}

/* The language of a page path segment, else a 404 page. */
static const char *lang_or_404(request *q, reply *r, const char *const *args, size_t n_args) {
  const char *lang = n_args ? request_lang(args[0]) : NULL;
  if (!lang) {
    static const char *const ok[] = {"vi", "en"};
    reply_error(r, 404, NULL, ok, 2, "no page here: pages start with /vi/ or /en/");
    page_error(q, r, "vi");
  }
  return lang;
}

/* The error reply r (JSON) as a page in lang. */
static int error_page(request *q, reply *r, const char *lang) { return page_error(q, r, lang); }

/* Parse the JSON body of reply r (NULL when not JSON). */
static json_t *reply_json(const reply *r) {
  return r->body ? json_loadb(r->body, r->len, 0, NULL) : NULL;
}

static const char *jstr(const json_t *o, const char *key) {
  const char *s = json_string_value(json_object_get(o, key));
  return s ? s : "";
}

/* ---- signing in and out --------------------------------------------------------------------------- */

/* A target after login: a path of this server ("/..." but not "//"). */
static const char *safe_next(const char *next, const char *lang, char *buf, size_t n) {
  if (next && next[0] == '/' && next[1] != '/' && next[1] != '\\' && strlen(next) < n &&
      strspn(next, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/-_.?=&%") == strlen(next))
    return next;
  snprintf(buf, n, "/%s/intake", lang);
  return buf;
}

static int login_page(request *q, reply *r, const char *lang, const char *next, const char *message,
                      const char *name, int status) {
  ipage p;
  start(&p, q, r, lang);
  open_page(&p, T(&p, "login_title"), "/", "/login");
  if (message) para(&p, "warn", "login-error", message);
  hdoc_printf(&p.d, "<form method=\"post\" action=\"/%s/login\" class=\"intake\" id=\"login-form\">", lang);
  hidden_csrf(&p);
  raw(&p, "<input type=\"hidden\" name=\"next\" value=\"");
  text(&p, next ? next : "");
  raw(&p, "\"/><label>");
  text(&p, T(&p, "login_name"));
  raw(&p, " <input name=\"name\" id=\"name\" autocomplete=\"username\" required maxlength=\"64\" value=\"");
  text(&p, name ? name : "");
  raw(&p, "\"/></label><label>");
  text(&p, T(&p, "login_password"));
  raw(&p, " <input type=\"password\" name=\"password\" id=\"password\" autocomplete=\"current-password\" "
          "required maxlength=\"1024\"/></label><button type=\"submit\" id=\"login\">");
  text(&p, T(&p, "login_button"));
  raw(&p, "</button></form>\n");
  para(&p, "muted", NULL, T(&p, "login_note"));
  return finish(&p, status);
}

int ipages_login_form(request *q, reply *r, const char *const *args, size_t n_args) {
  static const char *const ok[] = {"next"};
  const char *lang = lang_or_404(q, r, args, n_args);
  if (!lang) return r->status;
  if (!request_params_check(q, ok, 1, r)) return error_page(q, r, lang);
  return login_page(q, r, lang, request_param_get(q, "next"), NULL, NULL, 200);
}

int ipages_login(request *q, reply *r, const char *const *args, size_t n_args) {
  const char *lang = lang_or_404(q, r, args, n_args);
  if (!lang) return r->status;
  wstate *w = q->wstate;
  const form *f = body_form(q->body);
  const char *name = form_get(f, "name"), *password = form_get(f, "password"), *next = form_get(f, "next");
  char key[128], to[512], session[64], cname[64];
  if (!name || !password) return login_page(q, r, lang, next, uitext_get(lang, "login_missing"), name, 400);
  snprintf(key, sizeof key, "%.64s", name);
  time_t now = time(NULL);
  unsigned wait_a = limiter_wait(wstate_accounts(w), key, now), wait_b = limiter_wait(wstate_addresses(w), q->client, now);
  unsigned wait = wait_a > wait_b ? wait_a : wait_b;
  if (wait) {
    char msg[256];
    snprintf(msg, sizeof msg, uitext_get(lang, "login_too_many"), (wait + 59) / 60);
    int st = login_page(q, r, lang, next, msg, name, 429);
    r->retry_after = wait;
    return st;
  }
  /* The password is checked on a connection of its own: Argon2id takes a
  ** while, and the server's connection serves the other requests meanwhile. */
  chiso_intake *h = NULL;
  chiso_account a;
  chiso_err err;
  chiso_err_clear(&err);
  int rc = chiso_intake_open(wstate_options_of(w)->db, 0, &h, &err);
  if (!rc) rc = chiso_login(h, name, password, q->client, session, &a, &err);
  chiso_intake_close(h);
  if (rc == CHISO_EDENIED) {
    limiter_fail(wstate_accounts(w), key, now);
    limiter_fail(wstate_addresses(w), q->client, now);
    return login_page(q, r, lang, next, uitext_get(lang, "login_wrong"), name, 401);
  }
  if (rc) {
    reply_error(r, 503, NULL, NULL, 0, "%s", err.message);
    return error_page(q, r, lang);
  }
  limiter_clear(wstate_accounts(w), key);
  cookie_name(AUTH_SESSION_COOKIE, q->tls, cname, sizeof cname);
  cookie_set(r->cookies[0], sizeof r->cookies[0], cname, session, 12 * 3600, q->tls);
  return reply_see_other(r, safe_next(next, lang, to, sizeof to));
}

int ipages_logout(request *q, reply *r, const char *const *args, size_t n_args) {
  const char *lang = lang_or_404(q, r, args, n_args);
  if (!lang) return r->status;
  char cname[64], to[16];
  chiso_err err;
  chiso_intake *h = wstate_lock(q->wstate);
  if (h) {
    chiso_err_clear(&err);
    chiso_logout(h, q->session, q->account, q->client, &err);
    wstate_unlock(q->wstate);
  }
  cookie_name(AUTH_SESSION_COOKIE, q->tls, cname, sizeof cname);
  cookie_set(r->cookies[0], sizeof r->cookies[0], cname, "x", -1, q->tls);
  snprintf(to, sizeof to, "/%s/", lang);
  return reply_see_other(r, to);
}

/* ---- the desk of a province officer ------------------------------------------------------------------- */

/* The units `a` covers in `year` ({code, name}), from the registry. */
static json_t *units_of(const chiso_account *a, int year, const char *lang) {
  char *buf = NULL;
  size_t len = 0;
  chiso_err err;
  json_t *out = json_array();
  FILE *f = open_memstream(&buf, &len);
  if (!f) return out;
  int rc = chiso_units_write(year, lang, CHISO_FORMAT_JSON, f, &err);
  fclose(f);
  json_t *all = rc ? NULL : json_loadb(buf, len, 0, NULL), *u;
  size_t i;
  free(buf);
  json_array_foreach(json_object_get(all, "provinces"), i, u) {
    if (!chiso_account_covers(a, year, jstr(u, "code"))) continue;
    json_t *x = json_object();
    json_object_set_new(x, "code", json_string(jstr(u, "code")));
    json_object_set_new(x, "name", json_string(jstr(u, "name")));
    json_array_append_new(out, x);
  }
  json_decref(all);
  return out;
}

static void unit_select(ipage *p, const json_t *units, const char *id) {
  json_t *u;
  size_t i;
  hdoc_printf(&p->d, "<select name=\"unit\" id=\"%s\" required>", id);
  json_array_foreach(units, i, u) {
    raw(p, "<option value=\"");
    text(p, jstr(u, "code"));
    raw(p, "\">");
    text(p, jstr(u, "code"));
    raw(p, " ");
    text(p, jstr(u, "name"));
    raw(p, "</option>");
  }
  raw(p, "</select>");
}

static void h2(ipage *p, const char *id, const char *key) {
  hdoc_printf(&p->d, "<section id=\"%s\">\n<h2>", id);
  text(p, T(p, key));
  raw(p, "</h2>\n");
}

static void label(ipage *p, const char *key) {
  raw(p, "<label>");
  text(p, T(p, key));
  raw(p, " ");
}

static void upload_form(ipage *p, int year) {
  char note[512];
  h2(p, "upload", "sec_upload");
  hdoc_printf(&p->d, "<form method=\"post\" action=\"/%s/intake/upload\" enctype=\"multipart/form-data\" "
                     "class=\"intake\" id=\"upload-form\">", p->lang);
  hidden_csrf(p);
  label(p, "year");
  hdoc_printf(&p->d, "<input type=\"number\" name=\"year\" id=\"upload-year\" min=\"1900\" max=\"2100\" "
                     "value=\"%d\" required/></label>", year);
  label(p, "upload_file");
  raw(p, "<input type=\"file\" name=\"file\" id=\"upload-file\" required "
         "accept=\".csv,.tsv,.txt,.xlsx,.xlsm,.sav,.zsav,.por,.dta,.sas7bdat,.xpt\"/></label>");
  raw(p, "<label class=\"check\"><input type=\"checkbox\" name=\"replace\" value=\"1\" id=\"upload-replace\"/> ");
  text(p, T(p, "upload_replace"));
  raw(p, "</label><button type=\"submit\" id=\"upload-button\">");
  text(p, T(p, "upload_button"));
  raw(p, "</button></form>\n");
  snprintf(note, sizeof note, T(p, "upload_note"),
           (unsigned)(wstate_options_of(p->q->wstate)->max_upload >> 20));
  para(p, "muted", NULL, note);
  raw(p, "</section>\n");
}

static void number_cell(ipage *p, const json_t *v) {
  if (json_is_integer(v)) hdoc_printf(&p->d, "<td class=\"n\">%lld</td>", (long long)json_integer_value(v));
  else if (json_is_number(v)) {
    raw(p, "<td class=\"n\">");
    hdoc_num(&p->d, json_number_value(v), 0);
    raw(p, "</td>");
  } else raw(p, "<td class=\"n\">–</td>");
}

static void status_section(ipage *p, const json_t *status, const json_t *units, int year) {
  static const char *const heads[] = {"col_code", "col_name", "col_stratum", "col_quota", "col_population",
                                      "col_received", "col_published"};
  json_t *u, *s;
  size_t i, k;
  h2(p, "quotas", "sec_quotas");
  raw(p, "<div class=\"scroll\"><table class=\"data\" id=\"status-table\"><thead><tr>");
  for (int c = 0; c < 7; c++) {
    raw(p, c >= 3 ? "<th class=\"n\">" : "<th>");
    text(p, T(p, heads[c]));
    raw(p, "</th>");
  }
  raw(p, "</tr></thead><tbody>");
  json_array_foreach(json_object_get(status, "units"), i, u) {
    json_array_foreach(json_object_get(u, "strata"), k, s) {
      raw(p, "<tr><td>");
      text(p, jstr(u, "code"));
      raw(p, "</td><td>");
      text(p, jstr(u, "name"));
      raw(p, "</td><td>");
      text(p, jstr(s, "stratum"));
      raw(p, "</td>");
      number_cell(p, json_object_get(s, "quota"));
      number_cell(p, json_object_get(s, "population"));
      number_cell(p, json_object_get(s, "received"));
      number_cell(p, json_object_get(s, "published"));
      raw(p, "</tr>");
    }
  }
  raw(p, "</tbody></table></div>\n");
  if (!json_array_size(json_object_get(status, "units"))) para(p, "muted", "status-empty", T(p, "status_empty"));
  /* a quota */
  hdoc_printf(&p->d, "<form method=\"post\" action=\"/%s/intake/quota\" class=\"intake\" id=\"quota-form\">", p->lang);
  hidden_csrf(p);
  hdoc_printf(&p->d, "<input type=\"hidden\" name=\"year\" value=\"%d\"/>", year);
  label(p, "col_code");
  unit_select(p, units, "quota-unit");
  raw(p, "</label>");
  label(p, "col_stratum");
  raw(p, "<input name=\"stratum\" id=\"quota-stratum\" required maxlength=\"63\"/></label>");
  label(p, "col_quota");
  raw(p, "<input type=\"number\" name=\"quota\" id=\"quota-quota\" min=\"0\" required/></label>");
  label(p, "col_population");
  raw(p, "<input type=\"number\" name=\"population\" id=\"quota-population\" min=\"1\"/></label><button type=\"submit\">");
  text(p, T(p, "quota_button"));
  raw(p, "</button></form>\n");
  para(p, "muted", NULL, T(p, "quota_note"));
  raw(p, "</section>\n");
}

static void invites_section(ipage *p, const json_t *invites, const json_t *units, int year) {
  static const char *const heads[] = {"col_prefix", "col_code", "col_kind", "col_respondent", "col_stratum",
                                      "col_used", "col_by", "col_at"};
  json_t *v;
  size_t i;
  h2(p, "invitations", "sec_invitations");
  hdoc_printf(&p->d, "<form method=\"post\" action=\"/%s/intake/invite\" class=\"intake\" id=\"invite-form\">", p->lang);
  hidden_csrf(p);
  hdoc_printf(&p->d, "<input type=\"hidden\" name=\"year\" value=\"%d\"/>", year);
  label(p, "col_code");
  unit_select(p, units, "invite-unit");
  raw(p, "</label><label class=\"check\"><input type=\"radio\" name=\"kind\" value=\"unit\" id=\"invite-kind-unit\" checked/> ");
  text(p, T(p, "invite_unit"));
  raw(p, "</label><label class=\"check\"><input type=\"radio\" name=\"kind\" value=\"enterprise\" id=\"invite-kind-enterprise\"/> ");
  text(p, T(p, "invite_enterprise"));
  raw(p, "</label><label>");
  text(p, T(p, "invite_respondents"));
  raw(p, " <textarea name=\"respondents\" id=\"invite-respondents\" rows=\"3\" cols=\"40\"></textarea></label>"
         "<button type=\"submit\" id=\"invite-button\">");
  text(p, T(p, "invite_button"));
  raw(p, "</button></form>\n<div class=\"scroll\"><table class=\"data\" id=\"invites-table\"><thead><tr>");
  for (int c = 0; c < 8; c++) {
    raw(p, "<th>");
    text(p, T(p, heads[c]));
    raw(p, "</th>");
  }
  raw(p, "</tr></thead><tbody>");
  json_array_foreach(invites, i, v) {
    if (i >= 200) break;
    raw(p, "<tr><td><code>");
    text(p, jstr(v, "prefix"));
    raw(p, "…</code></td><td>");
    text(p, jstr(v, "unit"));
    raw(p, "</td><td>");
    text(p, T(p, strcmp(jstr(v, "kind"), "unit") == 0 ? "invite_unit" : "invite_enterprise"));
    raw(p, "</td><td>");
    text(p, jstr(v, "respondent"));
    raw(p, "</td><td>");
    text(p, jstr(v, "stratum"));
    raw(p, "</td><td>");
    json_t *used = json_object_get(v, "used");
    text(p, json_is_null(used) || !used ? "–" : T(p, json_is_true(used) ? "yes" : "no"));
    raw(p, "</td><td>");
    text(p, jstr(v, "created_by"));
    raw(p, "</td><td>");
    text(p, jstr(v, "created_at"));
    raw(p, "</td></tr>");
  }
  raw(p, "</tbody></table></div>\n");
  para(p, "muted", NULL, T(p, "invite_note"));
  raw(p, "</section>\n");
}

static void publish_section(ipage *p, int year) {
  h2(p, "publish", "sec_publish");
  para(p, "", NULL, T(p, "publish_note"));
  hdoc_printf(&p->d, "<form method=\"post\" action=\"/%s/intake/publish\" class=\"intake\" id=\"publish-form\">", p->lang);
  hidden_csrf(p);
  hdoc_printf(&p->d, "<input type=\"hidden\" name=\"year\" value=\"%d\"/><button type=\"submit\" id=\"publish-button\">", year);
  text(p, T(p, "publish_button"));
  raw(p, "</button></form>\n</section>\n");
}

/* A list of the intake as parsed JSON (kind: 0 status, 1 invitations). */
static json_t *fetch_list(request *q, int kind, int year) {
  char *buf = NULL;
  size_t len = 0;
  chiso_err err;
  FILE *f = open_memstream(&buf, &len);
  if (!f) return NULL;
  chiso_intake *h = wstate_lock(q->wstate);
  int rc = h ? 0 : CHISO_EIO;
  chiso_err_clear(&err);
  if (h && kind == 0) rc = chiso_intake_status_write(h, q->account, year, CHISO_FORMAT_JSON, f, &err);
  if (h && kind == 1) rc = chiso_invites_write(h, q->account, year, CHISO_FORMAT_JSON, f, &err);
  if (h) wstate_unlock(q->wstate);
  fclose(f);
  json_t *o = rc ? NULL : json_loadb(buf, len, 0, NULL);
  free(buf);
  return o;
}

int ipages_intake(request *q, reply *r, const char *const *args, size_t n_args) {
  static const char *const ok[] = {"year"};
  const char *lang = lang_or_404(q, r, args, n_args);
  int year = 0;
  char title[160];
  if (!lang) return r->status;
  if (!request_params_check(q, ok, 1, r) || !writes_year(q, r, &year)) return error_page(q, r, lang);
  if (!wstate_lock(q->wstate)) {
    reply_error(r, 503, NULL, NULL, 0, "the store cannot be written by this server now");
    return error_page(q, r, lang);
  }
  wstate_unlock(q->wstate);
  ipage p;
  start(&p, q, r, lang);
  snprintf(title, sizeof title, "%s %d", T(&p, "intake_title"), year);
  open_page(&p, title, "/", "/intake");
  hdoc_printf(&p.d, "<form method=\"get\" class=\"view\" id=\"year-form\"><label>");
  text(&p, T(&p, "year"));
  hdoc_printf(&p.d, " <input type=\"number\" name=\"year\" min=\"1900\" max=\"2100\" value=\"%d\"/></label> "
                    "<button type=\"submit\">", year);
  text(&p, T(&p, "show"));
  raw(&p, "</button></form>\n");
  int editor = q->account->role != CHISO_ROLE_VIEWER;
  json_t *units = units_of(q->account, year, lang), *status = fetch_list(q, 0, year), *inv = fetch_list(q, 1, year);
  if (editor) upload_form(&p, year);
  status_section(&p, status, units, year);
  if (editor) invites_section(&p, inv, units, year);
  if (editor) publish_section(&p, year);
  json_decref(units), json_decref(status), json_decref(inv);
  return finish(&p, 200);
}

/* ---- the answers of the forms of the desk ------------------------------------------------------------- */

/* A result page: a title, a message, a link back to the desk. */
static void back_link(ipage *p, int year) {
  hdoc_printf(&p->d, "<p><a id=\"back\" href=\"/%s/intake?year=%d\">", p->lang, year);
  text(p, T(p, "back_desk"));
  raw(p, "</a></p>\n");
}

/* A problem of an upload in the page's language: its rule's text, and on
** a Vietnamese page the library's English message after it (it names the
** column and value exactly). */
static void upload_problem(ipage *p, const json_t *x) {
  static const char *const keys[][2] = {
      {"file structure", "rule_file"},     {"bad UTF-8", "rule_utf8"},
      {"unknown province", "rule_province"}, {"out of range", "rule_range_any"},
      {"answer not allowed", "rule_not_allowed"}, {"missing required", "rule_required"},
      {"duplicate id", "rule_duplicate"},  {"not a number", "rule_number"}};
  const char *rule = jstr(x, "rule"), *key = NULL;
  for (size_t k = 0; k < sizeof keys / sizeof keys[0] && !key; k++)
    if (strcmp(rule, keys[k][0]) == 0) key = keys[k][1];
  page_explained(&p->d, p->lang, key ? T(p, key) : NULL, jstr(x, "message"));
}

static void problems_table(ipage *p, const json_t *o) {
  static const char *const heads[] = {"col_where", "col_column", "col_value", "col_problem"};
  json_t *x;
  size_t i;
  raw(p, "<div class=\"scroll\"><table class=\"data\" id=\"problems\"><thead><tr>");
  for (int c = 0; c < 4; c++) {
    raw(p, "<th>");
    text(p, T(p, heads[c]));
    raw(p, "</th>");
  }
  raw(p, "</tr></thead><tbody>");
  json_array_foreach(json_object_get(o, "problems"), i, x) {
    raw(p, "<tr><td><code>");
    text(p, jstr(x, "where"));
    raw(p, "</code></td><td>");
    text(p, jstr(x, "column"));
    raw(p, "</td><td>");
    text(p, jstr(x, "value"));
    raw(p, "</td><td>");
    upload_problem(p, x);
    raw(p, "</td></tr>");
  }
  raw(p, "</tbody></table></div>\n");
}

static void outside_table(ipage *p, const json_t *o) {
  json_t *x;
  size_t i;
  raw(p, "<div class=\"scroll\"><table class=\"data\" id=\"outside\"><thead><tr><th>");
  text(p, T(p, "col_row"));
  raw(p, "</th><th>");
  text(p, T(p, "col_code"));
  raw(p, "</th><th>");
  text(p, T(p, "col_name"));
  raw(p, "</th></tr></thead><tbody>");
  json_array_foreach(json_object_get(o, "outside"), i, x) {
    hdoc_printf(&p->d, "<tr><td class=\"n\">%lld</td><td>", (long long)json_integer_value(json_object_get(x, "row")));
    text(p, jstr(x, "unit"));
    raw(p, "</td><td>");
    text(p, jstr(x, "name"));
    raw(p, "</td></tr>");
  }
  raw(p, "</tbody></table></div>\n");
}

/* What a page answering a job needs once the job is done. */
typedef struct page_ctx {
  request q;           /* a copy: what the page uses of the request */
  chiso_account account;
  char lang[4];
  char session[64];
  char cookies[1024];
  char client[64];
  int year;
  int publish;         /* 1: a publication, 0: an upload */
} page_ctx;

static page_ctx *page_ctx_new(const request *q, const char *lang, int year, int publish) {
  page_ctx *c = calloc(1, sizeof *c);
  if (!c) return NULL;
  c->q = *q;
  c->account = *q->account;
  snprintf(c->lang, sizeof c->lang, "%s", lang);
  snprintf(c->session, sizeof c->session, "%s", q->session ? q->session : "");
  snprintf(c->cookies, sizeof c->cookies, "%s", q->cookies ? q->cookies : "");
  snprintf(c->client, sizeof c->client, "%s", q->client ? q->client : "");
  c->q.account = &c->account;
  c->q.session = c->session;
  c->q.cookies = c->cookies;
  c->q.client = c->client;
  c->q.body = NULL, c->q.snap = NULL, c->q.n_params = 0, c->q.path = "", c->q.host = NULL;
  c->q.if_none_match = c->q.accept_language = NULL;
  c->year = year;
  c->publish = publish;
  return c;
}

/* The failure of a write as the page's result line: on a Vietnamese page
** `meaning` (what the status means here), then the library's English
** `detail`; on an English page the detail alone. */
static void result_line(ipage *p, int status, const char *meaning, const char *detail) {
  hdoc_printf(&p->d, "<p class=\"warn\" id=\"result\" data-status=\"%d\">", status);
  page_explained(&p->d, p->lang, meaning, detail);
  raw(p, "</p>\n");
}

/* The page of an upload's or a publication's JSON answer in r. */
static void result_page(void *arg, reply *r) {
  page_ctx *c = arg;
  json_t *o = reply_json(r);
  int status = r->status;
  ipage p;
  char title[160], msg[512];
  reply fresh;
  reply_init(&fresh);
  start(&p, &c->q, &fresh, c->lang);
  snprintf(title, sizeof title, "%s %d", T(&p, c->publish ? "publish_title" : "upload_title"), c->year);
  open_page(&p, title, NULL, NULL);
  if (status == 200 || status == 201) {
    json_t *x;
    size_t i;
    para(&p, "ok", "result", T(&p, status == 201 ? (c->publish ? "publish_ok" : "upload_ok") : "upload_same"));
    raw(&p, "<ul id=\"imports\">");
    json_array_foreach(json_object_get(o, "imports"), i, x) {
      char key[40];
      snprintf(key, sizeof key, "outcome_%s", jstr(x, "outcome"));
      snprintf(msg, sizeof msg, T(&p, "import_line"), (long long)json_integer_value(json_object_get(x, "import")),
               (long long)json_integer_value(json_object_get(x, "rows")), T(&p, key));
      raw(&p, "<li>");
      text(&p, msg);
      raw(&p, "</li>");
    }
    raw(&p, "</ul>\n");
  } else {
    char key[32];
    snprintf(key, sizeof key, "upload_status_%d", status);
    result_line(&p, status, T(&p, uitext_has(key) ? key : "upload_status_other"), jstr(o, "error"));
    if (json_array_size(json_object_get(o, "problems"))) problems_table(&p, o);
    if (json_array_size(json_object_get(o, "outside"))) outside_table(&p, o);
    if (status == 409) para(&p, "muted", NULL, T(&p, "upload_conflict"));
  }
  back_link(&p, c->year);
  json_decref(o);
  finish(&p, status);
  reply_clear(r);
  *r = fresh;
}

static void page_ctx_free(void *c) { free(c); }

int ipages_upload(request *q, reply *r, const char *const *args, size_t n_args) {
  const char *lang = lang_or_404(q, r, args, n_args);
  if (!lang) return r->status;
  const form *f = body_form(q->body);
  const char *y = form_get(f, "year");
  char *end = NULL;
  long year = y ? strtol(y, &end, 10) : 0;
  if (!y || *end || year < 1900 || year > 2100) {
    reply_error(r, 400, "year", NULL, 0, "the year must be a whole number from 1900 to 2100");
    return error_page(q, r, lang);
  }
  const char *rep = form_get(f, "replace");
  page_ctx *c = page_ctx_new(q, lang, (int)year, 0);
  if (!c) {
    reply_error(r, 500, NULL, NULL, 0, "out of memory");
    return error_page(q, r, lang);
  }
  int st = writes_start_upload(q, r, (int)year, NULL, rep && strcmp(rep, "1") == 0, result_page, c, page_ctx_free);
  return st == REPLY_ASYNC ? st : error_page(q, r, lang);
}

int ipages_publish(request *q, reply *r, const char *const *args, size_t n_args) {
  const char *lang = lang_or_404(q, r, args, n_args);
  if (!lang) return r->status;
  const char *y = form_get(body_form(q->body), "year");
  char *end = NULL;
  long year = y ? strtol(y, &end, 10) : 0;
  if (!y || *end || year < 1900 || year > 2100) {
    reply_error(r, 400, "year", NULL, 0, "the year must be a whole number from 1900 to 2100");
    return error_page(q, r, lang);
  }
  page_ctx *c = page_ctx_new(q, lang, (int)year, 1);
  if (!c) {
    reply_error(r, 500, NULL, NULL, 0, "out of memory");
    return error_page(q, r, lang);
  }
  int st = writes_start_publish(q, r, (int)year, result_page, c, page_ctx_free);
  return st == REPLY_ASYNC ? st : error_page(q, r, lang);
}

/* A whole number field of a form in [lo, hi] (NaN-like -1 when blank and
** optional). Returns 1, or 0 with a 400 page in r. */
static int form_long(request *q, reply *r, const char *lang, const char *key, long lo, long hi,
                     int optional, long *out) {
  const char *v = form_get(body_form(q->body), key);
  char *end = NULL;
  if (optional && (!v || !*v)) {
    *out = -1;
    return 1;
  }
  long x = v ? strtol(v, &end, 10) : 0;
  if (!v || !*v || *end || x < lo || x > hi) {
    reply_error(r, 400, key, NULL, 0, "%s must be a whole number from %ld to %ld", key, lo, hi);
    error_page(q, r, lang);
    return 0;
  }
  *out = x;
  return 1;
}

int ipages_quota(request *q, reply *r, const char *const *args, size_t n_args) {
  const char *lang = lang_or_404(q, r, args, n_args);
  long year = 0, quota = 0, pop = 0;
  char to[64];
  if (!lang) return r->status;
  if (!form_long(q, r, lang, "year", 1900, 2100, 0, &year) || !form_long(q, r, lang, "quota", 0, 100000000, 0, &quota) ||
      !form_long(q, r, lang, "population", 1, 2000000000L, 1, &pop))
    return r->status;
  const form *f = body_form(q->body);
  chiso_intake *h = wstate_lock(q->wstate);
  chiso_err err;
  chiso_err_clear(&err);
  int rc = h ? chiso_quota_set(h, (int)year, form_get(f, "unit") ? form_get(f, "unit") : "", form_get(f, "stratum"),
                               quota, pop < 0 ? NAN : (double)pop, q->account, q->client, &err)
             : CHISO_EIO;
  if (h) wstate_unlock(q->wstate);
  if (rc) {
    reply_error(r, writes_status_of(rc), NULL, NULL, 0, "%s", err.message[0] ? err.message : chiso_strerror(rc));
    return error_page(q, r, lang);
  }
  snprintf(to, sizeof to, "/%s/intake?year=%ld#quotas", lang, year);
  return reply_see_other(r, to);
}

int ipages_invite(request *q, reply *r, const char *const *args, size_t n_args) {
  const char *lang = lang_or_404(q, r, args, n_args);
  long year = 0;
  if (!lang) return r->status;
  if (!form_long(q, r, lang, "year", 1900, 2100, 0, &year)) return r->status;
  const form *f = body_form(q->body);
  const char *unit = form_get(f, "unit"), *kind = form_get(f, "kind"), *list = form_get(f, "respondents");
  int ent = kind && strcmp(kind, "enterprise") == 0;
  ipage p;
  char title[160], line[512], *copy = strdup(ent && list ? list : "");
  start(&p, q, r, lang);
  snprintf(title, sizeof title, "%s %ld", T(&p, "invite_title"), year);
  open_page(&p, title, NULL, NULL);
  chiso_intake *h = wstate_lock(q->wstate);
  chiso_err err;
  int rc = h && copy ? 0 : CHISO_EIO, made = 0;
  raw(&p, "<div class=\"scroll\"><table class=\"data\" id=\"new-invitations\"><thead><tr><th>");
  text(&p, T(&p, "col_respondent"));
  raw(&p, "</th><th>");
  text(&p, T(&p, "col_link"));
  raw(&p, "</th></tr></thead><tbody>");
  for (char *s = copy, *next; !rc && s && (*s || !ent) && made < 1000; s = next) {
    next = ent ? strchr(s, '\n') : NULL;
    if (next) *next++ = '\0';
    char *stratum = ent ? strchr(s, ',') : NULL;
    if (stratum) *stratum++ = '\0';
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\r' || s[n - 1] == ' ')) s[--n] = '\0';
    if (ent && !*s) continue;
    char code[32];
    chiso_err_clear(&err);
    rc = chiso_invite_new(h, (int)year, unit ? unit : "", ent ? CHISO_INVITE_ENTERPRISE : CHISO_INVITE_UNIT,
                          ent ? s : NULL, stratum, q->account, q->client, code, &err);
    if (rc) break;
    made++;
    snprintf(line, sizeof line, "%s://%s/survey/%ld/%s", q->tls ? "https" : "http", q->host ? q->host : "", year, code);
    raw(&p, "<tr><td>");
    text(&p, ent ? s : T(&p, "invite_unit"));
    raw(&p, "</td><td><a class=\"invite-link\" href=\"");
    text(&p, line);
    raw(&p, "\">");
    text(&p, line);
    raw(&p, "</a></td></tr>");
    if (!ent) break;
  }
  if (h) wstate_unlock(q->wstate);
  free(copy);
  raw(&p, "</tbody></table></div>\n");
  if (rc) result_line(&p, writes_status_of(rc), page_status_text(p.lang, writes_status_of(rc)), err.message);
  para(&p, "muted", NULL, T(&p, "invite_once"));
  back_link(&p, (int)year);
  return finish(&p, rc ? writes_status_of(rc) : 201);
}

/* ---- the audit log -------------------------------------------------------------------------------- */

int ipages_audit(request *q, reply *r, const char *const *args, size_t n_args) {
  static const char *const ok[] = {"limit", "before", "action"};
  static const char *const heads[] = {"col_id", "col_at", "col_actor", "col_via", "col_address", "col_action",
                                      "col_target", "col_detail", "col_sha256"};
  static const char *const keys[] = {"at", "actor", "via", "address", "action", "target", "detail"};
  const char *lang = n_args ? request_lang(args[0]) : "vi";
  long limit = 0, before = 0;
  if (!lang) return lang_or_404(q, r, args, n_args) ? 0 : r->status;
  if (!request_params_check(q, ok, 3, r) || !request_int(q, "limit", 1, 10000, 500, &limit, r) ||
      !request_int(q, "before", 0, 2147483647L, 0, &before, r))
    return error_page(q, r, lang);
  char *buf = NULL;
  size_t len = 0;
  chiso_err err;
  chiso_err_clear(&err);
  FILE *f = open_memstream(&buf, &len);
  chiso_intake *h = f ? wstate_lock(q->wstate) : NULL;
  int rc = h ? chiso_audit_log_write(h, (size_t)limit, before, request_param_get(q, "action"), CHISO_FORMAT_JSON, f, &err)
             : CHISO_EIO;
  if (h) wstate_unlock(q->wstate);
  if (f) fclose(f);
  json_t *o = rc ? NULL : json_loadb(buf, len, 0, NULL), *e;
  free(buf);
  if (!o) {
    reply_error(r, 503, NULL, NULL, 0, "the audit log cannot be read now");
    return error_page(q, r, lang);
  }
  ipage p;
  size_t i;
  start(&p, q, r, lang);
  open_page(&p, T(&p, "audit_title"), "/", "/admin/audit");
  json_t *chain = json_object_get(o, "chain");
  char msg[256];
  if (json_is_null(json_object_get(chain, "broken")))
    snprintf(msg, sizeof msg, T(&p, "audit_chain_ok"), (long long)json_integer_value(json_object_get(chain, "checked")));
  else
    snprintf(msg, sizeof msg, T(&p, "audit_chain_broken"), (long long)json_integer_value(json_object_get(chain, "broken")));
  para(&p, json_is_null(json_object_get(chain, "broken")) ? "ok" : "warn", "chain", msg);
  raw(&p, "<div class=\"scroll\"><table class=\"data\" id=\"audit\"><thead><tr>");
  for (int c = 0; c < 9; c++) {
    raw(&p, "<th>");
    text(&p, T(&p, heads[c]));
    raw(&p, "</th>");
  }
  raw(&p, "</tr></thead><tbody>");
  json_array_foreach(json_object_get(o, "entries"), i, e) {
    hdoc_printf(&p.d, "<tr><td class=\"n\">%lld</td>", (long long)json_integer_value(json_object_get(e, "id")));
    for (int k = 0; k < 7; k++) {
      raw(&p, "<td>");
      text(&p, jstr(e, keys[k]));
      raw(&p, "</td>");
    }
    raw(&p, "<td><code title=\"");
    text(&p, jstr(e, "sha256"));
    raw(&p, "\">");
    char shortsha[13];
    snprintf(shortsha, sizeof shortsha, "%s", jstr(e, "sha256"));
    text(&p, shortsha);
    raw(&p, "</code></td></tr>");
  }
  raw(&p, "</tbody></table></div>\n");
  json_decref(o);
  return finish(&p, 200);
}

/* ---- the questionnaire ------------------------------------------------------------------------------ */

/* What a questionnaire page shows. */
typedef struct survey {
  int year;
  const char *code;
  const char *lang;
  chiso_invite v;
  chiso_method *m;
  char *strata;          /* the unit's quota strata, one per line */
  const form *given;     /* the answers posted (NULL: a blank form) */
  json_t *problems;      /* the check's problems (NULL: none) */
} survey;

/* 1 when the form gave `value` for question `id`. */
static int given(const survey *s, const char *id, const char *value) {
  const char *vals[64];
  size_t n = s->given ? form_get_all(s->given, id, vals, 64) : 0;
  for (size_t i = 0; i < n && i < 64; i++)
    if (strcmp(vals[i], value) == 0) return 1;
  return 0;
}

/* The message for a problem of question q, in the page's language. */
static void problem_text(ipage *p, const json_t *x, const chiso_question *q, char *out, size_t n) {
  const char *rule = jstr(x, "rule");
  if (strcmp(rule, "out of range") == 0 && q) {
    if (isnan(q->max)) snprintf(out, n, T(p, "rule_range_min"), q->min);
    else if (isnan(q->min)) snprintf(out, n, T(p, "rule_range_max"), q->max);
    else snprintf(out, n, T(p, "rule_range"), q->min, q->max);
  } else if (strcmp(rule, "answer not allowed") == 0) {
    snprintf(out, n, "%s", T(p, "rule_not_allowed"));
  } else if (strcmp(rule, "not a number") == 0) {
    snprintf(out, n, "%s", T(p, "rule_number"));
  } else if (strcmp(rule, "missing required") == 0) {
    snprintf(out, n, "%s", T(p, "rule_required"));
  } else if (strcmp(rule, "bad UTF-8") == 0) {
    snprintf(out, n, "%s", T(p, "rule_utf8"));
  } else {
    snprintf(out, n, "%s", jstr(x, "message"));
  }
}

/* The problems of column `id` (NULL: those of no question) next to it. */
static void problems_of(ipage *p, const survey *s, const char *id, const chiso_question *q) {
  json_t *x;
  size_t i;
  char msg[512];
  json_array_foreach(s->problems, i, x) {
    const char *col = jstr(x, "column");
    int mine = id ? strcmp(col, id) == 0 : 1;
    for (size_t k = 0; !id && k < chiso_method_questions(s->m); k++) {
      chiso_question qq;
      chiso_method_question(s->m, k, &qq);
      if (strcmp(col, qq.id) == 0) mine = 0;
    }
    if (!mine) continue;
    problem_text(p, x, q, msg, sizeof msg);
    hdoc_printf(&p->d, "<p class=\"warn problem\" id=\"err-%s\">", id ? id : "form");
    text(p, msg);
    raw(p, "</p>");
  }
}

static void choice(ipage *p, const char *type, const char *name, const char *value, const char *label_text,
                   int checked) {
  raw(p, "<label class=\"check\"><input type=\"");
  raw(p, type);
  raw(p, "\" name=\"");
  text(p, name);
  raw(p, "\" value=\"");
  text(p, value);
  raw(p, checked ? "\" checked/> " : "\"/> ");
  text(p, label_text);
  raw(p, "</label> ");
}

static void question(ipage *p, const survey *s, size_t i) {
  chiso_question q;
  chiso_method_question(s->m, i, &q);
  int en = strcmp(p->lang, "en") == 0;
  hdoc_printf(&p->d, "<fieldset class=\"q\" id=\"q-");
  text(p, q.id);
  hdoc_printf(&p->d, "\"><legend>%zu. ", i + 1);
  text(p, en ? q.text_en : q.text_vi);
  raw(p, "</legend>");
  problems_of(p, s, q.id, &q);
  const char *old = s->given ? form_get(s->given, q.id) : NULL;
  switch (q.type) {
  case CHISO_Q_YESNO:
    choice(p, "radio", q.id, "1", T(p, "yes"), given(s, q.id, "1"));
    choice(p, "radio", q.id, "0", T(p, "no"), given(s, q.id, "0"));
    break;
  case CHISO_Q_SINGLE:
  case CHISO_Q_MULTI:
    for (size_t k = 0; k < q.n_options; k++) {
      const char *id, *vi, *enl;
      chiso_method_option(s->m, i, k, &id, &vi, &enl);
      choice(p, q.type == CHISO_Q_SINGLE ? "radio" : "checkbox", q.id, id, en ? enl : vi, given(s, q.id, id));
    }
    break;
  case CHISO_Q_NUMBER:
  case CHISO_Q_PERCENT: {
    char hint[128] = "";
    if (!isnan(q.min) && !isnan(q.max)) snprintf(hint, sizeof hint, "%g–%g", q.min, q.max);
    else if (!isnan(q.min)) snprintf(hint, sizeof hint, "≥ %g", q.min);
    raw(p, "<input type=\"text\" inputmode=\"decimal\" maxlength=\"64\" name=\"");
    text(p, q.id);
    raw(p, "\" value=\"");
    text(p, old ? old : "");
    raw(p, "\"/> <span class=\"muted\">");
    text(p, hint);
    raw(p, "</span>");
    break;
  }
  default:
    raw(p, "<input type=\"text\" maxlength=\"1000\" name=\"");
    text(p, q.id);
    raw(p, "\" value=\"");
    text(p, old ? old : "");
    raw(p, "\"/>");
  }
  raw(p, "</fieldset>\n");
}

static void stratum_field(ipage *p, const survey *s) {
  const char *old = s->given ? form_get(s->given, "stratum") : NULL;
  raw(p, "<fieldset class=\"q\" id=\"q-stratum\"><legend>");
  text(p, T(p, "survey_stratum"));
  raw(p, "</legend>");
  if (s->v.stratum[0]) {
    text(p, s->v.stratum);
  } else if (s->strata && *s->strata) {
    raw(p, "<select name=\"stratum\" id=\"stratum\" required><option value=\"\"></option>");
    for (const char *a = s->strata; *a;) {
      const char *nl = strchr(a, '\n');
      size_t n = nl ? (size_t)(nl - a) : strlen(a);
      char one[64];
      snprintf(one, sizeof one, "%.*s", (int)(n < 63 ? n : 63), a);
      raw(p, "<option value=\"");
      text(p, one);
      raw(p, old && strcmp(old, one) == 0 ? "\" selected>" : "\">");
      text(p, one);
      raw(p, "</option>");
      a = nl ? nl + 1 : a + n;
    }
    raw(p, "</select>");
  } else {
    raw(p, "<input name=\"stratum\" id=\"stratum\" maxlength=\"63\" required value=\"");
    text(p, old ? old : "");
    raw(p, "\"/>");
  }
  raw(p, "</fieldset>\n");
}

static int survey_page(request *q, reply *r, const survey *s, int status) {
  ipage p;
  char title[256], other[160], unit_name[128] = "";
  json_t *units = units_of(&(chiso_account){.role = CHISO_ROLE_ADMIN}, s->year, s->lang), *u;
  size_t i;
  json_array_foreach(units, i, u) if (strcmp(jstr(u, "code"), s->v.unit) == 0) snprintf(unit_name, sizeof unit_name, "%s", jstr(u, "name"));
  json_decref(units);
  start(&p, q, r, s->lang);
  snprintf(title, sizeof title, "%s %d — %s", T(&p, "survey_title"), s->year, unit_name);
  snprintf(other, sizeof other, "/survey/%d/%s?lang=", s->year, s->code);
  open_page(&p, title, other, "");
  para(&p, "", "survey-intro", T(&p, "survey_intro"));
  if (s->v.kind == CHISO_INVITE_ENTERPRISE) {
    raw(&p, "<p id=\"respondent\">");
    text(&p, T(&p, "survey_for"));
    raw(&p, " <strong>");
    text(&p, s->v.respondent);
    raw(&p, "</strong></p>");
  }
  if (s->problems) {
    para(&p, "warn", "survey-problems", T(&p, "survey_fix"));
    problems_of(&p, s, NULL, NULL);
  }
  hdoc_printf(&p.d, "<form method=\"post\" class=\"survey\" id=\"survey-form\" action=\"/survey/%d/%s?lang=%s\">",
              s->year, s->code, s->lang);
  hidden_csrf(&p);
  stratum_field(&p, s);
  for (size_t k = 0; k < chiso_method_questions(s->m); k++) question(&p, s, k);
  raw(&p, "<button type=\"submit\" id=\"survey-submit\">");
  text(&p, T(&p, "survey_send"));
  raw(&p, "</button></form>\n");
  return finish(&p, status);
}

/* The year, the code and the language of a questionnaire's path. */
static int survey_args(request *q, reply *r, const char *const *args, size_t n_args, survey *s) {
  static const char *const ok[] = {"lang"};
  static const char *const langs[] = {"vi", "en"};
  size_t k = 0;
  char *end = NULL;
  memset(s, 0, sizeof *s);
  s->lang = "vi";
  if (!request_params_check(q, ok, 1, r) || !request_choice(q, "lang", langs, 2, 0, &k, r)) return 0;
  s->lang = langs[k];
  long y = n_args == 2 ? strtol(args[0], &end, 10) : 0;
  if (n_args != 2 || *end || y < 1900 || y > 2100) {
    reply_error(r, 404, NULL, NULL, 0, "no such questionnaire");
    return 0;
  }
  s->year = (int)y;
  s->code = args[1];
  return 1;
}

/* The invitation, methodology and strata of s (lock taken here). Returns
** 0 or an error reply's status (404, 410, 503). */
static int survey_load(request *q, reply *r, survey *s, int for_answer) {
  chiso_err err;
  chiso_err_clear(&err);
  chiso_intake *h = wstate_lock(q->wstate);
  if (!h) {
    r->retry_after = 5;
    return reply_error(r, 503, NULL, NULL, 0, "the questionnaire cannot be answered now");
  }
  int rc = chiso_invite_find(h, s->year, s->code, &s->v, &err);
  if (!rc) rc = chiso_intake_method(h, s->year, wstate_options_of(q->wstate)->method, &s->m, &err);
  if (!rc) rc = chiso_quota_strata(h, s->year, s->v.unit, &s->strata, &err);
  wstate_unlock(q->wstate);
  (void)for_answer;
  if (rc == CHISO_ENOTFOUND) return reply_error(r, 404, NULL, NULL, 0, "%s", uitext_get(s->lang, "survey_unknown"));
  if (rc) return reply_error(r, 503, NULL, NULL, 0, "%s", err.message);
  if (s->v.kind == CHISO_INVITE_ENTERPRISE && s->v.used)
    return reply_error(r, 410, NULL, NULL, 0, "%s", uitext_get(s->lang, "survey_used"));
  return 0;
}

static void survey_free(survey *s) {
  chiso_method_free(s->m);
  chiso_free(s->strata);
  json_decref(s->problems);
}

int ipages_survey(request *q, reply *r, const char *const *args, size_t n_args) {
  survey s;
  if (!survey_args(q, r, args, n_args, &s)) return error_page(q, r, s.lang);
  int st = survey_load(q, r, &s, 0);
  st = st ? error_page(q, r, s.lang) : survey_page(q, r, &s, 200);
  survey_free(&s);
  return st;
}

static int thanks_page(request *q, reply *r, const survey *s, long long id) {
  ipage p;
  char msg[256];
  start(&p, q, r, s->lang);
  open_page(&p, T(&p, "survey_thanks_title"), NULL, NULL);
  snprintf(msg, sizeof msg, T(&p, "survey_thanks"), id);
  para(&p, "ok", "thanks", msg);
  return finish(&p, 201);
}

int ipages_answer(request *q, reply *r, const char *const *args, size_t n_args) {
  survey s;
  if (!survey_args(q, r, args, n_args, &s)) return error_page(q, r, s.lang);
  int st = survey_load(q, r, &s, 1);
  if (st) {
    survey_free(&s);
    return error_page(q, r, s.lang);
  }
  const form *f = body_form(q->body);
  const char *keys[512], *values[512];
  size_t n = 0;
  for (size_t i = 0; i < f->n && n < 512; i++) {
    const char *k = f->fields[i].key;
    if (strcmp(k, "csrf") == 0 || strcmp(k, "stratum") == 0) continue;
    keys[n] = k, values[n++] = f->fields[i].value;
  }
  if (f->n > 600) {
    survey_free(&s);
    reply_error(r, 413, NULL, NULL, 0, "too many answers");
    return error_page(q, r, s.lang);
  }
  chiso_err err;
  chiso_check *c = NULL;
  long long id = 0;
  chiso_err_clear(&err);
  chiso_intake *h = wstate_lock(q->wstate);
  int rc = h ? chiso_response_submit(h, s.m, s.year, s.code, form_get(f, "stratum"), keys, values, n, q->client,
                                     &id, &c, &err)
             : CHISO_EIO;
  if (h) wstate_unlock(q->wstate);
  if (rc == CHISO_EDATA && c) {
    char *buf = NULL;
    size_t len = 0;
    FILE *mf = open_memstream(&buf, &len);
    if (mf) {
      chiso_check_write(c, rc, &err, CHISO_FORMAT_JSON, mf, NULL);
      fclose(mf);
    }
    json_t *rep = buf ? json_loadb(buf, len, 0, NULL) : NULL;
    free(buf);
    s.problems = json_incref(json_object_get(rep, "problems"));
    json_decref(rep);
    s.given = f;
    st = survey_page(q, r, &s, 422);
  } else if (rc == CHISO_OK) {
    st = thanks_page(q, r, &s, id);
  } else {
    int code = rc == CHISO_EDENIED ? 410 : rc == CHISO_ENOTFOUND ? 404 : writes_status_of(rc);
    reply_error(r, code, NULL, NULL, 0, "%s", rc == CHISO_EDENIED ? uitext_get(s.lang, "survey_used") : err.message);
    st = error_page(q, r, s.lang);
  }
  chiso_check_free(c);
  survey_free(&s);
  return st;
}

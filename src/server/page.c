/* page.c — the frame of every dashboard page (page.h). */
#include "page.h"

#include "uitext.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

const char *page_text(const page *pg, const char *key) { return uitext_get(pg->lang, key); }

double page_num(const json_t *o, const char *key) {
  json_t *v = json_object_get(o, key);
  return json_is_number(v) ? json_number_value(v) : NAN;
}

long page_int(const json_t *o, const char *key) {
  json_t *v = json_object_get(o, key);
  return json_is_integer(v) ? (long)json_integer_value(v) : 0;
}

const char *page_str(const json_t *o, const char *key) {
  json_t *v = json_object_get(o, key);
  return json_is_string(v) ? json_string_value(v) : "";
}

const char *page_name(const page *pg, const json_t *o, const char *base) {
  char key[64];
  int en = strcmp(pg->lang, "en") == 0;
  if (strcmp(base, "region") == 0) snprintf(key, sizeof key, en ? "region_en" : "region");
  else snprintf(key, sizeof key, "%s_%s", base, en ? "en" : "vi");
  const char *s = page_str(o, key);
  if (!*s) s = page_str(o, strcmp(base, "region") == 0 ? "region" : "name_vi");
  if (!*s) s = page_str(o, "name");
  return *s ? s : page_str(o, "id");
}

void page_view_query(const page *pg, char *buf, size_t n) {
  snprintf(buf, n, "year=%d&amp;units=%d", pg->v.year, pg->v.units);
}

/* ---- the frame ------------------------------------------------------------------------------ */

/* Link to `path` (markup) with the view query, "current" when it is the
** page shown. */
static void nav_link(page *pg, const char *name, const char *path, const char *key) {
  char vq[64];
  page_view_query(pg, vq, sizeof vq);
  hdoc_printf(&pg->d, "<a href=\"/%s%s?%s\"%s>", pg->lang, path, vq,
              strcmp(pg->name, name) == 0 ? " aria-current=\"page\"" : "");
  hdoc_text(&pg->d, page_text(pg, key));
  hdoc_raw(&pg->d, "</a>");
}

/* The same page in the other language: the path with its first segment
** swapped, the query kept (re-encoded). */
static void lang_link(page *pg) {
  const char *other = strcmp(pg->lang, "vi") == 0 ? "en" : "vi";
  const char *rest = pg->q->path + 3; /* after "/vi" */
  hdoc_printf(&pg->d, "<a class=\"lang\" id=\"lang-switch\" hreflang=\"%s\" lang=\"%s\" href=\"/%s",
              other, other, other);
  hdoc_text(&pg->d, *rest ? rest : "/");
  for (size_t i = 0; i < pg->q->n_params; i++) {
    hdoc_raw(&pg->d, i ? "&amp;" : "?");
    hdoc_url(&pg->d, pg->q->params[i].key);
    hdoc_raw(&pg->d, "=");
    hdoc_url(&pg->d, pg->q->params[i].value);
  }
  hdoc_raw(&pg->d, "\">");
  hdoc_text(&pg->d, uitext_get(other, "lang_name"));
  hdoc_raw(&pg->d, "</a>");
}

/* The year and unit-set switch: a GET form on the same page, other
** parameters kept as hidden fields; the script submits it on change. */
static void view_form(page *pg) {
  size_t n = json_array_size(json_object_get(pg->years, "years"));
  hdoc_raw(&pg->d, "<form class=\"view\" id=\"view-form\" method=\"get\"><label>");
  hdoc_text(&pg->d, page_text(pg, "year"));
  hdoc_raw(&pg->d, " <select name=\"year\" id=\"year-select\">");
  for (size_t i = n; i-- > 0;) {
    long y = page_int(json_array_get(json_object_get(pg->years, "years"), i), "year");
    hdoc_printf(&pg->d, "<option value=\"%ld\"%s>%ld</option>", y, y == pg->v.year ? " selected" : "", y);
  }
  hdoc_raw(&pg->d, "</select></label> <label>");
  hdoc_text(&pg->d, page_text(pg, "units"));
  hdoc_raw(&pg->d, " <select name=\"units\" id=\"units-select\">");
  if (pg->v.year < CHISO_FIRST_34_YEAR) {
    hdoc_printf(&pg->d, "<option value=\"63\"%s>", pg->v.units == 63 ? " selected" : "");
    hdoc_text(&pg->d, page_text(pg, "units_63"));
    hdoc_raw(&pg->d, "</option>");
  }
  hdoc_printf(&pg->d, "<option value=\"34\"%s>", pg->v.units == 34 ? " selected" : "");
  hdoc_text(&pg->d, page_text(pg, pg->v.year < CHISO_FIRST_34_YEAR ? "units_34_harmonised" : "units_34"));
  hdoc_raw(&pg->d, "</option></select></label>");
  for (size_t i = 0; i < pg->q->n_params; i++) {
    const char *k = pg->q->params[i].key;
    if (!strcmp(k, "year") || !strcmp(k, "units")) continue;
    hdoc_raw(&pg->d, "<input type=\"hidden\" name=\"");
    hdoc_text(&pg->d, k);
    hdoc_raw(&pg->d, "\" value=\"");
    hdoc_text(&pg->d, pg->q->params[i].value);
    hdoc_raw(&pg->d, "\"/>");
  }
  hdoc_raw(&pg->d, " <button type=\"submit\" class=\"js-hide\">");
  hdoc_text(&pg->d, page_text(pg, "show"));
  hdoc_raw(&pg->d, "</button></form>");
}

void page_open(page *pg, const char *title, const char *subtitle) {
  hdoc *d = &pg->d;
  hdoc_printf(d, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\"/>\n"
                 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<title>",
              pg->lang);
  hdoc_text(d, title);
  hdoc_raw(d, " · chiso</title>\n<link rel=\"icon\" href=\"data:,\"/>\n"
              "<link rel=\"stylesheet\" href=\"/assets/report.css\"/>\n"
              "<link rel=\"stylesheet\" href=\"/assets/app.css\"/>\n</head>\n");
  hdoc_printf(d, "<body data-lang=\"%s\" data-year=\"%d\" data-units=\"%d\" data-page=\"%s\">\n",
              pg->lang, pg->v.year, pg->v.units, pg->name);
  if (pg->synthetic) {
    hdoc_raw(d, "<div class=\"synthetic\" id=\"synthetic-banner\">");
    hdoc_text(d, page_text(pg, "synthetic_banner"));
    hdoc_raw(d, "</div>\n");
  }
  hdoc_raw(d, "<header class=\"top\"><div class=\"bar\"><nav class=\"main\" id=\"nav\">");
  nav_link(pg, "overview", "/", "nav_overview");
  nav_link(pg, "compare", "/compare", "nav_compare");
  nav_link(pg, "whatif", "/whatif", "nav_whatif");
  nav_link(pg, "methodology", "/methodology", "nav_methodology");
  nav_link(pg, "provenance", "/provenance", "nav_provenance");
  hdoc_raw(d, "</nav>");
  lang_link(pg);
  hdoc_raw(d, "</div>\n<h1>");
  hdoc_text(d, title);
  hdoc_raw(d, "</h1><p>");
  hdoc_text(d, subtitle);
  hdoc_raw(d, "</p>");
  view_form(pg);
  hdoc_raw(d, "</header>\n<main>\n");
}

void page_close(page *pg) {
  hdoc *d = &pg->d;
  hdoc_raw(d, "</main>\n<footer><p>");
  hdoc_text(d, page_text(pg, "footer_api"));
  hdoc_raw(d, " <a href=\"/api/v1/openapi.json\">/api/v1/openapi.json</a>. ");
  hdoc_text(d, page_text(pg, "footer_boundaries"));
  hdoc_printf(d, "</p><p>chiso %s</p></footer>\n", chiso_version());
  hdoc_raw(d, "<script nonce=\"" PAGE_NONCE_SLOT "\" src=\"/assets/app.js\"></script>\n</body>\n</html>\n");
}

void page_downloads(page *pg, const char *path, const char *extra, int xlsx) {
  static const char *const fmts[] = {"csv", "xlsx", "json"};
  char vq[64];
  page_view_query(pg, vq, sizeof vq);
  hdoc_raw(&pg->d, "<p class=\"dl\">");
  hdoc_text(&pg->d, page_text(pg, "download"));
  for (int f = 0; f < 3; f++) {
    if (f == 1 && !xlsx) continue;
    hdoc_printf(&pg->d, " <a class=\"download\" href=\"%s?%s%s%s&amp;format=%s\"%s>%s</a>", path, vq,
                *extra ? "&amp;" : "", extra, fmts[f], f < 2 ? " download=\"\"" : "",
                f == 0 ? "CSV" : f == 1 ? "XLSX" : "JSON");
  }
  hdoc_raw(&pg->d, "</p>\n");
}

int page_chart(page *pg, const char *chart, const char *code) {
  const cache_entry *e = NULL;
  if (!api_fetch_svg(pg->q, pg->r, &pg->v, chart, code, pg->lang, &e)) return 0;
  hdoc_printf(&pg->d, "<figure class=\"chart\" id=\"chart-%s\">", chart);
  hdoc_rawn(&pg->d, e->body, e->len);
  hdoc_printf(&pg->d, "<figcaption class=\"dl\"><a class=\"download\" download=\"\" "
                      "href=\"/api/v1/charts/%s.svg?year=%d&amp;units=%d&amp;lang=%s%s%s\">",
              chart, pg->v.year, pg->v.units, pg->lang, code ? "&amp;code=" : "", code ? code : "");
  hdoc_text(&pg->d, page_text(pg, "download_svg"));
  hdoc_raw(&pg->d, "</a></figcaption></figure>\n");
  cache_release(e);
  return 1;
}

/* ---- answering --------------------------------------------------------------------------------- */

int page_view(request *q, reply *r, const char *const *allowed, size_t n_allowed, api_query *v) {
  const char *ok[16] = {"year", "units"};
  size_t n = 2;
  for (size_t i = 0; i < n_allowed && n < 16; i++) ok[n++] = allowed[i];
  memset(v, 0, sizeof *v);
  return request_params_check(q, ok, n, r) && api_view(q, r, &v->year, &v->units);
}

int page_nonce(char out[23]) {
  static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  unsigned char raw[18] = {0};
  if (getrandom(raw, 16, 0) != 16) return -1;
  for (int i = 0, o = 0; i < 18 && o < 22; i += 3) {
    unsigned v = (unsigned)raw[i] << 16 | (unsigned)raw[i + 1] << 8 | raw[i + 2];
    for (int k = 3; k >= 0 && o < 22; k--) out[o++] = b64[(v >> (6 * k)) & 63];
  }
  out[22] = '\0';
  return 0;
}

/* Reply with a copy of the cached page, its nonce slot filled. */
static int send_page(request *q, reply *r, const cache_entry *e) {
  char nonce[23];
  char *body = malloc(e->len + 1);
  if (!body || page_nonce(nonce)) {
    free(body);
    return reply_error(r, 500, NULL, NULL, 0, "cannot make a page");
  }
  memcpy(body, e->body, e->len);
  body[e->len] = '\0';
  static const char slot[] = "<script nonce=\"" PAGE_NONCE_SLOT "\"";
  for (char *p = body; (p = strstr(p, slot)); p += sizeof slot - 1)
    memcpy(p + 15, nonce, 22);
  snprintf(q->nonce, sizeof q->nonce, "%s", nonce);
  reply_take(r, body, e->len, "text/html; charset=utf-8");
  snprintf(r->nonce, sizeof r->nonce, "%s", nonce);
  r->status = 200;
  r->csp = REPLY_CSP_PAGE;
  r->cache = REPLY_NO_STORE;
  return 200;
}

const char *page_status_text(const char *lang, int status) {
  char key[24];
  snprintf(key, sizeof key, "status_%d", status);
  return uitext_get(lang, uitext_has(key) ? key : "status_other");
}

void page_explained(hdoc *d, const char *lang, const char *meaning, const char *detail) {
  int has_detail = detail && *detail;
  if (strcmp(lang, "en") == 0 || !meaning) {
    hdoc_text(d, has_detail ? detail : meaning);
    return;
  }
  hdoc_text(d, meaning);
  if (!has_detail) return;
  hdoc_raw(d, " <span class=\"muted\" lang=\"en\">");
  hdoc_text(d, uitext_get(lang, "detail_en"));
  hdoc_text(d, detail);
  hdoc_raw(d, "</span>");
}

int page_error(request *q, reply *r, const char *lang) {
  int status = r->status >= 400 ? r->status : 500;
  json_t *o = r->body ? json_loadb(r->body, r->len, 0, NULL) : NULL;
  const char *reason = page_status_text(lang, status);
  char said[160]; /* a sentence on a Vietnamese page, before the English detail */
  snprintf(said, sizeof said, strcmp(lang, "en") ? "%s." : "%s", reason);
  hdoc d;
  hdoc_init(&d, lang);
  hdoc_printf(&d, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\"/>\n"
                  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
                  "<title>%d · chiso</title>\n<link rel=\"icon\" href=\"data:,\"/>\n"
                  "<link rel=\"stylesheet\" href=\"/assets/report.css\"/>\n"
                  "<link rel=\"stylesheet\" href=\"/assets/app.css\"/>\n</head>\n<body>\n"
                  "<header class=\"top\"><h1>%d ",
              lang, status, status);
  hdoc_text(&d, reason);
  hdoc_raw(&d, "</h1></header>\n<main><p class=\"warn\" id=\"error\">");
  page_explained(&d, lang, said, o ? page_str(o, "error") : "");
  hdoc_printf(&d, "</p><p><a href=\"/%s/\">", lang);
  hdoc_text(&d, uitext_get(lang, "back_home"));
  hdoc_raw(&d, "</a></p></main>\n</body>\n</html>\n");
  json_decref(o);
  size_t n = 0;
  char *body = hdoc_take(&d, &n);
  (void)q;
  if (!body) return reply_error(r, 500, NULL, NULL, 0, "out of memory");
  reply_take(r, body, n, "text/html; charset=utf-8");
  r->status = status;
  r->csp = REPLY_CSP_PAGE;
  r->cache = REPLY_NO_STORE;
  r->etag[0] = '\0';
  return status;
}

int page_answer(request *q, reply *r, const char *lang, const char *name, const char *key,
                const char *const *allowed, size_t n_allowed, page_render render,
                const void *args) {
  page pg;
  char full[2400];
  memset(&pg, 0, sizeof pg);
  pg.q = q;
  pg.r = r;
  pg.lang = lang;
  pg.name = name;
  if (!page_view(q, r, allowed, n_allowed, &pg.v)) return page_error(q, r, lang);
  snprintf(full, sizeof full, "page|%s|%s|%d|%d|%s", lang, name, pg.v.year, pg.v.units, key);
  cache *c = state_cache(q->snap);
  const cache_entry *e = cache_get(c, full);
  r->note = "hit";
  if (!e) {
    r->note = "miss";
    api_query none = {0};
    if (!api_fetch(q, r, API_YEARS, &none, &pg.years)) return page_error(q, r, lang);
    json_t *years = json_object_get(pg.years, "years");
    for (size_t i = 0; i < json_array_size(years); i++)
      if (page_int(json_array_get(years, i), "year") == pg.v.year)
        pg.synthetic = json_is_true(json_object_get(json_array_get(years, i), "synthetic"));
    hdoc_init(&pg.d, lang);
    int ok = render(&pg, args);
    json_decref(pg.years);
    size_t n = 0;
    char *body = hdoc_take(&pg.d, &n);
    if (!ok) {
      free(body);
      return page_error(q, r, lang);
    }
    if (!body) return reply_error(r, 500, NULL, NULL, 0, "out of memory");
    e = cache_put(c, full, body, n, "text/html; charset=utf-8");
    if (!e) return reply_error(r, 500, NULL, NULL, 0, "out of memory");
  }
  const char *note = r->note;
  int st = send_page(q, r, e);
  r->note = note;
  cache_release(e);
  return st;
}

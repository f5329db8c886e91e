/* pages.c — the dashboard pages (pages.h). */
#include "pages.h"

#include "assets.h"
#include "page.h"
#include "uitext.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S(key) page_text(pg, key)

/* ---- the home and the assets -------------------------------------------------------------------- */

int pages_home(request *q, reply *r, const char *const *args, size_t n_args) {
  (void)args, (void)n_args;
  /* English for a browser that prefers it before Vietnamese, else Vietnamese. */
  const char *al = q->accept_language ? q->accept_language : "";
  const char *en = strstr(al, "en"), *vi = strstr(al, "vi");
  return reply_redirect(r, en && (!vi || en < vi) ? "/en/" : "/vi/");
}

int pages_asset(request *q, reply *r, const char *const *args, size_t n_args) {
  static const struct { const char *name, *type; } known[] = {
      {"app.css", "text/css; charset=utf-8"},
      {"app.js", "text/javascript; charset=utf-8"},
      {"report.css", "text/css; charset=utf-8"}};
  const char *name = n_args ? args[0] : "";
  if (!request_params_check(q, NULL, 0, r)) return r->status;
  for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
    if (strcmp(name, known[i].name)) continue;
    size_t n = 0;
    const char *body = strcmp(name, "report.css") == 0 ? chiso_report_stylesheet() : assets_find(name, &n);
    if (!body) break;
    if (!n) n = strlen(body);
    r->body = body;
    r->len = n;
    snprintf(r->type, sizeof r->type, "%s", known[i].type);
    cache_etag(known[i].type, body, n, r->etag, sizeof r->etag);
    r->cache = REPLY_REVALIDATE;
    r->status = request_etag_matches(q, r->etag) ? 304 : 200;
    return r->status;
  }
  static const char *const names[] = {"app.css", "app.js", "report.css"};
  return reply_error(r, 404, NULL, names, 3, "no asset '%.60s'", name);
}

/* ---- shared pieces ---------------------------------------------------------------------------------- */

/* The language of a page path segment, or a 404. */
static const char *lang_of(const char *const *args, size_t n_args, reply *r) {
  const char *lang = n_args ? request_lang(args[0]) : NULL;
  if (!lang) {
    static const char *const ok[] = {"vi", "en"};
    reply_error(r, 404, NULL, ok, 2, "no page here: pages start with /vi/ or /en/");
  }
  return lang;
}

/* A page that takes only the view's parameters. */
static int plain_page(request *q, reply *r, const char *const *args, size_t n_args, const char *name,
                      page_render render) {
  const char *lang = lang_of(args, n_args, r);
  if (!lang) return r->status;
  return page_answer(q, r, lang, name, "", NULL, 0, render, NULL);
}

/* A rank change as an arrow: ↑2 moved up, ↓1 down, = none, – unknown. */
static void change_cell(page *pg, const json_t *u) {
  json_t *c = json_object_get(u, "rank_change");
  if (!json_is_integer(c)) {
    hdoc_raw(&pg->d, "<td class=\"n chg\" data-v=\"-999\">–</td>");
    return;
  }
  long v = (long)json_integer_value(c);
  hdoc_printf(&pg->d, "<td class=\"n chg\" data-v=\"%ld\"><span class=\"%s\" title=\"", v,
              v > 0 ? "up" : v < 0 ? "down" : "same");
  hdoc_text(&pg->d, S(v > 0 ? "moved_up" : v < 0 ? "moved_down" : "unchanged"));
  if (v) hdoc_printf(&pg->d, "\">%s%ld</span></td>", v > 0 ? "↑" : "↓", labs(v));
  else hdoc_raw(&pg->d, "\">=</span></td>");
}

/* A number cell with its sort key (cls: more classes, markup). */
static void num_cell_cls(page *pg, double v, int dec, const char *cls) {
  if (isnan(v)) {
    hdoc_printf(&pg->d, "<td class=\"n%s\" data-v=\"-1e99\">–</td>", cls);
    return;
  }
  hdoc_printf(&pg->d, "<td class=\"n%s\" data-v=\"%.6g\">", cls, v);
  hdoc_num(&pg->d, v, dec);
  hdoc_raw(&pg->d, "</td>");
}

static void num_cell(page *pg, double v, int dec) { num_cell_cls(pg, v, dec, ""); }

static void rank_cell(page *pg, long rank) {
  if (rank > 0) hdoc_printf(&pg->d, "<td class=\"n\" data-v=\"%ld\">%ld</td>", rank, rank);
  else hdoc_raw(&pg->d, "<td class=\"n\" data-v=\"999\">–</td>");
}

/* "lo–hi" of a score interval or a rank interval. */
static void interval_cell(page *pg, double lo, double hi, int dec) {
  hdoc_raw(&pg->d, "<td class=\"n iv\">");
  if (isnan(lo) || isnan(hi)) hdoc_raw(&pg->d, "–");
  else {
    hdoc_num(&pg->d, lo, dec);
    hdoc_raw(&pg->d, "–");
    hdoc_num(&pg->d, hi, dec);
  }
  hdoc_raw(&pg->d, "</td>");
}

static void rank_interval_cell(page *pg, const json_t *u) {
  long lo = page_int(u, "rank_lo"), hi = page_int(u, "rank_hi");
  if (lo > 0) hdoc_printf(&pg->d, "<td class=\"n iv\" data-v=\"%ld\">%ld–%ld</td>", lo, lo, hi);
  else hdoc_raw(&pg->d, "<td class=\"n iv\" data-v=\"999\">–</td>");
}

/* A column heading: classes and the sort kind ("num", "text" or NULL)
** are markup. */
static void th(page *pg, const char *key, const char *cls, const char *sort) {
  hdoc_raw(&pg->d, "<th");
  if (*cls) hdoc_printf(&pg->d, " class=\"%s\"", cls);
  if (sort) hdoc_printf(&pg->d, " data-sort=\"%s\"", sort);
  hdoc_raw(&pg->d, ">");
  hdoc_text(&pg->d, S(key));
  hdoc_raw(&pg->d, "</th>");
}

/* The heading of the interval columns, with their level. */
static void th_level(page *pg, const char *key, double level) {
  char t[160];
  hdoc_raw(&pg->d, "<th class=\"n\" data-sort=\"num\">");
  if (level > 0 && level < 1) {
    snprintf(t, sizeof t, "%s %g%%", S(key), 100 * level);
    hdoc_text(&pg->d, t);
  } else {
    hdoc_text(&pg->d, S(key));
  }
  hdoc_raw(&pg->d, "</th>");
}

/* A link to unit `code`'s profile in the page's view. */
static void unit_link(page *pg, const char *code, const char *name) {
  hdoc_printf(&pg->d, "<a href=\"/%s/p/", pg->lang);
  hdoc_text(&pg->d, code);
  hdoc_printf(&pg->d, "?year=%d&amp;units=%d\">", pg->v.year, pg->v.units);
  hdoc_text(&pg->d, name);
  hdoc_raw(&pg->d, "</a>");
}

static void h2(page *pg, const char *id, const char *key) {
  hdoc_printf(&pg->d, "<section id=\"%s\">\n<h2>", id);
  hdoc_text(&pg->d, S(key));
  hdoc_raw(&pg->d, "</h2>\n");
}

static void para(page *pg, const char *cls, const char *text) {
  hdoc_printf(&pg->d, "<p class=\"%s\">", cls);
  hdoc_text(&pg->d, text);
  hdoc_raw(&pg->d, "</p>\n");
}

/* The text of u's {vi, en} member `key` in the page's language, "" when null. */
static const char *lang_text(page *pg, const json_t *u, const char *key) {
  const json_t *t = json_object_get(u, key);
  const char *s = json_string_value(json_object_get(t, strcmp(pg->lang, "en") == 0 ? "en" : "vi"));
  return s ? s : "";
}

static int fetch(page *pg, api_resource res, const api_query *p, json_t **out) {
  return api_fetch(pg->q, pg->r, res, p, out);
}

/* "Chỉ số TMĐT Việt Nam 2025" and "34 đơn vị · ebi-2021". */
static void titles(page *pg, const json_t *head, const char *what, char *title, size_t nt,
                   char *sub, size_t ns) {
  if (what) snprintf(title, nt, "%s — %s %d", what, S("title"), pg->v.year);
  else snprintf(title, nt, "%s %d", S("title"), pg->v.year);
  snprintf(sub, ns, "%d %s%s · %s %s", pg->v.units, S("units_word"),
           pg->v.units == 34 && pg->v.year < CHISO_FIRST_34_YEAR ? S("harmonised_note") : "",
           S("method_word"), page_str(head, "method"));
}

/* ---- the overview ---------------------------------------------------------------------------------- */

static void cards(page *pg, const json_t *ix, const json_t *sum) {
  json_t *units = json_object_get(ix, "units");
  hdoc_raw(&pg->d, "<div class=\"cards\">\n<div class=\"card\"><div class=\"lbl\">");
  hdoc_text(&pg->d, S("top5"));
  hdoc_raw(&pg->d, "</div><ol id=\"top5\">");
  for (size_t i = 0, k = 0; i < json_array_size(units) && k < 5; i++) {
    const json_t *u = json_array_get(units, i);
    if (page_int(u, "rank") <= 0) continue;
    hdoc_raw(&pg->d, "<li>");
    unit_link(pg, page_str(u, "code"), page_str(u, "name"));
    hdoc_raw(&pg->d, " <span class=\"muted\">");
    hdoc_num(&pg->d, page_num(u, "score"), 1);
    hdoc_raw(&pg->d, "</span></li>");
    k++;
  }
  hdoc_raw(&pg->d, "</ol></div>\n<div class=\"card\"><div class=\"lbl\">");
  { /* what the mean is a mean of, in the report's words (issue 12, item 6) */
    const char *ml = page_str(sum, strcmp(pg->lang, "en") ? "mean_label_vi" : "mean_label_en");
    hdoc_text(&pg->d, *ml ? ml : S("national_mean"));
  }
  hdoc_raw(&pg->d, "</div><div class=\"big\" id=\"national-mean\">");
  hdoc_num(&pg->d, page_num(sum, "national_mean"), 1);
  hdoc_printf(&pg->d, "</div><div class=\"lbl\">%ld ", page_int(sum, "ranked_units"));
  hdoc_text(&pg->d, S("ranked_units"));
  hdoc_raw(&pg->d, "</div></div>\n<div class=\"card\"><div class=\"lbl\">");
  hdoc_text(&pg->d, S("hnhcm_share"));
  hdoc_raw(&pg->d, "</div><div class=\"big\" id=\"share\">");
  const json_t *share = NULL;
  json_t *ms = json_object_get(sum, "measures");
  for (size_t i = 0; i < json_array_size(ms); i++)
    if (strcmp(page_str(json_array_get(ms, i), "id"), "hnhcm_share") == 0) share = json_array_get(ms, i);
  hdoc_num(&pg->d, share ? page_num(share, "value") : NAN, 1);
  hdoc_raw(&pg->d, share ? "%" : "");
  hdoc_raw(&pg->d, "</div><div class=\"lbl\" id=\"share-interval\">");
  if (share && !isnan(page_num(share, "lo"))) {
    char t[96];
    snprintf(t, sizeof t, "%s %g%%: ", S("interval"), 100 * page_num(sum, "share_level"));
    hdoc_text(&pg->d, t);
    hdoc_num(&pg->d, page_num(share, "lo"), 1);
    hdoc_raw(&pg->d, "–");
    hdoc_num(&pg->d, page_num(share, "hi"), 1);
    hdoc_raw(&pg->d, "%");
  }
  hdoc_raw(&pg->d, "</div><div class=\"lbl\">");
  hdoc_text(&pg->d, S("share_target"));
  hdoc_raw(&pg->d, "</div></div>\n</div>\n");
}

static void ranking_table(page *pg, const json_t *ix) {
  json_t *units = json_object_get(ix, "units"), *pillars = json_object_get(ix, "pillars");
  double level = page_num(json_object_get(ix, "interval"), "level");
  hdoc_raw(&pg->d, "<div class=\"controls\"><label>");
  hdoc_text(&pg->d, S("search"));
  hdoc_raw(&pg->d, " <input type=\"search\" id=\"search\" autocomplete=\"off\" placeholder=\"");
  hdoc_text(&pg->d, S("search_hint"));
  hdoc_raw(&pg->d, "\"/></label> <label>");
  hdoc_text(&pg->d, S("show_top"));
  hdoc_raw(&pg->d, " <select id=\"topn\"><option value=\"0\">");
  hdoc_text(&pg->d, S("all"));
  hdoc_raw(&pg->d, "</option><option value=\"10\">10</option><option value=\"20\">20</option></select></label> "
                   "<label><input type=\"checkbox\" id=\"tiers\"/> ");
  hdoc_text(&pg->d, S("show_tiers"));
  hdoc_raw(&pg->d, "</label></div>\n<div class=\"scroll\"><table class=\"ranking sortable\" id=\"ranking\"><thead><tr>");
  th(pg, "col_rank", "n", "num");
  th(pg, "col_change", "n", "num");
  th(pg, "col_prev_rank", "n", "num");
  th(pg, "col_name", "", "text");
  th(pg, "col_region", "hide-narrow", "text");
  th(pg, "col_score", "n", "num");
  th_level(pg, "col_interval", level);
  th_level(pg, "col_rank_interval", level);
  for (size_t p = 0; p < json_array_size(pillars); p++) {
    hdoc_raw(&pg->d, "<th class=\"n hide-narrow pillar\" data-sort=\"num\">");
    hdoc_text(&pg->d, page_name(pg, json_array_get(pillars, p), "name"));
    hdoc_raw(&pg->d, "</th>");
  }
  th(pg, "col_tier", "n tier", "num");
  int mtiers = json_array_size(json_object_get(ix, "method_tiers")) > 0;
  if (mtiers) th(pg, "col_method_tier", "method-tier", "text");
  hdoc_raw(&pg->d, "</tr></thead><tbody>\n");
  for (size_t i = 0; i < json_array_size(units); i++) {
    const json_t *u = json_array_get(units, i);
    const char *code = page_str(u, "code");
    hdoc_raw(&pg->d, "<tr data-code=\"");
    hdoc_text(&pg->d, code);
    hdoc_raw(&pg->d, "\" data-name=\"");
    hdoc_text(&pg->d, page_str(u, "name"));
    hdoc_raw(&pg->d, "\" data-info=\"");
    {
      char info[256];
      char sc[32];
      snprintf(sc, sizeof sc, "%.1f", page_num(u, "score"));
      if (strcmp(pg->lang, "vi") == 0)
        for (char *c = sc; *c; c++) if (*c == '.') *c = ',';
      snprintf(info, sizeof info, "%s · %s %s · %s %ld", page_str(u, "name"), S("col_score"), sc,
               S("col_rank"), page_int(u, "rank"));
      hdoc_text(&pg->d, info);
    }
    hdoc_raw(&pg->d, "\">");
    rank_cell(pg, page_int(u, "rank"));
    change_cell(pg, u);
    rank_cell(pg, page_int(u, "prev_rank"));
    hdoc_raw(&pg->d, "<td class=\"unit\">");
    unit_link(pg, code, page_str(u, "name"));
    hdoc_raw(&pg->d, "</td><td class=\"hide-narrow region\">");
    hdoc_text(&pg->d, page_name(pg, u, "region"));
    hdoc_raw(&pg->d, "</td>");
    num_cell(pg, page_num(u, "score"), 1);
    interval_cell(pg, page_num(u, "score_lo"), page_num(u, "score_hi"), 1);
    rank_interval_cell(pg, u);
    json_t *ps = json_object_get(u, "pillars");
    for (size_t p = 0; p < json_array_size(pillars); p++)
      num_cell_cls(pg, page_num(ps, page_str(json_array_get(pillars, p), "id")), 1, " hide-narrow");
    long tier = page_int(u, "tier");
    if (tier > 0) hdoc_printf(&pg->d, "<td class=\"n tier t%ld\" data-v=\"%ld\">%ld</td>", tier, tier, tier);
    else hdoc_raw(&pg->d, "<td class=\"n tier\" data-v=\"9\">–</td>");
    if (mtiers) {
      const json_t *mt = json_object_get(u, "method_tier");
      hdoc_raw(&pg->d, "<td class=\"method-tier\">");
      hdoc_text(&pg->d, json_is_object(mt) ? lang_text(pg, mt, "name") : "–");
      hdoc_raw(&pg->d, "</td>");
    }
    hdoc_raw(&pg->d, "</tr>\n");
  }
  hdoc_raw(&pg->d, "</tbody></table></div>\n<p class=\"small muted\" id=\"ranking-note\">");
  hdoc_text(&pg->d, S("ranking_note"));
  hdoc_raw(&pg->d, "</p>\n");
}

/* The method's top-N publication and tiers, and who is not ranked and why
** (the index view's not_ranked; units whose score a top-N publication
** withholds are said once, by the note). */
static void unranked_section(page *pg, const json_t *ix) {
  json_t *units = json_object_get(ix, "units"), *mt = json_object_get(ix, "method_tiers");
  long top_n = page_int(ix, "top_n");
  if (top_n > 0) {
    char buf[400];
    const char *t = S("top_n_note"), *at = strstr(t, "{n}");
    if (at) snprintf(buf, sizeof buf, "%.*s%ld%s", (int)(at - t), t, top_n, at + 3);
    else snprintf(buf, sizeof buf, "%s", t);
    para(pg, "small", buf);
  }
  if (json_array_size(mt)) {
    hdoc_raw(&pg->d, "<p class=\"small muted\" id=\"method-tiers\">");
    hdoc_text(&pg->d, S("method_tiers_note"));
    for (size_t i = 0; i < json_array_size(mt); i++) {
      const json_t *t = json_array_get(mt, i);
      hdoc_raw(&pg->d, i ? "; " : " ");
      hdoc_text(&pg->d, lang_text(pg, t, "name"));
      hdoc_raw(&pg->d, " ≥ ");
      hdoc_num(&pg->d, page_num(t, "min"), 0);
    }
    hdoc_raw(&pg->d, ".</p>\n");
  }
  size_t n = 0;
  for (size_t i = 0; i < json_array_size(units); i++) {
    const json_t *u = json_array_get(units, i);
    n += json_is_true(json_object_get(u, "published")) && *lang_text(pg, u, "not_ranked");
  }
  if (!n) return;
  hdoc_raw(&pg->d, "<h3 id=\"unranked\">");
  hdoc_text(&pg->d, S("sec_unranked"));
  hdoc_printf(&pg->d, " (%zu)</h3>\n", n);
  para(pg, "small muted", S("unranked_note"));
  hdoc_raw(&pg->d, "<ul class=\"unranked\" id=\"unranked-list\">\n");
  for (size_t i = 0; i < json_array_size(units); i++) {
    const json_t *u = json_array_get(units, i);
    const char *note = lang_text(pg, u, "not_ranked");
    if (!*note || !json_is_true(json_object_get(u, "published"))) continue;
    hdoc_raw(&pg->d, "<li data-code=\"");
    hdoc_text(&pg->d, page_str(u, "code"));
    hdoc_raw(&pg->d, "\">");
    unit_link(pg, page_str(u, "code"), page_str(u, "name"));
    hdoc_raw(&pg->d, ": ");
    hdoc_text(&pg->d, note);
    hdoc_raw(&pg->d, "</li>\n");
  }
  hdoc_raw(&pg->d, "</ul>\n");
}

static void tiers_note(page *pg, const json_t *ix) {
  json_t *tiers = json_object_get(ix, "tiers");
  if (!json_array_size(tiers)) return;
  hdoc_raw(&pg->d, "<p class=\"small muted tiers-note\">");
  hdoc_text(&pg->d, S("tiers_note"));
  for (size_t i = 0; i < json_array_size(tiers); i++) {
    const json_t *t = json_array_get(tiers, i);
    hdoc_printf(&pg->d, " %s%ld: ", i ? "·" : "", page_int(t, "tier"));
    hdoc_num(&pg->d, page_num(t, "lo"), 1);
    hdoc_raw(&pg->d, "–");
    hdoc_num(&pg->d, page_num(t, "hi"), 1);
  }
  hdoc_raw(&pg->d, "</p>\n");
}

static const char *status_key(const char *status) {
  return strcmp(status, "achieved") == 0    ? "status_achieved"
         : strcmp(status, "on_track") == 0  ? "status_on_track"
         : strcmp(status, "off_track") == 0 ? "status_off_track"
         : strcmp(status, "no_baseline") == 0   ? "status_no_baseline"
         : strcmp(status, "baseline_only") == 0 ? "status_baseline_only"
                                            : "status_no_data";
}

/* Plan targets (from the summary or a profile) with progress and status. */
static void targets_table(page *pg, const json_t *targets, const char *id) {
  int en = strcmp(pg->lang, "en") == 0;
  hdoc_printf(&pg->d, "<div class=\"scroll\"><table class=\"targets\" id=\"%s\"><thead><tr>", id);
  th(pg, "col_target", "", NULL);
  th(pg, "col_target_year", "n", NULL);
  th(pg, "col_target_value", "n", NULL);
  th(pg, "col_actual", "n", NULL);
  th(pg, "col_progress", "", NULL);
  th(pg, "col_status", "", NULL);
  hdoc_raw(&pg->d, "</tr></thead><tbody>\n");
  for (size_t i = 0; i < json_array_size(targets); i++) {
    const json_t *t = json_array_get(targets, i);
    const char *status = page_str(t, "status");
    const char *desc = page_str(t, en ? "description_en" : "description_vi");
    double prog = page_num(t, "progress");
    hdoc_raw(&pg->d, "<tr><td>");
    hdoc_text(&pg->d, *desc ? desc : page_str(t, "kpi"));
    hdoc_raw(&pg->d, "<br/><span class=\"small muted\">");
    hdoc_text(&pg->d, page_str(t, "plan"));
    hdoc_printf(&pg->d, "</span></td><td class=\"n\">%ld</td>", page_int(t, "target_year"));
    num_cell(pg, page_num(t, "target"), 1);
    num_cell(pg, page_num(t, "actual"), 1);
    hdoc_raw(&pg->d, "<td>");
    if (!isnan(prog))
      hdoc_printf(&pg->d, "<meter min=\"0\" max=\"1\" value=\"%.3f\">%.0f%%</meter>",
                  prog < 0 ? 0 : prog > 1 ? 1 : prog, 100 * prog);
    hdoc_raw(&pg->d, "</td><td><span class=\"status st-");
    hdoc_text(&pg->d, status);
    hdoc_raw(&pg->d, "\">");
    hdoc_text(&pg->d, S(status_key(status)));
    hdoc_raw(&pg->d, "</span></td></tr>\n");
  }
  hdoc_raw(&pg->d, "</tbody></table></div>\n");
}

static void measures_table(page *pg, const json_t *sum) {
  json_t *ms = json_object_get(sum, "measures");
  hdoc_raw(&pg->d, "<div class=\"scroll\"><table class=\"measures\" id=\"measures\"><thead><tr>");
  th(pg, "col_measure", "", NULL);
  th(pg, "col_value", "n", NULL);
  th(pg, "col_interval", "n", NULL);
  hdoc_raw(&pg->d, "</tr></thead><tbody>");
  for (size_t i = 0; i < json_array_size(ms); i++) {
    const json_t *m = json_array_get(ms, i);
    char key[96];
    double v = page_num(m, "value");
    int dec = fabs(v) >= 10 ? 1 : 3;
    snprintf(key, sizeof key, "measure_%s", page_str(m, "id"));
    hdoc_raw(&pg->d, "<tr><td>");
    hdoc_text(&pg->d, uitext_has(key) ? S(key) : page_str(m, "id"));
    hdoc_raw(&pg->d, "</td>");
    num_cell(pg, v, dec);
    interval_cell(pg, page_num(m, "lo"), page_num(m, "hi"), dec);
    hdoc_raw(&pg->d, "</tr>");
  }
  hdoc_raw(&pg->d, "</tbody></table></div>\n");
}

static int render_overview(page *pg, const void *args) {
  json_t *ix = NULL, *sum = NULL;
  char title[256], sub[256];
  (void)args;
  int ok = fetch(pg, API_INDEX, &pg->v, &ix) && fetch(pg, API_SUMMARY, &pg->v, &sum);
  if (ok) {
    titles(pg, ix, NULL, title, sizeof title, sub, sizeof sub);
    page_open(pg, title, sub);
    h2(pg, "headline", "sec_headline");
    cards(pg, ix, sum);
    hdoc_raw(&pg->d, "</section>\n");
    h2(pg, "map", "sec_map");
    hdoc_raw(&pg->d, "<div class=\"mapbox\">");
    ok = page_chart(pg, "map", NULL);
    hdoc_raw(&pg->d, "<p class=\"map-info\" id=\"map-info\" aria-live=\"polite\">");
    hdoc_text(&pg->d, S("map_hint"));
    hdoc_raw(&pg->d, "</p></div>\n</section>\n");
  }
  if (ok) {
    h2(pg, "ranking-section", "sec_ranking");
    ranking_table(pg, ix);
    tiers_note(pg, ix);
    unranked_section(pg, ix);
    page_downloads(pg, "/api/v1/index", "", 1);
    hdoc_raw(&pg->d, "<details><summary>");
    hdoc_text(&pg->d, S("ranking_chart"));
    hdoc_raw(&pg->d, "</summary>");
    ok = page_chart(pg, "ranking", NULL);
    hdoc_raw(&pg->d, "</details><details><summary>");
    hdoc_text(&pg->d, S("pillars_chart"));
    hdoc_raw(&pg->d, "</summary>");
    ok = ok && page_chart(pg, "pillars", NULL);
    hdoc_raw(&pg->d, "</details>\n</section>\n");
  }
  if (ok) {
    h2(pg, "divide", "sec_divide");
    measures_table(pg, sum);
    page_downloads(pg, "/api/v1/summary", "", 1);
    hdoc_raw(&pg->d, "<div class=\"pair\"><div><h3>");
    hdoc_text(&pg->d, S("share_title"));
    hdoc_raw(&pg->d, "</h3>");
    ok = page_chart(pg, "share", NULL);
    /* the basis, in the report's words (issue 12: never two unlabelled figures) */
    para(pg, "small muted", page_str(sum, strcmp(pg->lang, "en") ? "share_basis_vi" : "share_basis_en"));
    hdoc_raw(&pg->d, "</div><div><h3>");
    hdoc_text(&pg->d, S("lorenz_title"));
    hdoc_raw(&pg->d, "</h3>");
    ok = ok && page_chart(pg, "lorenz", NULL);
    hdoc_raw(&pg->d, "</div></div>\n");
    para(pg, "small muted", S("divide_note"));
    hdoc_raw(&pg->d, "</section>\n");
  }
  if (ok) {
    h2(pg, "targets", "sec_targets");
    json_t *t = json_object_get(sum, "targets");
    if (json_array_size(t)) targets_table(pg, t, "targets-table");
    else para(pg, "muted", S("not_computed"));
    page_downloads(pg, "/api/v1/summary", "", 1);
    hdoc_raw(&pg->d, "</section>\n");
    page_close(pg);
  }
  json_decref(ix);
  json_decref(sum);
  return ok;
}

int pages_overview(request *q, reply *r, const char *const *args, size_t n_args) {
  return plain_page(q, r, args, n_args, "overview", render_overview);
}

/* ---- a unit's profile --------------------------------------------------------------------------- */

static void profile_cards(page *pg, const json_t *u) {
  double level = page_num(json_object_get(u, "interval"), "level");
  char t[128];
  hdoc_raw(&pg->d, "<div class=\"cards\"><div class=\"card\"><div class=\"lbl\">");
  hdoc_text(&pg->d, S("col_score"));
  hdoc_raw(&pg->d, "</div><div class=\"big\" id=\"score\">");
  hdoc_num(&pg->d, page_num(u, "score"), 1);
  hdoc_raw(&pg->d, "</div><div class=\"lbl\">");
  snprintf(t, sizeof t, "%s %g%%: ", S("interval"), level > 0 ? 100 * level : 90);
  hdoc_text(&pg->d, t);
  if (!isnan(page_num(u, "score_lo"))) {
    hdoc_num(&pg->d, page_num(u, "score_lo"), 1);
    hdoc_raw(&pg->d, "–");
    hdoc_num(&pg->d, page_num(u, "score_hi"), 1);
  } else {
    hdoc_raw(&pg->d, "–");
  }
  hdoc_raw(&pg->d, "</div></div><div class=\"card\"><div class=\"lbl\">");
  hdoc_text(&pg->d, S("col_rank"));
  hdoc_raw(&pg->d, "</div><div class=\"big\" id=\"rank\">");
  if (page_int(u, "rank") > 0)
    hdoc_printf(&pg->d, "%ld<span class=\"muted small\">/%ld</span>", page_int(u, "rank"),
                page_int(u, "ranked_units"));
  else hdoc_raw(&pg->d, "–");
  hdoc_raw(&pg->d, "</div><div class=\"lbl\">");
  snprintf(t, sizeof t, "%s %g%%: ", S("col_rank_interval"), level > 0 ? 100 * level : 90);
  hdoc_text(&pg->d, t);
  if (page_int(u, "rank_lo") > 0) hdoc_printf(&pg->d, "%ld–%ld", page_int(u, "rank_lo"), page_int(u, "rank_hi"));
  else hdoc_raw(&pg->d, "–");
  hdoc_raw(&pg->d, "</div></div><div class=\"card\"><div class=\"lbl\">");
  hdoc_text(&pg->d, S("col_prev_rank"));
  hdoc_raw(&pg->d, "</div><div class=\"big\" id=\"prev-rank\">");
  if (page_int(u, "prev_rank") > 0) {
    long c = page_int(u, "rank_change");
    hdoc_printf(&pg->d, "%ld <span class=\"%s small\">", page_int(u, "prev_rank"),
                c > 0 ? "up" : c < 0 ? "down" : "same");
    if (c) hdoc_printf(&pg->d, "%s%ld", c > 0 ? "↑" : "↓", labs(c));
    else hdoc_raw(&pg->d, "=");
    hdoc_raw(&pg->d, "</span>");
  } else {
    hdoc_raw(&pg->d, "–");
  }
  hdoc_printf(&pg->d, "</div><div class=\"lbl\">%ld</div></div><div class=\"card\"><div class=\"lbl\">",
              page_int(u, "prev_year"));
  hdoc_text(&pg->d, S("col_respondents"));
  hdoc_raw(&pg->d, "</div><div class=\"big\">");
  if (json_is_integer(json_object_get(u, "respondents"))) hdoc_printf(&pg->d, "%ld", page_int(u, "respondents"));
  else hdoc_raw(&pg->d, "–");
  hdoc_raw(&pg->d, "</div></div></div>\n");
  const json_t *mt = json_object_get(u, "method_tier");
  if (json_is_object(mt)) {
    hdoc_raw(&pg->d, "<p id=\"method-tier\">");
    hdoc_text(&pg->d, S("col_method_tier"));
    hdoc_raw(&pg->d, ": <strong>");
    hdoc_text(&pg->d, lang_text(pg, mt, "name"));
    hdoc_raw(&pg->d, "</strong></p>\n");
  }
  if (*lang_text(pg, u, "not_ranked")) {
    hdoc_raw(&pg->d, "<p class=\"warn\" id=\"not-ranked\">");
    hdoc_text(&pg->d, lang_text(pg, u, "not_ranked"));
    hdoc_raw(&pg->d, "</p>\n");
  }
  if (json_is_true(json_object_get(u, "small_sample")) && !*lang_text(pg, u, "not_ranked")) {
    /* (with a reason given above, it says the same: said once) */
    hdoc_raw(&pg->d, "<p class=\"warn\" id=\"small-sample\">");
    hdoc_text(&pg->d, S("small_sample"));
    hdoc_printf(&pg->d, " (n = %ld &lt; %ld)</p>\n", page_int(u, "respondents"), page_int(u, "min_respondents"));
  }
}

/* "Formed from" the former provinces of a merged unit, or the 2025 unit a
** province became. */
static void lineage(page *pg, const json_t *u) {
  json_t *from = json_object_get(u, "formed_from"), *became = json_object_get(u, "became");
  if (json_array_size(from) > 1) {
    hdoc_raw(&pg->d, "<p id=\"formed-from\"><b>");
    hdoc_text(&pg->d, S("formed_from"));
    hdoc_raw(&pg->d, "</b> ");
    for (size_t i = 0; i < json_array_size(from); i++) {
      if (i) hdoc_raw(&pg->d, ", ");
      hdoc_text(&pg->d, page_str(json_array_get(from, i), "name"));
      hdoc_raw(&pg->d, " <span class=\"muted\">(");
      hdoc_text(&pg->d, page_str(json_array_get(from, i), "code"));
      hdoc_raw(&pg->d, ")</span>");
    }
    hdoc_raw(&pg->d, "</p>\n");
  } else if (json_is_object(became) && strcmp(page_str(became, "code"), page_str(u, "code"))) {
    hdoc_raw(&pg->d, "<p id=\"became\"><b>");
    hdoc_text(&pg->d, S("became"));
    hdoc_raw(&pg->d, "</b> ");
    hdoc_text(&pg->d, page_str(became, "name"));
    hdoc_raw(&pg->d, " (");
    hdoc_text(&pg->d, page_str(became, "code"));
    hdoc_raw(&pg->d, ")</p>\n");
  }
}

/* 1 when an indicator of this unit reads as a percentage (as in the static
** report, html.c): a share (0..1, *v scaled to 0..100) or a percent. */
static int as_percent(const char *unit, double *v) {
  if (isnan(*v)) return 0;
  if (strcmp(unit, "share") == 0) *v *= 100;
  else if (strcmp(unit, "percent")) return 0;
  return 1;
}

/* An indicator's value as people read it: a percentage with one decimal
** and "%", anything else with `dec` decimals. */
static void value_cell(page *pg, double v, const char *unit, int dec) {
  double p = v;
  if (!as_percent(unit, &p)) {
    num_cell(pg, v, dec);
    return;
  }
  hdoc_printf(&pg->d, "<td class=\"n\" data-v=\"%.6g\">", v);
  hdoc_num(&pg->d, p, 1);
  hdoc_raw(&pg->d, "%</td>");
}

/* Pillars or indicators of a profile: value, rank, region and all units. */
static void columns_table(page *pg, const json_t *u, const char *which, const char *id) {
  json_t *rows = json_object_get(u, which);
  int ind = strcmp(which, "indicators") == 0;
  hdoc_printf(&pg->d, "<div class=\"scroll\"><table class=\"sortable\" id=\"%s\"><thead><tr>", id);
  th(pg, ind ? "col_indicator" : "col_pillar", "", "text");
  th(pg, "col_value", "n", "num");
  th(pg, "col_rank", "n", "num");
  th(pg, "col_region_mean", "n", "num");
  th(pg, "col_national_mean", "n", "num");
  if (ind) th(pg, "col_z", "n", "num");
  hdoc_raw(&pg->d, "</tr></thead><tbody>\n");
  for (size_t i = 0; i < json_array_size(rows); i++) {
    const json_t *x = json_array_get(rows, i);
    const char *unit = page_str(x, "unit");
    double v = page_num(x, "value");
    int dec = ind && fabs(v) < 10 ? 3 : 1; /* the row's: value and means alike */
    const char *role = page_str(x, "role");
    hdoc_printf(&pg->d, "<tr%s%s%s><td>", *role ? " class=\"" : "", role, *role ? "\"" : "");
    hdoc_text(&pg->d, page_name(pg, x, "name"));
    hdoc_raw(&pg->d, "</td>");
    value_cell(pg, v, unit, dec);
    rank_cell(pg, page_int(x, "rank"));
    value_cell(pg, page_num(x, "region_mean"), unit, dec);
    value_cell(pg, page_num(x, "national_mean"), unit, dec);
    if (ind) num_cell(pg, page_num(x, "z"), 2);
    hdoc_raw(&pg->d, "</tr>\n");
  }
  hdoc_raw(&pg->d, "</tbody></table></div>\n");
}

/* The name of indicator `id` among a profile's indicators. */
static const char *indicator_name(page *pg, const json_t *u, const char *id) {
  json_t *rows = json_object_get(u, "indicators");
  for (size_t i = 0; i < json_array_size(rows); i++)
    if (strcmp(page_str(json_array_get(rows, i), "id"), id) == 0)
      return page_name(pg, json_array_get(rows, i), "name");
  return id;
}

static void strengths(page *pg, const json_t *u) {
  static const char *const parts[] = {"strengths", "weaknesses"};
  hdoc_raw(&pg->d, "<div class=\"pair\">");
  for (int p = 0; p < 2; p++) {
    json_t *a = json_object_get(u, parts[p]);
    hdoc_printf(&pg->d, "<div id=\"%s\"><h3>", parts[p]);
    hdoc_text(&pg->d, S(parts[p]));
    hdoc_raw(&pg->d, "</h3><ul>");
    for (size_t i = 0; i < json_array_size(a); i++) {
      hdoc_raw(&pg->d, "<li>");
      hdoc_text(&pg->d, indicator_name(pg, u, page_str(json_array_get(a, i), "id")));
      hdoc_raw(&pg->d, " <span class=\"muted\">");
      hdoc_text(&pg->d, S("col_rank"));
      hdoc_printf(&pg->d, " %ld/%ld</span></li>", page_int(json_array_get(a, i), "rank"),
                  page_int(json_array_get(a, i), "ranked"));
    }
    if (!json_array_size(a)) {
      hdoc_raw(&pg->d, "<li class=\"muted\">");
      hdoc_text(&pg->d, S(p ? "no_weaknesses" : "no_strengths"));
      hdoc_raw(&pg->d, "</li>");
    }
    hdoc_raw(&pg->d, "</ul></div>");
  }
  hdoc_raw(&pg->d, "</div>\n");
  para(pg, "small muted", S("strengths_note"));
}

static void series_table(page *pg, const json_t *u) {
  json_t *s = json_object_get(u, "series");
  hdoc_raw(&pg->d, "<div class=\"scroll\"><table id=\"series\"><thead><tr>");
  th(pg, "year", "n", NULL);
  th(pg, "col_score", "n", NULL);
  th(pg, "col_rank", "n", NULL);
  th(pg, "col_flags", "", NULL);
  hdoc_raw(&pg->d, "</tr></thead><tbody>");
  for (size_t i = 0; i < json_array_size(s); i++) {
    const json_t *x = json_array_get(s, i);
    hdoc_printf(&pg->d, "<tr><td class=\"n\">%ld</td>", page_int(x, "year"));
    num_cell(pg, page_num(x, "score"), 1);
    rank_cell(pg, page_int(x, "rank"));
    hdoc_raw(&pg->d, "<td class=\"small\">");
    if (json_is_true(json_object_get(x, "harmonised"))) hdoc_text(&pg->d, S("flag_harmonised"));
    if (json_is_true(json_object_get(x, "approx"))) {
      hdoc_raw(&pg->d, " ");
      hdoc_text(&pg->d, S("flag_approx"));
    }
    hdoc_raw(&pg->d, "</td></tr>");
  }
  hdoc_raw(&pg->d, "</tbody></table></div>\n");
}

/* Compare this unit with another: a GET form to the compare page. */
static void compare_form(page *pg, const json_t *u, const json_t *ix) {
  json_t *units = json_object_get(ix, "units");
  hdoc_printf(&pg->d, "<form class=\"inline\" method=\"get\" action=\"/%s/compare\" id=\"compare-with\">"
                      "<input type=\"hidden\" name=\"year\" value=\"%d\"/><input type=\"hidden\" "
                      "name=\"units\" value=\"%d\"/><input type=\"hidden\" name=\"codes\" value=\"",
              pg->lang, pg->v.year, pg->v.units);
  hdoc_text(&pg->d, page_str(u, "code"));
  hdoc_raw(&pg->d, "\"/><label>");
  hdoc_text(&pg->d, S("compare_with"));
  hdoc_raw(&pg->d, " <select name=\"with\">");
  for (size_t i = 0; i < json_array_size(units); i++) {
    const json_t *x = json_array_get(units, i);
    if (!strcmp(page_str(x, "code"), page_str(u, "code"))) continue;
    hdoc_raw(&pg->d, "<option value=\"");
    hdoc_text(&pg->d, page_str(x, "code"));
    hdoc_raw(&pg->d, "\">");
    hdoc_text(&pg->d, page_str(x, "name"));
    hdoc_raw(&pg->d, "</option>");
  }
  hdoc_raw(&pg->d, "</select></label> <button type=\"submit\">");
  hdoc_text(&pg->d, S("nav_compare"));
  hdoc_raw(&pg->d, "</button></form>\n");
}

static int render_unit(page *pg, const void *args) {
  const char *code = args;
  json_t *u = NULL, *ix = NULL;
  char title[320], sub[320];
  api_query p = pg->v;
  p.code = code;
  int ok = fetch(pg, API_UNIT, &p, &u) && fetch(pg, API_INDEX, &pg->v, &ix);
  if (!ok) goto done;
  titles(pg, u, page_str(u, "name"), title, sizeof title, sub, sizeof sub);
  snprintf(sub + strlen(sub), sizeof sub - strlen(sub), " · %s %s · %s", S("col_code"),
           page_str(u, "code"), page_name(pg, u, "region"));
  page_open(pg, title, sub);
  hdoc_printf(&pg->d, "<p class=\"back\"><a href=\"/%s/?year=%d&amp;units=%d#ranking-section\">", pg->lang,
              pg->v.year, pg->v.units);
  hdoc_text(&pg->d, S("back_overview"));
  hdoc_raw(&pg->d, "</a></p>\n");
  lineage(pg, u);
  profile_cards(pg, u);
  compare_form(pg, u, ix);
  h2(pg, "pillars", "sec_profile_pillars");
  char path[64];
  snprintf(path, sizeof path, "/api/v1/units/%s", code);
  ok = page_chart(pg, "unit-pillars", code);
  columns_table(pg, u, "pillars", "pillars-table");
  page_downloads(pg, path, "", 1);
  hdoc_raw(&pg->d, "</section>\n");
  if (ok) {
    h2(pg, "sw", "sec_strengths");
    strengths(pg, u);
    hdoc_raw(&pg->d, "</section>\n");
    h2(pg, "indicators", "sec_indicators");
    columns_table(pg, u, "indicators", "indicators-table");
    page_downloads(pg, path, "", 1);
    hdoc_raw(&pg->d, "</section>\n");
    h2(pg, "trend", "sec_trend");
    ok = page_chart(pg, "unit-trend", code);
    series_table(pg, u);
    page_downloads(pg, path, "", 1);
    para(pg, "small muted", S("series_note"));
    hdoc_raw(&pg->d, "</section>\n");
  }
  if (ok && json_array_size(json_object_get(u, "targets"))) {
    h2(pg, "unit-targets", "sec_targets");
    targets_table(pg, json_object_get(u, "targets"), "unit-targets-table");
    page_downloads(pg, path, "", 0);
    hdoc_raw(&pg->d, "</section>\n");
  }
  if (ok) page_close(pg);
done:
  json_decref(u);
  json_decref(ix);
  return ok;
}

int pages_unit(request *q, reply *r, const char *const *args, size_t n_args) {
  const char *lang = lang_of(args, n_args, r);
  if (!lang) return r->status;
  const char *code = n_args > 1 ? args[1] : "";
  if (!(code[0] >= '0' && code[0] <= '9' && code[1] >= '0' && code[1] <= '9' && !code[2])) {
    reply_error(r, 404, "code", NULL, 0, "a unit is named by its two-digit code, not \"%.40s\"", code);
    return page_error(q, r, lang);
  }
  return page_answer(q, r, lang, "unit", code, NULL, 0, render_unit, code);
}

/* ---- compare --------------------------------------------------------------------------------- */

typedef struct compare_args {
  const char *codes[4];
  size_t n;
} compare_args;

static void unit_select(page *pg, const json_t *ix, size_t slot, const char *chosen) {
  json_t *units = json_object_get(ix, "units");
  hdoc_printf(&pg->d, "<label>%zu <select name=\"c%zu\" id=\"c%zu\"><option value=\"\">–</option>",
              slot + 1, slot + 1, slot + 1);
  for (size_t i = 0; i < json_array_size(units); i++) {
    const json_t *x = json_array_get(units, i);
    const char *code = page_str(x, "code");
    hdoc_raw(&pg->d, "<option value=\"");
    hdoc_text(&pg->d, code);
    hdoc_printf(&pg->d, "\"%s>", chosen && !strcmp(chosen, code) ? " selected" : "");
    hdoc_text(&pg->d, page_str(x, "name"));
    hdoc_raw(&pg->d, "</option>");
  }
  hdoc_raw(&pg->d, "</select></label> ");
}

static void compare_table(page *pg, const json_t *c) {
  json_t *rows = json_object_get(c, "rows"), *names = json_object_get(c, "names");
  json_t *codes = json_object_get(c, "codes");
  size_t nu = json_array_size(codes);
  hdoc_raw(&pg->d, "<div class=\"scroll\"><table class=\"compare\" id=\"compare-table\"><thead><tr><th></th>");
  for (size_t j = 0; j < nu; j++) {
    hdoc_raw(&pg->d, "<th class=\"n\">");
    unit_link(pg, json_string_value(json_array_get(codes, j)), json_string_value(json_array_get(names, j)));
    hdoc_raw(&pg->d, "</th>");
  }
  hdoc_raw(&pg->d, "</tr></thead><tbody>\n");
  const char *kind = "";
  for (size_t i = 0; i < json_array_size(rows); i++) {
    const json_t *x = json_array_get(rows, i);
    json_t *vals = json_object_get(x, "values");
    const char *k = page_str(x, "kind"), *id = page_str(x, "id");
    int is_rank = strcmp(k, "index") == 0 && strcmp(id, "score") != 0;
    int low = strcmp(page_str(x, "better"), "low") == 0;
    if (strcmp(kind, k)) {
      char key[32];
      snprintf(key, sizeof key, "kind_%s", k);
      hdoc_printf(&pg->d, "<tr class=\"group\"><th colspan=\"%zu\">", nu + 1);
      hdoc_text(&pg->d, S(key));
      hdoc_raw(&pg->d, "</th></tr>\n");
      kind = k;
    }
    /* the best value of the row in bold (the highest; the lowest rank) */
    double best = NAN;
    for (size_t j = 0; j < nu; j++) {
      double v = json_number_value(json_array_get(vals, j));
      if (json_is_number(json_array_get(vals, j)) && (isnan(best) || (low ? v < best : v > best))) best = v;
    }
    hdoc_raw(&pg->d, "<tr><th scope=\"row\">");
    if (strcmp(k, "index") == 0) {
      char key[32];
      snprintf(key, sizeof key, "row_%s", id);
      hdoc_text(&pg->d, S(key));
    } else {
      hdoc_text(&pg->d, page_name(pg, x, "name"));
    }
    hdoc_raw(&pg->d, "</th>");
    for (size_t j = 0; j < nu; j++) {
      json_t *v = json_array_get(vals, j);
      double d = json_is_number(v) ? json_number_value(v) : NAN;
      int top = !isnan(d) && d == best && nu > 1;
      double p = d;
      int pct = as_percent(page_str(x, "unit"), &p);
      hdoc_printf(&pg->d, "<td class=\"n%s\">", top ? " best" : "");
      if (pct) hdoc_num(&pg->d, p, 1);
      else hdoc_num(&pg->d, d, is_rank ? 0 : strcmp(k, "indicator") == 0 && fabs(d) < 10 ? 3 : 1);
      hdoc_raw(&pg->d, pct ? "%</td>" : "</td>");
    }
    hdoc_raw(&pg->d, "</tr>\n");
  }
  json_t *series = json_object_get(c, "series");
  if (json_array_size(series)) {
    hdoc_printf(&pg->d, "<tr class=\"group\"><th colspan=\"%zu\">", nu + 1);
    hdoc_text(&pg->d, S("kind_series"));
    hdoc_raw(&pg->d, "</th></tr>\n");
  }
  for (size_t i = 0; i < json_array_size(series); i++) {
    const json_t *x = json_array_get(series, i);
    hdoc_printf(&pg->d, "<tr><th scope=\"row\">%ld%s</th>", page_int(x, "year"),
                json_is_true(json_object_get(x, "harmonised")) ? "*" : "");
    for (size_t j = 0; j < nu; j++) {
      json_t *v = json_array_get(json_object_get(x, "values"), j);
      hdoc_raw(&pg->d, "<td class=\"n\">");
      hdoc_num(&pg->d, json_is_number(v) ? json_number_value(v) : NAN, 1);
      hdoc_raw(&pg->d, "</td>");
    }
    hdoc_raw(&pg->d, "</tr>\n");
  }
  hdoc_raw(&pg->d, "</tbody></table></div>\n");
}

static int render_compare(page *pg, const void *args) {
  const compare_args *a = args;
  json_t *ix = NULL, *c = NULL;
  char title[256], sub[256];
  api_query p = pg->v;
  p.codes = a->codes;
  p.n_codes = a->n;
  int ok = fetch(pg, API_INDEX, &pg->v, &ix) && (a->n < 2 || fetch(pg, API_COMPARE, &p, &c));
  if (!ok) goto done;
  titles(pg, ix, S("nav_compare"), title, sizeof title, sub, sizeof sub);
  page_open(pg, title, sub);
  hdoc_printf(&pg->d, "<form class=\"pick\" method=\"get\" action=\"/%s/compare\" id=\"compare-form\">"
                      "<input type=\"hidden\" name=\"year\" value=\"%d\"/><input type=\"hidden\" "
                      "name=\"units\" value=\"%d\"/><p>",
              pg->lang, pg->v.year, pg->v.units);
  hdoc_text(&pg->d, S("compare_pick"));
  hdoc_raw(&pg->d, "</p>");
  for (size_t s = 0; s < 4; s++) unit_select(pg, ix, s, s < a->n ? a->codes[s] : NULL);
  hdoc_raw(&pg->d, "<button type=\"submit\" id=\"compare-go\">");
  hdoc_text(&pg->d, S("nav_compare"));
  hdoc_raw(&pg->d, "</button></form>\n");
  if (a->n < 2) {
    para(pg, "muted", S("compare_need_two"));
  } else {
    char extra[64] = "codes=";
    for (size_t i = 0; i < a->n; i++)
      snprintf(extra + strlen(extra), sizeof extra - strlen(extra), "%s%s", i ? "," : "", a->codes[i]);
    h2(pg, "side-by-side", "sec_compare");
    compare_table(pg, c);
    para(pg, "small muted", S("compare_note"));
    page_downloads(pg, "/api/v1/compare", extra, 1);
    hdoc_raw(&pg->d, "</section>\n");
    h2(pg, "trends", "sec_trend");
    hdoc_raw(&pg->d, "<div class=\"multiples\">");
    for (size_t i = 0; ok && i < a->n; i++) {
      hdoc_raw(&pg->d, "<div><h3>");
      hdoc_text(&pg->d, json_string_value(json_array_get(json_object_get(c, "names"), i)));
      hdoc_raw(&pg->d, "</h3>");
      ok = page_chart(pg, "unit-trend", a->codes[i]);
      hdoc_raw(&pg->d, "</div>");
    }
    hdoc_raw(&pg->d, "</div>\n</section>\n");
  }
  if (ok) page_close(pg);
done:
  json_decref(ix);
  json_decref(c);
  return ok;
}

int pages_compare(request *q, reply *r, const char *const *args, size_t n_args) {
  static const char *const allowed[] = {"codes", "c1", "c2", "c3", "c4", "with"};
  const char *lang = lang_of(args, n_args, r);
  compare_args a;
  char codes[8][3], key[64] = "";
  memset(&a, 0, sizeof a);
  if (!lang) return r->status;
  /* codes=01,79 and/or the form's c1..c4 and a profile's "with" */
  const char *from[6] = {request_param_get(q, "codes"), request_param_get(q, "c1"),
                         request_param_get(q, "c2"), request_param_get(q, "c3"),
                         request_param_get(q, "c4"), request_param_get(q, "with")};
  for (size_t f = 0; f < 6; f++) {
    for (const char *c = from[f]; c && *c;) {
      const char *end = strchr(c, ',');
      size_t len = end ? (size_t)(end - c) : strlen(c);
      if (len == 2 && c[0] >= '0' && c[0] <= '9' && c[1] >= '0' && c[1] <= '9') {
        int seen = 0;
        for (size_t i = 0; i < a.n; i++) seen |= !strncmp(a.codes[i], c, 2);
        if (!seen && a.n < 4) {
          memcpy(codes[a.n], c, 2);
          codes[a.n][2] = '\0';
          a.codes[a.n] = codes[a.n];
          a.n++;
        }
      }
      c += len + (end != NULL);
    }
  }
  for (size_t i = 0; i < a.n; i++) snprintf(key + strlen(key), sizeof key - strlen(key), "%s,", a.codes[i]);
  return page_answer(q, r, lang, "compare", key, allowed, 6, render_compare, &a);
}

/* ---- what-if --------------------------------------------------------------------------------- */

typedef struct whatif_args {
  const char *ids[REQUEST_MAX_PARAMS], *values[REQUEST_MAX_PARAMS];
  size_t n;
} whatif_args;

/* One slider per weighted node of `level` (pillars: the root's children). */
static void sliders(page *pg, const json_t *w, int pillars) {
  json_t *nodes = json_object_get(w, "nodes");
  long top = 0;
  for (size_t i = 0; i < json_array_size(nodes); i++)
    if (page_int(json_array_get(nodes, i), "level") > top) top = page_int(json_array_get(nodes, i), "level");
  for (size_t i = 0; i < json_array_size(nodes); i++) {
    const json_t *n = json_array_get(nodes, i);
    long level = page_int(n, "level");
    if (pillars ? level != top : level != 1) continue;
    const char *id = page_str(n, "id");
    double wt = page_num(n, "weight"), dflt = page_num(n, "default_weight");
    hdoc_raw(&pg->d, "<div class=\"slider\"><label for=\"w-");
    hdoc_text(&pg->d, id);
    hdoc_raw(&pg->d, "\">");
    hdoc_text(&pg->d, page_name(pg, n, "name"));
    hdoc_printf(&pg->d, "</label><input type=\"range\" min=\"0.01\" max=\"%.6g\" step=\"0.01\" name=\"w.",
                wt > 1 ? wt : 1);
    hdoc_text(&pg->d, id);
    hdoc_raw(&pg->d, "\" id=\"w-");
    hdoc_text(&pg->d, id);
    hdoc_raw(&pg->d, "\" data-node=\"");
    hdoc_text(&pg->d, id);
    hdoc_raw(&pg->d, "\" data-parent=\"");
    hdoc_text(&pg->d, page_str(n, "parent"));
    hdoc_printf(&pg->d, "\" data-default=\"%.6g\" value=\"%.6g\"/><output for=\"w-", dflt, wt);
    hdoc_text(&pg->d, id);
    hdoc_raw(&pg->d, "\" class=\"share\">");
    hdoc_num(&pg->d, wt, 2);
    hdoc_raw(&pg->d, "</output></div>\n");
  }
}

static void whatif_table(page *pg, const json_t *w) {
  json_t *units = json_object_get(w, "units");
  double level = page_num(json_object_get(w, "interval"), "level");
  hdoc_raw(&pg->d, "<div class=\"scroll\"><table class=\"ranking sortable\" id=\"whatif-table\"><thead><tr>");
  th(pg, "col_rank", "n", "num");
  th(pg, "col_change", "n", "num");
  th(pg, "col_nominal_rank", "n", "num");
  th(pg, "col_name", "", "text");
  th(pg, "col_score", "n", "num");
  th_level(pg, "col_interval", level);
  th_level(pg, "col_rank_interval", level);
  hdoc_raw(&pg->d, "</tr></thead><tbody id=\"whatif-body\">\n");
  /* rank order, unranked last */
  size_t n = json_array_size(units), order[128];
  for (size_t i = 0; i < n && i < 128; i++) order[i] = i;
  for (size_t i = 1; i < n && i < 128; i++)
    for (size_t j = i; j > 0; j--) {
      long a = page_int(json_array_get(units, order[j - 1]), "rank");
      long b = page_int(json_array_get(units, order[j]), "rank");
      if ((a ? a : 999) <= (b ? b : 999)) break;
      size_t t = order[j];
      order[j] = order[j - 1];
      order[j - 1] = t;
    }
  for (size_t k = 0; k < n && k < 128; k++) {
    const json_t *u = json_array_get(units, order[k]);
    long rank = page_int(u, "rank"), nom = page_int(u, "nominal_rank");
    hdoc_raw(&pg->d, "<tr data-code=\"");
    hdoc_text(&pg->d, page_str(u, "code"));
    hdoc_raw(&pg->d, "\">");
    rank_cell(pg, rank);
    if (rank > 0 && nom > 0) {
      long c = nom - rank;
      if (c)
        hdoc_printf(&pg->d, "<td class=\"n chg\" data-v=\"%ld\"><span class=\"%s\">%s%ld</span></td>", c,
                    c > 0 ? "up" : "down", c > 0 ? "↑" : "↓", labs(c));
      else
        hdoc_raw(&pg->d, "<td class=\"n chg\" data-v=\"0\"><span class=\"same\">=</span></td>");
    } else {
      hdoc_raw(&pg->d, "<td class=\"n chg\">–</td>");
    }
    rank_cell(pg, nom);
    hdoc_raw(&pg->d, "<td class=\"unit\">");
    unit_link(pg, page_str(u, "code"), page_str(u, "name"));
    hdoc_raw(&pg->d, "</td>");
    num_cell(pg, page_num(u, "score"), 1);
    interval_cell(pg, page_num(u, "score_lo"), page_num(u, "score_hi"), 1);
    rank_interval_cell(pg, u);
    hdoc_raw(&pg->d, "</tr>\n");
  }
  hdoc_raw(&pg->d, "</tbody></table></div>\n");
}

static int render_whatif(page *pg, const void *args) {
  const whatif_args *a = args;
  json_t *w = NULL;
  char title[256], sub[256], extra[1024] = "";
  api_query p = pg->v;
  p.ids = a->ids;
  p.values = a->values;
  p.n_weights = a->n;
  if (!fetch(pg, API_WHATIF, &p, &w)) return 0;
  titles(pg, w, S("nav_whatif"), title, sizeof title, sub, sizeof sub);
  page_open(pg, title, sub);
  para(pg, "small muted", S("whatif_note"));
  hdoc_printf(&pg->d, "<form class=\"weights\" method=\"get\" action=\"/%s/whatif\" id=\"whatif-form\">"
                      "<input type=\"hidden\" name=\"year\" value=\"%d\"/><input type=\"hidden\" "
                      "name=\"units\" value=\"%d\"/><fieldset id=\"pillar-weights\"><legend>",
              pg->lang, pg->v.year, pg->v.units);
  hdoc_text(&pg->d, S("pillar_weights"));
  hdoc_raw(&pg->d, "</legend>");
  sliders(pg, w, 1);
  hdoc_raw(&pg->d, "</fieldset><details><summary>");
  hdoc_text(&pg->d, S("indicator_weights"));
  hdoc_raw(&pg->d, "</summary><fieldset id=\"indicator-weights\">");
  sliders(pg, w, 0);
  hdoc_raw(&pg->d, "</fieldset></details><p><button type=\"submit\" id=\"whatif-go\">");
  hdoc_text(&pg->d, S("recompute"));
  hdoc_printf(&pg->d, "</button> <a href=\"/%s/whatif?year=%d&amp;units=%d\" id=\"whatif-reset\">",
              pg->lang, pg->v.year, pg->v.units);
  hdoc_text(&pg->d, S("reset_weights"));
  hdoc_raw(&pg->d, "</a> <span class=\"muted small\" id=\"whatif-status\" aria-live=\"polite\"></span></p></form>\n");
  h2(pg, "whatif-ranking", "sec_whatif_ranking");
  whatif_table(pg, w);
  hdoc hd;
  hdoc_init(&hd, "en");
  for (size_t i = 0; i < a->n; i++) {
    hdoc_raw(&hd, i ? "&amp;w." : "w.");
    hdoc_url(&hd, a->ids[i]);
    hdoc_raw(&hd, "=");
    hdoc_url(&hd, a->values[i]);
  }
  size_t n = 0;
  char *q = hdoc_take(&hd, &n);
  if (q && n < sizeof extra) memcpy(extra, q, n + 1);
  free(q);
  hdoc_raw(&pg->d, "<div id=\"whatif-downloads\">");
  page_downloads(pg, "/api/v1/whatif", extra, 1);
  hdoc_raw(&pg->d, "</div>");
  para(pg, "small muted", S("whatif_interval_note"));
  hdoc_raw(&pg->d, "</section>\n");
  page_close(pg);
  json_decref(w);
  return 1;
}

int pages_whatif(request *q, reply *r, const char *const *args, size_t n_args) {
  static const char *const allowed[] = {"w."};
  const char *lang = lang_of(args, n_args, r);
  whatif_args a;
  char key[2048] = "";
  size_t len = 0;
  memset(&a, 0, sizeof a);
  if (!lang) return r->status;
  for (size_t i = 0; i < q->n_params; i++) {
    if (strncmp(q->params[i].key, "w.", 2)) continue;
    a.ids[a.n] = q->params[i].key + 2;
    a.values[a.n++] = q->params[i].value ? q->params[i].value : "";
    if (len < sizeof key)
      len += (size_t)snprintf(key + len, sizeof key - len, "%s=%s|", q->params[i].key, q->params[i].value);
  }
  if (len >= sizeof key) return reply_error(r, 400, NULL, NULL, 0, "too many or too long weights");
  return page_answer(q, r, lang, "whatif", key, allowed, 1, render_whatif, &a);
}

/* ---- methodology and provenance ----------------------------------------------------------------- */

/* The tree from the node list (pre-order, parents by id). */
static void tree(page *pg, const json_t *nodes, const char *parent, int depth) {
  int open = 0;
  for (size_t i = 0; depth < 8 && i < json_array_size(nodes); i++) {
    const json_t *n = json_array_get(nodes, i);
    json_t *p = json_object_get(n, "parent");
    if (parent ? !json_is_string(p) || strcmp(json_string_value(p), parent) : json_is_string(p)) continue;
    if (!open) hdoc_raw(&pg->d, depth ? "<ul class=\"tree\">" : "<ul class=\"tree\" id=\"method-tree\">");
    open = 1;
    hdoc_raw(&pg->d, "<li><b>");
    hdoc_text(&pg->d, page_name(pg, n, "name"));
    hdoc_raw(&pg->d, "</b> <code>");
    hdoc_text(&pg->d, page_str(n, "id"));
    hdoc_raw(&pg->d, "</code>");
    if (!isnan(page_num(n, "weight"))) {
      hdoc_raw(&pg->d, " · ");
      hdoc_text(&pg->d, S("weight"));
      hdoc_raw(&pg->d, " ");
      hdoc_num(&pg->d, page_num(n, "weight"), 3);
    }
    if (page_int(n, "direction")) hdoc_printf(&pg->d, " · %s %s", S("direction"), page_int(n, "direction") > 0 ? "+" : "−");
    if (*page_str(n, "normalisation")) {
      hdoc_raw(&pg->d, " · ");
      hdoc_text(&pg->d, S("normalisation"));
      hdoc_raw(&pg->d, " ");
      hdoc_text(&pg->d, page_str(n, "normalisation"));
    }
    if (*page_str(n, "aggregation")) {
      hdoc_raw(&pg->d, " · ");
      hdoc_text(&pg->d, S("aggregation"));
      hdoc_raw(&pg->d, " ");
      hdoc_text(&pg->d, page_str(n, "aggregation"));
    }
    tree(pg, nodes, page_str(n, "id"), depth + 1);
    hdoc_raw(&pg->d, "</li>\n");
  }
  if (open) hdoc_raw(&pg->d, "</ul>\n");
}

static int render_methodology(page *pg, const void *args) {
  json_t *m = NULL;
  char title[256], sub[256];
  (void)args;
  if (!fetch(pg, API_METHOD, &pg->v, &m)) return 0;
  json_t *meth = json_object_get(m, "methodology"), *iv = json_object_get(m, "interval");
  titles(pg, m, S("nav_methodology"), title, sizeof title, sub, sizeof sub);
  page_open(pg, title, sub);
  h2(pg, "method", "sec_method");
  hdoc_raw(&pg->d, "<p><b>");
  hdoc_text(&pg->d, page_name(pg, meth, "name"));
  hdoc_raw(&pg->d, "</b> <code>");
  hdoc_text(&pg->d, page_str(meth, "id"));
  hdoc_raw(&pg->d, "</code></p>\n<p>");
  hdoc_text(&pg->d, S("normalisation"));
  hdoc_raw(&pg->d, ": ");
  hdoc_text(&pg->d, page_str(meth, "normalisation"));
  hdoc_raw(&pg->d, "; ");
  hdoc_text(&pg->d, S("aggregation"));
  hdoc_raw(&pg->d, ": ");
  hdoc_text(&pg->d, page_str(meth, "aggregation"));
  hdoc_raw(&pg->d, "</p>\n");
  tree(pg, json_object_get(m, "nodes"), NULL, 0);
  page_downloads(pg, "/api/v1/methodology", "", 1);
  para(pg, "small muted", S("method_note"));
  hdoc_raw(&pg->d, "</section>\n");
  h2(pg, "intervals", "sec_intervals");
  hdoc_raw(&pg->d, "<p id=\"interval-source\">");
  if (!isnan(page_num(iv, "level"))) {
    char t[200];
    snprintf(t, sizeof t, "%s %g%%. ", S("interval_level"), 100 * page_num(iv, "level"));
    hdoc_text(&pg->d, t);
    hdoc_text(&pg->d, S(strcmp(page_str(iv, "rank"), "crossed") == 0 ? "interval_crossed" : "interval_method"));
  } else {
    hdoc_text(&pg->d, S("not_computed"));
  }
  hdoc_raw(&pg->d, "</p>\n");
  int ok = 1;
  json_t *sens = json_object_get(m, "sensitivity");
  if (json_array_size(json_object_get(sens, "rank_shifts"))) {
    hdoc_raw(&pg->d, "<h3>");
    hdoc_text(&pg->d, S("rankshift_title"));
    hdoc_raw(&pg->d, "</h3>");
    ok = page_chart(pg, "rankshift", NULL);
  }
  if (ok && json_array_size(json_object_get(sens, "sobol"))) {
    hdoc_raw(&pg->d, "<h3>");
    hdoc_text(&pg->d, S("sobol_title"));
    hdoc_raw(&pg->d, "</h3>");
    ok = page_chart(pg, "sobol", NULL);
  }
  hdoc_raw(&pg->d, "</section>\n");
  if (ok) page_close(pg);
  json_decref(m);
  return ok;
}

int pages_methodology(request *q, reply *r, const char *const *args, size_t n_args) {
  return plain_page(q, r, args, n_args, "methodology", render_methodology);
}

static void imports_table(page *pg, const json_t *imp) {
  json_t *list = json_is_array(imp) ? (json_t *)imp : json_object_get(imp, "imports");
  hdoc_raw(&pg->d, "<div class=\"scroll\"><table class=\"imports\" id=\"imports-table\"><thead><tr>");
  th(pg, "col_id", "n", NULL);
  th(pg, "year", "n", NULL);
  th(pg, "col_file", "", NULL);
  th(pg, "col_rows", "n", NULL);
  th(pg, "col_method", "", NULL);
  th(pg, "col_imported", "", NULL);
  th(pg, "col_sha256", "", NULL);
  hdoc_raw(&pg->d, "</tr></thead><tbody>\n");
  for (size_t i = 0; i < json_array_size(list); i++) {
    const json_t *x = json_array_get(list, i);
    hdoc_printf(&pg->d, "<tr><td class=\"n\">%ld</td><td class=\"n\">%ld</td><td>", page_int(x, "id"),
                page_int(x, "year"));
    hdoc_text(&pg->d, page_str(x, "file"));
    hdoc_printf(&pg->d, "</td><td class=\"n\">%ld</td><td>", page_int(x, "rows"));
    hdoc_text(&pg->d, page_str(x, "method"));
    hdoc_raw(&pg->d, "</td><td>");
    hdoc_text(&pg->d, page_str(x, "imported_at"));
    hdoc_raw(&pg->d, "</td><td class=\"hash\">");
    hdoc_text(&pg->d, page_str(x, "sha256"));
    hdoc_raw(&pg->d, "</td></tr>\n");
  }
  hdoc_raw(&pg->d, "</tbody></table></div>\n");
}

static int render_provenance(page *pg, const void *args) {
  json_t *imp = NULL, *m = NULL;
  char title[256], sub[256];
  api_query none = {0};
  (void)args;
  int ok = fetch(pg, API_IMPORTS, &none, &imp) && fetch(pg, API_METHOD, &pg->v, &m);
  if (!ok) goto done;
  json_t *prov = json_object_get(m, "provenance");
  titles(pg, m, S("nav_provenance"), title, sizeof title, sub, sizeof sub);
  page_open(pg, title, sub);
  h2(pg, "years", "sec_years");
  hdoc_raw(&pg->d, "<div class=\"scroll\"><table id=\"years-table\"><thead><tr>");
  th(pg, "year", "n", NULL);
  th(pg, "units", "n", NULL);
  th(pg, "col_imports", "n", NULL);
  th(pg, "col_respondents", "n", NULL);
  th(pg, "col_method", "", NULL);
  th(pg, "col_data", "", NULL);
  hdoc_raw(&pg->d, "</tr></thead><tbody>");
  json_t *years = json_object_get(pg->years, "years");
  for (size_t i = 0; i < json_array_size(years); i++) {
    const json_t *y = json_array_get(years, i);
    hdoc_printf(&pg->d, "<tr><td class=\"n\">%ld</td><td class=\"n\">%ld</td><td class=\"n\">%ld</td>"
                        "<td class=\"n\">%ld</td><td>",
                page_int(y, "year"), page_int(y, "units"), page_int(y, "imports"), page_int(y, "respondents"));
    hdoc_text(&pg->d, page_str(y, "method"));
    hdoc_raw(&pg->d, "</td><td>");
    hdoc_text(&pg->d, S(json_is_true(json_object_get(y, "synthetic")) ? "data_synthetic" : "data_survey"));
    hdoc_raw(&pg->d, "</td></tr>");
  }
  hdoc_raw(&pg->d, "</tbody></table></div>\n");
  page_downloads(pg, "/api/v1/years", "", 1);
  hdoc_raw(&pg->d, "</section>\n");
  h2(pg, "imports", "sec_imports");
  imports_table(pg, imp);
  page_downloads(pg, "/api/v1/imports", "", 1);
  hdoc_raw(&pg->d, "</section>\n");
  h2(pg, "run", "sec_run");
  hdoc_raw(&pg->d, "<table class=\"meta\" id=\"run-table\"><tbody><tr><th>");
  hdoc_text(&pg->d, S("method_hash"));
  hdoc_raw(&pg->d, "</th><td class=\"hash\">");
  hdoc_text(&pg->d, page_str(prov, "method_hash"));
  hdoc_raw(&pg->d, "</td></tr><tr><th>");
  hdoc_text(&pg->d, S("seed"));
  hdoc_raw(&pg->d, "</th><td>");
  hdoc_text(&pg->d, page_str(prov, "seed"));
  hdoc_raw(&pg->d, "</td></tr><tr><th>");
  hdoc_text(&pg->d, S("min_respondents"));
  hdoc_printf(&pg->d, "</th><td>%ld</td></tr><tr><th>", page_int(prov, "min_respondents"));
  hdoc_text(&pg->d, S("chiso_version"));
  hdoc_raw(&pg->d, "</th><td>");
  hdoc_text(&pg->d, page_str(prov, "chiso_version"));
  hdoc_raw(&pg->d, "</td></tr></tbody></table>\n");
  page_downloads(pg, "/api/v1/methodology", "", 0);
  hdoc_raw(&pg->d, "</section>\n");
  page_close(pg);
done:
  json_decref(imp);
  json_decref(m);
  return ok;
}

int pages_provenance(request *q, reply *r, const char *const *args, size_t n_args) {
  return plain_page(q, r, args, n_args, "provenance", render_provenance);
}

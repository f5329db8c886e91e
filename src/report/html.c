/* html.c — the HTML report and province profiles (see html.h). */
#include "report/html.h"
#include "report/profile.h"

#include "chiso.h"
#include "geo/geo.h"
#include "base/mem.h"
#include "base/outdir.h"
#include "report/chart.h"
#include "report/map.h"
#include "base/strbuf.h"
#include "report/i18n.h"

#include <assert.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define S(key) i18n_text(w->lang, key)
#define N_CLASSES 5

/* Everything a page writer needs, built once per report. */
typedef struct writer {
  const rmodel *m;
  const char *lang;
  const geo_registry *reg;
  geo_era era;
  const geo_unit **geo;  /* registry unit per model unit */
  const char **names;    /* display names per model unit */
  char **hrefs;          /* "provinces/CODE.html" per unit */
  char **hrefs_up;       /* "CODE.html" (links between profiles) */
  map_geom *map;
  int comma;             /* decimal comma (Vietnamese) */
} writer;

/* ------------------------------------------------------------------ */
/* Page frame                                                          */
/* ------------------------------------------------------------------ */

/* System font stack only: no web font, no network request. The figures'
** own rules (their colours and text) are chart_css(), shared with the PDF. */
static const char css[] =
    ":root{--ink:#1f2933;--muted:#5f6b7a;--line:#d8dee6;--accent:#0b3f7a}"
    "*{box-sizing:border-box}"
    "body{margin:0;font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans','Helvetica Neue',Arial,sans-serif;"
    "color:var(--ink);line-height:1.45;background:#fff}"
    "main{max-width:980px;margin:0 auto;padding:0 20px 40px}"
    "header.top{background:var(--accent);color:#fff;padding:18px 20px}"
    "header.top h1{margin:0;font-size:1.6rem}header.top p{margin:4px 0 0;opacity:.9}"
    ".synthetic{background:#fff3cd;color:#7a4d00;border-bottom:2px solid #e0a800;padding:8px 20px;font-weight:600;text-align:center}"
    ".coverage{background:#e0f2fe;color:#0c4a6e;border-bottom:2px solid #0284c7;padding:8px 20px;font-weight:600;text-align:center}"
    ".formed{border-left:4px solid #0284c7;background:#f0f9ff;padding:6px 10px}"
    ".tag{font-size:.75em;padding:0 4px;border-radius:3px;background:#eef2f7;color:#334155}"
    "nav.toc{font-size:.9rem;margin:12px 0;color:var(--muted)}nav.toc a{margin-right:12px}"
    "h2{border-bottom:2px solid var(--line);padding-bottom:4px;margin-top:34px;font-size:1.25rem}"
    "h3{font-size:1.05rem;margin-bottom:6px}"
    "a{color:var(--accent)}"
    ".cards{display:flex;flex-wrap:wrap;gap:12px}"
    ".card{flex:1 1 200px;border:1px solid var(--line);border-radius:6px;padding:10px 14px}"
    ".card .big{font-size:1.8rem;font-weight:700;color:var(--accent)}.card .lbl{color:var(--muted);font-size:.85rem}"
    ".card ol{margin:4px 0 0;padding-left:20px}"
    "table{border-collapse:collapse;width:100%;font-size:.88rem;margin:8px 0}"
    "th,td{border-bottom:1px solid var(--line);padding:3px 6px;text-align:left;vertical-align:top}"
    "th{background:#f3f5f8;cursor:pointer}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}"
    ".pair{display:flex;flex-wrap:wrap;gap:20px}.pair>div{flex:1 1 340px}"
    ".status{font-size:.8rem;padding:1px 6px;border-radius:8px;background:#eef1f5;white-space:nowrap}"
    ".st-achieved{background:#dcfce7;color:#14532d}.st-off_track{background:#ffedd5;color:#7c2d12}"
    ".st-on_track{background:#dbeafe;color:#1e3a8a}"
    ".warn{background:#fff3cd;border-left:4px solid #e0a800;padding:6px 10px}"
    "#not-ranked::first-letter{text-transform:uppercase}" /* the reason reads as a sentence */
    ".muted{color:var(--muted)}.small{font-size:.82rem}code,.hash{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.8rem;word-break:break-all}"
    "ul.tree{list-style:none;padding-left:18px}ul.tree li{margin:2px 0}"
    "footer{border-top:1px solid var(--line);max-width:980px;margin:30px auto 0;padding:10px 20px;font-size:.82rem;color:var(--muted)}"
    ".scroll{overflow-x:auto}"
    /* A phone (390 px): wide tables scroll inside their box instead of running
    ** off the page; a section scrolls sideways under a chart kept readable
    ** (its width attribute, chart.c: !important over chart_css, which comes
    ** after this sheet); the page itself never scrolls sideways. */
    "@media screen and (max-width:760px){main{padding:0 10px 30px}header.top h1{font-size:1.3rem}"
    "section{overflow-x:auto}table{display:block;overflow-x:auto;white-space:nowrap}"
    "td,th{white-space:nowrap}.card{flex:1 1 100%}svg.chart{width:auto !important;max-width:none !important}}"
    "@page{size:A4;margin:14mm}"
    /* Print: a heading is never left alone at the bottom of a page: it
    ** avoids a break after itself, and its ::after reserves room for what
    ** follows (moving it to the next page when too little is left). */
    "@media print{header.top{background:none;color:var(--ink);padding:0}nav.toc,.noprint{display:none}"
    "main{max-width:none;padding:0}section{break-inside:auto;overflow:visible}"
    "h2,h3{break-after:avoid;page-break-after:avoid;break-inside:avoid}"
    "h2::after,h3::after{content:\"\";display:block;height:120px;margin-bottom:-120px}"
    "h2+*,h3+*{break-before:avoid;page-break-before:avoid}"
    "section.major{break-before:page}svg{break-inside:avoid}tr{break-inside:avoid}"
    "table{display:table;white-space:normal}"
    ".synthetic{border:2px solid #e0a800}a{color:inherit;text-decoration:none}}";

/* The page's rules and the charts' (chart_css, after them) as one sheet,
** built once: chiso serve serves it as report.css, so a served chart or
** map is drawn as in the report (its legend, insets and text sizes). */
static char *sheet;
static pthread_once_t sheet_once = PTHREAD_ONCE_INIT;

static void sheet_build(void) {
  size_t a = strlen(css), b = strlen(chart_css());
  char *s = chiso_malloc(a + b + 1);
  if (!s) return;
  memcpy(s, css, a);
  memcpy(s + a, chart_css(), b + 1);
  sheet = s;
}

const char *html_stylesheet(void) {
  pthread_once(&sheet_once, sheet_build);
  return sheet ? sheet : css; /* out of memory: the page's rules alone */
}

/* Sorting script: clicking a header sorts its table. Written without '<'
** and '&' so the page stays well-formed XML. */
static const char sort_js[] =
    "document.querySelectorAll('table.sortable th').forEach(function(th,col){"
    "th.addEventListener('click',function(){var tb=th.closest('table').tBodies[0];"
    "var rows=Array.from(tb.rows);var dir=th.dataset.dir==='asc'?-1:1;th.dataset.dir=dir===1?'asc':'desc';"
    "rows.sort(function(a,b){var x=a.cells[col].dataset.v||a.cells[col].textContent;"
    "var y=b.cells[col].dataset.v||b.cells[col].textContent;var nx=parseFloat(x),ny=parseFloat(y);"
    "if(!isNaN(nx)){if(!isNaN(ny)){return dir*(nx-ny);}}return dir*x.localeCompare(y);});"
    "rows.forEach(function(r){tb.appendChild(r);});});});";

/* A survey that misses units is said at the top of every page: its
** figures are not national ones. */
int html_coverage_text(strbuf_buf *sb, const rmodel *m, const char *lang) {
  int known;
  size_t n = rmodel_units_surveyed(m, &known);
  if (!known || n >= (size_t)m->n_era_units) return 0;
  strbuf_printf(sb, "%s %zu/%d %s", i18n_text(lang, "coverage_1"), n, m->n_era_units,
                i18n_text(lang, "coverage_2"));
  return 1;
}

static void coverage_banner(strbuf_buf *sb, const writer *w) {
  strbuf_buf t;
  strbuf_init(&t);
  if (html_coverage_text(&t, w->m, w->lang)) {
    strbuf_puts(sb, "<div class=\"coverage\" id=\"coverage-banner\">");
    strbuf_esc(sb, t.data ? t.data : "");
    strbuf_puts(sb, "</div>\n");
  }
  if (strbuf_error(&t)) sb->failed = 1;
  strbuf_free(&t);
}

static void page_open(strbuf_buf *sb, const writer *w, const char *title) {
  strbuf_printf(sb, "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"%s\">\n<head>\n"
                "<meta charset=\"utf-8\"/>\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<title>",
            strcmp(w->lang, "en") == 0 ? "en" : "vi");
  strbuf_esc(sb, title);
  strbuf_printf(sb, "</title>\n<style>%s%s</style>\n</head>\n<body>\n", css, chart_css());
  if (w->m->synthetic) {
    strbuf_puts(sb, "<div class=\"synthetic\" id=\"synthetic-banner\">");
    strbuf_esc(sb, S("synthetic_banner"));
    strbuf_puts(sb, "</div>\n");
  }
  coverage_banner(sb, w);
}

static void page_close(strbuf_buf *sb, const writer *w, int with_script) {
  strbuf_puts(sb, "<footer><p class=\"cite\">");
  strbuf_esc(sb, S("attribution_boundaries"));
  strbuf_puts(sb, " <span class=\"cite\">https://www.geoboundaries.org</span>, ");
  strbuf_esc(sb, S("attribution_licence"));
  strbuf_puts(sb, " Runfola D. et al. (2020), <i>geoBoundaries: A global database of political administrative boundaries</i>, "
              "PLoS ONE 15(4): e0231866, <span class=\"cite\">https://doi.org/10.1371/journal.pone.0231866</span>.</p><p>");
  strbuf_esc(sb, S("footer_generated"));
  strbuf_printf(sb, " chiso %s.</p></footer>\n", CHISO_VERSION);
  if (with_script) strbuf_printf(sb, "<script>%s</script>\n", sort_js);
  strbuf_puts(sb, "</body>\n</html>\n");
}

static void h2(strbuf_buf *sb, const writer *w, const char *id, const char *key, int major) {
  strbuf_printf(sb, "<section id=\"%s\"%s>\n<h2>", id, major ? " class=\"major\"" : "");
  strbuf_esc(sb, S(key));
  strbuf_puts(sb, "</h2>\n");
}

static void para(strbuf_buf *sb, const char *cls, const char *text) {
  strbuf_printf(sb, "<p class=\"%s\">", cls);
  strbuf_esc(sb, text);
  strbuf_puts(sb, "</p>\n");
}

static void not_computed(strbuf_buf *sb, const writer *w) { para(sb, "muted", S("not_computed")); }

/* "lo–hi" with one decimal. */
static void strbuf_range(strbuf_buf *sb, double lo, double hi) {
  strbuf_num(sb, lo, 1, "–");
  strbuf_puts(sb, "–");
  strbuf_num(sb, hi, 1, "–");
}

/* A number cell with a sort key. */
static void td_num(strbuf_buf *sb, double v, int dec) {
  if (isnan(v)) {
    strbuf_puts(sb, "<td class=\"n\" data-v=\"-1e99\">–</td>");
    return;
  }
  strbuf_printf(sb, "<td class=\"n\" data-v=\"%.6g\">", v);
  strbuf_num(sb, v, dec, "–");
  strbuf_puts(sb, "</td>");
}

static void th(strbuf_buf *sb, const writer *w, const char *key, int numeric) {
  strbuf_puts(sb, numeric ? "<th class=\"n\">" : "<th>");
  strbuf_esc(sb, S(key));
  strbuf_puts(sb, "</th>");
}

/* An interval's label with its confidence level when the model has one. */
static void esc_level(strbuf_buf *sb, const writer *w, const char *key) {
  char t[160];
  strbuf_esc(sb, i18n_level(w->lang, key, w->m->interval_level, t, sizeof t));
}

static void th_level(strbuf_buf *sb, const writer *w, const char *key) {
  strbuf_puts(sb, "<th class=\"n\">");
  esc_level(sb, w, key);
  strbuf_puts(sb, "</th>");
}

static double national_mean(const rmodel *m) {
  double s = 0;
  int n = 0;
  for (size_t i = 0; i < m->n_units; i++)
    if (!isnan(m->units[i].score)) { s += m->units[i].score; n++; }
  return n ? s / n : NAN;
}

/* "lo–hi" of an interval with dec decimals, nothing when unknown. */
static void interval_text(strbuf_buf *sb, double lo, double hi, int dec) {
  if (isnan(lo) || isnan(hi)) return;
  strbuf_num(sb, lo, dec, "–");
  strbuf_puts(sb, "–");
  strbuf_num(sb, hi, dec, "–");
}

static int has_measure_interval(const rmodel *m) {
  for (size_t i = 0; i < m->n_measures; i++)
    if (!isnan(m->measures[i].lo)) return 1;
  return 0;
}

/* The interval of the HN+HCM share of the report year, as a measure. */
static const rmodel_measure *share_measure(const rmodel *m) {
  for (size_t i = 0; i < m->n_measures; i++)
    if (strcmp(m->measures[i].id, "hnhcm_share") == 0) return &m->measures[i];
  return NULL;
}

static double hnhcm_share(const rmodel *m) {
  double v = rmodel_measure_value(m, "hnhcm_share");
  if (isnan(v) && m->n_share) v = m->share[m->n_share - 1];
  return v;
}

/* ------------------------------------------------------------------ */
/* Index sections                                                      */
/* ------------------------------------------------------------------ */

static chart_ctx ctx_of(const writer *w, int up) {
  chart_ctx c = {w->m, w->lang, w->names, (const char *const *)(up ? w->hrefs_up : w->hrefs)};
  return c;
}

/* The unit's name, linked to its profile when it has one (--hide-empty
** writes none for the units it hides). */
static void unit_link(strbuf_buf *sb, const writer *w, size_t i, int up) {
  const char *href = up ? w->hrefs_up[i] : w->hrefs[i];
  if (!href) {
    strbuf_esc(sb, w->names[i]);
    return;
  }
  strbuf_puts(sb, "<a href=\"");
  strbuf_esc(sb, href);
  strbuf_puts(sb, "\">");
  strbuf_esc(sb, w->names[i]);
  strbuf_puts(sb, "</a>");
}

/* What the headline mean is a mean of: "Mean of the 34 units with a
** score", with "(of 34)" when some units have none (issue 12: a regional
** survey's mean of 8 units is not a national mean). */
void html_mean_label(strbuf_buf *sb, const rmodel *m, const char *lang) {
  size_t n = 0;
  for (size_t i = 0; i < m->n_units; i++) n += !isnan(m->units[i].score);
  strbuf_printf(sb, "%s %zu %s", i18n_text(lang, "mean_of_the"), n, i18n_text(lang, "units_with_score"));
  if (n < (size_t)m->n_era_units)
    strbuf_printf(sb, " (%s %d)", i18n_text(lang, "of_word"), m->n_era_units);
}

static void mean_label(strbuf_buf *sb, const writer *w) { html_mean_label(sb, w->m, w->lang); }

static void section_headline(strbuf_buf *sb, const writer *w) {
  const rmodel *m = w->m;
  size_t order[RMODEL_MAX_UNITS];
  rmodel_rank_order(m, order);
  h2(sb, w, "headline", "sec_headline", 0);
  strbuf_puts(sb, "<div class=\"cards\">\n<div class=\"card\"><div class=\"lbl\">");
  strbuf_esc(sb, S("top_provinces"));
  strbuf_puts(sb, "</div><ol>");
  for (size_t r = 0; r < m->n_units && r < 5; r++) {
    if (isnan(m->units[order[r]].score)) break;
    strbuf_puts(sb, "<li>");
    unit_link(sb, w, order[r], 0);
    strbuf_puts(sb, " <span class=\"muted\">");
    strbuf_num(sb, m->units[order[r]].score, 1, "–");
    strbuf_puts(sb, "</span></li>");
  }
  strbuf_puts(sb, "</ol></div>\n<div class=\"card\"><div class=\"lbl\" id=\"mean-label\">");
  mean_label(sb, w);
  strbuf_puts(sb, "</div><div class=\"big\" id=\"national-mean\">");
  strbuf_num(sb, national_mean(m), 1, "–");
  strbuf_puts(sb, "</div><div class=\"lbl\">");
  strbuf_esc(sb, S("score_scale"));
  strbuf_puts(sb, "</div></div>\n<div class=\"card\"><div class=\"lbl\">");
  strbuf_esc(sb, S("hnhcm_share"));
  strbuf_puts(sb, "</div><div class=\"big\">");
  double sh = hnhcm_share(m);
  strbuf_num(sb, sh, 1, "–");
  if (!isnan(sh)) strbuf_puts(sb, "%");
  const rmodel_measure *sm = share_measure(m);
  if (sm && !isnan(sm->lo)) {
    char t[160];
    strbuf_puts(sb, "</div><div class=\"lbl\" id=\"share-interval\">");
    strbuf_esc(sb, i18n_level(w->lang, "col_interval", m->share_level, t, sizeof t));
    strbuf_puts(sb, ": ");
    interval_text(sb, sm->lo, sm->hi, 1);
    strbuf_puts(sb, "%");
  }
  strbuf_puts(sb, "</div><div class=\"lbl\">");
  strbuf_esc(sb, S("hnhcm_share_note"));
  strbuf_puts(sb, "</div></div>\n</div>\n</section>\n");
}

static void ranking_table(strbuf_buf *sb, const writer *w) {
  const rmodel *m = w->m;
  size_t order[RMODEL_MAX_UNITS], shown = rmodel_shown_order(m, order);
  strbuf_puts(sb, "<table class=\"sortable\" id=\"ranking-table\"><thead><tr>");
  th(sb, w, "col_rank", 1); th(sb, w, "col_code", 0); th(sb, w, "col_name", 0);
  th(sb, w, "col_region", 0); th(sb, w, "col_score", 1); th_level(sb, w, "col_interval");
  th_level(sb, w, "col_rank_interval"); th(sb, w, "col_respondents", 1);
  if (m->n_tiers) th(sb, w, "col_tier", 0);
  strbuf_puts(sb, "</tr></thead><tbody>\n");
  for (size_t r = 0; r < shown; r++) {
    size_t i = order[r];
    const rmodel_unit *u = &m->units[i];
    strbuf_puts(sb, "<tr>");
    if (u->rank > 0) strbuf_printf(sb, "<td class=\"n\" data-v=\"%d\">%d</td>", u->rank, u->rank);
    else strbuf_puts(sb, "<td class=\"n\" data-v=\"999\">–</td>");
    strbuf_printf(sb, "<td>%s</td><td class=\"unit\" data-code=\"%s\">", u->code, u->code);
    unit_link(sb, w, i, 0);
    strbuf_puts(sb, "</td><td>");
    strbuf_esc(sb, geo_region_name(w->era, w->geo[i]->region, w->lang));
    strbuf_puts(sb, "</td>");
    td_num(sb, u->score, 1);
    if (!isnan(u->score_lo)) {
      strbuf_puts(sb, "<td class=\"n\">");
      strbuf_range(sb, u->score_lo, u->score_hi);
      strbuf_puts(sb, "</td>");
    }
    else strbuf_puts(sb, "<td class=\"n\">–</td>");
    if (u->rank_lo > 0) strbuf_printf(sb, "<td class=\"n\" data-v=\"%d\">%d–%d</td>", u->rank_lo, u->rank_lo, u->rank_hi);
    else strbuf_puts(sb, "<td class=\"n\">–</td>");
    if (u->n_resp >= 0) strbuf_printf(sb, "<td class=\"n\" data-v=\"%ld\">%ld</td>", u->n_resp, u->n_resp);
    else strbuf_puts(sb, "<td class=\"n\">–</td>");
    if (m->n_tiers) {
      const rmodel_tier *t = rmodel_tier_find(m, u->tier);
      strbuf_printf(sb, "<td class=\"tier\" data-tier=\"%s\">", t ? t->id : "");
      strbuf_esc(sb, t ? rmodel_tier_name(t, w->lang) : "–");
      strbuf_puts(sb, "</td>");
    }
    strbuf_puts(sb, "</tr>\n");
  }
  strbuf_puts(sb, "</tbody></table>\n");
}

/* The method's tiers with their cut-offs, and its top-N publication. */
static void tiers_note(strbuf_buf *sb, const writer *w) {
  const rmodel *m = w->m;
  char buf[400];
  if (m->top_n > 0) para(sb, "small", i18n_with_n(w->lang, "top_n_note", m->top_n, buf, sizeof buf));
  if (!m->n_tiers) return;
  strbuf_puts(sb, "<p class=\"small muted\" id=\"tiers\">");
  strbuf_esc(sb, S("tiers_note"));
  for (size_t t = 0; t < m->n_tiers; t++) {
    strbuf_puts(sb, t ? "; " : " ");
    strbuf_esc(sb, rmodel_tier_name(&m->tiers[t], w->lang));
    strbuf_puts(sb, " ≥ ");
    strbuf_num(sb, m->tiers[t].min, 0, "–");
  }
  strbuf_puts(sb, ".</p>\n");
}

/* Who is not ranked (or not published) and why, in the report's language. */
static void unranked_list(strbuf_buf *sb, const writer *w) {
  const rmodel *m = w->m;
  size_t order[RMODEL_MAX_UNITS], n = 0;
  rmodel_rank_order(m, order);
  for (size_t r = 0; r < m->n_units; r++)
    n += !m->units[order[r]].withheld && *rmodel_unit_note(&m->units[order[r]], w->lang);
  if (!n) return;
  strbuf_puts(sb, "<h3 id=\"unranked\">");
  strbuf_esc(sb, S("sec_unranked"));
  strbuf_printf(sb, " (%zu)</h3>\n", n);
  para(sb, "small muted", S("unranked_note"));
  strbuf_puts(sb, "<ul class=\"unranked\">\n");
  for (size_t r = 0; r < m->n_units; r++) {
    size_t i = order[r];
    const char *note = rmodel_unit_note(&m->units[i], w->lang);
    if (!*note || m->units[i].withheld) continue;
    strbuf_printf(sb, "<li data-code=\"%s\">", m->units[i].code);
    unit_link(sb, w, i, 0);
    strbuf_puts(sb, ": ");
    strbuf_esc(sb, note);
    strbuf_puts(sb, "</li>\n");
  }
  strbuf_puts(sb, "</ul>\n");
}

static void section_ranking(strbuf_buf *sb, const writer *w) {
  chart_ctx c = ctx_of(w, 0);
  h2(sb, w, "ranking", "sec_ranking", 1);
  if (!w->m->n_units) { not_computed(sb, w); strbuf_puts(sb, "</section>\n"); return; }
  para(sb, "small muted", S("ranking_note"));
  tiers_note(sb, w);
  chart_ranking(sb, &c);
  ranking_table(sb, w);
  unranked_list(sb, w);
  strbuf_puts(sb, "</section>\n");
}

static void section_pillars(strbuf_buf *sb, const writer *w) {
  chart_ctx c = ctx_of(w, 0);
  h2(sb, w, "pillars", "sec_pillars", 1);
  if (!w->m->n_pillars || !w->m->n_units) not_computed(sb, w);
  else {
    para(sb, "small muted", S("pillars_note"));
    chart_pillars(sb, &c);
  }
  strbuf_puts(sb, "</section>\n");
}

static void class_labels(const char *lang, const double *br, char lab[N_CLASSES][64]) {
  int comma = strcmp(lang, "vi") == 0;
  for (int k = 0; k < N_CLASSES; k++) {
    char a[24], b[24];
    strbuf_fmt_num(a, sizeof a, br[k], 1, comma);
    strbuf_fmt_num(b, sizeof b, br[k + 1], 1, comma);
    snprintf(lab[k], sizeof lab[k], "%s – %s", a, b);
  }
}

size_t html_map(strbuf_buf *sb, const rmodel *m, const map_geom *g, const geo_registry *reg,
                const char *lang, const char *const *hrefs) {
  geo_era era = m->n_era_units == 34 ? GEO_ERA_34 : GEO_ERA_63;
  int comma = strcmp(lang, "vi") == 0;
  double br[N_CLASSES + 1];
  size_t n = chart_quantile_breaks(m, N_CLASSES, br);
  const char *fill[RMODEL_MAX_UNITS] = {0}, *href[RMODEL_MAX_UNITS] = {0}, *title[RMODEL_MAX_UNITS] = {0};
  char titles[RMODEL_MAX_UNITS][160], lab[N_CLASSES][64];
  for (size_t s = 0; s < g->n && s < RMODEL_MAX_UNITS; s++) {
    const rmodel_unit *u = rmodel_unit_find(m, g->shapes[s].code);
    const geo_unit *gu = geo_find_code(reg, era, g->shapes[s].code);
    fill[s] = chart_class_colour(u ? chart_class_of(u->score, br, N_CLASSES) : -1);
    size_t i = u ? (size_t)(u - m->units) : 0;
    if (u && hrefs) href[s] = hrefs[i];
    char sc[32];
    strbuf_fmt_num(sc, sizeof sc, u ? u->score : NAN, 1, comma);
    if (u && !isnan(u->score)) snprintf(titles[s], sizeof titles[s], "%s: %s", gu->name, sc);
    else snprintf(titles[s], sizeof titles[s], "%s: %s", gu->name, i18n_text(lang, "not_computed_short"));
    title[s] = titles[s];
  }
  class_labels(lang, br, lab);
  const char *cfill[N_CLASSES], *clab[N_CLASSES];
  for (int k = 0; k < N_CLASSES; k++) { cfill[k] = chart_class_colour(k); clab[k] = lab[k]; }
  const char *rule[] = {i18n_text(lang, "legend_rule_1"), i18n_text(lang, "legend_rule_2")};
  map_style st = {fill, href, title, i18n_text(lang, "legend_title"), rule, 2, n ? N_CLASSES : 0,
                  cfill, clab, {i18n_text(lang, "paracel_1"), i18n_text(lang, "paracel_2")},
                  {i18n_text(lang, "spratly_1"), i18n_text(lang, "spratly_2")},
                  i18n_text(lang, "inset_note")};
  map_svg(sb, g, &st);
  return n;
}

static void section_map(strbuf_buf *sb, const writer *w) {
  h2(sb, w, "map", "sec_map", 1);
  strbuf_buf map;
  strbuf_init(&map);
  map.comma = sb->comma;
  if (!html_map(&map, w->m, w->map, w->reg, w->lang, (const char *const *)w->hrefs)) not_computed(sb, w);
  if (strbuf_error(&map)) sb->failed = 1;
  else strbuf_putn(sb, map.data ? map.data : "", map.len);
  strbuf_free(&map);
  para(sb, "small muted", S("map_note"));
  strbuf_puts(sb, "</section>\n");
}

/* Who the cities' 2025 units took in: "Hồ Chí Minh includes former Bình
** Dương, Bà Rịa - Vũng Tàu" (members other than the unit itself), plain
** text. */
static void cities_members(strbuf_buf *sb, const geo_registry *reg, const char *lang) {
  static const char *const cities[] = {"01", "79"};
  int said = 0;
  for (int k = 0; k < 2; k++) {
    const geo_unit *u = geo_find_code(reg, GEO_ERA_34, cities[k]);
    int n = 0;
    for (int i = 0; u && i < u->n_members; i++) {
      const geo_unit *p = geo_member(reg, u, i);
      if (!p || strcmp(p->code, u->code) == 0) continue;
      if (!n++) {
        strbuf_puts(sb, said++ ? "; " : "");
        strbuf_puts(sb, u->name);
        strbuf_printf(sb, " %s ", i18n_text(lang, "includes_former"));
      } else {
        strbuf_puts(sb, ", ");
      }
      strbuf_puts(sb, p->name);
    }
  }
}

void html_share_basis(strbuf_buf *sb, const rmodel *m, const geo_registry *reg, const char *lang) {
  int units = m->share_units ? m->share_units : m->n_era_units, first = 0, last = 0;
  for (size_t i = 0; i < m->n_share; i++)
    if (m->share_years[i] < GEO_FIRST_34_YEAR) {
      if (!first) first = m->share_years[i];
      last = m->share_years[i];
    }
  if (units == 34 && first) {
    if (first == last) strbuf_printf(sb, "%d ", first);
    else strbuf_printf(sb, "%d–%d ", first, last);
    strbuf_puts(sb, i18n_text(lang, "share_recomputed"));
    strbuf_puts(sb, ": ");
    cities_members(sb, reg, lang);
    strbuf_puts(sb, ".");
  } else {
    strbuf_puts(sb, i18n_text(lang, units == 34 ? "hnhcm_share_basis_34" : "hnhcm_share_basis_63"));
  }
}

/* The basis of the HN+HCM share, always said under its chart: each year
** on its own 63 provinces, or the years before 2025 recomputed on the 34
** units of 2025 and what the cities' units took in. Two figures for the
** same year never stand without a label (issue 12). */
static void share_basis(strbuf_buf *sb, const writer *w) {
  strbuf_buf t;
  strbuf_init(&t);
  html_share_basis(&t, w->m, w->reg, w->lang);
  if (strbuf_error(&t)) sb->failed = 1;
  strbuf_puts(sb, "<p class=\"small muted\" id=\"share-basis\">");
  strbuf_esc(sb, t.data ? t.data : "");
  strbuf_puts(sb, "</p>");
  strbuf_free(&t);
}

/* Both figures of the years that have two: on the report's units (with
** the interval) and on the units of that year. */
static void share_table(strbuf_buf *sb, const writer *w) {
  const rmodel *m = w->m;
  int two = 0;
  for (size_t i = 0; m->share_own && i < m->n_share; i++) two |= !isnan(m->share_own[i]);
  if (!two) return;
  char t[160];
  strbuf_puts(sb, "<div class=\"scroll\"><table id=\"share-table\"><thead><tr>");
  th(sb, w, "col_year", 0); th(sb, w, "col_share_34", 1);
  strbuf_puts(sb, "<th class=\"n\">");
  strbuf_esc(sb, i18n_level(w->lang, "col_interval", m->share_level, t, sizeof t));
  strbuf_puts(sb, "</th>");
  th(sb, w, "col_share_own", 1);
  strbuf_puts(sb, "</tr></thead><tbody>");
  for (size_t i = 0; i < m->n_share; i++) {
    strbuf_printf(sb, "<tr><td>%d</td>", m->share_years[i]);
    td_num(sb, m->share[i], 1);
    strbuf_puts(sb, "<td class=\"n\">");
    interval_text(sb, m->share_lo ? m->share_lo[i] : NAN, m->share_hi ? m->share_hi[i] : NAN, 1);
    strbuf_puts(sb, "</td>");
    td_num(sb, m->share_own[i], 1);
    strbuf_puts(sb, "</tr>");
  }
  strbuf_puts(sb, "</tbody></table></div>\n");
}

static void section_divide(strbuf_buf *sb, const writer *w) {
  const rmodel *m = w->m;
  chart_ctx c = ctx_of(w, 0);
  h2(sb, w, "divide", "sec_divide", 1);
  if (!m->n_measures && !m->n_lorenz && !m->n_share) {
    not_computed(sb, w);
    strbuf_puts(sb, "</section>\n");
    return;
  }
  if (m->n_measures) {
    strbuf_puts(sb, "<table class=\"measures\"><thead><tr>");
    int with_ci = has_measure_interval(m);
    char t[160];
    th(sb, w, "col_measure", 0); th(sb, w, "col_value", 1);
    if (with_ci) {
      strbuf_puts(sb, "<th class=\"n\">");
      strbuf_esc(sb, i18n_level(w->lang, "col_interval", m->share_level, t, sizeof t));
      strbuf_puts(sb, "</th>");
    }
    strbuf_puts(sb, "</tr></thead><tbody>");
    for (size_t i = 0; i < m->n_measures; i++) {
      char key[80];
      snprintf(key, sizeof key, "measure_%s", m->measures[i].id);
      strbuf_puts(sb, "<tr><td>");
      strbuf_esc(sb, i18n_has(key) ? S(key) : m->measures[i].id);
      strbuf_puts(sb, "</td>");
      int dec = fabs(m->measures[i].value) >= 10 ? 1 : 3;
      td_num(sb, m->measures[i].value, dec);
      if (with_ci) {
        strbuf_puts(sb, "<td class=\"n\">");
        interval_text(sb, m->measures[i].lo, m->measures[i].hi, dec);
        strbuf_puts(sb, "</td>");
      }
      strbuf_puts(sb, "</tr>");
    }
    strbuf_puts(sb, "</tbody></table>\n");
  }
  strbuf_puts(sb, "<div class=\"pair\">");
  if (m->n_lorenz) {
    strbuf_puts(sb, "<div><h3>");
    strbuf_esc(sb, S("lorenz_title"));
    strbuf_puts(sb, "</h3>");
    chart_lorenz(sb, &c);
    strbuf_puts(sb, "</div>");
  }
  if (m->n_share) {
    strbuf_puts(sb, "<div><h3>");
    strbuf_esc(sb, S("share_title"));
    strbuf_puts(sb, "</h3>");
    chart_series ss = {m->share_years, m->share, m->share_lo, m->share_hi, m->n_share,
                       m->share_level};
    chart_line(sb, &c, &ss, m->share_target, 100, "chart_share_axis", "chart_target_line");
    share_basis(sb, w);
    strbuf_puts(sb, "</div>");
  }
  strbuf_puts(sb, "</div>\n");
  share_table(sb, w);
  para(sb, "small muted", S("divide_note"));
  strbuf_puts(sb, "</section>\n");
}

static const char *status_key(const char *status) {
  return strcmp(status, "achieved") == 0        ? "status_achieved"
         : strcmp(status, "on_track") == 0      ? "status_on_track"
         : strcmp(status, "off_track") == 0     ? "status_off_track"
         : strcmp(status, "no_baseline") == 0   ? "status_no_baseline"
         : strcmp(status, "baseline_only") == 0 ? "status_baseline_only"
                                                : "status_no_data";
}

static void target_row(strbuf_buf *sb, const writer *w, const rmodel_target *t, int with_scope) {
  const char *status = rmodel_target_status(t);
  strbuf_puts(sb, "<tr><td>");
  strbuf_esc(sb, strcmp(w->lang, "en") == 0 && *t->desc_en ? t->desc_en : t->desc_vi);
  strbuf_puts(sb, "<br/><span class=\"small muted\">");
  strbuf_esc(sb, t->plan);
  strbuf_puts(sb, "</span></td>");
  if (with_scope) {
    strbuf_puts(sb, "<td>");
    const geo_unit *g = t->province[0] ? geo_find_code(w->reg, w->era, t->province) : NULL;
    strbuf_esc(sb, g ? g->name : S("national"));
    strbuf_puts(sb, "</td>");
  }
  strbuf_printf(sb, "<td class=\"n\">%d</td>", t->target_year);
  td_num(sb, t->target, 1);
  if (t->actual_year && !isnan(t->actual)) { /* the year judged: a past target at its own */
    strbuf_printf(sb, "<td class=\"n\" data-v=\"%.6g\">", t->actual);
    strbuf_num(sb, t->actual, 1, "–");
    strbuf_printf(sb, " <span class=\"small muted\">(%d)</span>", t->actual_year);
    if (t->source && !strcmp(t->source, "published")) {
      strbuf_puts(sb, " <span class=\"tag published\">");
      strbuf_esc(sb, S("source_published"));
      strbuf_puts(sb, "</span>");
    }
    strbuf_puts(sb, "</td>");
  } else {
    td_num(sb, t->actual, 1);
  }
  strbuf_puts(sb, "<td>");
  strbuf_esc(sb, t->unit);
  strbuf_puts(sb, "</td><td>");
  chart_progress(sb, rmodel_target_progress(t), status);
  strbuf_printf(sb, "</td><td><span class=\"status st-%s\">", status);
  strbuf_esc(sb, S(status_key(status)));
  strbuf_puts(sb, "</span></td></tr>\n");
}

static void targets_table(strbuf_buf *sb, const writer *w, const char *province, int with_scope) {
  strbuf_puts(sb, "<table class=\"targets\"><thead><tr>");
  th(sb, w, "col_target", 0);
  if (with_scope) th(sb, w, "col_scope", 0);
  th(sb, w, "col_target_year", 1); th(sb, w, "col_target_value", 1);
  th(sb, w, "col_actual", 1); th(sb, w, "col_unit", 0); th(sb, w, "col_progress", 0);
  th(sb, w, "col_status", 0);
  strbuf_puts(sb, "</tr></thead><tbody>\n");
  for (size_t i = 0; i < w->m->n_targets; i++) {
    const rmodel_target *t = &w->m->targets[i];
    if (province && strcmp(t->province, province)) continue;
    target_row(sb, w, t, with_scope);
  }
  strbuf_puts(sb, "</tbody></table>\n");
}

/* Published figures beside this report's own estimates are said to be
** such, and what the estimates cover (issue 12). */
static void published_note(strbuf_buf *sb, const writer *w) {
  int any = 0;
  for (size_t i = 0; i < w->m->n_targets; i++)
    any |= w->m->targets[i].source && !strcmp(w->m->targets[i].source, "published");
  if (any) para(sb, "small muted", S("published_note"));
}

static void section_targets(strbuf_buf *sb, const writer *w) {
  h2(sb, w, "targets", "sec_targets", 1);
  if (!w->m->n_targets) not_computed(sb, w);
  else {
    targets_table(sb, w, NULL, 1);
    para(sb, "small muted", S("targets_note"));
    published_note(sb, w);
  }
  strbuf_puts(sb, "</section>\n");
}

static void section_sensitivity(strbuf_buf *sb, const writer *w) {
  chart_ctx c = ctx_of(w, 0);
  h2(sb, w, "sensitivity", "sec_sensitivity", 1);
  if (!w->m->n_shifts && !w->m->n_sobol) not_computed(sb, w);
  if (w->m->n_shifts) {
    strbuf_puts(sb, "<h3>");
    strbuf_esc(sb, S("rankshift_title"));
    strbuf_puts(sb, "</h3>");
    para(sb, "small muted", S(w->m->shifts_crossed ? "rankshift_note_crossed" : "rankshift_note"));
    chart_rankshift(sb, &c);
  }
  if (w->m->n_sobol) {
    strbuf_puts(sb, "<h3>");
    strbuf_esc(sb, S("sobol_title"));
    strbuf_puts(sb, "</h3>");
    para(sb, "small muted", S("sobol_note"));
    chart_sobol(sb, &c);
  }
  strbuf_puts(sb, "</section>\n");
}

/* A method's name in the page's language ("goalposts" is "mốc cố định"),
** the name itself when the strings table has none. */
static void esc_method(strbuf_buf *sb, const writer *w, const char *name) {
  char key[64];
  snprintf(key, sizeof key, "m_%s", name);
  strbuf_esc(sb, i18n_has(key) ? S(key) : name);
}

/* An import's kind, "survey 2025" or "indicators 2025", in the page's
** language. */
static void esc_kind(strbuf_buf *sb, const writer *w, const char *kind) {
  const char *sp = strchr(kind, ' ');
  char key[64];
  snprintf(key, sizeof key, "kind_%.*s", sp ? (int)(sp - kind) : (int)strlen(kind), kind);
  if (!i18n_has(key)) {
    strbuf_esc(sb, kind);
    return;
  }
  strbuf_esc(sb, S(key));
  if (sp) strbuf_esc(sb, sp);
}

/* One node and, recursively, its children (depth-limited). */
static void tree_node(strbuf_buf *sb, const writer *w, const rmodel_node *n, int depth) {
  strbuf_puts(sb, "<li><b>");
  strbuf_esc(sb, rmodel_node_name(w->m, n->id, w->lang));
  strbuf_puts(sb, "</b> <code>");
  strbuf_esc(sb, n->id);
  strbuf_puts(sb, "</code>");
  if (!isnan(n->weight)) {
    char wt[32];
    snprintf(wt, sizeof wt, "%.3g", n->weight);
    char *dot = w->comma ? strchr(wt, '.') : NULL;
    if (dot) *dot = ',';
    strbuf_printf(sb, " · %s %s", S("weight"), wt);
  }
  if (n->direction) strbuf_printf(sb, " · %s %s", S("direction"), n->direction > 0 ? "+" : "−");
  if (*n->normalisation) { strbuf_printf(sb, " · %s ", S("normalisation")); esc_method(sb, w, n->normalisation); }
  if (*n->aggregation) { strbuf_printf(sb, " · %s ", S("aggregation")); esc_method(sb, w, n->aggregation); }
  int open = 0;
  for (size_t k = 0; depth < 8 && k < w->m->n_nodes; k++) {
    const rmodel_node *ch = &w->m->nodes[k];
    if (strcmp(ch->parent, n->id)) continue;
    if (!open) { strbuf_puts(sb, "<ul class=\"tree\">"); open = 1; }
    tree_node(sb, w, ch, depth + 1);
  }
  if (open) strbuf_puts(sb, "</ul>");
  strbuf_puts(sb, "</li>\n");
}

static void section_method(strbuf_buf *sb, const writer *w) {
  const rmodel *m = w->m;
  h2(sb, w, "method", "sec_method", 1);
  strbuf_puts(sb, "<p><b>");
  strbuf_esc(sb, strcmp(w->lang, "en") == 0 && m->method_name_en && *m->method_name_en ? m->method_name_en : m->method_name_vi);
  strbuf_puts(sb, "</b> <code>");
  strbuf_esc(sb, m->method_id);
  strbuf_puts(sb, "</code></p>\n");
  if (m->normalisation && *m->normalisation) {
    strbuf_printf(sb, "<p>%s: ", S("normalisation"));
    esc_method(sb, w, m->normalisation);
    strbuf_printf(sb, "; %s: ", S("aggregation"));
    esc_method(sb, w, m->aggregation);
    strbuf_puts(sb, "</p>\n");
  }
  if (!m->n_nodes) not_computed(sb, w);
  strbuf_puts(sb, "<ul class=\"tree\" id=\"method-tree\">");
  for (size_t k = 0; k < m->n_nodes; k++)
    if (!*m->nodes[k].parent) tree_node(sb, w, &m->nodes[k], 0);
  strbuf_puts(sb, "</ul>\n");
  para(sb, "small muted", S("method_note"));
  strbuf_puts(sb, "</section>\n");
}

static void section_provenance(strbuf_buf *sb, const writer *w) {
  const rmodel *m = w->m;
  h2(sb, w, "provenance", "sec_provenance", 0);
  if (m->n_imports) {
    strbuf_puts(sb, "<table class=\"imports\"><thead><tr>");
    th(sb, w, "col_file", 0); th(sb, w, "col_kind", 0); th(sb, w, "col_rows", 1); th(sb, w, "col_sha256", 0);
    strbuf_puts(sb, "</tr></thead><tbody>");
    for (size_t i = 0; i < m->n_imports; i++) {
      strbuf_puts(sb, "<tr><td>");
      strbuf_esc(sb, m->imports[i].file);
      strbuf_puts(sb, "</td><td>");
      esc_kind(sb, w, m->imports[i].kind);
      strbuf_puts(sb, "</td>");
      td_num(sb, m->imports[i].rows >= 0 ? (double)m->imports[i].rows : NAN, 0);
      strbuf_puts(sb, "<td class=\"hash\">");
      strbuf_esc(sb, m->imports[i].sha256);
      strbuf_puts(sb, "</td></tr>");
    }
    strbuf_puts(sb, "</tbody></table>\n");
  } else not_computed(sb, w);
  strbuf_printf(sb, "<table class=\"meta\"><tbody><tr><th>%s</th><td class=\"hash\">", S("method_hash"));
  strbuf_esc(sb, m->method_hash && *m->method_hash ? m->method_hash : "–");
  strbuf_printf(sb, "</td></tr><tr><th>%s</th><td class=\"hash\">", S("seed"));
  strbuf_esc(sb, m->seed && *m->seed ? m->seed : "–");
  strbuf_printf(sb, "</td></tr><tr><th>%s</th><td>", S("chiso_version"));
  strbuf_esc(sb, m->chiso_version && *m->chiso_version ? m->chiso_version : CHISO_VERSION);
  strbuf_puts(sb, "</td></tr></tbody></table>\n</section>\n");
}

static void toc(strbuf_buf *sb, const writer *w) {
  static const char *const ids[] = {"headline", "ranking", "pillars", "map", "divide",
                              "targets", "sensitivity", "method", "provenance"};
  strbuf_puts(sb, "<nav class=\"toc\">");
  for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
    char key[32];
    snprintf(key, sizeof key, "sec_%s", ids[i]);
    strbuf_printf(sb, "<a href=\"#%s\">", ids[i]);
    strbuf_esc(sb, S(key));
    strbuf_puts(sb, "</a>");
  }
  strbuf_puts(sb, "</nav>\n");
}

static void header_block(strbuf_buf *sb, const writer *w, const char *title, const char *sub) {
  strbuf_puts(sb, "<header class=\"top\"><h1>");
  strbuf_esc(sb, title);
  strbuf_puts(sb, "</h1><p>");
  strbuf_esc(sb, sub);
  strbuf_puts(sb, "</p></header>\n<main>\n");
  (void)w;
}

/* The publication's title in the page's language: the model's (the
** methodology's title or a --title), else the default. */
const char *html_report_title(const rmodel *m, const char *lang) {
  int en = lang && strcmp(lang, "en") == 0;
  const char *t = en ? m->title_en : m->title_vi;
  if (!t || !*t) t = en ? m->title_vi : m->title_en;
  return t && *t ? t : i18n_text(lang, "report_title");
}

static const char *report_title(const writer *w) { return html_report_title(w->m, w->lang); }

static void build_index(strbuf_buf *sb, const writer *w) {
  char title[512], sub[256];
  snprintf(title, sizeof title, "%s %d", report_title(w), w->m->year);
  snprintf(sub, sizeof sub, "%s · %d %s", S("report_subtitle"), w->m->n_era_units, S("units_word"));
  page_open(sb, w, title);
  header_block(sb, w, title, sub);
  toc(sb, w);
  section_headline(sb, w);
  section_ranking(sb, w);
  section_pillars(sb, w);
  section_map(sb, w);
  section_divide(sb, w);
  section_targets(sb, w);
  section_sensitivity(sb, w);
  section_method(sb, w);
  section_provenance(sb, w);
  strbuf_puts(sb, "</main>\n");
  page_close(sb, w, 1);
}

/* ------------------------------------------------------------------ */
/* Profiles                                                            */
/* ------------------------------------------------------------------ */

/* An indicator's value as people read it: a share (0..1) and a
** percentage with one decimal and "%", anything else with 2 decimals. */
static void td_indicator(strbuf_buf *sb, const writer *w, size_t k, double v) {
  const rmodel_node *node = rmodel_node_find(w->m, w->m->indicators[k]);
  const char *unit = node && node->unit ? node->unit : "";
  int share = strcmp(unit, "share") == 0, pct = share || strcmp(unit, "percent") == 0;
  if (isnan(v) || !pct) {
    td_num(sb, v, 2);
    return;
  }
  strbuf_printf(sb, "<td class=\"n\" data-v=\"%.6g\">", v);
  strbuf_num(sb, share ? 100 * v : v, 1, "–");
  strbuf_puts(sb, "%</td>");
}

static void sw_rows(strbuf_buf *sb, const writer *w, const profile_item *it, size_t n) {
  for (size_t r = 0; r < n; r++) {
    strbuf_puts(sb, "<tr><td>");
    strbuf_esc(sb, rmodel_node_name(w->m, w->m->indicators[it[r].indicator], w->lang));
    strbuf_puts(sb, "</td>");
    td_indicator(sb, w, it[r].indicator, it[r].value);
    td_indicator(sb, w, it[r].indicator, it[r].reference);
    strbuf_printf(sb, "<td class=\"n\" data-v=\"%d\">%d/%d</td></tr>", it[r].rank, it[r].rank,
                  it[r].n_ranked);
  }
}

static void profile_sw(strbuf_buf *sb, const writer *w, size_t i) {
  profile_item str[3], weak[3];
  size_t ns = 0, nw = 0;
  profile_strengths(w->m, i, NULL, str, &ns, weak, &nw);
  strbuf_puts(sb, "<section id=\"strengths\"><h2>");
  strbuf_esc(sb, S("sec_strengths"));
  strbuf_puts(sb, "</h2>\n");
  if (!ns && !nw) { not_computed(sb, w); strbuf_puts(sb, "</section>\n"); return; }
  para(sb, "small muted", S("strengths_note"));
  const char *keys[] = {"strengths", "weaknesses"}, *none[] = {"no_strengths", "no_weaknesses"};
  for (int part = 0; part < 2; part++) {
    strbuf_puts(sb, "<h3>");
    strbuf_esc(sb, S(keys[part]));
    strbuf_puts(sb, "</h3>");
    if (!(part ? nw : ns)) {
      para(sb, "muted", S(none[part]));
      continue;
    }
    strbuf_puts(sb, "<div class=\"scroll\"><table><thead><tr>");
    th(sb, w, "col_indicator", 0); th(sb, w, "col_value", 1);
    th(sb, w, "col_reference_mean", 1); th(sb, w, "col_rank", 1);
    strbuf_puts(sb, "</tr></thead><tbody>");
    sw_rows(sb, w, part ? weak : str, part ? nw : ns);
    strbuf_puts(sb, "</tbody></table></div>\n");
  }
  strbuf_puts(sb, "</section>\n");
}

static void profile_pillars(strbuf_buf *sb, const writer *w, size_t i) {
  const rmodel *m = w->m;
  double reg[RMODEL_MAX_PILLARS], nat[RMODEL_MAX_PILLARS];
  if (m->n_pillars > RMODEL_MAX_PILLARS || !m->n_pillars) return;
  chart_pillar_means(m, w->geo, i, reg, nat);
  chart_ctx c = ctx_of(w, 1);
  strbuf_puts(sb, "<section id=\"profile-pillars\"><h2>");
  strbuf_esc(sb, S("sec_profile_pillars"));
  strbuf_puts(sb, "</h2>\n");
  chart_profile_pillars(sb, &c, i, reg, nat);
  size_t in_region = 0; /* chart_pillar_means gives no mean of one unit */
  for (size_t u = 0; u < m->n_units; u++)
    in_region += w->geo[u]->region == w->geo[i]->region && !isnan(m->units[u].score);
  if (in_region < 2) {
    strbuf_puts(sb, "<p class=\"small muted\" id=\"no-region-mean\">");
    strbuf_esc(sb, S("region_mean_one"));
    strbuf_puts(sb, "</p>\n");
  }
  strbuf_puts(sb, "</section>\n");
}

static void profile_head(strbuf_buf *sb, const writer *w, size_t i) {
  const rmodel_unit *u = &w->m->units[i];
  strbuf_puts(sb, "<div class=\"cards\"><div class=\"card\"><div class=\"lbl\">");
  strbuf_esc(sb, S("col_score"));
  strbuf_puts(sb, "</div><div class=\"big\" id=\"score\">");
  strbuf_num(sb, u->score, 1, "–");
  strbuf_puts(sb, "</div><div class=\"lbl\">");
  esc_level(sb, w, "col_interval");
  strbuf_puts(sb, ": ");
  if (!isnan(u->score_lo)) strbuf_range(sb, u->score_lo, u->score_hi);
  else strbuf_puts(sb, "–");
  strbuf_puts(sb, "</div></div><div class=\"card\"><div class=\"lbl\">");
  strbuf_esc(sb, S("col_rank"));
  strbuf_puts(sb, "</div><div class=\"big\">");
  if (u->rank > 0) strbuf_printf(sb, "%d<span class=\"muted small\">/%zu</span>", u->rank, w->m->n_units);
  else strbuf_puts(sb, "–");
  strbuf_puts(sb, "</div><div class=\"lbl\">");
  esc_level(sb, w, "col_rank_interval");
  strbuf_puts(sb, ": ");
  if (u->rank_lo > 0) strbuf_printf(sb, "%d–%d", u->rank_lo, u->rank_hi);
  else strbuf_puts(sb, "–");
  strbuf_puts(sb, "</div></div><div class=\"card\"><div class=\"lbl\">");
  strbuf_esc(sb, S("col_respondents"));
  strbuf_puts(sb, "</div><div class=\"big\">");
  if (u->n_resp >= 0) strbuf_printf(sb, "%ld", u->n_resp);
  else strbuf_puts(sb, "–");
  strbuf_puts(sb, "</div></div></div>\n");
  const rmodel_tier *tr = rmodel_tier_find(w->m, u->tier);
  if (tr) {
    strbuf_puts(sb, "<p id=\"tier\">");
    strbuf_esc(sb, S("col_tier"));
    strbuf_puts(sb, ": <strong>");
    strbuf_esc(sb, rmodel_tier_name(tr, w->lang));
    strbuf_puts(sb, "</strong></p>\n");
  }
  const char *note = rmodel_unit_note(u, w->lang);
  if (*note) {
    strbuf_puts(sb, "<p class=\"warn\" id=\"not-ranked\">");
    strbuf_esc(sb, note);
    strbuf_puts(sb, "</p>\n");
  }
  if (u->n_resp == 0) { /* not a small sample: none (issue 12) */
    strbuf_puts(sb, "<p class=\"warn\" id=\"no-respondents\">");
    strbuf_esc(sb, S("no_respondents"));
    strbuf_puts(sb, "</p>\n");
  } else if (!*note && u->n_resp > 0 && u->n_resp < w->m->min_respondents) {
    /* (with a reason given above, it says the same: said once) */
    strbuf_puts(sb, "<p class=\"warn\" id=\"small-sample\">");
    strbuf_esc(sb, S("small_sample"));
    strbuf_printf(sb, " (n = %ld &lt; %ld)</p>\n", u->n_resp, w->m->min_respondents);
  }
}

static void profile_trend(strbuf_buf *sb, const writer *w, size_t i) {
  chart_ctx c = ctx_of(w, 1);
  int any = 0;
  for (size_t y = 0; y < w->m->n_years; y++) any |= !isnan(w->m->units[i].trend[y]);
  strbuf_puts(sb, "<section id=\"trend\"><h2>");
  strbuf_esc(sb, S("sec_trend"));
  strbuf_puts(sb, "</h2>\n");
  if (!any) not_computed(sb, w);
  else {
    chart_series ts = {w->m->years, w->m->units[i].trend, NULL, NULL, w->m->n_years, NAN};
    chart_line(sb, &c, &ts, NAN, 100, "chart_score_plain", NULL);
  }
  strbuf_puts(sb, "</section>\n");
}

/* A 2025 unit made of several former provinces says so, and that its
** figures before 2025 are re-estimated on its boundaries (issue 12). */
int html_formed_text(strbuf_buf *sb, const rmodel *m, const geo_registry *reg, const geo_unit *g,
                     const char *lang) {
  if (geo_era_for_year(m->year) != GEO_ERA_34 || !g || g->n_members < 2) return 0;
  strbuf_puts(sb, i18n_text(lang, "formed_from"));
  for (int k = 0; k < g->n_members; k++) {
    const geo_unit *p = geo_member(reg, g, k);
    strbuf_puts(sb, k ? ", " : " ");
    if (p) strbuf_puts(sb, p->name);
  }
  strbuf_puts(sb, ".");
  int first = 0, last = 0;
  for (size_t t = 0; t < m->n_years; t++)
    if (m->years[t] < GEO_FIRST_34_YEAR) {
      if (!first) first = m->years[t];
      last = m->years[t];
    }
  if (first) {
    strbuf_puts(sb, " ");
    strbuf_puts(sb, i18n_text(lang, "reestimated_1"));
    if (first == last) strbuf_printf(sb, " %d ", first);
    else strbuf_printf(sb, " %d–%d ", first, last);
    strbuf_puts(sb, i18n_text(lang, "reestimated_2"));
  }
  return 1;
}

static void profile_formed(strbuf_buf *sb, const writer *w, size_t i) {
  strbuf_buf t;
  strbuf_init(&t);
  if (w->era == GEO_ERA_34 && html_formed_text(&t, w->m, w->reg, w->geo[i], w->lang)) {
    strbuf_puts(sb, "<p class=\"formed\" id=\"formed-from\">");
    strbuf_esc(sb, t.data ? t.data : "");
    strbuf_puts(sb, "</p>\n");
  }
  if (strbuf_error(&t)) sb->failed = 1;
  strbuf_free(&t);
}

static void build_profile(strbuf_buf *sb, const writer *w, size_t i) {
  char title[256], sub[512];
  const geo_unit *g = w->geo[i];
  snprintf(title, sizeof title, "%s — %s %d", w->names[i], report_title(w), w->m->year);
  snprintf(sub, sizeof sub, "%s %s · %s", S("col_code"), g->code,
           geo_region_name(w->era, g->region, w->lang));
  page_open(sb, w, title);
  header_block(sb, w, title, sub);
  strbuf_printf(sb, "<p class=\"noprint\"><a href=\"../index.html#ranking\">%s</a></p>\n", S("back_to_report"));
  profile_formed(sb, w, i);
  profile_head(sb, w, i);
  profile_pillars(sb, w, i);
  profile_sw(sb, w, i);
  profile_trend(sb, w, i);
  int has_targets = 0;
  for (size_t t = 0; t < w->m->n_targets; t++)
    has_targets |= strcmp(w->m->targets[t].province, w->m->units[i].code) == 0;
  if (has_targets) {
    strbuf_puts(sb, "<section id=\"profile-targets\"><h2>");
    strbuf_esc(sb, S("sec_targets"));
    strbuf_puts(sb, "</h2>\n");
    targets_table(sb, w, w->m->units[i].code, 0);
    strbuf_puts(sb, "</section>\n");
  }
  strbuf_puts(sb, "</main>\n");
  page_close(sb, w, 0);
}

/* ------------------------------------------------------------------ */
/* Driver                                                              */
/* ------------------------------------------------------------------ */

static void writer_free(writer *w) {
  for (size_t i = 0; i < w->m->n_units; i++) {
    if (w->hrefs) chiso_free(w->hrefs[i]);
    if (w->hrefs_up) chiso_free(w->hrefs_up[i]);
  }
  chiso_free(w->hrefs);
  chiso_free(w->hrefs_up);
  chiso_free(w->geo);
  chiso_free(w->names);
  map_free(w->map);
}

static int writer_init(writer *w, const rmodel *m, const geo_registry *reg, const char *lang,
                       chiso_err *err) {
  size_t n = m->n_units ? m->n_units : 1;
  memset(w, 0, sizeof *w);
  w->m = m;
  w->lang = lang;
  w->comma = strcmp(lang, "vi") == 0;
  w->reg = reg;
  w->era = m->n_era_units == 34 ? GEO_ERA_34 : GEO_ERA_63;
  w->geo = chiso_calloc(n, sizeof *w->geo);
  w->names = chiso_calloc(n, sizeof *w->names);
  w->hrefs = chiso_calloc(n, sizeof *w->hrefs);
  w->hrefs_up = chiso_calloc(n, sizeof *w->hrefs_up);
  if (!w->geo || !w->names || !w->hrefs || !w->hrefs_up)
    return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  for (size_t i = 0; i < m->n_units; i++) {
    w->geo[i] = geo_find_code(reg, w->era, m->units[i].code);
    if (!w->geo[i])
      return chiso_err_set(err, CHISO_EDATA, "unit %s is not one of the %d units", m->units[i].code,
                           m->n_era_units);
    w->names[i] = w->geo[i]->name;
    if (!rmodel_unit_shown(m, i)) continue; /* hidden (--hide-empty): no profile, no link */
    w->hrefs[i] = chiso_malloc(32);
    w->hrefs_up[i] = chiso_malloc(16);
    if (!w->hrefs[i] || !w->hrefs_up[i]) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
    snprintf(w->hrefs[i], 32, "provinces/%s.html", m->units[i].code);
    snprintf(w->hrefs_up[i], 16, "%s.html", m->units[i].code);
  }
  return map_load(reg, w->era, &w->map, err);
}

static int make_dir(const char *path, chiso_err *err) {
  if (mkdir(path, 0777) == 0 || errno == EEXIST) {
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) return CHISO_OK;
  }
  return chiso_err_at(err, CHISO_EIO, path, 0, 0, "cannot create the directory: %s",
                      strerror(errno ? errno : ENOTDIR));
}

/* Build every page in memory, then write them (profiles first, index
** last, so an index never links to a profile that was not written). */
static int write_pages(const writer *w, const char *dir, chiso_err *err) {
  size_t n = w->m->n_units;
  strbuf_buf *pages = chiso_calloc(n + 1, sizeof *pages);
  char path[4300];
  int rc = CHISO_OK;
  if (!pages) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  /* Vietnamese writes decimals with a comma (85,0). */
  for (size_t i = 0; i <= n; i++) pages[i].comma = w->comma;
  for (size_t i = 0; i < n; i++)
    if (w->hrefs[i]) build_profile(&pages[i], w, i);
  build_index(&pages[n], w);
  for (size_t i = 0; i <= n && rc == CHISO_OK; i++) {
    if (i < n && !w->hrefs[i]) continue; /* a unit --hide-empty hides */
    if (i < n) snprintf(path, sizeof path, "%s/%s", dir, w->hrefs[i]);
    else snprintf(path, sizeof path, "%s/index.html", dir);
    rc = strbuf_write_file(&pages[i], path, err);
  }
  for (size_t i = 0; i <= n; i++) strbuf_free(&pages[i]);
  chiso_free(pages);
  return rc;
}

/* 1 when `name` ends in ".html". */
static int html_name(const char *name) {
  size_t n = strlen(name);
  return n > 5 && strcmp(name + n - 5, ".html") == 0;
}

/* Does `dir` hold an earlier report and nothing else: index.html and a
** provinces/ of .html pages? Then a new report may replace it. */
static int is_report_dir(const char *dir) {
  char sub[4200];
  DIR *d = opendir(dir);
  struct dirent *e;
  int ok = d != NULL;
  while (ok && (e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    ok = !strcmp(e->d_name, "index.html") || !strcmp(e->d_name, "provinces");
  }
  if (d) closedir(d);
  snprintf(sub, sizeof sub, "%s/provinces", dir);
  if (ok && (d = opendir(sub))) {
    while (ok && (e = readdir(d)))
      ok = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || html_name(e->d_name);
    closedir(d);
  }
  return ok;
}

int html_write(const rmodel *m, const html_options *opt, const char *dir, chiso_err *err) {
  assert(m && dir);
  const char *lang = opt && opt->lang && strcmp(opt->lang, "en") == 0 ? "en" : "vi";
  if (opt && opt->units && opt->units != m->n_era_units)
    return chiso_err_set(err, CHISO_EUSAGE,
                         "the model has %d units; a %d-unit report needs a %d-unit model",
                         m->n_era_units, opt->units, opt->units);
  if (rmodel_check(m, err)) return CHISO_EDATA;
  geo_registry *reg = NULL;
  writer w;
  char sub[4300];
  outdir od;
  int rc = geo_registry_new(&reg, err);
  if (rc) return rc;
  rc = writer_init(&w, m, reg, lang, err);
  /* built in a sibling directory and renamed into place when whole */
  int started = rc == CHISO_OK && (rc = outdir_begin(&od, dir, is_report_dir, err)) == CHISO_OK;
  if (started) snprintf(sub, sizeof sub, "%s/provinces", od.tmp);
  if (rc == CHISO_OK) rc = make_dir(sub, err);
  if (rc == CHISO_OK && (rc = write_pages(&w, od.tmp, err)) && err) {
    /* name the page by where it was going, not the temporary directory */
    size_t k = strlen(od.tmp);
    char shown[sizeof err->file];
    if (strncmp(err->file, od.tmp, k) == 0) {
      snprintf(shown, sizeof shown, "%s%s", dir, err->file + k);
      snprintf(err->file, sizeof err->file, "%s", shown);
    }
  }
  if (rc == CHISO_OK) rc = outdir_commit(&od, err);
  else if (started) outdir_abort(&od);
  writer_free(&w);
  geo_registry_free(reg);
  return rc;
}

/* pdfdoc.c — flowing A4 pages on cairo, pango and librsvg (pdfdoc.h). */
#include "report/pdfdoc.h"

#include "base/mem.h"
#include "chiso.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <librsvg/rsvg.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TOP 58.0                     /* content starts below the header */
#define BOTTOM (PDFDOC_PAGE_H - 52)  /* and ends above the footer */

/* The page's colours (those of the HTML report). */
typedef struct { double r, g, b; } rgb;
static const rgb INK = {0x1f / 255., 0x29 / 255., 0x33 / 255.};
static const rgb MUTED = {0x5f / 255., 0x6b / 255., 0x7a / 255.};
static const rgb ACCENT = {0x0b / 255., 0x3f / 255., 0x7a / 255.};
static const rgb LINE = {0xd8 / 255., 0xde / 255., 0xe6 / 255.};
static const rgb HEAD_BG = {0xf3 / 255., 0xf5 / 255., 0xf8 / 255.};
static const rgb WARN_BG = {0xff / 255., 0xf3 / 255., 0xcd / 255.};
static const rgb WARN_INK = {0x7a / 255., 0x4d / 255., 0x00 / 255.};
static const rgb WARN_LINE = {0xe0 / 255., 0xa8 / 255., 0x00 / 255.};

/* The font families tried, each from its Debian package's files. */
static const struct {
  const char *family, *package, *regular, *bold, *italic;
} fonts[] = {
    {"Noto Sans", "fonts-noto-core", "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
     "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
     "/usr/share/fonts/truetype/noto/NotoSans-Italic.ttf"},
    {"DejaVu Sans", "fonts-dejavu-core", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
     "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
     "/usr/share/fonts/truetype/dejavu/DejaVuSans-Oblique.ttf"}};

struct pdfdoc {
  FILE *out;
  pdfdoc_setup s;
  cairo_surface_t *surface;
  cairo_t *cr;
  PangoFontMap *fm;
  PangoContext *pc;
  const char *family;
  int page;            /* the page being drawn, 0 before the first */
  double y;            /* the top of the room left */
  char section[256];   /* the running header's right side */
  char page_section[256];
  int rc;              /* the first error */
  char msg[512];
  char *buf;           /* the PDF written so far */
  size_t buf_len, buf_cap;
  int buf_oom;
};

static void fail(pdfdoc *d, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void fail(pdfdoc *d, int rc, const char *fmt, ...) {
  if (d->rc) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(d->msg, sizeof d->msg, fmt, ap);
  va_end(ap);
  d->rc = rc;
}

static void colour(pdfdoc *d, rgb c) { cairo_set_source_rgb(d->cr, c.r, c.g, c.b); }

/* ---- fonts and text ------------------------------------------------------------------- */

static int have(size_t i) {
  return !access(fonts[i].regular, R_OK) && !access(fonts[i].bold, R_OK) &&
         !access(fonts[i].italic, R_OK);
}

static int add_family(FcConfig *cfg, size_t i) {
  return FcConfigAppFontAddFile(cfg, (const FcChar8 *)fonts[i].regular) &&
         FcConfigAppFontAddFile(cfg, (const FcChar8 *)fonts[i].bold) &&
         FcConfigAppFontAddFile(cfg, (const FcChar8 *)fonts[i].italic);
}

/* A private fontconfig holding the first family whose files are all there,
** and the later ones for the few characters it lacks (Noto Sans has no
** U+2212 minus sign; DejaVu Sans has). */
static int load_fonts(pdfdoc *d, chiso_err *err) {
  for (size_t i = 0; i < sizeof fonts / sizeof fonts[0]; i++) {
    if (!have(i)) continue;
    FcConfig *cfg = FcConfigCreate();
    if (!cfg) return chiso_err_set(err, CHISO_EINTERNAL, "fontconfig cannot start");
    int ok = add_family(cfg, i);
    for (size_t k = i + 1; ok && k < sizeof fonts / sizeof fonts[0]; k++)
      if (have(k)) ok = add_family(cfg, k);
    if (!ok) {
      FcConfigDestroy(cfg);
      continue;
    }
    d->fm = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
    if (!d->fm) {
      FcConfigDestroy(cfg);
      return chiso_err_set(err, CHISO_EINTERNAL, "pango cannot start");
    }
    pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(d->fm), cfg);
    FcConfigDestroy(cfg); /* the font map keeps its own reference */
    d->family = fonts[i].family;
    return CHISO_OK;
  }
  return chiso_err_set(err, CHISO_ENOTFOUND,
                       "no font with Vietnamese letters found: install the Debian package "
                       "fonts-noto-core (or fonts-dejavu-core)");
}

static PangoFontDescription *font(const pdfdoc *d, double size, int bold, int italic) {
  PangoFontDescription *f = pango_font_description_new();
  pango_font_description_set_family(f, d->family);
  pango_font_description_set_size(f, (int)lround(size * PANGO_SCALE));
  if (bold) pango_font_description_set_weight(f, PANGO_WEIGHT_BOLD);
  if (italic) pango_font_description_set_style(f, PANGO_STYLE_ITALIC);
  return f;
}

/* A laid-out piece of text; width 0: unwrapped. Free with g_object_unref. */
static PangoLayout *layout(pdfdoc *d, const char *text, double size, int bold, int italic,
                           double width, PangoAlignment al) {
  PangoLayout *l = pango_layout_new(d->pc);
  PangoFontDescription *f = font(d, size, bold, italic);
  pango_layout_set_font_description(l, f);
  pango_font_description_free(f);
  if (width > 0) {
    pango_layout_set_width(l, (int)(width * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
  }
  pango_layout_set_alignment(l, al);
  pango_layout_set_text(l, text ? text : "", -1);
  return l;
}

static double layout_h(PangoLayout *l) {
  int w, h;
  pango_layout_get_size(l, &w, &h);
  return (double)h / PANGO_SCALE;
}

static double layout_w(PangoLayout *l) {
  int w, h;
  pango_layout_get_size(l, &w, &h);
  return (double)w / PANGO_SCALE;
}

static void show(pdfdoc *d, PangoLayout *l, double x, double y, rgb c) {
  if (d->s.measure) return;
  colour(d, c);
  cairo_move_to(d->cr, x, y);
  pango_cairo_show_layout(d->cr, l);
}

/* Draw text at (x, y); returns its height. */
static double put(pdfdoc *d, const char *text, double x, double y, double size, int bold,
                  double width, PangoAlignment al, rgb c) {
  PangoLayout *l = layout(d, text, size, bold, 0, width, al);
  double h = layout_h(l);
  show(d, l, x, y, c);
  g_object_unref(l);
  return h;
}

static const struct { double size; int bold, italic; } styles[] = {
    {9.5, 0, 0}, {8, 0, 0}, {12, 0, 0}, {7.5, 0, 0}};

/* ---- pages ---------------------------------------------------------------------------- */

/* The page's furniture: banner, running header, page number. */
static void furniture(pdfdoc *d) {
  char num[64];
  if (d->s.banner) {
    colour(d, WARN_BG);
    cairo_rectangle(d->cr, 0, 0, PDFDOC_PAGE_W, 22);
    cairo_fill(d->cr);
    colour(d, WARN_LINE);
    cairo_rectangle(d->cr, 0, 21, PDFDOC_PAGE_W, 1.2);
    cairo_fill(d->cr);
    PangoLayout *l = layout(d, d->s.banner, 8, 1, 0, PDFDOC_PAGE_W - 40, PANGO_ALIGN_CENTER);
    show(d, l, 20, 11 - layout_h(l) / 2, WARN_INK);
    g_object_unref(l);
  }
  const char *right = d->page_section[0] ? d->page_section : d->section;
  if (d->page > 1) {
    put(d, d->s.header, PDFDOC_MARGIN, 30, 7.5, 0, PDFDOC_WIDTH / 2, PANGO_ALIGN_LEFT, MUTED);
    put(d, right, PDFDOC_MARGIN + PDFDOC_WIDTH / 2, 30, 7.5, 0, PDFDOC_WIDTH / 2, PANGO_ALIGN_RIGHT, MUTED);
    colour(d, LINE);
    cairo_rectangle(d->cr, PDFDOC_MARGIN, 42, PDFDOC_WIDTH, 0.6);
    cairo_fill(d->cr);
  }
  if (d->s.total_pages > 0)
    snprintf(num, sizeof num, "%s %d / %d", d->s.page_word, d->page, d->s.total_pages);
  else
    snprintf(num, sizeof num, "%s %d", d->s.page_word, d->page);
  put(d, num, PDFDOC_MARGIN, PDFDOC_PAGE_H - 36, 7.5, 0, PDFDOC_WIDTH, PANGO_ALIGN_CENTER, MUTED);
}

static void end_page(pdfdoc *d) {
  if (!d->page) return;
  if (!d->s.measure) furniture(d);
  cairo_show_page(d->cr);
}

void pdfdoc_page(pdfdoc *d) {
  end_page(d);
  d->page++;
  d->y = TOP;
  d->page_section[0] = '\0';
}

int pdfdoc_page_number(const pdfdoc *d) { return d->page; }

double pdfdoc_room(const pdfdoc *d) { return BOTTOM - d->y; }

static void need(pdfdoc *d, double h) {
  if (!d->page || (h > pdfdoc_room(d) && d->y > TOP + 0.5)) pdfdoc_page(d);
}

void pdfdoc_need(pdfdoc *d, double h) { need(d, h); }

double pdfdoc_get_y(const pdfdoc *d) { return d->y; }

void pdfdoc_set_y(pdfdoc *d, double y) { d->y = y < TOP ? TOP : y > BOTTOM ? BOTTOM : y; }

void pdfdoc_space(pdfdoc *d, double pts) {
  d->y += pts;
  if (d->y > BOTTOM) d->y = BOTTOM;
}

/* ---- open and close ------------------------------------------------------------------------ */

/* The PDF is kept in memory and written to the caller's file at the end:
** cairo 1.16 crashes finishing a surface whose stream failed, and a
** failure then leaves nothing half-written in the file. A failed
** allocation is remembered (cairo is told all went well, for the same
** reason) and reported by pdfdoc_close. */
static cairo_status_t write_out(void *closure, const unsigned char *data, unsigned int n) {
  pdfdoc *d = closure;
  if (d->s.measure || d->buf_oom) return CAIRO_STATUS_SUCCESS;
  if (chiso_grow((void **)&d->buf, &d->buf_cap, d->buf_len + n, 1)) {
    d->buf_oom = 1;
    return CAIRO_STATUS_SUCCESS;
  }
  memcpy(d->buf + d->buf_len, data, n);
  d->buf_len += n;
  return CAIRO_STATUS_SUCCESS;
}

int pdfdoc_open(FILE *out, const pdfdoc_setup *s, pdfdoc **dp, chiso_err *err) {
  *dp = NULL;
  pdfdoc *d = chiso_calloc(1, sizeof *d);
  if (!d) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  d->s = *s;
  d->out = s->measure ? NULL : out;
  int rc = load_fonts(d, err);
  if (rc) {
    chiso_free(d);
    return rc;
  }
  d->surface = cairo_pdf_surface_create_for_stream(write_out, d, PDFDOC_PAGE_W, PDFDOC_PAGE_H);
  d->cr = cairo_create(d->surface);
  if (cairo_status(d->cr)) {
    pdfdoc_close(d, NULL);
    return chiso_err_set(err, CHISO_EINTERNAL, "cairo cannot start a PDF");
  }
  cairo_pdf_surface_restrict_to_version(d->surface, CAIRO_PDF_VERSION_1_5);
  const struct { cairo_pdf_metadata_t k; const char *v; } md[] = {
      {CAIRO_PDF_METADATA_TITLE, s->title},       {CAIRO_PDF_METADATA_SUBJECT, s->subject},
      {CAIRO_PDF_METADATA_KEYWORDS, s->keywords}, {CAIRO_PDF_METADATA_CREATOR, "chiso " CHISO_VERSION},
      {CAIRO_PDF_METADATA_CREATE_DATE, s->create_date}, {CAIRO_PDF_METADATA_MOD_DATE, s->create_date}};
  for (size_t i = 0; i < sizeof md / sizeof md[0]; i++)
    if (md[i].v) cairo_pdf_surface_set_metadata(d->surface, md[i].k, md[i].v);
  /* Text metrics independent of any screen: 72 units per inch (points),
  ** no hinting, unrounded glyph positions. */
  d->pc = pango_font_map_create_context(d->fm);
  pango_cairo_context_set_resolution(d->pc, 72);
  cairo_font_options_t *fo = cairo_font_options_create();
  cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options(d->pc, fo);
  cairo_font_options_destroy(fo);
  pango_context_set_round_glyph_positions(d->pc, FALSE);
  /* librsvg lays out the figures' text with the default font map */
  pango_cairo_font_map_set_default(PANGO_CAIRO_FONT_MAP(d->fm));
  *dp = d;
  return CHISO_OK;
}

int pdfdoc_close(pdfdoc *d, chiso_err *err) {
  if (!d) return CHISO_OK;
  if (d->cr) {
    if (!d->page) pdfdoc_page(d);
    end_page(d);
    cairo_status_t st = cairo_status(d->cr);
    cairo_destroy(d->cr);
    cairo_surface_finish(d->surface);
    if (!st) st = cairo_surface_status(d->surface);
    if (st == CAIRO_STATUS_WRITE_ERROR) fail(d, CHISO_EIO, "cannot write the PDF");
    else if (st == CAIRO_STATUS_NO_MEMORY) fail(d, CHISO_ENOMEM, "out of memory");
    else if (st) fail(d, CHISO_EINTERNAL, "cairo: %s", cairo_status_to_string(st));
  }
  if (d->surface) cairo_surface_destroy(d->surface);
  if (d->buf_oom) fail(d, CHISO_ENOMEM, "out of memory");
  if (!d->rc && d->out && (fwrite(d->buf, 1, d->buf_len, d->out) != d->buf_len || fflush(d->out)))
    fail(d, CHISO_EIO, "cannot write the PDF");
  chiso_free(d->buf);
  if (d->pc) g_object_unref(d->pc);
  pango_cairo_font_map_set_default(NULL);
  if (d->fm) g_object_unref(d->fm);
  int rc = d->rc;
  if (rc && err) chiso_err_set(err, rc, "%s", d->msg);
  chiso_free(d);
  return rc;
}

/* ---- headings, text, outline -------------------------------------------------------------- */

static const struct { double size, before, after; } heads[] = {
    {22, 0, 10}, {17, 4, 10}, {11.5, 8, 4}};

int pdfdoc_outline(pdfdoc *d, const char *title, int parent) {
  if (!d->page) pdfdoc_page(d);
  if (d->s.measure) return parent + 1; /* ids are not used when measuring */
  char link[64];
  snprintf(link, sizeof link, "page=%d", d->page);
  return cairo_pdf_surface_add_outline(d->surface, parent, title, link,
                                       parent ? 0 : CAIRO_PDF_OUTLINE_FLAG_BOLD);
}

double pdfdoc_heading_height(pdfdoc *d, const char *text, int level) {
  level = level < 0 ? 0 : level > 2 ? 2 : level;
  PangoLayout *l = layout(d, text, heads[level].size, 1, 0, PDFDOC_WIDTH, PANGO_ALIGN_LEFT);
  double h = heads[level].before + layout_h(l) + 2 + heads[level].after;
  g_object_unref(l);
  return h;
}

int pdfdoc_heading(pdfdoc *d, const char *text, int level, double keep, int parent) {
  if (level < 0) level = 0;
  if (level > 2) level = 2;
  PangoLayout *l = layout(d, text, heads[level].size, 1, 0, PDFDOC_WIDTH, PANGO_ALIGN_LEFT);
  double h = layout_h(l), before = d->y > TOP + 0.5 ? heads[level].before : 0;
  need(d, before + h + heads[level].after + keep);
  if (d->y > TOP + 0.5) d->y += heads[level].before;
  show(d, l, PDFDOC_MARGIN, d->y, level == 2 ? INK : ACCENT);
  g_object_unref(l);
  d->y += h + 2;
  if (level == 1) {
    if (!d->s.measure) {
      colour(d, LINE);
      cairo_rectangle(d->cr, PDFDOC_MARGIN, d->y, PDFDOC_WIDTH, 1.2);
      cairo_fill(d->cr);
    }
    snprintf(d->section, sizeof d->section, "%s", text);
    if (!d->page_section[0]) snprintf(d->page_section, sizeof d->page_section, "%s", text);
  }
  d->y += heads[level].after;
  return level == 0 ? 0 : pdfdoc_outline(d, text, parent);
}

double pdfdoc_text_height(pdfdoc *d, const char *text, pdfdoc_style style, double width) {
  PangoLayout *l = layout(d, text, styles[style].size, styles[style].bold, styles[style].italic,
                          width > 0 ? width : PDFDOC_WIDTH, PANGO_ALIGN_LEFT);
  if (style == PDFDOC_MONO) pango_layout_set_wrap(l, PANGO_WRAP_CHAR);
  double h = layout_h(l);
  g_object_unref(l);
  return h;
}

double pdfdoc_text_at(pdfdoc *d, const char *text, pdfdoc_style style, double x, double width) {
  PangoLayout *l = layout(d, text, styles[style].size, styles[style].bold, styles[style].italic,
                          width > 0 ? width : PDFDOC_WIDTH, PANGO_ALIGN_LEFT);
  double h = layout_h(l);
  if (!d->page) pdfdoc_page(d);
  show(d, l, PDFDOC_MARGIN + x, d->y, style == PDFDOC_SMALL ? MUTED : INK);
  g_object_unref(l);
  return h;
}

void pdfdoc_text(pdfdoc *d, const char *text, pdfdoc_style style, double width) {
  PangoLayout *l = layout(d, text, styles[style].size, styles[style].bold, styles[style].italic,
                          width > 0 ? width : PDFDOC_WIDTH, PANGO_ALIGN_LEFT);
  if (style == PDFDOC_MONO) pango_layout_set_wrap(l, PANGO_WRAP_CHAR);
  double h = layout_h(l);
  need(d, h);
  show(d, l, PDFDOC_MARGIN, d->y, style == PDFDOC_SMALL ? MUTED : INK);
  g_object_unref(l);
  d->y += h + (style == PDFDOC_SMALL ? 4 : 6);
}

void pdfdoc_warning(pdfdoc *d, const char *text) {
  PangoLayout *l = layout(d, text, 9, 0, 0, PDFDOC_WIDTH - 16, PANGO_ALIGN_LEFT);
  double h = layout_h(l) + 10;
  need(d, h);
  if (!d->s.measure) {
    colour(d, WARN_BG);
    cairo_rectangle(d->cr, PDFDOC_MARGIN, d->y, PDFDOC_WIDTH, h);
    cairo_fill(d->cr);
    colour(d, WARN_LINE);
    cairo_rectangle(d->cr, PDFDOC_MARGIN, d->y, 3, h);
    cairo_fill(d->cr);
  }
  show(d, l, PDFDOC_MARGIN + 10, d->y + 5, WARN_INK);
  g_object_unref(l);
  d->y += h + 8;
}

/* ---- figures ------------------------------------------------------------------------------- */

/* The viewBox size of an SVG (its first viewBox attribute). */
static int view_box(const strbuf_buf *svg, double *w, double *h) {
  const char *v = svg->data ? strstr(svg->data, "viewBox=\"") : NULL;
  double x0, y0;
  if (!v || sscanf(v + 9, "%lf %lf %lf %lf", &x0, &y0, w, h) != 4 || !(*w > 0) || !(*h > 0))
    return -1;
  return 0;
}

/* The size an SVG is drawn at: `width` wide (0: the column), shrunk to fit
** max_h (0: a page's room). */
static int figure_size(const strbuf_buf *svg, double width, double max_h, double *fw, double *fh) {
  double vw, vh;
  if (view_box(svg, &vw, &vh)) return -1;
  *fw = width > 0 ? width : PDFDOC_WIDTH;
  if (max_h <= 0) max_h = BOTTOM - TOP;
  *fh = *fw * vh / vw;
  if (*fh > max_h) *fh = max_h, *fw = max_h * vw / vh;
  return 0;
}

double pdfdoc_svg_height(pdfdoc *d, const strbuf_buf *svg, double width, double max_h) {
  double fw, fh;
  (void)d;
  return figure_size(svg, width, max_h, &fw, &fh) ? 0 : fh;
}

/* Render an SVG into the box (x, y, w, h) with librsvg. */
static void render_svg(pdfdoc *d, const char *data, size_t len, const char *css, double x,
                       double y, double w, double h) {
  if (d->s.measure || d->rc) return;
  GError *ge = NULL;
  RsvgHandle *hd = rsvg_handle_new_from_data((const guint8 *)data, len, &ge);
  if (hd && css) rsvg_handle_set_stylesheet(hd, (const guint8 *)css, strlen(css), &ge);
  if (hd && !ge) {
    RsvgRectangle vp = {x, y, w, h};
    rsvg_handle_render_document(hd, d->cr, &vp, &ge);
  }
  if (ge || !hd) fail(d, CHISO_EINTERNAL, "cannot draw a figure: %s", ge ? ge->message : "librsvg");
  if (ge) g_error_free(ge);
  if (hd) g_object_unref(hd);
}

double pdfdoc_svg_at(pdfdoc *d, const strbuf_buf *svg, const char *css, double x, double width,
                     double max_h) {
  double fw, fh;
  if (!d->page) pdfdoc_page(d);
  if (svg->failed || figure_size(svg, width, max_h, &fw, &fh)) {
    fail(d, svg->failed ? CHISO_ENOMEM : CHISO_EINTERNAL, "%s",
         svg->failed ? "out of memory" : "a figure without a viewBox");
    return 0;
  }
  render_svg(d, svg->data, svg->len, css, PDFDOC_MARGIN + x, d->y, fw, fh);
  return fh;
}

void pdfdoc_svg(pdfdoc *d, const strbuf_buf *svg, const char *css, double width, double max_h) {
  double fw, fh;
  if (svg->failed) {
    fail(d, CHISO_ENOMEM, "out of memory");
    return;
  }
  if (figure_size(svg, width, max_h, &fw, &fh)) {
    fail(d, CHISO_EINTERNAL, "a figure without a viewBox");
    return;
  }
  need(d, fh);
  render_svg(d, svg->data, svg->len, css, PDFDOC_MARGIN + (PDFDOC_WIDTH - fw) / 2, d->y, fw, fh);
  d->y += fh + 8;
}

/* ---- tables -------------------------------------------------------------------------------- */

#define PAD_X 3.0
#define PAD_Y 2.2

static double table_width(const pdfdoc_table *t) { return t->width > 0 ? t->width : PDFDOC_WIDTH; }

static void col_widths(const pdfdoc_table *t, double *w) {
  double used = 0, all = table_width(t);
  for (size_t c = 0; c < t->n_cols; c++) used += t->cols[c].width;
  for (size_t c = 0; c < t->n_cols; c++) {
    w[c] = t->cols[c].width;
    if (w[c] <= 0) w[c] = all - used > 20 ? all - used : 20;
  }
}

/* The height of row r (-1: the header row); draws it at y when `draw`. */
static double table_row(pdfdoc *d, const pdfdoc_table *t, const double *w, long r, double y, int draw) {
  double size = t->size > 0 ? t->size : 8, h = 0, x = PDFDOC_MARGIN + t->x, tw = table_width(t);
  PangoLayout *ls[32];
  size_t nc = t->n_cols < 32 ? t->n_cols : 32;
  for (size_t c = 0; c < nc; c++) {
    const char *text = r < 0 ? t->cols[c].title : t->cells[(size_t)r * t->n_cols + c];
    ls[c] = layout(d, text, size, r < 0, 0, w[c] - 2 * PAD_X,
                   t->cols[c].right ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
    double ch = layout_h(ls[c]);
    if (r >= 0 && t->svgs && t->svgs[(size_t)r * t->n_cols + c] && ch < 8) ch = 8;
    if (ch > h) h = ch;
  }
  h += 2 * PAD_Y;
  if (draw && !d->s.measure) {
    if (r < 0) {
      colour(d, HEAD_BG);
      cairo_rectangle(d->cr, x, y, tw, h);
      cairo_fill(d->cr);
    }
    colour(d, LINE);
    cairo_rectangle(d->cr, x, y + h - 0.5, tw, 0.5);
    cairo_fill(d->cr);
    for (size_t c = 0; c < nc; c++) {
      const char *svg = r >= 0 && t->svgs ? t->svgs[(size_t)r * t->n_cols + c] : NULL;
      int link = r >= 0 && c == t->link_col && t->links ? t->links[r] : 0;
      char attr[64];
      if (svg) {
        strbuf_buf b = {(char *)svg, strlen(svg), 0, 0, 0};
        double vw, vh;
        if (!view_box(&b, &vw, &vh)) {
          double sw = w[c] - 2 * PAD_X, sh = sw * vh / vw;
          if (sh > 8) sh = 8, sw = 8 * vw / vh;
          render_svg(d, svg, strlen(svg), t->css, x + PAD_X, y + (h - sh) / 2, sw, sh);
        }
      } else {
        double cw = layout_w(ls[c]);
        if (link) {
          snprintf(attr, sizeof attr, "rect=[%.1f %.1f %.1f %.1f] page=%d", x + PAD_X, y,
                   cw > 0 ? cw : 10, h, link);
          cairo_tag_begin(d->cr, CAIRO_TAG_LINK, attr);
        }
        show(d, ls[c], x + PAD_X, y + PAD_Y, link ? ACCENT : INK);
        if (link) cairo_tag_end(d->cr, CAIRO_TAG_LINK);
      }
      x += w[c];
    }
  }
  for (size_t c = 0; c < nc; c++) g_object_unref(ls[c]);
  return h;
}

double pdfdoc_table_height(pdfdoc *d, const pdfdoc_table *t, size_t rows) {
  double w[32], h;
  col_widths(t, w);
  h = table_row(d, t, w, -1, 0, 0);
  for (size_t r = 0; r < rows && r < t->n_rows; r++) h += table_row(d, t, w, (long)r, 0, 0);
  return h;
}

void pdfdoc_table_draw(pdfdoc *d, const pdfdoc_table *t) {
  double w[32];
  if (t->n_cols > 32) return;
  col_widths(t, w);
  double hh = table_row(d, t, w, -1, 0, 0);
  for (size_t r = 0; r < t->n_rows; r++) {
    double rh = table_row(d, t, w, (long)r, 0, 0);
    if (r == 0) need(d, hh + rh); /* the header never alone at the foot of a page */
    else if (rh > pdfdoc_room(d)) pdfdoc_page(d);
    if (r == 0 || d->y <= TOP + 0.5) d->y += table_row(d, t, w, -1, d->y, 1);
    d->y += table_row(d, t, w, (long)r, d->y, 1);
  }
  d->y += 8;
}

/* ---- cards and contents --------------------------------------------------------------------- */

void pdfdoc_cards(pdfdoc *d, const pdfdoc_card *cards, size_t n) {
  const double gap = 8, pad = 8;
  double cw = (PDFDOC_WIDTH - gap * (double)(n - 1)) / (double)n, h = 0;
  if (!n) return;
  for (int pass = 0; pass < 2; pass++) {
    for (size_t i = 0; i < n; i++) {
      double x = PDFDOC_MARGIN + (double)i * (cw + gap), y = d->y + pad, tw = cw - 2 * pad;
      int list = cards[i].value && strchr(cards[i].value, '\n');
      if (pass && !d->s.measure) {
        colour(d, LINE);
        cairo_set_line_width(d->cr, 0.8);
        cairo_rectangle(d->cr, x, d->y, cw, h);
        cairo_stroke(d->cr);
      }
      y += put(d, cards[i].label, x + pad, y, 7.5, 0, tw, PANGO_ALIGN_LEFT, MUTED) + 2;
      PangoLayout *l = layout(d, cards[i].value, list ? 8.5 : 20, !list, 0, tw, PANGO_ALIGN_LEFT);
      if (pass) show(d, l, x + pad, y, list ? INK : ACCENT);
      y += layout_h(l) + 2;
      g_object_unref(l);
      if (cards[i].note) y += put(d, cards[i].note, x + pad, y, 7.5, 0, tw, PANGO_ALIGN_LEFT, MUTED);
      if (!pass && y + pad - d->y > h) h = y + pad - d->y;
    }
    if (!pass) need(d, h); /* then draw for real where it fits */
  }
  d->y += h + 10;
}

void pdfdoc_toc_line(pdfdoc *d, const char *title, int page, int indent) {
  char num[16];
  snprintf(num, sizeof num, "%d", page);
  double x = PDFDOC_MARGIN + 14.0 * indent, size = indent ? 9 : 10.5;
  PangoLayout *lt = layout(d, title, size, !indent, 0, PDFDOC_WIDTH - 60 - 14.0 * indent, PANGO_ALIGN_LEFT);
  PangoLayout *ln = layout(d, num, size, 0, 0, 0, PANGO_ALIGN_LEFT);
  double h = layout_h(lt);
  need(d, h + 3);
  if (!d->s.measure) {
    char attr[80];
    snprintf(attr, sizeof attr, "rect=[%.1f %.1f %.1f %.1f] page=%d", x, d->y, PDFDOC_WIDTH - x + PDFDOC_MARGIN,
             h, page);
    cairo_tag_begin(d->cr, CAIRO_TAG_LINK, attr);
    show(d, lt, x, d->y, indent ? INK : ACCENT);
    double nw = layout_w(ln), tw = layout_w(lt), base = d->y + h - 3;
    show(d, ln, PDFDOC_MARGIN + PDFDOC_WIDTH - nw, d->y + h - layout_h(ln), INK);
    cairo_tag_end(d->cr, CAIRO_TAG_LINK);
    colour(d, LINE);
    static const double dots[] = {0.8, 2.4};
    cairo_set_dash(d->cr, dots, 2, 0);
    cairo_set_line_width(d->cr, 0.8);
    cairo_move_to(d->cr, x + tw + 4, base);
    cairo_line_to(d->cr, PDFDOC_MARGIN + PDFDOC_WIDTH - nw - 4, base);
    cairo_stroke(d->cr);
    cairo_set_dash(d->cr, NULL, 0, 0);
  }
  g_object_unref(lt);
  g_object_unref(ln);
  d->y += h + 3;
}

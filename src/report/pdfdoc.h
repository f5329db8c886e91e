/* pdfdoc.h — a small flowing-page layout on a cairo PDF surface: A4 pages
** with a header, a footer with the page number and an optional banner;
** headings kept with what follows them (and entered in the PDF outline);
** wrapped text laid out by pango (HarfBuzz shaping, so Vietnamese marks
** sit right); SVG figures drawn by librsvg; tables that run across pages
** with their header row repeated; cards of key figures.
**
** Text is set in one embedded font family with full Vietnamese coverage,
** loaded from its files (Noto Sans from Debian's fonts-noto-core, else
** DejaVu Sans from fonts-dejavu-core) into a private fontconfig, so the
** output does not depend on the fonts or settings of the machine, and the
** bytes of a document depend only on what is drawn and the creation date
** given.
**
** A document is usually laid out twice: once with `measure` set (nothing
** is written; the pages of the headings and the page count are learnt),
** then for real with those pages known, for a table of contents, links
** and "page N of M". Drawing calls never fail: the first error (cairo,
** librsvg) is kept and returned by pdfdoc_close. */
#ifndef CHISO_PDFDOC_H
#define CHISO_PDFDOC_H

#include "base/err.h"
#include "base/strbuf.h"

#include <stddef.h>
#include <stdio.h>

/* A4 in points, and the text column. */
#define PDFDOC_PAGE_W 595.276
#define PDFDOC_PAGE_H 841.890
#define PDFDOC_MARGIN 54.0
#define PDFDOC_WIDTH (PDFDOC_PAGE_W - 2 * PDFDOC_MARGIN)

typedef struct pdfdoc_setup {
  const char *title, *subject, *keywords; /* PDF metadata */
  const char *create_date; /* ISO 8601 ("2025-01-01T00:00:00Z"), also the modification date */
  const char *header;      /* the running header, left */
  const char *banner;      /* a warning band on every page, or NULL */
  const char *page_word;   /* "Trang" / "Page" */
  int total_pages;         /* known from a measuring pass, or 0 */
  int measure;             /* 1: lay out only, write nothing */
} pdfdoc_setup;

typedef enum {
  PDFDOC_BODY = 0,   /* 9.5 pt */
  PDFDOC_SMALL = 1,  /* 8 pt, muted */
  PDFDOC_LEAD = 2,   /* 12 pt */
  PDFDOC_MONO = 3    /* 7.5 pt, hashes and ids (wrapped anywhere) */
} pdfdoc_style;

typedef struct pdfdoc pdfdoc;

/* Start a document for `out` (borrowed; the PDF is built in memory and
** written to it by pdfdoc_close, nothing when s->measure or on failure). Returns 0, CHISO_ENOTFOUND when no font file is
** installed (err names the Debian packages), CHISO_EINTERNAL when cairo
** or fontconfig cannot start; *d is then NULL. */
int pdfdoc_open(FILE *out, const pdfdoc_setup *s, pdfdoc **d, chiso_err *err);

/* Finish the document (the last page, the PDF trailer) and free it.
** Returns 0, or the first drawing error (CHISO_EIO when writing failed,
** CHISO_EINTERNAL for cairo or librsvg, CHISO_ENOMEM) with err filled.
** NULL is a no-op returning 0. */
int pdfdoc_close(pdfdoc *d, chiso_err *err);

/* A new page (the first call starts the first page). */
void pdfdoc_page(pdfdoc *d);

/* The page being drawn (1-based), and the room left on it in points. */
int pdfdoc_page_number(const pdfdoc *d);
double pdfdoc_room(const pdfdoc *d);

/* A heading: level 0 is a title on its own line in 22 pt, 1 a section
** (18 pt; it also becomes the running header's right side), 2 a
** sub-heading (12 pt). When the heading and `keep` more points do not fit
** on the page, a new page is started first. The heading becomes an entry
** of the PDF outline under `parent` (0: the top); returns its id. */
int pdfdoc_heading(pdfdoc *d, const char *text, int level, double keep, int parent);

/* The height a heading of `level` takes, space around it included. */
double pdfdoc_heading_height(pdfdoc *d, const char *text, int level);

/* The outline entry `title` for the current page without drawing
** anything (e.g. a group of pages); returns its id. */
int pdfdoc_outline(pdfdoc *d, const char *title, int parent);

/* A paragraph of wrapped text in `style`, across the column (width 0) or
** `width` points; moves down past it, starting a page when it does not
** fit. */
void pdfdoc_text(pdfdoc *d, const char *text, pdfdoc_style style, double width);

/* The height of that paragraph, without drawing it. */
double pdfdoc_text_height(pdfdoc *d, const char *text, pdfdoc_style style, double width);

/* The paragraph drawn at `x` points right of the column's left edge, at
** the cursor, without moving it; returns its height. */
double pdfdoc_text_at(pdfdoc *d, const char *text, pdfdoc_style style, double x, double width);

/* Move down by `pts` (not past the end of the page). */
void pdfdoc_space(pdfdoc *d, double pts);

/* Start a page unless `h` more points fit on this one. */
void pdfdoc_need(pdfdoc *d, double h);

/* The cursor (the top of the room left), and moving it back up or down on
** the same page: to lay things side by side, draw the first, go back to
** where it started and draw the second at another x. */
double pdfdoc_get_y(const pdfdoc *d);
void pdfdoc_set_y(pdfdoc *d, double y);

/* An SVG figure (a chart or the map) drawn with librsvg and the chart
** style sheet `css`, `width` points wide (0: the column) and at most
** `max_h` high (0: the room of a page), centred; a new page first when it
** does not fit. */
void pdfdoc_svg(pdfdoc *d, const strbuf_buf *svg, const char *css, double width, double max_h);

/* The height pdfdoc_svg would give it (0 for a figure librsvg cannot read). */
double pdfdoc_svg_height(pdfdoc *d, const strbuf_buf *svg, double width, double max_h);

/* The figure drawn at `x` points right of the column's left edge, at the
** cursor, without moving it or breaking the page; returns its height. */
double pdfdoc_svg_at(pdfdoc *d, const strbuf_buf *svg, const char *css, double x, double width,
                     double max_h);

typedef struct pdfdoc_col {
  const char *title;
  double width;  /* points; the last column takes what is left when 0 */
  int right;     /* 1: right-aligned (numbers) */
} pdfdoc_col;

typedef struct pdfdoc_table {
  const pdfdoc_col *cols;
  size_t n_cols, n_rows;
  const char *const *cells;  /* n_rows x n_cols, row by row; NULL is empty */
  const char *const *svgs;   /* NULL, or an SVG per cell drawn in it (e.g. a
                                progress bar), NULL where none */
  const int *links;          /* NULL, or per row a page that column
                                link_col links to (0: none) */
  size_t link_col;
  double size;               /* font size, 0 = 8 pt */
  const char *css;           /* style sheet of the cell SVGs */
  double x, width;           /* left offset in the column and width (0: all of it) */
} pdfdoc_table;

/* A table: wrapped cells, hairlines between rows; a row never splits, and
** on every page it continues on the header row is drawn again. */
void pdfdoc_table_draw(pdfdoc *d, const pdfdoc_table *t);

/* The height of the header row and the first `rows` rows (for keeping a
** heading with the start of a table). */
double pdfdoc_table_height(pdfdoc *d, const pdfdoc_table *t, size_t rows);

typedef struct pdfdoc_card {
  const char *label;  /* small, above */
  const char *value;  /* large; with a '\n' a list in body size instead */
  const char *note;   /* small, below, or NULL */
} pdfdoc_card;

/* A row of n cards (boxes) across the column. */
void pdfdoc_cards(pdfdoc *d, const pdfdoc_card *cards, size_t n);

/* A line of the table of contents: `title` and its page, with dot leaders,
** linking to the page. */
void pdfdoc_toc_line(pdfdoc *d, const char *title, int page, int indent);

/* A boxed warning in the warning colours (the small-sample note). */
void pdfdoc_warning(pdfdoc *d, const char *text);

#endif

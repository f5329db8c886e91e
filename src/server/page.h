/* page.h — the frame every dashboard page shares: the head with the
** stylesheets and the one script (its CSP nonce), the synthetic-data
** banner, the title, the navigation with the year, unit-set and language
** switches, the footer; download links; the page answered from the
** snapshot's cache with a fresh nonce each time; errors as pages.
**
** Pages read the API's own JSON (api_fetch), so a page shows exactly what
** the API serves. */
#ifndef CHISO_PAGE_H
#define CHISO_PAGE_H

#include "api.h"
#include "hdoc.h"
#include "reply.h"
#include "request.h"

#include <jansson.h>

/* The placeholder of the nonce in a cached page (22 characters, the
** length of a nonce). */
#define PAGE_NONCE_SLOT "NONCE0000000000000000X"

typedef struct page {
  request *q;
  reply *r;
  const char *lang;      /* "vi" or "en" */
  const char *name;      /* "overview", "unit", ... (the navigation) */
  api_query v;           /* the year and units asked for */
  json_t *years;         /* the years resource */
  int synthetic;         /* the year's data are synthetic */
  hdoc d;
} page;

/* A page renderer: fills pg->d; returns 1, or 0 with an error reply in
** pg->r (a 4xx or 5xx). */
typedef int (*page_render)(page *pg, const void *args);

/* Answer q with page `name` in `lang` for the view in q's year and units
** parameters (plus `allowed` extra parameters): rendered once per
** snapshot under `key` (which must name everything else the page depends
** on), then sent with a new nonce and no caching. A bad parameter or a
** failed render becomes an error page in the language. Returns the
** status. */
int page_answer(request *q, reply *r, const char *lang, const char *name, const char *key,
                const char *const *allowed, size_t n_allowed, page_render render,
                const void *args);

/* A fresh CSP nonce: 16 random bytes, base64url (22 characters). Returns
** 0 or -1. */
int page_nonce(char out[23]);

/* The error reply in r (JSON, from reply_error) as a page in `lang`, with
** the same status: the status's meaning in `lang`, and on a Vietnamese
** page the reply's English message after it as the detail. Returns the
** status. */
int page_error(request *q, reply *r, const char *lang);

/* What an error status means, in `lang` ("Không tìm thấy", "Not Found";
** a general text for a status without one). Static; cannot fail. */
const char *page_status_text(const char *lang, int status);

/* Why something failed, into d: on a Vietnamese page `meaning` (text in
** `lang`), then the library's English `detail` as a muted "Chi tiết
** (tiếng Anh): ..."; on an English page (or with meaning NULL) the detail
** alone, or the meaning when there is no detail. Both escaped. */
void page_explained(hdoc *d, const char *lang, const char *meaning, const char *detail);

/* The view parameters of a page's request: 1, or 0 with the error in r. */
int page_view(request *q, reply *r, const char *const *allowed, size_t n_allowed, api_query *v);

/* Open the document: head, banner, header with `title` and `subtitle`
** (text), navigation. Close it: footer and the script. */
void page_open(page *pg, const char *title, const char *subtitle);
void page_close(page *pg);

/* A UI text in the page's language (strings.h). */
const char *page_text(const page *pg, const char *key);

/* The query of the page's view, "year=2025&units=34" (for links). */
void page_view_query(const page *pg, char *buf, size_t n);

/* Download links for an API resource path (e.g. "/api/v1/index") with the
** page's view and `extra` query (already encoded, may be ""): JSON, CSV
** and, with xlsx, XLSX. */
void page_downloads(page *pg, const char *path, const char *extra, int xlsx);

/* A chart of the view (chiso_report_svg_write) inline, with a link to
** download it as SVG; `code` for a unit chart (else NULL). Returns 1, or 0
** with the error in pg->r. */
int page_chart(page *pg, const char *chart, const char *code);

/* Members of a JSON object, with defaults for absent or null ones. */
double page_num(const json_t *o, const char *key);
long page_int(const json_t *o, const char *key);   /* 0 when absent */
const char *page_str(const json_t *o, const char *key); /* "" when absent */

/* The name of a node or unit in the page's language from an object with
** name_vi/name_en (or region/region_en with `base` "region"). */
const char *page_name(const page *pg, const json_t *o, const char *base);

#endif

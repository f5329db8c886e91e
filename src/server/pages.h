/* pages.h — the dashboard: server-rendered pages in Vietnamese (/vi/...)
** and English (/en/...), each readable without its script, which adds
** search, sorting, the map's hover and the what-if sliders:
**   /LANG/                  overview: key figures, map, ranking (search,
**                           sort, top N, tiers, previous rank and change),
**                           the divide, plan targets
**   /LANG/p/CODE            a unit's profile
**   /LANG/compare?codes=    two to four units side by side
**   /LANG/whatif?w.NODE=    the ranking with other weights
**   /LANG/methodology       the tree, intervals and sensitivity
**   /LANG/provenance        stored years, imports, run settings
** All take year= and units=; every table and chart links its download.
** Handlers have the routes_handler signature (routes.h). */
#ifndef CHISO_PAGES_H
#define CHISO_PAGES_H

#include "reply.h"
#include "request.h"

#include <stddef.h>

/* "/": redirect to /vi/ (or /en/ when the browser prefers English). */
int pages_home(request *q, reply *r, const char *const *args, size_t n_args);

/* "/assets/NAME": the stylesheets and the script, from the binary. */
int pages_asset(request *q, reply *r, const char *const *args, size_t n_args);

/* The pages; each returns the reply's status. */
int pages_overview(request *q, reply *r, const char *const *args, size_t n_args);
int pages_unit(request *q, reply *r, const char *const *args, size_t n_args);
int pages_compare(request *q, reply *r, const char *const *args, size_t n_args);
int pages_whatif(request *q, reply *r, const char *const *args, size_t n_args);
int pages_methodology(request *q, reply *r, const char *const *args, size_t n_args);
int pages_provenance(request *q, reply *r, const char *const *args, size_t n_args);

#endif

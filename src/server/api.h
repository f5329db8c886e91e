/* api.h — the JSON API under /api/v1 (docs/api.md; the OpenAPI document is
** served at /api/v1/openapi.json). Each handler reads its parameters
** strictly (a bad one is a 400 naming it; an unknown year, unit or chart
** a 404 listing what exists), computes its bytes once per store snapshot
** through the public library calls the CLI uses (so the bytes are the
** CLI's for the same resource) and answers with an ETag. Table resources
** also come as ?format=csv and ?format=xlsx.
**
** Every handler has the routes_handler signature (routes.h). */
#ifndef CHISO_API_H
#define CHISO_API_H

#include "reply.h"
#include "request.h"
#include "state.h"

#include <jansson.h>
#include <stdio.h>

/* The resources, one handler each; each returns the reply's status. */
int api_root(request *q, reply *r, const char *const *args, size_t n_args);
int api_openapi(request *q, reply *r, const char *const *args, size_t n_args);
int api_years(request *q, reply *r, const char *const *args, size_t n_args);
int api_index(request *q, reply *r, const char *const *args, size_t n_args);
int api_unit(request *q, reply *r, const char *const *args, size_t n_args);
int api_compare(request *q, reply *r, const char *const *args, size_t n_args);
int api_whatif(request *q, reply *r, const char *const *args, size_t n_args);
int api_estimates(request *q, reply *r, const char *const *args, size_t n_args);
int api_divide(request *q, reply *r, const char *const *args, size_t n_args);
int api_series(request *q, reply *r, const char *const *args, size_t n_args);
int api_targets(request *q, reply *r, const char *const *args, size_t n_args);
int api_plans(request *q, reply *r, const char *const *args, size_t n_args);
int api_uncertainty(request *q, reply *r, const char *const *args, size_t n_args);
int api_methodology(request *q, reply *r, const char *const *args, size_t n_args);
int api_summary(request *q, reply *r, const char *const *args, size_t n_args);
int api_imports(request *q, reply *r, const char *const *args, size_t n_args);
int api_chart(request *q, reply *r, const char *const *args, size_t n_args);

/* The resources the dashboard pages read (as JSON) and the API serves. */
typedef enum {
  API_YEARS = 0,
  API_INDEX = 1,
  API_UNIT = 2,
  API_COMPARE = 3,
  API_SUMMARY = 4,
  API_WHATIF = 5,
  API_METHOD = 6,
  API_IMPORTS = 7
} api_resource;

/* What a resource is asked for (fields a resource does not use are
** ignored; strings borrowed). */
typedef struct api_query {
  int year, units;                /* units 63 or 34 */
  const char *code;               /* API_UNIT */
  const char *const *codes;       /* API_COMPARE */
  size_t n_codes;
  const char *const *ids, *const *values; /* API_WHATIF: weights by node */
  size_t n_weights;
} api_query;

/* Resource `res` of q's snapshot as parsed JSON (computed once and cached
** under the key the API itself uses): 1 with *out a new reference
** (json_decref), or 0 with the error reply in r. */
int api_fetch(request *q, reply *r, api_resource res, const api_query *p, json_t **out);

/* Chart `chart` of the view's report model as SVG (unit `code` for a unit
** chart, NULL otherwise), its units linking to the pages in `lang`: 1 with
** *entry a cache entry (cache_release), or 0 with the error reply in r. */
int api_fetch_svg(request *q, reply *r, const api_query *p, const char *chart, const char *code,
                  const char *lang, const cache_entry **entry);

/* The view a request asks for: `year` (default: the latest stored) and
** `units` (default: the year's own; 63, 34 or 2025). Returns 1, or 0 with
** the 400 or 404 in r. */
int api_view(request *q, reply *r, int *year, int *units);

/* The HTTP status of a library error code. */
int api_status(int rc);

#endif

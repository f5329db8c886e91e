/* routes.c — the route table and path matching (routes.h). */
#include "routes.h"

#include "api.h"
#include "ipages.h"
#include "pages.h"
#include "writes.h"

#include <stdio.h>
#include <string.h>

#define READ "GET HEAD"
#define FORM_BYTES (64 * 1024)     /* a form of the dashboard, a questionnaire */
#define JSON_BYTES (1024 * 1024)   /* a JSON body of the API */
/* the write side: method, pattern, handler, access, body limit, body, CSRF */
#define WRITE(m, p, h, a, n, b, c) {m, p, h, a, n, b, c}

static const routes_route table[] = {
    /* the write side of the API (writes.h) */
    WRITE(READ, "/api/v1/whoami", writes_whoami, ROUTES_SIGNED_IN, 0, ROUTES_NO_BODY, 0),
    WRITE("POST", "/api/v1/surveys", writes_upload, ROUTES_EDITOR, 0, ROUTES_UPLOAD, 0),
    WRITE("POST", "/api/v1/invitations", writes_invite, ROUTES_EDITOR, JSON_BYTES, ROUTES_JSON, 0),
    WRITE(READ, "/api/v1/invitations", writes_invites, ROUTES_EDITOR, 0, ROUTES_NO_BODY, 0),
    WRITE("POST", "/api/v1/quotas", writes_quota, ROUTES_EDITOR, JSON_BYTES, ROUTES_JSON, 0),
    WRITE(READ, "/api/v1/intake", writes_status, ROUTES_SIGNED_IN, 0, ROUTES_NO_BODY, 0),
    WRITE("POST", "/api/v1/publish", writes_publish, ROUTES_EDITOR, 0, ROUTES_NO_BODY, 0),
    WRITE("POST", "/api/v1/responses/{}/{}", writes_respond, ROUTES_PUBLIC, FORM_BYTES, ROUTES_JSON, 0),
    WRITE(READ, "/api/v1/audit", writes_audit, ROUTES_ADMIN, 0, ROUTES_NO_BODY, 0),
    /* the pages of the write side (ipages.h) */
    WRITE(READ, "/admin/audit", ipages_audit, ROUTES_ADMIN, 0, ROUTES_NO_BODY, 0),
    WRITE(READ, "/survey/{}/{}", ipages_survey, ROUTES_PUBLIC, 0, ROUTES_NO_BODY, 0),
    WRITE("POST", "/survey/{}/{}", ipages_answer, ROUTES_PUBLIC, FORM_BYTES, ROUTES_FORM, 1),
    WRITE(READ, "/{}/login", ipages_login_form, ROUTES_PUBLIC, 0, ROUTES_NO_BODY, 0),
    WRITE("POST", "/{}/login", ipages_login, ROUTES_PUBLIC, FORM_BYTES, ROUTES_FORM, 1),
    WRITE("POST", "/{}/logout", ipages_logout, ROUTES_SIGNED_IN, FORM_BYTES, ROUTES_FORM, 1),
    WRITE(READ, "/{}/intake", ipages_intake, ROUTES_SIGNED_IN, 0, ROUTES_NO_BODY, 0),
    WRITE("POST", "/{}/intake/upload", ipages_upload, ROUTES_EDITOR, 0, ROUTES_UPLOAD, 1),
    WRITE("POST", "/{}/intake/invite", ipages_invite, ROUTES_EDITOR, FORM_BYTES, ROUTES_FORM, 1),
    WRITE("POST", "/{}/intake/quota", ipages_quota, ROUTES_EDITOR, FORM_BYTES, ROUTES_FORM, 1),
    WRITE("POST", "/{}/intake/publish", ipages_publish, ROUTES_EDITOR, FORM_BYTES, ROUTES_FORM, 1),
    WRITE(READ, "/{}/admin/audit", ipages_audit, ROUTES_ADMIN, 0, ROUTES_NO_BODY, 0),
    /* the JSON API */
    {READ, "/api/v1", api_root, ROUTES_PUBLIC, 0, 0, 0},
    {READ, "/api/v1/openapi.json", api_openapi, ROUTES_PUBLIC, 0, 0, 0},
    {READ, "/api/v1/years", api_years, ROUTES_PUBLIC, 0, 0, 0},
    {READ, "/api/v1/index", api_index, ROUTES_PUBLIC, 0, 0, 0},
    {READ, "/api/v1/units/{}", api_unit, ROUTES_PUBLIC, 0, 0, 0},
    {READ, "/api/v1/compare", api_compare, ROUTES_PUBLIC, 0, 0, 0},
    {READ, "/api/v1/whatif", api_whatif, ROUTES_PUBLIC, 0, 0, 0},
    {READ, "/api/v1/estimates", api_estimates, ROUTES_PUBLIC, 0, 0, 0},
    {READ, "/api/v1/divide", api_divide, ROUTES_PUBLIC, 0, 0, 0},
    {READ, "/api/v1/series", api_series, ROUTES_PUBLIC, 0, 0, 0},
    {READ, "/api/v1/targets", api_targets, ROUTES_PUBLIC, 0, 0, 0},
    {READ, "/api/v1/plans", api_plans, ROUTES_PUBLIC, 0, 0, 0},
    {READ, "/api/v1/uncertainty", api_uncertainty, ROUTES_PUBLIC, 0, 0, 0},
    {READ, "/api/v1/methodology", api_methodology, ROUTES_PUBLIC, 0, 0, 0},
    {READ, "/api/v1/summary", api_summary, ROUTES_PUBLIC, 0, 0, 0},
    {READ, "/api/v1/imports", api_imports, ROUTES_PUBLIC, 0, 0, 0},
    {READ, "/api/v1/charts/{}", api_chart, ROUTES_PUBLIC, 0, 0, 0},
    /* the dashboard */
    {READ, "/", pages_home, ROUTES_PUBLIC, 0, 0, 0},
    {READ, "/assets/{}", pages_asset, ROUTES_PUBLIC, 0, 0, 0},
    {READ, "/{}", pages_overview, ROUTES_PUBLIC, 0, 0, 0},
    {READ, "/{}/p/{}", pages_unit, ROUTES_PUBLIC, 0, 0, 0},
    {READ, "/{}/compare", pages_compare, ROUTES_PUBLIC, 0, 0, 0},
    {READ, "/{}/whatif", pages_whatif, ROUTES_PUBLIC, 0, 0, 0},
    {READ, "/{}/methodology", pages_methodology, ROUTES_PUBLIC, 0, 0, 0},
    {READ, "/{}/provenance", pages_provenance, ROUTES_PUBLIC, 0, 0, 0},
};

const routes_route *routes_table(size_t *n) {
  *n = sizeof table / sizeof table[0];
  return table;
}

/* Match `path` against `pattern` segment by segment; {} takes one
** non-empty segment. A trailing slash on the path is ignored. */
static int match(const char *pattern, const char *path, const char **args, size_t *n_args,
                 char segs[ROUTES_MAX_ARGS][256]) {
  size_t n = 0;
  const char *p = pattern, *s = path;
  while (*p && *s) {
    if (*p != '/' || *s != '/') return 0;
    p++, s++;
    const char *pe = strchr(p, '/'), *se = strchr(s, '/');
    size_t pl = pe ? (size_t)(pe - p) : strlen(p), sl = se ? (size_t)(se - s) : strlen(s);
    if (pl == 2 && p[0] == '{' && p[1] == '}') {
      if (!sl || sl >= 256 || n == ROUTES_MAX_ARGS) return 0;
      memcpy(segs[n], s, sl);
      segs[n][sl] = '\0';
      args[n] = segs[n];
      n++;
    } else if (pl != sl || memcmp(p, s, pl) != 0) {
      return 0;
    }
    p += pl, s += sl;
  }
  if (*p || (*s && strcmp(s, "/") != 0)) return 0;
  *n_args = n;
  return 1;
}

static int has_method(const char *methods, const char *method) {
  size_t n = strlen(method);
  if (!n) return 0; /* an empty method matches none (strstr would find it everywhere) */
  for (const char *m = methods; (m = strstr(m, method)); m += n)
    if ((m == methods || m[-1] == ' ') && (m[n] == ' ' || !m[n])) return 1;
  return 0;
}

const routes_route *routes_match_in(const routes_route *t, size_t n, const char *method,
                                    const char *path, const char **args, size_t *n_args,
                                    int *path_known, char *allow, size_t n_allow) {
  static _Thread_local char segs[ROUTES_MAX_ARGS][256];
  *path_known = 0;
  *n_args = 0;
  if (n_allow) allow[0] = '\0';
  for (size_t i = 0; i < n; i++) {
    size_t na = 0;
    if (!match(t[i].pattern, path, args, &na, segs)) continue;
    if (has_method(t[i].methods, method)) {
      *n_args = na;
      return &t[i];
    }
    if (!*path_known && n_allow) {
      /* "GET HEAD" as "GET, HEAD" */
      size_t k = 0;
      for (const char *c = t[i].methods; *c && k + 2 < n_allow; c++) {
        if (*c == ' ') allow[k++] = ',';
        allow[k++] = *c;
      }
      allow[k] = '\0';
    }
    *path_known = 1;
  }
  return NULL;
}

const routes_route *routes_match(const char *method, const char *path, const char **args,
                                 size_t *n_args, int *path_known, char *allow, size_t n_allow) {
  size_t n;
  const routes_route *t = routes_table(&n);
  return routes_match_in(t, n, method, path, args, n_args, path_known, allow, n_allow);
}

int routes_allowed(const routes_route *route, const chiso_account *a) {
  switch (route->access) {
  case ROUTES_PUBLIC: return 1;
  case ROUTES_SIGNED_IN: return a != NULL;
  case ROUTES_EDITOR: return a && (a->role == CHISO_ROLE_ADMIN || a->role == CHISO_ROLE_PROVINCE);
  default: return a && a->role == CHISO_ROLE_ADMIN;
  }
}

int routes_is_api(const routes_route *route) { return strncmp(route->pattern, "/api/", 5) == 0; }

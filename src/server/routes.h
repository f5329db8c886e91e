/* routes.h — the route table of the server: every path it answers, with
** its methods, its handler, who may call it and how large a request body
** it takes. The read side is public and takes no body; the write side
** (accounts, uploads: issue 15) adds routes with another access level and
** a body limit, and the server checks both before a handler runs. */
#ifndef CHISO_ROUTES_H
#define CHISO_ROUTES_H

#include "reply.h"
#include "request.h"

#include <stddef.h>

#define ROUTES_MAX_ARGS 4

/* A handler fills r for q; args are the path segments matched by "{}" in
** the pattern (borrowed for the request). Returns the reply's status. */
typedef int (*routes_handler)(request *q, reply *r, const char *const *args, size_t n_args);

/* Who may call a route. */
typedef enum {
  ROUTES_PUBLIC = 0,    /* anyone: the read side, the login, the questionnaire */
  ROUTES_SIGNED_IN = 1, /* any account (a token or a session) */
  ROUTES_EDITOR = 2,    /* an admin or a province officer */
  ROUTES_ADMIN = 3      /* an admin */
} routes_access;

/* What a route's body is (body.h): none, form fields, an upload, JSON. */
enum { ROUTES_NO_BODY = 0, ROUTES_FORM = 1, ROUTES_UPLOAD = 2, ROUTES_JSON = 3 };

typedef struct routes_route {
  const char *methods;    /* space-separated, e.g. "GET HEAD" */
  const char *pattern;    /* "/api/v1/units/{}": {} matches one segment */
  routes_handler handler;
  routes_access access;
  size_t max_body;        /* bytes of request body accepted (0: none; an
                             upload: the server's --max-upload) */
  int body;               /* ROUTES_NO_BODY ... */
  int csrf;               /* 1: a form of the dashboard, which carries a CSRF
                             token whoever posts it; otherwise the token is
                             required when the credential is a cookie */
} routes_route;

/* The server's routes and their count. Static. */
const routes_route *routes_table(size_t *n);

/* The route for `method` and `path`: its handler gets the {} segments in
** args (at most ROUTES_MAX_ARGS; *n_args how many). NULL when none: then
** *path_known is 1 when the path exists with other methods, listed in
** allow (e.g. "GET, HEAD"), else 0. */
const routes_route *routes_match(const char *method, const char *path, const char **args,
                                 size_t *n_args, int *path_known, char *allow, size_t n_allow);

/* The same over a given table (for tests). */
const routes_route *routes_match_in(const routes_route *table, size_t n, const char *method,
                                    const char *path, const char **args, size_t *n_args,
                                    int *path_known, char *allow, size_t n_allow);

/* 1 when account a (NULL: nobody) may run the route: anyone a public
** one, any account a signed-in one, an admin or a province officer an
** editor's one, an admin an admin's one. Cannot fail. */
int routes_allowed(const routes_route *route, const chiso_account *a);

/* 1 when the route belongs to the JSON API (/api/...): its refusals are
** JSON, a page's are pages. */
int routes_is_api(const routes_route *route);

#endif

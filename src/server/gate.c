/* gate.c — the write side's checks before a handler (gate.h). */
#include "gate.h"

#include "body.h"
#include "cookie.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

int gate_enter(wstate *w, const routes_route *route, const char *authorization,
               const char *cookies, int tls, chiso_account *account, auth_via *via,
               char session[64], reply *r) {
  *via = AUTH_NONE;
  session[0] = '\0';
  memset(account, 0, sizeof *account);
  if (route->access == ROUTES_PUBLIC) return 0;
  if (!w) return reply_error(r, 503, NULL, NULL, 0, "this server has no write side");
  int st = auth_identify(w, authorization, cookies, tls, account, via, session);
  if (st == 503) {
    r->retry_after = 5;
    return reply_error(r, 503, NULL, NULL, 0, "the store cannot be written by this server now");
  }
  if (st) {
    r->www_authenticate = routes_is_api(route);
    return reply_error(r, 401, NULL, NULL, 0,
                       "sign in first: a valid API token (Authorization: Bearer TOKEN) or session");
  }
  if (!routes_allowed(route, account))
    return reply_error(r, 403, NULL, NULL, 0, "the %s account %s may not do this",
                       chiso_role_name(account->role), account->name);
  return 0;
}

/* The origin of this server as a browser writes it: scheme://host. */
static int same_origin(const char *origin, int tls, const char *host) {
  char want[320];
  if (!host) return 0;
  snprintf(want, sizeof want, "%s://%s", tls ? "https" : "http", host);
  return strcasecmp(origin, want) == 0;
}

void gate_csrf_secret(const request *q, char secret[64], int *fresh) {
  char name[64];
  *fresh = 0;
  if (q->via_session && q->session && *q->session) {
    snprintf(secret, 64, "%s", q->session);
    return;
  }
  cookie_name(AUTH_CSRF_COOKIE, q->tls, name, sizeof name);
  if (cookie_get(q->cookies, name, secret, 64)) return;
  secret[0] = '\0';
  if (auth_secret(secret) == 0) *fresh = 1;
}

int gate_check(const routes_route *route, const request *q, const char *origin,
               const char *fetch_site, const char *host, const char *csrf_header, reply *r) {
  if (strcmp(q->method, "GET") == 0 || strcmp(q->method, "HEAD") == 0) return 0;
  if (origin && strcmp(origin, "null") != 0 && !same_origin(origin, q->tls, host))
    return reply_error(r, 403, NULL, NULL, 0, "a request from another site (Origin: %.100s) is refused", origin);
  if (fetch_site && strcasecmp(fetch_site, "same-origin") != 0 && strcasecmp(fetch_site, "none") != 0)
    return reply_error(r, 403, NULL, NULL, 0, "a request from another site (Sec-Fetch-Site: %.40s) is refused",
                       fetch_site);
  if (!route->csrf && !q->via_session) return 0; /* a token or nothing a browser sends alone */
  char secret[64];
  int fresh = 0;
  gate_csrf_secret(q, secret, &fresh);
  const char *token = csrf_header;
  if (!token && q->body) token = form_get(body_form(q->body), "csrf");
  if (fresh || !auth_csrf_ok(secret, token))
    return reply_error(r, 403, "csrf", NULL, 0,
                       "the form's CSRF token is missing or wrong: load the page again and resend it");
  return 0;
}

/* gate.h — the checks every request to the write side passes before its
** handler runs (docs/intake.md, "Security"), in the server, not in the
** handlers, so that no handler can forget one:
**   1. before its body is read: the caller's credential when the route
**      needs one (401, with nothing read), and the caller's role (403);
**   2. once the body is read, for a method other than GET and HEAD: the
**      Origin and Sec-Fetch-Site headers, when sent, must say this origin
**      (403), and a form of the dashboard, or any request whose credential
**      is the session cookie, must carry its CSRF token (403). */
#ifndef CHISO_GATE_H
#define CHISO_GATE_H

#include "auth.h"
#include "reply.h"
#include "request.h"
#include "routes.h"
#include "wstate.h"

/* Who calls `route` (Authorization and Cookie headers): 0 with *account,
** *via and session (64 bytes) filled, or the refusal's status with r
** filled (401, 403, 503). A public route passes with AUTH_NONE. */
int gate_enter(wstate *w, const routes_route *route, const char *authorization,
               const char *cookies, int tls, chiso_account *account, auth_via *via,
               char session[64], reply *r);

/* The origin and CSRF checks of request q (its body read) for `route`:
** 0, or 403 with r filled. `origin` and `fetch_site` are the Origin and
** Sec-Fetch-Site headers (NULL: absent), `host` the Host header. */
int gate_check(const routes_route *route, const request *q, const char *origin,
               const char *fetch_site, const char *host, const char *csrf_header, reply *r);

/* The secret the CSRF token of q's forms is bound to: the session id when
** signed in by cookie, else the pre-session cookie's value ("" when none,
** then *fresh receives a new one to set). Cannot fail. */
void gate_csrf_secret(const request *q, char secret[64], int *fresh);

#endif

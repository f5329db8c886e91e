/* auth.h — who a request to the write side comes from, and whether a form
** it posts was made by this server (docs/intake.md, "Security").
**
** Credentials: an API token in "Authorization: Bearer TOKEN", or the
** session cookie a login set (chiso_session: HttpOnly, SameSite=Strict,
** Secure and __Host- under TLS). A token is not sent by a browser on its
** own, so a request with one needs no CSRF token; a request whose
** credential is a cookie must carry the CSRF token of its form (field
** "csrf" or header X-CSRF-Token).
**
** CSRF tokens are bound to a secret the browser holds in an HttpOnly
** cookie: the session id when signed in, else a random pre-session
** cookie (chiso_csrf) set with the form. The token is BLAKE2b-256 of a
** domain label and that secret, so a page elsewhere can neither read nor
** make it; it is compared in constant time. */
#ifndef CHISO_AUTH_H
#define CHISO_AUTH_H

#include "chiso.h"
#include "wstate.h"

#include <stddef.h>

#define AUTH_SESSION_COOKIE "chiso_session"
#define AUTH_CSRF_COOKIE "chiso_csrf"

/* How the caller was recognised. */
typedef enum { AUTH_NONE = 0, AUTH_TOKEN = 1, AUTH_SESSION = 2 } auth_via;

/* The caller of a request with these Authorization and Cookie headers
** (NULL: absent): 0 with *out filled, *via and (for a session) its id in
** session (64 bytes); 401 when there is no credential or it is not
** (or no longer) valid, a disabled account included; 503 when the store
** cannot be written. A malformed Authorization header is a 401 too. */
int auth_identify(wstate *w, const char *authorization, const char *cookies, int tls,
                  chiso_account *out, auth_via *via, char session[64]);

/* The CSRF token (43 base64url characters) bound to `secret`. Cannot fail. */
void auth_csrf(const char *secret, char out[64]);

/* 1 when `token` is the CSRF token bound to `secret` (both non-empty). */
int auth_csrf_ok(const char *secret, const char *token);

/* A new random secret for the pre-session cookie (43 characters). Returns
** 0 or -1. */
int auth_secret(char out[64]);

#endif

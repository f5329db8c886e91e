/* auth.c — callers and CSRF tokens of the write side (auth.h). */
#include "auth.h"

#include "cookie.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

int auth_identify(wstate *w, const char *authorization, const char *cookies, int tls,
                  chiso_account *out, auth_via *via, char session[64]) {
  char name[64], value[COOKIE_MAX_VALUE + 1];
  chiso_err err;
  *via = AUTH_NONE;
  session[0] = '\0';
  memset(out, 0, sizeof *out);
  const char *token = NULL;
  if (authorization) {
    if (strncasecmp(authorization, "Bearer ", 7) != 0) return 401;
    token = authorization + 7;
    while (*token == ' ') token++;
    if (!*token || strlen(token) > 128) return 401;
  }
  cookie_name(AUTH_SESSION_COOKIE, tls, name, sizeof name);
  int has_session = !token && cookie_get(cookies, name, value, sizeof value);
  if (!token && !has_session) return 401;
  if (has_session && strlen(value) > 63) return 401; /* ours are 43 characters */
  chiso_intake *h = wstate_lock(w);
  if (!h) return 503;
  chiso_err_clear(&err);
  int rc = token ? chiso_token_account(h, token, out, &err) : chiso_session_account(h, value, out, &err);
  wstate_unlock(w);
  if (rc == CHISO_EDENIED) return 401;
  if (rc) return 503;
  *via = token ? AUTH_TOKEN : AUTH_SESSION;
  if (has_session) memcpy(session, value, strlen(value) + 1);
  return 0;
}

void auth_csrf(const char *secret, char out[64]) {
  static const char label[] = "chiso csrf v1\x1f";
  unsigned char md[32];
  crypto_generichash_state st;
  crypto_generichash_init(&st, NULL, 0, sizeof md);
  crypto_generichash_update(&st, (const unsigned char *)label, sizeof label - 1);
  crypto_generichash_update(&st, (const unsigned char *)secret, strlen(secret));
  crypto_generichash_final(&st, md, sizeof md);
  sodium_bin2base64(out, 64, md, sizeof md, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

int auth_csrf_ok(const char *secret, const char *token) {
  char want[64];
  if (!secret || !*secret || !token || strlen(token) != 43) return 0;
  auth_csrf(secret, want);
  return sodium_memcmp(want, token, 43) == 0;
}

int auth_secret(char out[64]) {
  unsigned char r[32];
  if (sodium_init() < 0) return -1;
  randombytes_buf(r, sizeof r);
  sodium_bin2base64(out, 64, r, sizeof r, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return 0;
}

/* cookie.h — cookies read from a Cookie request header (RFC 6265,
** section 4.2: "name=value" pairs separated by "; ") and Set-Cookie values
** written. Every cookie chiso sets is HttpOnly (no script reads it),
** SameSite=Strict (no other site's page sends it), Path=/, and under TLS
** Secure with the __Host- name prefix (RFC 6265bis: only this host, only
** over TLS). Nothing here allocates. */
#ifndef CHISO_COOKIE_H
#define CHISO_COOKIE_H

#include <stddef.h>

#define COOKIE_MAX_VALUE 128

/* The value of cookie `name` in header (NULL: none) into out (n bytes):
** 1 when found with a value of 1 to COOKIE_MAX_VALUE cookie-octets
** (RFC 6265: printable ASCII but space, '"', ',', ';', '\'), optionally
** in double quotes; 0 otherwise (absent, empty, too long, or another
** character: such a value is never used). When a name comes twice the
** first wins. Cannot fail. */
int cookie_get(const char *header, const char *name, char *out, size_t n);

/* The full name of a chiso cookie: "__Host-" + base under TLS, else
** base. Cannot fail. */
void cookie_name(const char *base, int secure, char *out, size_t n);

/* The value of a Set-Cookie header for cookie `name` (its full name) with
** `value` (cookie-octets only) into out (n bytes, at least 256): with
** max_age seconds (0: a session cookie; -1: delete it now). Returns 0, or
** -1 when it does not fit or the value has another character. */
int cookie_set(char *out, size_t n, const char *name, const char *value, long max_age, int secure);

#endif

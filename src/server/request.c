/* request.c — one HTTP request and its parameters (request.h). */
#include "request.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

const char *request_param_get(const request *q, const char *key) {
  for (size_t i = 0; i < q->n_params; i++)
    if (strcmp(q->params[i].key, key) == 0) return q->params[i].value ? q->params[i].value : "";
  return NULL;
}

static int allowed_name(const char *key, const char *const *allowed, size_t n) {
  for (size_t i = 0; i < n; i++) {
    size_t len = strlen(allowed[i]);
    if (len && allowed[i][len - 1] == '.' ? strncmp(key, allowed[i], len) == 0 && key[len]
                                          : strcmp(key, allowed[i]) == 0)
      return 1;
  }
  return 0;
}

int request_params_check(const request *q, const char *const *allowed, size_t n, reply *r) {
  if (q->too_many_params) {
    reply_error(r, 400, NULL, NULL, 0, "too many parameters (at most %d)", REQUEST_MAX_PARAMS);
    return 0;
  }
  for (size_t i = 0; i < q->n_params; i++) {
    const char *key = q->params[i].key;
    if (!allowed_name(key, allowed, n)) {
      reply_error(r, 400, key, allowed, n, "unknown parameter '%s'", key);
      return 0;
    }
    for (size_t j = 0; j < i; j++)
      if (strcmp(q->params[j].key, key) == 0) {
        reply_error(r, 400, key, NULL, 0, "parameter '%s' is given twice", key);
        return 0;
      }
  }
  return 1;
}

int request_int(const request *q, const char *key, long lo, long hi, long dflt, long *out,
                reply *r) {
  const char *v = request_param_get(q, key);
  if (!v) {
    *out = dflt;
    return 1;
  }
  char *end = NULL;
  errno = 0;
  long x = strtol(v, &end, 10);
  int digits = *v >= '0' && *v <= '9';
  if (!digits || errno || *end || x < lo || x > hi) {
    reply_error(r, 400, key, NULL, 0, "%s must be a whole number from %ld to %ld, not \"%.80s\"",
                key, lo, hi, v);
    return 0;
  }
  *out = x;
  return 1;
}

int request_choice(const request *q, const char *key, const char *const *choices, size_t n,
                   size_t dflt, size_t *out, reply *r) {
  const char *v = request_param_get(q, key);
  if (!v) {
    *out = dflt;
    return 1;
  }
  for (size_t i = 0; i < n; i++)
    if (strcmp(v, choices[i]) == 0) {
      *out = i;
      return 1;
    }
  reply_error(r, 400, key, choices, n, "%s must be one of the allowed values, not \"%.80s\"", key, v);
  return 0;
}

int request_etag_matches(const request *q, const char *etag) {
  const char *h = q->if_none_match;
  if (!h || !*etag) return 0;
  if (strcmp(h, "*") == 0) return 1;
  size_t n = strlen(etag);
  for (const char *p = h; (p = strstr(p, etag)); p += n) {
    char before = p == h ? ',' : p[-1], after = p[n];
    if ((before == ',' || before == ' ' || before == '/') && (after == ',' || after == ' ' || !after))
      return 1;
  }
  return 0;
}

const char *request_lang(const char *segment) {
  if (strcmp(segment, "vi") == 0) return "vi";
  if (strcmp(segment, "en") == 0) return "en";
  return NULL;
}

/* mem.c — allocation with failure injection for tests. */
#include "base/mem.h"

#include "base/err.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Mutable file-scope state, allowed as a test hook only (the other
** exception is the log hook of log.c): off (-1) unless a test turns it on. */
static long fail_countdown = -1;

static int injected_failure(void) {
  if (fail_countdown < 0) return 0;
  if (fail_countdown == 0) return 1;
  fail_countdown--;
  return 0;
}

void chiso_mem_fail_after(long n) { fail_countdown = n; }

void *chiso_malloc(size_t n) {
  if (injected_failure()) return NULL;
  return malloc(n ? n : 1);
}

void *chiso_calloc(size_t count, size_t size) {
  if (injected_failure()) return NULL;
  if (count == 0 || size == 0) return calloc(1, 1);
  return calloc(count, size);
}

void *chiso_realloc(void *p, size_t n) {
  if (injected_failure()) return NULL;
  return realloc(p, n ? n : 1);
}

void chiso_free(void *p) { free(p); }

char *chiso_strndup(const char *s, size_t n) {
  if (!s) return NULL;
  char *d = chiso_malloc(n + 1);
  if (!d) return NULL;
  memcpy(d, s, n);
  d[n] = '\0';
  return d;
}

char *chiso_strdup(const char *s) {
  if (!s) return NULL;
  return chiso_strndup(s, strlen(s));
}

int chiso_grow(void **p, size_t *cap, size_t need, size_t size) {
  if (need <= *cap) return CHISO_OK;
  size_t ncap = *cap ? *cap : 8;
  while (ncap < need) {
    if (ncap > SIZE_MAX / 2) return CHISO_ENOMEM;
    ncap *= 2;
  }
  if (size && ncap > SIZE_MAX / size) return CHISO_ENOMEM;
  void *np = chiso_realloc(*p, ncap * size);
  if (!np) return CHISO_ENOMEM;
  *p = np;
  *cap = ncap;
  return CHISO_OK;
}

/* mem.c — allocation with failure injection for tests, and transparent
** huge pages for large blocks. */
#include "base/mem.h"

#include "base/err.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* Large blocks (survey columns, replicate tables, row matrices) are asked
** to be backed by 2 MiB transparent huge pages. On a virtual machine every
** first touch of a 4 KiB page is a costly fault; with huge pages there
** are 512 times fewer. Measured (docs/performance.md): `estimate --db` on
** 1M respondents spent half its time in page faults. Blocks from
** chiso_malloc start on a 2 MiB boundary so that all their whole huge
** pages can be used; calloc and realloc keep the C library's placement
** (calloc's pages stay untouched until used, realloc may move pages
** without copying) and advise the pages they cover. Where the kernel has
** no THP, or THP is off, madvise fails or does nothing: only speed is
** lost. */
#define HUGE_PAGE ((size_t)2 << 20)
#define HUGE_MIN ((size_t)4 << 20) /* smaller blocks hold at most one huge page */

static void advise_huge(void *p, size_t n) {
#ifdef MADV_HUGEPAGE
  if (!p || n < HUGE_MIN) return;
  uintptr_t a = ((uintptr_t)p + 4095) & ~(uintptr_t)4095, e = ((uintptr_t)p + n) & ~(uintptr_t)4095;
  if (e > a) (void)madvise((void *)a, e - a, MADV_HUGEPAGE);
#else
  (void)p;
  (void)n;
#endif
}

/* Mutable file-scope state, allowed as a test hook only (the other
** exception is the log hook of log.c): off (-1) unless a test turns it on.
** Atomic, so that a library thread allocating beside the test's thread
** (the import's statistics) is no data race; which of them fails first
** is then up to the timing, and both handle it. */
static _Atomic long fail_countdown = -1;

static int injected_failure(void) {
  long c = atomic_load_explicit(&fail_countdown, memory_order_relaxed);
  while (c > 0 && !atomic_compare_exchange_weak_explicit(&fail_countdown, &c, c - 1,
                                                         memory_order_relaxed,
                                                         memory_order_relaxed)) {
  }
  return c == 0;
}

void chiso_mem_fail_after(long n) { atomic_store(&fail_countdown, n); }

void *chiso_malloc(size_t n) {
  if (injected_failure()) return NULL;
  if (n < HUGE_MIN) return malloc(n ? n : 1);
  void *p = NULL;
  if (posix_memalign(&p, HUGE_PAGE, n)) return NULL;
  advise_huge(p, n);
  return p;
}

void *chiso_calloc(size_t count, size_t size) {
  if (injected_failure()) return NULL;
  if (count == 0 || size == 0) return calloc(1, 1);
  void *p = calloc(count, size);
  if (count <= SIZE_MAX / size) advise_huge(p, count * size);
  return p;
}

void *chiso_realloc(void *p, size_t n) {
  if (injected_failure()) return NULL;
  void *q = realloc(p, n ? n : 1);
  advise_huge(q, n);
  return q;
}

int chiso_mem_prefault(void *p, size_t n) {
#ifdef MADV_POPULATE_WRITE
  uintptr_t a = ((uintptr_t)p + 4095) & ~(uintptr_t)4095, e = ((uintptr_t)p + n) & ~(uintptr_t)4095;
  if (!p || e <= a) return 0;
  return madvise((void *)a, e - a, MADV_POPULATE_WRITE) == 0 ? 0 : -1;
#else
  (void)p;
  (void)n;
  return -1;
#endif
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

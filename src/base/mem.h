/* mem.h — the one allocation hook of libchiso.
**
** All library allocations go through these functions so that tests can
** make the n-th allocation fail and check the out-of-memory paths. */
#ifndef CHISO_MEM_H
#define CHISO_MEM_H

#include <stddef.h>

/* Like malloc/calloc/realloc/free/strdup. They return NULL on failure (or
** when a failure is injected) and never abort. chiso_free(NULL) is a no-op.
** The caller owns what they return and frees it with chiso_free. */
void *chiso_malloc(size_t n);
void *chiso_calloc(size_t count, size_t size);
void *chiso_realloc(void *p, size_t n);
void chiso_free(void *p);
char *chiso_strdup(const char *s);
char *chiso_strndup(const char *s, size_t n);

/* Grow *p (an array of *cap elements of `size` bytes) so that it holds at
** least `need` elements, doubling. Returns 0, or CHISO_ENOMEM leaving *p and
** *cap unchanged. */
int chiso_grow(void **p, size_t *cap, size_t need, size_t size);

/* Test hook: make the allocation after `n` more successful ones fail, and
** every one after it; n < 0 turns injection off. Not thread-safe: for
** single-threaded tests only. */
void chiso_mem_fail_after(long n);

/* Fault in the whole pages of [p, p + n) for writing ahead of their use,
** leaving what they hold unchanged (MADV_POPULATE_WRITE), so that another
** thread than the one filling a large block pays for zeroing its fresh
** pages. Does nothing where the kernel cannot (returns -1 then, 0 when the
** pages are in); only speed depends on it. p may be NULL when n is 0. */
int chiso_mem_prefault(void *p, size_t n);

#endif

/* workers.h — a small pthreads pool for "do items 0..n-1" loops.
**
** Items are handed out in chunks from an atomic counter; every item must
** write only its own output slot, so the result does not depend on the
** thread count or on which thread ran an item (the caller reduces the slots
** afterwards in a fixed order). Used by the bootstrap, uncertainty and
** sensitivity drivers. */
#ifndef CHISO_WORKERS_H
#define CHISO_WORKERS_H

#include "base/err.h"
#include "base/log.h"

#include <stddef.h>

/* Process items [begin, end) on thread `thread` (0-based, < nthreads: index
** per-thread scratch with it). Return 0 or a CHISO_E* code; on a non-zero
** return the pool stops handing out work. */
typedef int (*workers_fn)(void *ud, int thread, size_t begin, size_t end);

/* Run fn over items 0..n-1 with `nthreads` threads (1 runs inline on the
** caller's thread, < 1 is taken as 1), `chunk` items at a time (0 picks
** one). progress (may be NULL) is called from thread 0 only, with `stage`
** and the number of items done so far; on success its last call is always
** (n, n), made by the caller's thread after the join when the last items
** finished on another thread. Returns 0, the first non-zero code
** returned by fn (err filled with a generic message unless fn's own
** message is kept by the caller), or CHISO_EINTERNAL if a thread cannot be
** started. Allocates nothing that outlives the call. */
int workers_run(int nthreads, size_t n, size_t chunk, workers_fn fn, void *ud,
                chiso_progress_fn progress, void *progress_ud, const char *stage,
                chiso_err *err);

/* A sensible default thread count: the number of online processors,
** capped at 64. Cannot fail (returns 1 when unknown). */
int workers_default_threads(void);

#endif

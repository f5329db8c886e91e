/* workers.c — chunked parallel loop over pthreads (see workers.h). */
#include "base/workers.h"

#include <assert.h>
#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

typedef struct pool {
  size_t n, chunk;
  workers_fn fn;
  void *ud;
  chiso_progress_fn progress;
  void *progress_ud;
  const char *stage;
  atomic_size_t next;  /* first item not yet handed out */
  atomic_size_t done;  /* items finished */
  atomic_int rc;       /* first failure, 0 while all is well */
  double reported;     /* the last `done` given to progress (thread 0) */
} pool;

typedef struct slot {
  pool *p;
  int thread;
} slot;

static void *worker(void *arg) {
  slot *s = arg;
  pool *p = s->p;
  for (;;) {
    if (atomic_load(&p->rc) != 0) break;
    size_t b = atomic_fetch_add(&p->next, p->chunk);
    if (b >= p->n) break;
    size_t e = b + p->chunk < p->n ? b + p->chunk : p->n;
    int rc = p->fn(p->ud, s->thread, b, e);
    if (rc != 0) {
      int zero = 0;
      atomic_compare_exchange_strong(&p->rc, &zero, rc);
      break;
    }
    size_t d = atomic_fetch_add(&p->done, e - b) + (e - b);
    if (s->thread == 0 && p->progress) {
      p->reported = (double)d;
      p->progress(p->progress_ud, p->stage, (double)d, (double)p->n);
    }
  }
  return NULL;
}

int workers_run(int nthreads, size_t n, size_t chunk, workers_fn fn, void *ud,
                chiso_progress_fn progress, void *progress_ud, const char *stage,
                chiso_err *err) {
  assert(fn);
  if (nthreads < 1) nthreads = 1;
  if (nthreads > 256) nthreads = 256;
  if (chunk == 0) chunk = n / ((size_t)nthreads * 16) + 1;
  pool p = {.n = n, .chunk = chunk, .fn = fn, .ud = ud, .progress = progress,
            .progress_ud = progress_ud, .stage = stage ? stage : ""};
  atomic_init(&p.next, 0);
  atomic_init(&p.done, 0);
  atomic_init(&p.rc, 0);
  pthread_t tid[256];
  slot slots[256];
  int started = 0, rc = CHISO_OK;
  for (int t = 1; t < nthreads; t++) {
    slots[t] = (slot){&p, t};
    if (pthread_create(&tid[t], NULL, worker, &slots[t]) != 0) {
      int zero = 0;
      atomic_compare_exchange_strong(&p.rc, &zero, CHISO_EINTERNAL);
      break;
    }
    started = t;
  }
  slots[0] = (slot){&p, 0};
  worker(&slots[0]);
  for (int t = 1; t <= started; t++) pthread_join(tid[t], NULL);
  rc = atomic_load(&p.rc);
  /* The last items may finish on another thread: end the bar at n. */
  if (rc == CHISO_OK && progress && p.reported < (double)n)
    progress(progress_ud, p.stage, (double)n, (double)n);
  if (rc != CHISO_OK && err && err->code == CHISO_OK)
    chiso_err_set(err, rc, "parallel %s failed: %s", p.stage, chiso_strerror(rc));
  return rc;
}

int workers_default_threads(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  if (n < 1) return 1;
  return n > 64 ? 64 : (int)n;
}

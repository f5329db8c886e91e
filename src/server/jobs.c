/* jobs.c — a pool of threads for long requests (jobs.h). */
#include "jobs.h"

#include <pthread.h>
#include <stdlib.h>

typedef struct job {
  jobs_fn fn;
  void *ctx;
} job;

struct jobs {
  pthread_mutex_t lock;
  pthread_cond_t more;
  job *q;              /* a ring of max queued jobs */
  size_t max, head, n;
  int draining;
  int joined;
  pthread_t *t;
  int threads;
};

static void *run(void *arg) {
  jobs *j = arg;
  for (;;) {
    pthread_mutex_lock(&j->lock);
    while (!j->n && !j->draining) pthread_cond_wait(&j->more, &j->lock);
    if (!j->n) { /* draining and nothing left */
      pthread_mutex_unlock(&j->lock);
      return NULL;
    }
    job x = j->q[j->head];
    j->head = (j->head + 1) % j->max;
    j->n--;
    pthread_mutex_unlock(&j->lock);
    x.fn(x.ctx);
  }
}

jobs *jobs_new(int threads, size_t max_queued) {
  jobs *j = calloc(1, sizeof *j);
  if (!j) return NULL;
  j->max = max_queued ? max_queued : 1;
  j->threads = threads < 1 ? 1 : threads;
  j->q = calloc(j->max, sizeof *j->q);
  j->t = calloc((size_t)j->threads, sizeof *j->t);
  if (!j->q || !j->t || pthread_mutex_init(&j->lock, NULL) || pthread_cond_init(&j->more, NULL)) {
    free(j->q), free(j->t), free(j);
    return NULL;
  }
  for (int i = 0; i < j->threads; i++)
    if (pthread_create(&j->t[i], NULL, run, j)) {
      j->threads = i;
      jobs_free(j);
      return NULL;
    }
  return j;
}

int jobs_submit(jobs *j, jobs_fn fn, void *ctx) {
  int rc = -1;
  pthread_mutex_lock(&j->lock);
  if (!j->draining && j->n < j->max) {
    j->q[(j->head + j->n) % j->max] = (job){fn, ctx};
    j->n++;
    rc = 0;
    pthread_cond_signal(&j->more);
  }
  pthread_mutex_unlock(&j->lock);
  return rc;
}

void jobs_drain(jobs *j) {
  pthread_mutex_lock(&j->lock);
  j->draining = 1;
  pthread_cond_broadcast(&j->more);
  pthread_mutex_unlock(&j->lock);
  if (!j->joined)
    for (int i = 0; i < j->threads; i++) pthread_join(j->t[i], NULL);
  j->joined = 1;
}

void jobs_free(jobs *j) {
  if (!j) return;
  jobs_drain(j);
  pthread_cond_destroy(&j->more);
  pthread_mutex_destroy(&j->lock);
  free(j->q);
  free(j->t);
  free(j);
}

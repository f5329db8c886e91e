/* jobs.h — long requests run off the HTTP threads: a fixed pool of
** threads takes jobs from a bounded queue, so that an upload read for
** seconds (in a child process: sandbox.h) or a publication holds neither
** an HTTP thread nor the other connections that thread serves; the server
** suspends the request's connection and resumes it when its job is done.
** Thread-safe. */
#ifndef CHISO_JOBS_H
#define CHISO_JOBS_H

#include <stddef.h>

typedef struct jobs jobs;

typedef void (*jobs_fn)(void *ctx);

/* A pool of `threads` threads (at least 1) holding at most max_queued
** jobs waiting, or NULL when the threads cannot start. */
jobs *jobs_new(int threads, size_t max_queued);

/* Queue fn(ctx). Returns 0, or -1 when the queue is full or the pool is
** draining (the caller answers 503 and keeps ctx). */
int jobs_submit(jobs *j, jobs_fn fn, void *ctx);

/* Take no more jobs (jobs_submit returns -1 from now on), run those
** queued, and wait for every thread to end. Cannot fail; once only. */
void jobs_drain(jobs *j);

/* Drain (when not drained yet) and free. NULL is a no-op. */
void jobs_free(jobs *j);

#endif

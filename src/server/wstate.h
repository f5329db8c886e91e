/* wstate.h — what the write side of the server holds (docs/intake.md):
** the store opened for the intake's writes (one connection, used under a
** lock: SQLite serialises writers anyway, and every write commits before
** its answer), the limits of logins, the private directory of uploads,
** the pool of long jobs and the settings of the sandbox.
**
** The read side never uses it: pages and the API read their snapshots
** (state.h) from their own read-only connections, which see each commit
** of the write side like any other writer's. */
#ifndef CHISO_WSTATE_H
#define CHISO_WSTATE_H

#include "chiso.h"
#include "jobs.h"
#include "limiter.h"
#include "sandbox.h"

#include <stddef.h>

typedef struct wstate_options {
  const char *db;
  const char *method;       /* the methodology of a year with nothing stored */
  size_t max_upload;        /* bytes of an uploaded file */
  sandbox_limits limits;    /* of the worker that reads an upload */
  int workers;              /* uploads and publications run at once */
  int tls;                  /* 1: cookies are Secure, __Host- */
  const char *self;         /* this binary (the worker); NULL: uploads are read in-process */
} wstate_options;

typedef struct wstate wstate;

/* The write side over o->db: on success *out is new (wstate_free). A store
** that cannot be written leaves the write side answering 503 (the read
** side serves on). Returns 0, CHISO_EIO (no private directory, no
** threads), CHISO_ENOMEM. */
int wstate_open(const wstate_options *o, wstate **out, chiso_err *err);

/* Finish the jobs, close the store, remove the private directory. NULL is
** a no-op. */
void wstate_free(wstate *w);

/* The intake's store, locked for this thread (wstate_unlock); NULL when
** it cannot be written (nothing locked). */
chiso_intake *wstate_lock(wstate *w);
void wstate_unlock(wstate *w);

/* The settings, the private directory, the login limiters (per account,
** per address) and the job pool. Borrowed. */
const wstate_options *wstate_options_of(const wstate *w);
const char *wstate_dir(const wstate *w);
limiter *wstate_accounts(wstate *w);
limiter *wstate_addresses(wstate *w);
jobs *wstate_jobs(wstate *w);

#endif

/* wstate.c — the write side's state (wstate.h). */
#include "wstate.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Logins: 5 failures per account, 20 per address, in 15 minutes. */
#define ACCOUNT_FAILURES 5
#define ADDRESS_FAILURES 20
#define FAILURE_WINDOW (15 * 60)

struct wstate {
  wstate_options o;
  char db[4096], method[4096], self[4096];
  chiso_intake *h;
  pthread_mutex_t lock;
  char dir[4096];
  limiter *accounts, *addresses;
  jobs *pool;
};

int wstate_open(const wstate_options *o, wstate **out, chiso_err *err) {
  wstate *w = calloc(1, sizeof *w);
  *out = NULL;
  if (!w || pthread_mutex_init(&w->lock, NULL)) {
    free(w);
    chiso_err_clear(err);
    return CHISO_ENOMEM;
  }
  w->o = *o;
  snprintf(w->db, sizeof w->db, "%s", o->db);
  snprintf(w->method, sizeof w->method, "%s", o->method ? o->method : "ebi-2021");
  snprintf(w->self, sizeof w->self, "%s", o->self ? o->self : "");
  w->o.db = w->db, w->o.method = w->method, w->o.self = o->self ? w->self : NULL;
  chiso_err e;
  chiso_err_clear(&e);
  if (chiso_intake_open(w->db, 0, &w->h, &e)) w->h = NULL; /* the read side serves on */
  const char *tmp = getenv("TMPDIR");
  snprintf(w->dir, sizeof w->dir, "%s/chiso-uploads-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  int rc = mkdtemp(w->dir) ? CHISO_OK : CHISO_EIO;
  if (rc) w->dir[0] = '\0';
  if (!rc && (!(w->accounts = limiter_new(ACCOUNT_FAILURES, FAILURE_WINDOW)) ||
              !(w->addresses = limiter_new(ADDRESS_FAILURES, FAILURE_WINDOW))))
    rc = CHISO_ENOMEM;
  if (!rc && !(w->pool = jobs_new(o->workers, 1024))) rc = CHISO_EIO;
  if (rc) {
    chiso_err_clear(err);
    if (err) {
      err->code = rc;
      snprintf(err->message, sizeof err->message, "cannot start the write side (%s)",
               w->dir[0] ? "no threads" : "no private directory for uploads");
    }
    wstate_free(w);
    return rc;
  }
  *out = w;
  return CHISO_OK;
}

void wstate_free(wstate *w) {
  if (!w) return;
  jobs_free(w->pool);
  limiter_free(w->accounts);
  limiter_free(w->addresses);
  chiso_intake_close(w->h);
  if (w->dir[0]) rmdir(w->dir); /* each upload removed its own file */
  pthread_mutex_destroy(&w->lock);
  free(w);
}

chiso_intake *wstate_lock(wstate *w) {
  if (!w->h) return NULL;
  pthread_mutex_lock(&w->lock);
  return w->h;
}

void wstate_unlock(wstate *w) { pthread_mutex_unlock(&w->lock); }

const wstate_options *wstate_options_of(const wstate *w) { return &w->o; }
const char *wstate_dir(const wstate *w) { return w->dir; }
limiter *wstate_accounts(wstate *w) { return w->accounts; }
limiter *wstate_addresses(wstate *w) { return w->addresses; }
jobs *wstate_jobs(wstate *w) { return w->pool; }

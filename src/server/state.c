/* state.c — snapshots of the served store (state.h). */
#include "state.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define MAX_VIEWS 128

typedef struct view {
  int year, units;
  chiso_report *report;
  chiso_whatif *whatif;
} view;

struct state_snap {
  atomic_int refs;
  uint64_t generation;
  chiso_store *st;        /* the snapshot's own connection, pinned (chiso_store_open_snapshot) */
  chiso_years *years;
  const int *year_list;
  size_t n_years;
  cache *cache;
  pthread_mutex_t lock;   /* computations on the store and year contexts */
  view views[MAX_VIEWS];
  size_t n_views;
  const struct state *owner;
};

struct state {
  char path[4096];
  size_t cache_bytes;
  int threads;
  pthread_mutex_t lock;   /* current, the watcher and the file identity */
  chiso_store *watch;     /* asked for the data version */
  uint64_t version;
  dev_t dev;
  ino_t ino;
  state_snap *current;
  uint64_t generations;
  struct timespec checked; /* when the store was last asked */
  /* the next snapshot is built and warmed on a thread of its own while
  ** the current one keeps answering (state_acquire) */
  pthread_t builder;
  int builder_started;    /* a builder thread to join */
  int building;           /* it is running */
  int again;              /* the store changed again while it ran */
  atomic_int stopping;    /* state_free: warm nothing more */
  FILE *log;              /* each new state served is noted here (NULL: not) */
  /* the watcher looks every WATCH_SECONDS without requests (state_acquire) */
  pthread_t watcher;
  int watcher_started;
  pthread_cond_t wake;    /* state_free wakes it to stop */
};

#define WATCH_SECONDS 1

/* The store is asked whether it changed at most this often: a request
** that comes later than that after a commit sees it, and a burst of
** requests does not ask the store each time. */
#define CHECK_NS 20000000L /* 20 ms */

/* 1 when the last check is older than CHECK_NS (and restamp it). */
static int due(state *s) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  long long ns = (long long)(now.tv_sec - s->checked.tv_sec) * 1000000000LL + (now.tv_nsec - s->checked.tv_nsec);
  if (ns >= 0 && ns < CHECK_NS) return 0;
  s->checked = now;
  return 1;
}

static void snap_free(state_snap *sn) {
  if (!sn) return;
  for (size_t i = 0; i < sn->n_views; i++) {
    chiso_whatif_free(sn->views[i].whatif);
    chiso_report_free(sn->views[i].report);
  }
  chiso_years_free(sn->years);
  chiso_store_close(sn->st);
  cache_free(sn->cache);
  pthread_mutex_destroy(&sn->lock);
  free(sn);
}

static int snap_new(state *s, state_snap **out, chiso_err *err) {
  state_snap *sn = calloc(1, sizeof *sn);
  *out = NULL;
  if (!sn || pthread_mutex_init(&sn->lock, NULL)) {
    free(sn);
    chiso_err_clear(err);
    if (err) snprintf(err->message, sizeof err->message, "out of memory");
    return CHISO_ENOMEM;
  }
  atomic_init(&sn->refs, 1);
  sn->owner = s;
  /* pinned: the views computed later, on first ask, read the state the
  ** year list was read from, never a later commit's */
  int rc = chiso_store_open_snapshot(s->path, &sn->st, err);
  if (!rc) rc = chiso_years_open(sn->st, &sn->years, err);
  if (!rc && !(sn->cache = cache_new(s->cache_bytes))) {
    rc = CHISO_ENOMEM;
    if (err) snprintf(err->message, sizeof err->message, "out of memory");
  }
  if (rc) {
    snap_free(sn);
    return rc;
  }
  sn->n_years = chiso_years_list(sn->years, &sn->year_list);
  *out = sn;
  return CHISO_OK;
}

/* The identity of the file at path (a store replaced by another file,
** e.g. a rebuilt demo, has another inode). */
static int identity(const char *path, dev_t *dev, ino_t *ino) {
  struct stat sb;
  if (stat(path, &sb)) return -1;
  *dev = sb.st_dev;
  *ino = sb.st_ino;
  return 0;
}

/* The watcher thread: state_acquire every WATCH_SECONDS, as a request
** would, until state_free. */
static void *watcher(void *arg) {
  state *s = arg;
  pthread_mutex_lock(&s->lock);
  while (!atomic_load(&s->stopping)) {
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += WATCH_SECONDS;
    pthread_cond_timedwait(&s->wake, &s->lock, &until);
    if (atomic_load(&s->stopping)) break;
    pthread_mutex_unlock(&s->lock);
    chiso_err err;
    chiso_err_clear(&err);
    state_release(state_acquire(s, &err)); /* an unreadable store: tried again next time */
    pthread_mutex_lock(&s->lock);
  }
  pthread_mutex_unlock(&s->lock);
  return NULL;
}

static int wake_init(pthread_cond_t *c) {
  pthread_condattr_t a;
  if (pthread_condattr_init(&a)) return -1;
  int rc = pthread_condattr_setclock(&a, CLOCK_MONOTONIC) || pthread_cond_init(c, &a);
  pthread_condattr_destroy(&a);
  return rc ? -1 : 0;
}

int state_open(const char *db_path, size_t cache_bytes, int threads, FILE *log, state **out,
               chiso_err *err) {
  state *s = calloc(1, sizeof *s);
  *out = NULL;
  if (!s || pthread_mutex_init(&s->lock, NULL)) {
    free(s);
    return CHISO_ENOMEM;
  }
  if (wake_init(&s->wake)) {
    pthread_mutex_destroy(&s->lock);
    free(s);
    return CHISO_ENOMEM;
  }
  s->log = log;
  snprintf(s->path, sizeof s->path, "%s", db_path);
  s->cache_bytes = cache_bytes;
  s->threads = threads < 1 ? 1 : threads;
  int rc = chiso_store_open_readonly(db_path, &s->watch, err);
  if (!rc) rc = chiso_store_data_version(s->watch, &s->version, err);
  if (!rc) identity(db_path, &s->dev, &s->ino);
  if (!rc) rc = snap_new(s, &s->current, err);
  if (!rc) s->current->generation = ++s->generations;
  if (rc) {
    state_free(s);
    return rc;
  }
  s->watcher_started = pthread_create(&s->watcher, NULL, watcher, s) == 0; /* else: on requests only */
  *out = s;
  return CHISO_OK;
}

void state_free(state *s) {
  if (!s) return;
  pthread_mutex_lock(&s->lock);
  atomic_store(&s->stopping, 1); /* a builder ends after the view it is computing */
  pthread_cond_broadcast(&s->wake);
  pthread_mutex_unlock(&s->lock);
  if (s->watcher_started) pthread_join(s->watcher, NULL); /* first: it may start a builder */
  if (s->builder_started) pthread_join(s->builder, NULL);
  state_release(s->current);
  chiso_store_close(s->watch);
  pthread_cond_destroy(&s->wake);
  pthread_mutex_destroy(&s->lock);
  free(s);
}

/* Has the store changed since the last look? Reopens the watcher when the
** file was replaced. Lock held. */
static int changed(state *s, chiso_err *err) {
  dev_t dev;
  ino_t ino;
  if (identity(s->path, &dev, &ino) == 0 && (dev != s->dev || ino != s->ino)) {
    chiso_store *w = NULL;
    if (chiso_store_open_readonly(s->path, &w, err)) return -1;
    chiso_store_close(s->watch);
    s->watch = w;
    s->dev = dev;
    s->ino = ino;
    chiso_store_data_version(s->watch, &s->version, err);
    return 1;
  }
  uint64_t v = 0;
  if (chiso_store_data_version(s->watch, &v, err)) return -1;
  if (v == s->version) return 0;
  s->version = v;
  return 1;
}

/* What the current snapshot has computed, made again in sn before it
** answers anything: the report models and what-ifs of its views, and the
** latest year's report (the overview). Errors are left for the requests
** that ask (they get them then). */
typedef struct wanted {
  int year, units, report, whatif;
} wanted;

static void warm_like(state_snap *sn, state_snap *old) {
  wanted want[MAX_VIEWS + 1];
  size_t n = 0;
  if (sn->n_years) { /* first: the overview's */
    int latest = sn->year_list[sn->n_years - 1];
    want[n++] = (wanted){latest, latest >= CHISO_FIRST_34_YEAR ? 34 : 63, 1, 0};
  }
  state_lock(old);
  for (size_t i = 0; i < old->n_views; i++)
    want[n++] = (wanted){old->views[i].year, old->views[i].units, old->views[i].report != NULL,
                         old->views[i].whatif != NULL};
  state_unlock(old);
  for (size_t i = 0; i < n && !atomic_load(&sn->owner->stopping); i++) {
    chiso_err err;
    const chiso_report *r;
    const chiso_whatif *w;
    if (!state_has_year(sn, want[i].year)) continue;
    if (want[i].report) state_report(sn, want[i].year, want[i].units, &r, &err);
    if (want[i].whatif) state_whatif(sn, want[i].year, want[i].units, &w, &err);
  }
}

/* Build the snapshot of the store as it is now, warm it like the current
** one and put it in its place (lock not held). Returns 0 or the error of
** snap_new (the current snapshot then stays). */
static int rebuild(state *s, chiso_err *err) {
  state_snap *sn = NULL, *old;
  int rc = snap_new(s, &sn, err);
  if (rc) return rc;
  pthread_mutex_lock(&s->lock);
  old = s->current;
  atomic_fetch_add(&old->refs, 1);
  pthread_mutex_unlock(&s->lock);
  warm_like(sn, old);
  state_release(old);
  pthread_mutex_lock(&s->lock);
  sn->generation = ++s->generations;
  old = s->current;
  s->current = sn;
  pthread_mutex_unlock(&s->lock);
  if (s->log)
    fprintf(s->log, "chiso serve: the store changed: serving its new state (%zu year%s, generation %llu)\n",
            sn->n_years, sn->n_years == 1 ? "" : "s", (unsigned long long)sn->generation);
  state_release(old);
  return CHISO_OK;
}

/* The builder thread: rebuild until no change came in meanwhile. A
** snapshot that cannot be made (the store unreadable for a moment) is
** tried again at the next change seen. */
static void *builder(void *arg) {
  state *s = arg;
  for (;;) {
    chiso_err err;
    chiso_err_clear(&err);
    int failed = rebuild(s, &err) != CHISO_OK;
    pthread_mutex_lock(&s->lock);
    if (failed) s->version = UINT64_MAX; /* seen as a change at the next look */
    int more = s->again && !atomic_load(&s->stopping);
    s->again = 0;
    if (!more) s->building = 0;
    pthread_mutex_unlock(&s->lock);
    if (!more) return NULL;
  }
}

state_snap *state_acquire(state *s, chiso_err *err) {
  pthread_mutex_lock(&s->lock);
  int c = due(s) ? changed(s, err) : 0;
  if (c == 1 && s->building) {
    s->again = 1;
  } else if (c == 1) {
    if (s->builder_started) pthread_join(s->builder, NULL); /* done: building is 0 */
    s->building = s->builder_started = pthread_create(&s->builder, NULL, builder, s) == 0;
    if (!s->building) { /* no thread: build here */
      pthread_mutex_unlock(&s->lock);
      c = rebuild(s, err) ? -1 : 0;
      pthread_mutex_lock(&s->lock);
    }
  }
  state_snap *sn = c < 0 ? NULL : s->current;
  if (sn) atomic_fetch_add(&sn->refs, 1);
  pthread_mutex_unlock(&s->lock);
  return sn;
}

void state_release(state_snap *sn) {
  if (sn && atomic_fetch_sub(&sn->refs, 1) == 1) snap_free(sn);
}

uint64_t state_generation(const state_snap *sn) { return sn->generation; }

cache *state_cache(state_snap *sn) { return sn->cache; }

size_t state_years(state_snap *sn, const int **years) {
  *years = sn->year_list;
  return sn->n_years;
}

int state_has_year(state_snap *sn, int year) {
  for (size_t i = 0; i < sn->n_years; i++)
    if (sn->year_list[i] == year) return 1;
  return 0;
}

void state_lock(state_snap *sn) { pthread_mutex_lock(&sn->lock); }
void state_unlock(state_snap *sn) { pthread_mutex_unlock(&sn->lock); }
chiso_store *state_store(state_snap *sn) { return sn->st; }
chiso_years *state_year_set(state_snap *sn) { return sn->years; }

/* The view of (year, units), added when new (lock held); NULL when full. */
static view *view_of(state_snap *sn, int year, int units) {
  for (size_t i = 0; i < sn->n_views; i++)
    if (sn->views[i].year == year && sn->views[i].units == units) return &sn->views[i];
  if (sn->n_views == MAX_VIEWS) return NULL;
  view *v = &sn->views[sn->n_views++];
  memset(v, 0, sizeof *v);
  v->year = year;
  v->units = units;
  return v;
}

static void report_options(const state_snap *sn, int units, chiso_report_options *o) {
  chiso_report_options_init(o);
  o->units = units;
  o->threads = sn->owner->threads;
}

/* A what-if's runs on the asking thread: the HTTP threads already run
** requests side by side, and a thread started per request costs more than
** it gives (the result does not depend on it). */
static void whatif_options(const state_snap *sn, int units, chiso_report_options *o) {
  report_options(sn, units, o);
  o->threads = 1;
}

static int full(chiso_err *err) {
  chiso_err_clear(err);
  if (err) {
    err->code = CHISO_ENOMEM;
    snprintf(err->message, sizeof err->message, "too many views of this store at once");
  }
  return CHISO_ENOMEM;
}

int state_report(state_snap *sn, int year, int units, const chiso_report **out, chiso_err *err) {
  chiso_report_options o;
  report_options(sn, units, &o);
  state_lock(sn);
  view *v = view_of(sn, year, units);
  int rc = v ? CHISO_OK : full(err);
  if (!rc && !v->report) rc = chiso_years_report(sn->years, year, &o, &v->report, err);
  *out = rc ? NULL : v->report;
  state_unlock(sn);
  return rc;
}

int state_whatif(state_snap *sn, int year, int units, const chiso_whatif **out, chiso_err *err) {
  chiso_report_options o;
  chiso_year *y = NULL;
  whatif_options(sn, units, &o);
  state_lock(sn);
  view *v = view_of(sn, year, units);
  int rc = v ? CHISO_OK : full(err);
  if (!rc && !v->whatif) {
    rc = chiso_years_get(sn->years, year, &y, err);
    if (!rc) rc = chiso_whatif_new(y, units, &o, &v->whatif, err);
  }
  *out = rc ? NULL : v->whatif;
  state_unlock(sn);
  return rc;
}

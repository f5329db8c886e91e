/* limiter.c — failures counted per key over a sliding window (limiter.h). */
#include "limiter.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct entry {
  char key[96];
  time_t when[LIMITER_MAX_FAILURES]; /* a ring of the latest failures */
  unsigned n, next;
  time_t touched;
} entry;

struct limiter {
  pthread_mutex_t lock;
  unsigned max, window;
  entry *e;
  size_t n;
};

limiter *limiter_new(unsigned max, unsigned window) {
  limiter *l = calloc(1, sizeof *l);
  if (!l || !(l->e = calloc(LIMITER_MAX_KEYS, sizeof *l->e)) || pthread_mutex_init(&l->lock, NULL)) {
    if (l) free(l->e);
    free(l);
    return NULL;
  }
  l->max = max < 1 ? 1 : max > LIMITER_MAX_FAILURES ? LIMITER_MAX_FAILURES : max;
  l->window = window;
  return l;
}

void limiter_free(limiter *l) {
  if (!l) return;
  pthread_mutex_destroy(&l->lock);
  free(l->e);
  free(l);
}

/* The entry of key (lock held); with make, a new one when absent. */
static entry *find(limiter *l, const char *key, int make, time_t now) {
  size_t oldest = 0;
  for (size_t i = 0; i < l->n; i++) {
    if (strcmp(l->e[i].key, key) == 0) return &l->e[i];
    if (l->e[i].touched < l->e[oldest].touched) oldest = i;
  }
  if (!make) return NULL;
  entry *e = l->n < LIMITER_MAX_KEYS ? &l->e[l->n++] : &l->e[oldest];
  memset(e, 0, sizeof *e);
  snprintf(e->key, sizeof e->key, "%s", key);
  e->touched = now;
  return e;
}

unsigned limiter_wait(limiter *l, const char *key, time_t now) {
  unsigned wait = 0;
  pthread_mutex_lock(&l->lock);
  entry *e = find(l, key, 0, now);
  if (e) {
    unsigned recent = 0;
    time_t oldest = now;
    for (unsigned i = 0; i < e->n; i++)
      if (e->when[i] > now - (time_t)l->window) {
        recent++;
        if (e->when[i] < oldest) oldest = e->when[i];
      }
    if (recent >= l->max) wait = (unsigned)(oldest + (time_t)l->window - now) + 1;
  }
  pthread_mutex_unlock(&l->lock);
  return wait;
}

void limiter_fail(limiter *l, const char *key, time_t now) {
  pthread_mutex_lock(&l->lock);
  entry *e = find(l, key, 1, now);
  e->when[e->next] = now;
  e->next = (e->next + 1) % l->max;
  if (e->n < l->max) e->n++;
  e->touched = now;
  pthread_mutex_unlock(&l->lock);
}

void limiter_clear(limiter *l, const char *key) {
  pthread_mutex_lock(&l->lock);
  entry *e = find(l, key, 0, 0);
  if (e) e->n = e->next = 0;
  pthread_mutex_unlock(&l->lock);
}

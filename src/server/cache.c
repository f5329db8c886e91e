/* cache.c — responses computed once (cache.h). */
#include "cache.h"

#include <openssl/evp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct entry {
  cache_entry pub;
  char *key;
  char *body;
  char type[80];
  char etag[40];
  atomic_int refs;      /* the cache's own reference and each reply's */
  struct entry *next;   /* in its hash bucket */
  struct entry *older, *newer; /* age list: oldest first */
} entry;

#define N_BUCKETS 1024

struct cache {
  pthread_mutex_t lock;
  entry *bucket[N_BUCKETS];
  entry *oldest, *newest;
  size_t bytes, entries, max_bytes;
};

/* FNV-1a (Fowler, Noll, Vo): the bucket of a key. */
static size_t hash(const char *s) {
  uint64_t h = 1469598103934665603ull;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
  return (size_t)(h % N_BUCKETS);
}

cache *cache_new(size_t max_bytes) {
  cache *c = calloc(1, sizeof *c);
  if (!c) return NULL;
  if (pthread_mutex_init(&c->lock, NULL)) {
    free(c);
    return NULL;
  }
  c->max_bytes = max_bytes;
  return c;
}

static void entry_unref(entry *e) {
  if (atomic_fetch_sub(&e->refs, 1) != 1) return;
  free(e->key);
  free(e->body);
  free(e);
}

void cache_release(const cache_entry *e) {
  if (e) entry_unref((entry *)e); /* pub is the first member */
}

/* Unlink e from its bucket and the age list (lock held). */
static void unlink_entry(cache *c, entry *e) {
  entry **p = &c->bucket[hash(e->key)];
  while (*p && *p != e) p = &(*p)->next;
  if (*p) *p = e->next;
  if (e->older) e->older->newer = e->newer;
  else c->oldest = e->newer;
  if (e->newer) e->newer->older = e->older;
  else c->newest = e->older;
  c->bytes -= e->pub.len;
  c->entries--;
  entry_unref(e);
}

void cache_free(cache *c) {
  if (!c) return;
  while (c->oldest) unlink_entry(c, c->oldest);
  pthread_mutex_destroy(&c->lock);
  free(c);
}

static entry *find(cache *c, const char *key) {
  for (entry *e = c->bucket[hash(key)]; e; e = e->next)
    if (strcmp(e->key, key) == 0) return e;
  return NULL;
}

const cache_entry *cache_get(cache *c, const char *key) {
  pthread_mutex_lock(&c->lock);
  entry *e = find(c, key);
  if (e) atomic_fetch_add(&e->refs, 1);
  pthread_mutex_unlock(&c->lock);
  return e ? &e->pub : NULL;
}

void cache_etag(const char *type, const char *body, size_t n, char *out, size_t size) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  EVP_MD_CTX *x = EVP_MD_CTX_new();
  int ok = x && EVP_DigestInit_ex(x, EVP_sha256(), NULL) &&
           EVP_DigestUpdate(x, type, strlen(type) + 1) && EVP_DigestUpdate(x, body, n) &&
           EVP_DigestFinal_ex(x, md, &len);
  EVP_MD_CTX_free(x);
  if (!ok) len = 0;
  char hex[33] = "";
  for (unsigned i = 0; i < 16 && i < len; i++) snprintf(hex + 2 * i, 3, "%02x", md[i]);
  snprintf(out, size, "\"%s\"", hex);
}

const cache_entry *cache_put(cache *c, const char *key, char *body, size_t n, const char *type) {
  entry *e = calloc(1, sizeof *e);
  if (e) e->key = strdup(key);
  if (!e || !e->key) {
    if (e) free(e);
    free(body);
    return NULL;
  }
  e->body = body;
  snprintf(e->type, sizeof e->type, "%s", type);
  cache_etag(type, body, n, e->etag, sizeof e->etag);
  e->pub = (cache_entry){body, n, e->type, e->etag};
  atomic_init(&e->refs, 2); /* the cache's and the caller's */
  pthread_mutex_lock(&c->lock);
  entry *old = find(c, key);
  if (old) {
    atomic_fetch_add(&old->refs, 1);
    pthread_mutex_unlock(&c->lock);
    free(e->key);
    free(e->body);
    free(e);
    return &old->pub;
  }
  size_t b = hash(key);
  e->next = c->bucket[b];
  c->bucket[b] = e;
  e->older = c->newest;
  if (c->newest) c->newest->newer = e;
  else c->oldest = e;
  c->newest = e;
  c->bytes += n;
  c->entries++;
  while (c->max_bytes && c->bytes > c->max_bytes && c->oldest && c->oldest != e)
    unlink_entry(c, c->oldest);
  pthread_mutex_unlock(&c->lock);
  return &e->pub;
}

void cache_stats(cache *c, size_t *entries, size_t *bytes) {
  pthread_mutex_lock(&c->lock);
  *entries = c->entries;
  *bytes = c->bytes;
  pthread_mutex_unlock(&c->lock);
}

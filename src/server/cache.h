/* cache.h — the server's responses computed once: a table from a key
** (the resource, its parameters and its format) to the bytes, content type
** and ETag. Entries are reference counted, so a reply can send an entry's
** bytes while a newer store state drops the whole cache. Bounded: when
** the bytes held pass the limit the oldest entries go first. Thread-safe. */
#ifndef CHISO_CACHE_H
#define CHISO_CACHE_H

#include <stddef.h>

typedef struct cache cache;

typedef struct cache_entry {
  const char *body;   /* the bytes (NUL-terminated for text) */
  size_t len;
  const char *type;   /* Content-Type */
  const char *etag;   /* a strong ETag, quoted: a digest of type and body */
} cache_entry;

/* A new cache holding at most max_bytes of bodies (0: no limit), or NULL
** out of memory. Free with cache_free. */
cache *cache_new(size_t max_bytes);

/* Free the cache; entries still referenced live until released. NULL is
** a no-op. */
void cache_free(cache *c);

/* The entry of `key` with a new reference (cache_release), or NULL. */
const cache_entry *cache_get(cache *c, const char *key);

/* Store `body` (malloc'ed, n bytes; taken by the cache whatever happens)
** under `key` and return the entry with a new reference; when the key is
** already there, the body is freed and the existing entry returned. NULL
** out of memory. */
const cache_entry *cache_put(cache *c, const char *key, char *body, size_t n, const char *type);

/* Drop a reference of cache_get or cache_put. NULL is a no-op. */
void cache_release(const cache_entry *e);

/* The ETag of n bytes of content type `type` into out (at least 40 bytes):
** the first 128 bits of their SHA-256 in hex, quoted. Cannot fail. */
void cache_etag(const char *type, const char *body, size_t n, char *out, size_t size);

/* Entries and bytes held (for the log and tests). */
void cache_stats(cache *c, size_t *entries, size_t *bytes);

#endif

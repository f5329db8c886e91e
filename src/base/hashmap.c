/* hashmap.c — the one hash table of libchiso (hashmap.h). */
#include "base/hashmap.h"

#include "base/err.h"
#include "base/mem.h"

#include <assert.h>

#define TAG_MASK 0xFFFFFFFF00000000u

uint64_t hashmap_hash(const char *key) {
  assert(key);
  uint64_t h = 1469598103934665603u; /* FNV-1a 64, offset basis */
  for (const unsigned char *p = (const unsigned char *)key; *p; p++) h = (h ^ *p) * 1099511628211u;
  h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9u; /* SplitMix64 finaliser */
  h = (h ^ (h >> 27)) * 0x94D049BB133111EBu;
  return h ^ (h >> 31);
}

static size_t home(size_t cap, uint64_t h) { return (size_t)(h >> 32) & (cap - 1); }

static void place(uint64_t *slot, size_t cap, uint64_t entry) {
  size_t j = home(cap, entry);
  while (slot[j]) j = (j + 1) & (cap - 1);
  slot[j] = entry;
}

static int grow(hashmap *m) {
  size_t cap = m->cap ? m->cap * 2 : 64;
  uint64_t *slot = chiso_calloc(cap, sizeof *slot);
  if (!slot) return CHISO_ENOMEM;
  for (size_t k = 0; k < m->cap; k++)
    if (m->slot[k]) place(slot, cap, m->slot[k]);
  chiso_free(m->slot);
  m->slot = slot;
  m->cap = cap;
  return CHISO_OK;
}

int hashmap_add(hashmap *m, uint64_t h, uint32_t value) {
  assert(m && value <= HASHMAP_MAX_VALUE);
  if ((m->n + 1) * 2 > m->cap && grow(m)) return CHISO_ENOMEM;
  place(m->slot, m->cap, (h & TAG_MASK) | ((uint64_t)value + 1));
  m->n++;
  return CHISO_OK;
}

size_t hashmap_start(const hashmap *m, uint64_t h) { return m->cap ? home(m->cap, h) : 0; }

int hashmap_next(const hashmap *m, uint64_t h, size_t *pos, uint32_t *value) {
  if (!m->cap) return 0;
  for (size_t j = *pos; m->slot[j]; j = (j + 1) & (m->cap - 1)) {
    uint64_t e = m->slot[j];
    if ((e & TAG_MASK) != (h & TAG_MASK)) continue;
    *value = (uint32_t)e - 1;
    *pos = (j + 1) & (m->cap - 1);
    return 1;
  }
  return 0;
}

void hashmap_prefetch(const hashmap *m, uint64_t h) {
  if (m->cap) __builtin_prefetch(&m->slot[home(m->cap, h)]);
}

void hashmap_clear(hashmap *m) {
  chiso_free(m->slot);
  m->slot = NULL;
  m->cap = m->n = 0;
}

/* hashmap.h — the one hash table of libchiso: string keys to 32-bit
** values (an index into the caller's own array of keys and data).
**
** Open addressing with linear probing on 64-bit slots, each holding the top
** 32 bits of the key's hash and 1 + the value (0 is an empty slot), so a
** probe touches one cache line and a table of n keys takes 16n bytes at
** most (the load stays at or below one half). The map never stores keys:
** hashmap_next hands back the values whose slot carries the key's hash
** bits, and the caller compares its own keys — which also makes it a
** multimap (the same key may be added under several values). */
#ifndef CHISO_HASHMAP_H
#define CHISO_HASHMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct hashmap {
  uint64_t *slot;   /* cap slots, cap a power of two (or 0) */
  size_t cap, n;
} hashmap;

#define HASHMAP_INIT {NULL, 0, 0}
/* The largest value a slot can hold. */
#define HASHMAP_MAX_VALUE 0xFFFFFFFEu

/* The hash of a NUL-terminated key: FNV-1a (Fowler, Noll and Vo) over the
** bytes, then the SplitMix64 finaliser (Steele, Lea and Flood 2014) so
** that keys differing only at the end spread over the table. Cannot fail. */
uint64_t hashmap_hash(const char *key);

/* Add `value` (<= HASHMAP_MAX_VALUE) under hash h, growing the table to
** keep the load at most one half. Does not look for the key first.
** Returns 0 or CHISO_ENOMEM (the map is unchanged). */
int hashmap_add(hashmap *m, uint64_t h, uint32_t value);

/* Walk the candidates of hash h: start with *pos = hashmap_start(m, h),
** then each call of hashmap_next returns 1 with the next value whose
** slot has h's bits in *value (the caller compares the keys), or 0 when
** there are no more. Cannot fail. */
size_t hashmap_start(const hashmap *m, uint64_t h);
int hashmap_next(const hashmap *m, uint64_t h, size_t *pos, uint32_t *value);

/* Ask the CPU to load the first slot of h (a lookup coming soon). */
void hashmap_prefetch(const hashmap *m, uint64_t h);

/* Free the slots; the map is empty and reusable. Cannot fail. */
void hashmap_clear(hashmap *m);

#endif

/* rng.c — Philox4x32-10 and SplitMix64. */
#include "base/rng.h"

#include <math.h>

#define PHILOX_M0 0xD2511F53u
#define PHILOX_M1 0xCD9E8D57u
#define PHILOX_W0 0x9E3779B9u
#define PHILOX_W1 0xBB67AE85u

static void mulhilo(uint32_t a, uint32_t b, uint32_t *hi, uint32_t *lo) {
  uint64_t p = (uint64_t)a * b;
  *hi = (uint32_t)(p >> 32);
  *lo = (uint32_t)p;
}

static inline void philox_block(const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4]) {
  uint32_t c0 = ctr[0], c1 = ctr[1], c2 = ctr[2], c3 = ctr[3];
  uint32_t k0 = key[0], k1 = key[1];
  for (int round = 0; round < 10; round++) {
    uint32_t hi0, lo0, hi1, lo1;
    mulhilo(PHILOX_M0, c0, &hi0, &lo0);
    mulhilo(PHILOX_M1, c2, &hi1, &lo1);
    uint32_t n0 = hi1 ^ c1 ^ k0, n2 = hi0 ^ c3 ^ k1;
    c0 = n0;
    c1 = lo1;
    c2 = n2;
    c3 = lo0;
    k0 += PHILOX_W0;
    k1 += PHILOX_W1;
  }
  out[0] = c0;
  out[1] = c1;
  out[2] = c2;
  out[3] = c3;
}

void rng_philox4x32_10(const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4]) {
  philox_block(ctr, key, out);
}

uint64_t rng_splitmix64(uint64_t *state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

void rng_init(rng_stream *r, uint64_t seed, uint64_t stream_id) {
  uint64_t s = seed;
  uint64_t k = rng_splitmix64(&s);
  r->key[0] = (uint32_t)k;
  r->key[1] = (uint32_t)(k >> 32);
  r->ctr[0] = r->ctr[1] = 0;
  r->ctr[2] = (uint32_t)stream_id;
  r->ctr[3] = (uint32_t)(stream_id >> 32);
  r->left = 0;
}

static inline uint32_t next_u32(rng_stream *r) {
  if (r->left == 0) {
    philox_block(r->ctr, r->key, r->buf);
    if (++r->ctr[0] == 0) r->ctr[1]++;
    r->left = 4;
  }
  return r->buf[4 - r->left--];
}

uint32_t rng_u32(rng_stream *r) { return next_u32(r); }

uint64_t rng_u64(rng_stream *r) {
  uint64_t hi = rng_u32(r);
  return (hi << 32) | rng_u32(r);
}

double rng_uniform(rng_stream *r) {
  /* 53 random bits, shifted by half a step so 0 and 1 never occur. */
  return ((double)(rng_u64(r) >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

uint32_t rng_below(rng_stream *r, uint32_t n) {
  uint64_t m = (uint64_t)rng_u32(r) * n;
  uint32_t low = (uint32_t)m;
  if (low < n) {
    uint32_t threshold = (uint32_t)(-n) % n;
    while (low < threshold) {
      m = (uint64_t)rng_u32(r) * n;
      low = (uint32_t)m;
    }
  }
  return (uint32_t)(m >> 32);
}

double rng_normal(rng_stream *r) {
  double u1 = rng_uniform(r), u2 = rng_uniform(r);
  return sqrt(-2.0 * log(u1)) * cos(6.283185307179586476925 * u2);
}

double rng_gamma(rng_stream *r, double shape) {
  if (shape < 1.0) {
    /* Boost: Gamma(a) = Gamma(a + 1) * U^(1/a). */
    double u = rng_uniform(r);
    return rng_gamma(r, shape + 1.0) * pow(u, 1.0 / shape);
  }
  double d = shape - 1.0 / 3.0, c = 1.0 / sqrt(9.0 * d);
  for (;;) {
    double x = rng_normal(r), v = 1.0 + c * x;
    if (v <= 0) continue;
    v = v * v * v;
    double u = rng_uniform(r);
    if (log(u) < 0.5 * x * x + d - d * v + d * log(v)) return d * v;
  }
}

/* Lemire (2019) on 16-bit words: x·n < 2^32 for n <= 2^16; a draw is
** rejected when the low half falls below (2^16 − n) mod n. */
static void below_fill16(rng_stream *r, uint32_t n, uint32_t *out, size_t count) {
  uint32_t threshold = (65536u - n) % n;
  size_t k = 0;
  while (k < count) {
    uint32_t word = next_u32(r);
    for (int half = 0; half < 2 && k < count; half++, word >>= 16) {
      uint32_t m = (word & 0xffffu) * n;
      if ((m & 0xffffu) < threshold) continue;
      out[k++] = m >> 16;
    }
  }
}

void rng_below_fill(rng_stream *r, uint32_t n, uint32_t *out, size_t count) {
  if (n <= 65536u) {
    below_fill16(r, n, out, count);
    return;
  }
  for (size_t k = 0; k < count; k++) out[k] = rng_below(r, n);
}

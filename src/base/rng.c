/* rng.c — Philox4x32-10 and SplitMix64. */
#include "base/rng.h"

#include "base/cpu.h"

#include <math.h>
#include <string.h>
#if defined(__x86_64__)
#include <immintrin.h>

/* No a * b + c fused into one rounding: the vector bodies (compiled for
** AVX2/AVX-512, which have FMA) must give the bits of the plain C loops.
** GCC does not fuse in ISO C mode (-std=c17); clang does unless told. */
#ifdef __clang__
#pragma STDC FP_CONTRACT OFF
#endif
#endif

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

/* ---- many blocks at once -------------------------------------------------
** The bootstrap draws a billion indices and the Monte Carlo thousands of
** uniforms per run: blocks are computed 8 at a time on vectors, one block
** per 64-bit lane (Philox's 32 × 32 → 64-bit products are exactly what
** PMULUDQ computes). The words are those of philox_block, block by block. */

static uint64_t block_no(const rng_stream *r) {
  return (uint64_t)r->ctr[0] | (uint64_t)r->ctr[1] << 32;
}

static void set_block_no(rng_stream *r, uint64_t b) {
  r->ctr[0] = (uint32_t)b;
  r->ctr[1] = (uint32_t)(b >> 32);
}

#if defined(__x86_64__)
/* Blocks first .. first+2L-1 into out[8L]: the state words of L blocks
** per vector, one block per 64-bit lane, in two vectors (a, b) kept in
** registers. The vector type and operations are macro arguments so that
** the SSE2 (every x86-64, L = 2), AVX2 (L = 4) and AVX-512 (L = 8) bodies
** are one text. */
#define PHILOX_ROUND(x0, x1, x2, x3, VT, MUL, SRL, AND, XOR)                               \
  do {                                                                                     \
    VT p0 = MUL(x0, m0), p1 = MUL(x2, m1);                                                 \
    x0 = XOR(XOR(SRL(p1, 32), x1), K0);                                                    \
    x2 = XOR(XOR(SRL(p0, 32), x3), K1);                                                    \
    x1 = AND(p1, lo32);                                                                    \
    x3 = AND(p0, lo32);                                                                    \
  } while (0)
#define PHILOX_PAIR_BODY(L, VT, SET1, SETL, MUL, SRL, AND, XOR, STORE)                     \
  VT lo32 = SET1(0xffffffffll), m0 = SET1(PHILOX_M0), m1 = SET1(PHILOX_M1);             \
  VT a0 = SETL(first, 0xffffffffull, 0), a1 = SETL(first, 0xffffffffull, 32);            \
  VT b0 = SETL(first + L, 0xffffffffull, 0), b1 = SETL(first + L, 0xffffffffull, 32);    \
  VT a2 = SET1((long long)r->ctr[2]), a3 = SET1((long long)r->ctr[3]), b2 = a2, b3 = a3;  \
  uint32_t k0 = r->key[0], k1 = r->key[1];                                               \
  for (int round = 0; round < 10; round++) {                                             \
    VT K0 = SET1((long long)k0), K1 = SET1((long long)k1);                               \
    PHILOX_ROUND(a0, a1, a2, a3, VT, MUL, SRL, AND, XOR);                                \
    PHILOX_ROUND(b0, b1, b2, b3, VT, MUL, SRL, AND, XOR);                                \
    k0 += PHILOX_W0;                                                                     \
    k1 += PHILOX_W1;                                                                     \
  }                                                                                      \
  STORE(out, a0, a1, a2, a3);                                                            \
  STORE(out + 4 * L, b0, b1, b2, b3);

#define SSE_SETL(b, mask, sh)                                                             \
  _mm_set_epi64x((long long)(((b) + 1) >> (sh) & (mask)), (long long)((b) >> (sh) & (mask)))
/* Words 0|1 and 2|3 of each block side by side in a 64-bit lane, then
** the lanes interleaved: the blocks in memory order. */
#define SSE_STORE(dst, w0, w1, w2, w3)                                                     \
  do {                                                                                     \
    __m128i t01 = _mm_or_si128(w0, _mm_slli_epi64(w1, 32));                               \
    __m128i t23 = _mm_or_si128(w2, _mm_slli_epi64(w3, 32));                               \
    _mm_storeu_si128((__m128i *)(void *)(dst), _mm_unpacklo_epi64(t01, t23));             \
    _mm_storeu_si128((__m128i *)(void *)((dst) + 4), _mm_unpackhi_epi64(t01, t23));       \
  } while (0)
#define AVX_SETL(b, mask, sh)                                                             \
  _mm256_set_epi64x((long long)(((b) + 3) >> (sh) & (mask)),                             \
                    (long long)(((b) + 2) >> (sh) & (mask)),                             \
                    (long long)(((b) + 1) >> (sh) & (mask)), (long long)((b) >> (sh) & (mask)))
#define AVX_STORE(dst, w0, w1, w2, w3)                                                     \
  do {                                                                                     \
    __m256i t01 = _mm256_or_si256(w0, _mm256_slli_epi64(w1, 32));                         \
    __m256i t23 = _mm256_or_si256(w2, _mm256_slli_epi64(w3, 32));                         \
    __m256i a = _mm256_unpacklo_epi64(t01, t23), b = _mm256_unpackhi_epi64(t01, t23);     \
    _mm256_storeu_si256((__m256i *)(void *)(dst), _mm256_permute2x128_si256(a, b, 0x20));  \
    _mm256_storeu_si256((__m256i *)(void *)((dst) + 8), _mm256_permute2x128_si256(a, b, 0x31)); \
  } while (0)
#define AVX512_SETL(b, mask, sh)                                                          \
  _mm512_set_epi64((long long)(((b) + 7) >> (sh) & (mask)), (long long)(((b) + 6) >> (sh) & (mask)), \
                   (long long)(((b) + 5) >> (sh) & (mask)), (long long)(((b) + 4) >> (sh) & (mask)), \
                   (long long)(((b) + 3) >> (sh) & (mask)), (long long)(((b) + 2) >> (sh) & (mask)), \
                   (long long)(((b) + 1) >> (sh) & (mask)), (long long)((b) >> (sh) & (mask)))
/* The 128-bit lanes of the two interleavings hold blocks (0, 2), (4, 6)...
** and (1, 3)...: a two-table permutation puts them in order. */
#define AVX512_STORE(dst, w0, w1, w2, w3)                                                  \
  do {                                                                                     \
    __m512i t01 = _mm512_or_si512(w0, _mm512_slli_epi64(w1, 32));                         \
    __m512i t23 = _mm512_or_si512(w2, _mm512_slli_epi64(w3, 32));                         \
    __m512i a = _mm512_unpacklo_epi64(t01, t23), b = _mm512_unpackhi_epi64(t01, t23);     \
    __m512i lo = _mm512_set_epi64(11, 10, 3, 2, 9, 8, 1, 0);                              \
    __m512i hi = _mm512_set_epi64(15, 14, 7, 6, 13, 12, 5, 4);                            \
    _mm512_storeu_si512((void *)(dst), _mm512_permutex2var_epi64(a, lo, b));              \
    _mm512_storeu_si512((void *)((dst) + 16), _mm512_permutex2var_epi64(a, hi, b));       \
  } while (0)

static void philox4_sse2(const rng_stream *r, uint64_t first, uint32_t *out) {
  PHILOX_PAIR_BODY(2, __m128i, _mm_set1_epi64x, SSE_SETL, _mm_mul_epu32, _mm_srli_epi64,
                   _mm_and_si128, _mm_xor_si128, SSE_STORE)
}

__attribute__((target("avx2"))) static void philox8_avx2(const rng_stream *r, uint64_t first,
                                                         uint32_t *out) {
  PHILOX_PAIR_BODY(4, __m256i, _mm256_set1_epi64x, AVX_SETL, _mm256_mul_epu32,
                   _mm256_srli_epi64, _mm256_and_si256, _mm256_xor_si256, AVX_STORE)
}

__attribute__((target("avx512f,avx512bw,avx512dq,avx512vl"))) static void
philox16_avx512(const rng_stream *r, uint64_t first, uint32_t *out) {
  PHILOX_PAIR_BODY(8, __m512i, _mm512_set1_epi64, AVX512_SETL, _mm512_mul_epu32,
                   _mm512_srli_epi64, _mm512_and_si512, _mm512_xor_si512, AVX512_STORE)
}
#endif

/* Blocks first .. first+n-1 of r's key and stream into out[4n]. */
static void philox_many(const rng_stream *r, uint64_t first, size_t n, uint32_t *out) {
  size_t j = 0;
#if defined(__x86_64__)
  int level = cpu_level(), avx2 = level >= CPU_AVX2;
  if (level >= CPU_AVX512)
    for (; j + 16 <= n; j += 16) philox16_avx512(r, first + j, out + 4 * j);
  for (; j + 8 <= n; j += 8) {
    if (avx2) {
      philox8_avx2(r, first + j, out + 4 * j);
    } else {
      philox4_sse2(r, first + j, out + 4 * j);
      philox4_sse2(r, first + j + 4, out + 4 * j + 16);
    }
  }
#endif
  for (; j < n; j++) {
    uint64_t b = first + j;
    uint32_t ctr[4] = {(uint32_t)b, (uint32_t)(b >> 32), r->ctr[2], r->ctr[3]};
    philox_block(ctr, r->key, out + 4 * j);
  }
}

/* The stream's next n words into w, as n calls of next_u32. */
static void next_words(rng_stream *r, uint32_t *w, size_t n) {
  size_t k = 0;
  while (k < n && r->left) w[k++] = next_u32(r);
  size_t nb = (n - k) / 4;
  if (nb) {
    uint64_t b = block_no(r);
    philox_many(r, b, nb, w + k);
    set_block_no(r, b + nb);
    k += 4 * nb;
  }
  while (k < n) w[k++] = next_u32(r);
}

/* Give back the last m words taken: the stream continues as if they had
** not been read. `w` holds the words taken last (nw of them, ending where
** the stream is now); when the block the stream stops in is among them it
** is copied from there, else computed again. */
static void unread_words(rng_stream *r, size_t m, const uint32_t *w, size_t nw) {
  uint64_t end = 4 * block_no(r) - (uint64_t)r->left, pos = end - m;
  set_block_no(r, pos / 4);
  r->left = 0;
  if (pos % 4 == 0) return;
  uint64_t first = pos / 4 * 4; /* the block's first word */
  if (first >= end - nw && first + 4 <= end) memcpy(r->buf, w + (nw - (end - first)), sizeof r->buf);
  else philox_block(r->ctr, r->key, r->buf);
  set_block_no(r, pos / 4 + 1);
  r->left = 4 - (int)(pos % 4);
}

void rng_uniform_fill(rng_stream *r, double *out, size_t n) {
  uint32_t w[256];
  for (size_t k = 0; k < n;) {
    size_t c = n - k < 128 ? n - k : 128;
    next_words(r, w, 2 * c);
    for (size_t t = 0; t < c; t++) {
      uint64_t u = (uint64_t)w[2 * t] << 32 | w[2 * t + 1];
      out[k + t] = ((double)(u >> 11) + 0.5) * (1.0 / 9007199254740992.0);
    }
    k += c;
  }
}

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
typedef uint32_t rng_w8 __attribute__((vector_size(32)));

/* The 16 draws of 8 words (low half, then high half of each) into out,
** when none is rejected; 0 (nothing written) otherwise. */
static inline __attribute__((always_inline)) int below16_words8(const uint32_t *w, uint32_t n,
                                                                uint32_t threshold,
                                                                uint32_t *out) {
  rng_w8 x;
  memcpy(&x, w, sizeof x);
  rng_w8 lo = (x & 0xffffu) * n, hi = (x >> 16) * n;
  rng_w8 bad = ((lo & 0xffffu) < threshold) | ((hi & 0xffffu) < threshold);
  uint64_t any[4];
  memcpy(any, &bad, sizeof any);
  if (any[0] | any[1] | any[2] | any[3]) return 0;
  lo >>= 16;
  hi >>= 16;
  rng_w8 a = __builtin_shufflevector(lo, hi, 0, 8, 1, 9, 2, 10, 3, 11);
  rng_w8 c = __builtin_shufflevector(lo, hi, 4, 12, 5, 13, 6, 14, 7, 15);
  memcpy(out, &a, sizeof a);
  memcpy(out + 8, &c, sizeof c);
  return 1;
}

static inline __attribute__((always_inline)) void below_fill16(rng_stream *r, uint32_t n,
                                                               uint32_t *out, size_t count) {
  uint32_t threshold = (65536u - n) % n, w[512];
  size_t k = 0;
  while (k < count) {
    /* words for the draws left, allowing for rejections, then a few more,
    ** in batches of 8 blocks after the buffered words; those not used are
    ** given back */
    size_t want = (size_t)((double)(count - k) * 32768.0 / (double)(65536u - threshold)) + 8;
    size_t nw = want < 512 ? want : 512, used = 0, left = (size_t)r->left;
    if (nw > left) nw = left + (nw - left + 31) / 32 * 32;
    if (nw > 512) nw -= 32;
    next_words(r, w, nw);
    while (used + 8 <= nw && k + 16 <= count) { /* 16 draws at once when none is rejected */
      if (below16_words8(w + used, n, threshold, out + k)) {
        used += 8;
        k += 16;
        continue;
      }
      for (int t = 0; t < 8; t++) { /* both halves fit: no branches */
        uint32_t word = w[used++], m0 = (word & 0xffffu) * n, m1 = (word >> 16) * n;
        out[k] = m0 >> 16;
        k += (m0 & 0xffffu) >= threshold;
        out[k] = m1 >> 16;
        k += (m1 & 0xffffu) >= threshold;
      }
    }
    while (used < nw && k < count) {
      uint32_t word = w[used++];
      for (int half = 0; half < 2 && k < count; half++, word >>= 16) {
        uint32_t m = (word & 0xffffu) * n;
        if ((m & 0xffffu) < threshold) continue;
        out[k++] = m >> 16;
      }
    }
    if (used < nw) unread_words(r, nw - used, w, nw);
  }
}

#if defined(__x86_64__)
__attribute__((target("avx2"))) static void below_fill16_avx2(rng_stream *r, uint32_t n,
                                                              uint32_t *out, size_t count) {
  below_fill16(r, n, out, count);
}
#endif

static void below_fill16_base(rng_stream *r, uint32_t n, uint32_t *out, size_t count) {
  below_fill16(r, n, out, count);
}

void rng_below_fill(rng_stream *r, uint32_t n, uint32_t *out, size_t count) {
  if (n <= 65536u) {
#if defined(__x86_64__)
    if (cpu_level() >= CPU_AVX2) {
      below_fill16_avx2(r, n, out, count);
      return;
    }
#endif
    below_fill16_base(r, n, out, count);
    return;
  }
  for (size_t k = 0; k < count; k++) out[k] = rng_below(r, n);
}

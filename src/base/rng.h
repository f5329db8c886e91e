/* rng.h — counter-based random numbers.
**
** Philox4x32-10 (Salmon, Moraes, Dror & Shaw 2011, "Parallel random
** numbers: as easy as 1, 2, 3", SC'11) keyed by the user's seed, with the
** stream id (a replicate, run or province) in the counter: the numbers of
** stream k do not depend on how many other streams exist or which thread
** draws them, so results are identical for any thread count.
** SplitMix64 (Steele, Lea & Flood 2014) turns a seed into a key. */
#ifndef CHISO_RNG_H
#define CHISO_RNG_H

#include <stddef.h>
#include <stdint.h>

/* One Philox4x32 block with 10 rounds: out = philox(ctr, key). Cannot fail. */
void rng_philox4x32_10(const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4]);

/* Advance *state and return the next SplitMix64 output. Cannot fail. */
uint64_t rng_splitmix64(uint64_t *state);

typedef struct rng_stream {
  uint32_t key[2];
  uint32_t ctr[4];  /* ctr[0..1]: block number, ctr[2..3]: stream id */
  uint32_t buf[4];
  int left;         /* unread words in buf */
} rng_stream;

/* Start stream `stream_id` of generator `seed`. Cannot fail. */
void rng_init(rng_stream *r, uint64_t seed, uint64_t stream_id);

/* Next 32 or 64 random bits. */
uint32_t rng_u32(rng_stream *r);
uint64_t rng_u64(rng_stream *r);

/* Uniform double in the open interval (0, 1), 53 bits. */
double rng_uniform(rng_stream *r);

/* n uniforms into out: the same numbers as n calls of rng_uniform, the
** blocks computed several at a time. Cannot fail. */
void rng_uniform_fill(rng_stream *r, double *out, size_t n);

/* Uniform integer in [0, n) without modulo bias (Lemire 2019); n > 0. */
uint32_t rng_below(rng_stream *r, uint32_t n);

/* count uniform integers in [0, n) (n > 0) into out, faster than
** repeated rng_below: for n <= 65536 every 32-bit word gives two 16-bit
** draws (Lemire's method on 16 bits, rejection keeps them exactly
** uniform), so the sequence differs from rng_below's. Cannot fail. */
void rng_below_fill(rng_stream *r, uint32_t n, uint32_t *out, size_t count);

/* Standard normal deviate (Box–Muller, both halves used in turn is not
** kept: each call uses two uniforms, so the stream position is simple). */
double rng_normal(rng_stream *r);

/* Gamma(shape, 1) deviate, shape > 0 (Marsaglia & Tsang 2000). */
double rng_gamma(rng_stream *r, double shape);

#endif

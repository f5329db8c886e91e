/* Tests of rng.c against published known-answer vectors. */
#include "testutil.h"

/* Known-answer vectors of Philox4x32-10 from the Random123 distribution
** (kat_vectors), by Salmon et al. */
static void test_philox_kat(void **state) {
  (void)state;
  uint32_t out[4];
  const uint32_t c0[4] = {0, 0, 0, 0}, k0[2] = {0, 0};
  rng_philox4x32_10(c0, k0, out);
  assert_int_equal(out[0], 0x6627e8d5u);
  assert_int_equal(out[1], 0xe169c58du);
  assert_int_equal(out[2], 0xbc57ac4cu);
  assert_int_equal(out[3], 0x9b00dbd8u);
  const uint32_t c1[4] = {0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu};
  const uint32_t k1[2] = {0xffffffffu, 0xffffffffu};
  rng_philox4x32_10(c1, k1, out);
  assert_int_equal(out[0], 0x408f276du);
  assert_int_equal(out[1], 0x41c83b0eu);
  assert_int_equal(out[2], 0xa20bc7c6u);
  assert_int_equal(out[3], 0x6d5451fdu);
  const uint32_t c2[4] = {0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u};
  const uint32_t k2[2] = {0xa4093822u, 0x299f31d0u};
  rng_philox4x32_10(c2, k2, out);
  assert_int_equal(out[0], 0xd16cfe09u);
  assert_int_equal(out[1], 0x94fdccebu);
  assert_int_equal(out[2], 0x5001e420u);
  assert_int_equal(out[3], 0x24126ea1u);
}

/* SplitMix64 from seed 1234567: the sequence given with Vigna's reference
** implementation (prng.di.unimi.it). */
static void test_splitmix(void **state) {
  (void)state;
  uint64_t s = 1234567;
  assert_true(rng_splitmix64(&s) == 6457827717110365317ull);
  assert_true(rng_splitmix64(&s) == 3203168211198807973ull);
  assert_true(rng_splitmix64(&s) == 9817491932198370423ull);
  assert_true(rng_splitmix64(&s) == 4593380528125082431ull);
  assert_true(rng_splitmix64(&s) == 16408922859458223821ull);
}

static void test_streams_independent_of_order(void **state) {
  (void)state;
  rng_stream a, b;
  rng_init(&a, 42, 7);
  double first = rng_uniform(&a);
  rng_init(&b, 42, 3);
  for (int i = 0; i < 100; i++) rng_uniform(&b);
  rng_init(&b, 42, 7);
  assert_true(rng_uniform(&b) == first);
  rng_init(&b, 43, 7);
  assert_true(rng_uniform(&b) != first);
}

static void test_moments(void **state) {
  (void)state;
  rng_stream r;
  rng_init(&r, 1, 0);
  const int n = 200000;
  double s = 0, s2 = 0, g = 0, counts[10] = {0};
  for (int i = 0; i < n; i++) {
    double z = rng_normal(&r);
    s += z;
    s2 += z * z;
    g += rng_gamma(&r, 2.5);
    counts[rng_below(&r, 10)]++;
  }
  /* Tolerances are about 5 standard errors. */
  assert_close(s / n, 0.0, 5 / sqrt(n));
  assert_close(s2 / n, 1.0, 5 * sqrt(2.0 / n));
  assert_close(g / n, 2.5, 5 * sqrt(2.5 / n));
  for (int k = 0; k < 10; k++) assert_close(counts[k] / n, 0.1, 5 * sqrt(0.09 / n));
  for (int i = 0; i < 1000; i++) {
    double u = rng_uniform(&r);
    assert_true(u > 0 && u < 1);
  }
}

/* Lemire's 16-bit method written out on the stream's words. */
static void below16_reference(rng_stream *r, uint32_t n, uint32_t *out, size_t count) {
  uint32_t threshold = (65536u - n) % n;
  size_t k = 0;
  while (k < count) {
    uint32_t word = rng_u32(r);
    for (int half = 0; half < 2 && k < count; half++, word >>= 16) {
      uint32_t m = (word & 0xffffu) * n;
      if ((m & 0xffffu) >= threshold) out[k++] = m >> 16;
    }
  }
}

/* The fills compute many Philox blocks at once (vectors) and give back
** the words they did not use: the numbers, and where the stream goes on
** afterwards, must be those of one word at a time, from any starting
** point within a block, across a carry of the 64-bit block counter, for
** short and long fills and for bounds with many rejections. */
static void test_fills_match_single_draws(void **state) {
  (void)state;
  const size_t lens[] = {1, 2, 3, 7, 8, 9, 31, 200, 777, 5000};
  const uint32_t bounds[] = {2, 3, 7, 1000, 40000, 65535, 65536, 70000};
  uint32_t *got = malloc(5000 * sizeof *got), *want = malloc(5000 * sizeof *want);
  double *ug = malloc(5000 * sizeof *ug);
  for (int level = CPU_PLAIN; level <= CPU_AVX512; level++) /* every body of the blocks */
  for (int carry = 0; carry < 2; carry++)
    for (size_t skip = 0; skip < 5; skip++)
      for (size_t li = 0; li < sizeof lens / sizeof *lens; li++) {
        size_t n = lens[li];
        rng_stream a, b;
        cpu_allow(level);
        rng_init(&a, 99, 12345 + skip);
        if (carry) a.ctr[0] = 0xfffffffdu; /* the block counter carries into ctr[1] */
        for (size_t s = 0; s < skip; s++) rng_u32(&a);
        b = a;
        rng_uniform_fill(&a, ug, n);
        for (size_t t = 0; t < n; t++) assert_true(ug[t] == rng_uniform(&b));
        assert_int_equal(rng_u32(&a), rng_u32(&b));
        for (size_t bi = 0; bi < sizeof bounds / sizeof *bounds; bi++) {
          rng_below_fill(&a, bounds[bi], got, n);
          if (bounds[bi] <= 65536u) below16_reference(&b, bounds[bi], want, n);
          else for (size_t t = 0; t < n; t++) want[t] = rng_below(&b, bounds[bi]);
          assert_memory_equal(got, want, n * sizeof *got);
          assert_int_equal(rng_u32(&a), rng_u32(&b));
        }
      }
  cpu_allow(CPU_AVX512);
  free(got);
  free(want);
  free(ug);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_philox_kat), cmocka_unit_test(test_splitmix),
      cmocka_unit_test(test_streams_independent_of_order), cmocka_unit_test(test_moments),
      cmocka_unit_test(test_fills_match_single_draws)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}

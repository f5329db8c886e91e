/* Tests of workers.c: every item is run once, and the progress callback
** always ends with done == total (so a terminal bar is finished), whichever
** thread runs the last item. */
#include "testutil.h"

#include <stdatomic.h>
#include <time.h>

typedef struct job {
  atomic_int hits[64];
  atomic_int last_started; /* set when item n-1 starts */
  size_t n;
} job;

typedef struct seen {
  double done, total;
  int calls;
} seen;

static void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}

/* Thread 0 holds its first item until another thread has started the last
** item, which then takes a while: the last item finishes off thread 0. */
static int slow_last(void *ud, int thread, size_t b, size_t e) {
  job *j = ud;
  for (size_t i = b; i < e; i++) {
    atomic_fetch_add(&j->hits[i], 1);
    if (i == j->n - 1 && thread != 0) {
      atomic_store(&j->last_started, 1);
      sleep_ms(30);
    } else if (thread == 0) {
      for (int w = 0; w < 1000 && !atomic_load(&j->last_started); w++) sleep_ms(1);
    }
  }
  return 0;
}

static void record(void *ud, const char *stage, double done, double total) {
  seen *s = ud;
  assert_string_equal(stage, "test");
  s->done = done;
  s->total = total;
  s->calls++;
}

/* Run fn over n items and check each ran exactly once; the last progress. */
static seen run_job(job *j, int threads, size_t n, size_t chunk, workers_fn fn) {
  memset(j, 0, sizeof *j);
  j->n = n;
  seen s = {0, 0, 0};
  chiso_err err;
  chiso_err_clear(&err);
  assert_int_equal(workers_run(threads, n, chunk, fn, j, record, &s, "test", &err), CHISO_OK);
  for (size_t i = 0; i < n; i++) assert_int_equal(atomic_load(&j->hits[i]), 1);
  return s;
}

static void test_progress_ends_at_total(void **state) {
  (void)state;
  for (int round = 0; round < 5; round++) {
    job j;
    seen s = run_job(&j, 2, 2, 1, slow_last);
    assert_true(s.calls >= 1);
    assert_true(s.done == (double)j.n && s.total == (double)j.n);
  }
}

static int count(void *ud, int thread, size_t b, size_t e) {
  (void)thread;
  job *j = ud;
  for (size_t i = b; i < e; i++) atomic_fetch_add(&j->hits[i], 1);
  return 0;
}

static void test_every_item_once(void **state) {
  (void)state;
  for (int t = 1; t <= 4; t++) {
    job j;
    seen s = run_job(&j, t, 64, 3, count);
    assert_true(s.done == 64 && s.total == 64);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_progress_ends_at_total),
                                     cmocka_unit_test(test_every_item_once)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}

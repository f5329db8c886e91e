/* bench.h — what every benchmark prints beside a figure: the wall time,
** the process's CPU time (user + system, all threads) and the load
** average. The machine is shared: a wall time alone says little, CPU time
** says what the work cost, the load says how crowded the machine was. */
#ifndef CHISO_BENCH_H
#define CHISO_BENCH_H

#include <stdarg.h>
#include <stdio.h>
#include <sys/resource.h>
#include <time.h>

typedef struct bench_mark {
  double wall, cpu;
} bench_mark;

static inline double bench_wall(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static inline double bench_cpu(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (double)ru.ru_utime.tv_sec + 1e-6 * (double)ru.ru_utime.tv_usec +
         (double)ru.ru_stime.tv_sec + 1e-6 * (double)ru.ru_stime.tv_usec;
}

static inline bench_mark bench_start(void) {
  bench_mark m = {bench_wall(), bench_cpu()};
  return m;
}

/* Seconds since m: wall in *wall, CPU returned. */
static inline double bench_since(bench_mark m, double *wall) {
  *wall = bench_wall() - m.wall;
  return bench_cpu() - m.cpu;
}

/* The 1-minute load average ("?" when /proc is not there). */
static inline const char *bench_load(void) {
  static char buf[32];
  FILE *f = fopen("/proc/loadavg", "r");
  double l1 = 0;
  if (f && fscanf(f, "%lf", &l1) == 1) snprintf(buf, sizeof buf, "%.2f", l1);
  else snprintf(buf, sizeof buf, "?");
  if (f) fclose(f);
  return buf;
}

static inline double bench_peak_mb(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (double)ru.ru_maxrss / 1024.0;
}

/* "  LABEL: <figure>; W s wall, C CPU-s, load L" — the figure from fmt. */
static inline void bench_line(const char *label, double wall, double cpu, const char *fmt, ...) {
  va_list ap;
  printf("  %s: ", label);
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  printf("; %.3f s wall, %.3f CPU-s, load %s\n", wall, cpu, bench_load());
}

#endif

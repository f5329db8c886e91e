/* cpu.c — the vector instructions the hot loops may use (cpu.h). */
#include "base/cpu.h"

/* Mutable file-scope state, allowed as a test hook only (like the
** failure injection of mem.c): no cap unless a test sets one. */
static int level_cap = CPU_AVX512;

int cpu_level(void) {
  int have = CPU_PLAIN;
#if defined(__x86_64__)
  if (__builtin_cpu_supports("avx2")) have = CPU_AVX2;
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl"))
    have = CPU_AVX512;
#endif
  return have < level_cap ? have : level_cap;
}

void cpu_allow(int level) { level_cap = level; }

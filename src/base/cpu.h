/* cpu.h — which vector instructions the hot loops may use.
**
** The index sums, the Philox blocks, the bootstrap draws and the
** bootstrap product have a plain (SSE2) body and AVX2 (and some AVX-512)
** bodies that give the same bits; the choice is made here so that tests
** can run every body on a machine that has the wider ones. */
#ifndef CHISO_CPU_H
#define CHISO_CPU_H

#define CPU_PLAIN 0  /* x86-64 baseline (SSE2), or another architecture */
#define CPU_AVX2 1
#define CPU_AVX512 2 /* AVX-512 F, BW, DQ and VL */

/* The widest level the hot loops may use: what the CPU has, capped by
** cpu_allow. Cannot fail; thread-safe (the CPU is asked through the
** compiler's runtime, set up before main). */
int cpu_level(void);

/* Test hook: cap cpu_level() at `level` (CPU_PLAIN runs the plain bodies
** on any machine); CPU_AVX512 lets it follow the CPU again. Not
** thread-safe: for single-threaded tests, between runs. Cannot fail. */
void cpu_allow(int level);

#endif

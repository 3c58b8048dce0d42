/*
 * cpu_work.h - the CPU-bound benchmark shared by the mvemu and mps2-an505
 * builds (bench/cpu_work.c). The same object code is linked into every image.
 */
#ifndef MVEMU_BENCH_CPU_WORK_H
#define MVEMU_BENCH_CPU_WORK_H

#include <stdint.h>

/*
 * Rounds every image runs (each reads it through a volatile), and the
 * checksum cpu_work_run(CPU_WORK_ROUNDS) returns: each image checks it, and
 * bench/run checks that all images print the same. The work is plain 32-bit
 * integer arithmetic, so the value is the same on any host:
 * `cc -O2 -DCPU_WORK_SELFTEST bench/cpu_work.c` prints it. The "-empty"
 * and "-short" images (bench/meson.build) and experiments set both:
 * -DCPU_WORK_ROUNDS=N -DCPU_WORK_EXPECTED=X.
 */
#ifndef CPU_WORK_ROUNDS
#define CPU_WORK_ROUNDS 1000u
#define CPU_WORK_EXPECTED 0xB4682049u
#endif

/*
 * Runs `rounds` rounds of: fill a buffer from a PRNG seeded by the round,
 * hash it (a multiply-rotate hash; CRC-32 bit by bit and by a const table),
 * heap-sort its 4096 words and check the order, and multiply 20x20 integer
 * matrices. Returns a checksum of all results. Touches only its own static
 * buffers and one const table; calls no library function.
 */
uint32_t cpu_work_run(uint32_t rounds);

#endif /* MVEMU_BENCH_CPU_WORK_H */

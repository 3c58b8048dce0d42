/*
 * cpu_work.c - deterministic CPU-bound work for the "cpu" benchmark.
 *
 * Compiled once (bench/meson.build, the guest's -O2 flags) and linked into
 * three images: a Microvisor application for microvisor-stm32u585 and two
 * mps2-an505 images (Secure, and Non-secure behind a Secure stub). Only the
 * code around it differs, so the host CPU time of the QEMU processes compares
 * how the boards run the same guest instructions.
 *
 * Each round fills a word buffer from a xorshift PRNG seeded by the round,
 * then:
 *   - hashes it with a multiply-rotate hash (two lanes, 32-bit words),
 *   - runs a CRC-32 over its bytes twice: bit by bit, and with a 16-entry
 *     const table (read-only data: flash on the Microvisor board), and over
 *     the whole buffer with the table,
 *   - heap-sorts it in place and checks the order,
 *   - multiplies two 20x20 integer matrices derived from it, a few times,
 *     feeding each product back into the left operand.
 * Every result is folded into the checksum, so nothing can be dropped.
 * There is no library call (no memcpy/memset either), no division and no
 * 64-bit arithmetic: the code needs nothing but itself and its buffers.
 */
#include "cpu_work.h"

/*
 * All of this file's code goes into one section that starts on a 1 KiB
 * boundary in every image. QEMU's M-profile CPUs use 1 KiB target pages,
 * and translated blocks are chained directly only within a page: a branch
 * to another page goes through a TB lookup (or back to the main loop). Code
 * that straddles a page boundary in one image and not in another costs a
 * different amount for reasons that have nothing to do with the board
 * (docs/benchmarks.md measures it). Here the code (under 1 KiB) sits in one
 * page, at the same offsets, on all boards.
 */
#define CPU_WORK_CODE __attribute__((section(".text.cpu_work")))
__asm__(".section .text.cpu_work,\"ax\",%progbits\n\t.balign 1024\n\t.previous");

#define WORDS 4096u
#define MAT 20u
#define MAT_PASSES 6u

/*
 * The data: one block, 32 KiB into a 64 KiB-aligned area, in every image.
 * QEMU's softmmu TLB is direct-mapped by page number (1 KiB pages, at least
 * 64 entries, 256 to start with): pages whose numbers agree modulo its size
 * evict each other, and every access then takes the slow path through the
 * victim TLB. Here the buffer and matrices take entries 32-52 (modulo 64),
 * which the other pages of the loops never do on these boards: the code and
 * the const table sit in the first 32 KiB of a 64 KiB block of flash or
 * SSRAM (entries below 32), the stack at the top of RAM (entry 63). Placed
 * at the very start of SSRAM2, the buffer shared entry 0 with the CRC table
 * and the Non-secure an505 image took 20 % more host instructions
 * (docs/benchmarks.md). The offsets within pages are the same on all boards
 * too (QEMU maps guest RAM page-aligned, so the host's caches see the same
 * pattern).
 */
static struct {
    uint8_t unused[32 * 1024]; /* keeps the data out of entries 0-31 */
    uint32_t buffer[WORDS];
    int32_t a[MAT][MAT], b[MAT][MAT], c[MAT][MAT];
} work __attribute__((aligned(64 * 1024)));

static inline uint32_t rotl32(uint32_t x, unsigned r)
{
    return (x << r) | (x >> (32u - r));
}

static inline uint32_t xorshift32(uint32_t *state)
{
    uint32_t x = *state;

    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *state = x;
    return x;
}

CPU_WORK_CODE __attribute__((noinline)) static void fill(uint32_t *words, uint32_t n, uint32_t seed)
{
    uint32_t state = seed * 0x2545F491u + 0x9E3779B9u;

    if (state == 0)
        state = 1;
    for (uint32_t i = 0; i < n; i++)
        words[i] = xorshift32(&state);
}

/* Two lanes so the multiplies of one can overlap the other's rotate. */
CPU_WORK_CODE __attribute__((noinline)) static uint32_t mix_hash(const uint32_t *words, uint32_t n, uint32_t seed)
{
    uint32_t a = seed ^ 0x6A09E667u;
    uint32_t b = seed + 0xBB67AE85u;

    for (uint32_t i = 0; i < n; i++) {
        uint32_t w = words[i];
        a = rotl32(a ^ w, 11) * 0x9E3779B1u;
        b = (rotl32(b + w, 19) * 0x85EBCA77u) ^ a;
    }
    a ^= b >> 15;
    a *= 0xC2B2AE3Du;
    a ^= a >> 13;
    return a ^ rotl32(b, 7);
}

/* Reflected CRC-32 (polynomial 0xEDB88320), one bit at a time. */
CPU_WORK_CODE __attribute__((noinline)) static uint32_t crc32_bits(const uint8_t *bytes, uint32_t n)
{
    uint32_t crc = 0xFFFFFFFFu;

    for (uint32_t i = 0; i < n; i++) {
        crc ^= bytes[i];
        for (unsigned k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

/*
 * The same CRC with a 16-entry table, two lookups per byte. The table is
 * const, so it is read from wherever the image keeps read-only data: the
 * Microvisor board's flash (a ROM region), SSRAM on mps2-an505.
 */
static const uint32_t crc32_nibbles[16] __attribute__((aligned(64))) = {
    0x00000000u, 0x1DB71064u, 0x3B6E20C8u, 0x26D930ACu, 0x76DC4190u, 0x6B6B51F4u,
    0x4DB26158u, 0x5005713Cu, 0xEDB88320u, 0xF00F9344u, 0xD6D6A3E8u, 0xCB61B38Cu,
    0x9B64C2B0u, 0x86D3D2D4u, 0xA00AE278u, 0xBDBDF21Cu,
};

CPU_WORK_CODE __attribute__((noinline)) static uint32_t crc32_table(const uint8_t *bytes, uint32_t n)
{
    uint32_t crc = 0xFFFFFFFFu;

    for (uint32_t i = 0; i < n; i++) {
        crc ^= bytes[i];
        crc = (crc >> 4) ^ crc32_nibbles[crc & 15u];
        crc = (crc >> 4) ^ crc32_nibbles[crc & 15u];
    }
    return ~crc;
}

CPU_WORK_CODE static void sift_down(uint32_t *v, uint32_t root, uint32_t end)
{
    uint32_t value = v[root];

    for (;;) {
        uint32_t child = 2 * root + 1;
        if (child >= end)
            break;
        if (child + 1 < end && v[child + 1] > v[child])
            child++;
        if (v[child] <= value)
            break;
        v[root] = v[child];
        root = child;
    }
    v[root] = value;
}

CPU_WORK_CODE __attribute__((noinline)) static void heap_sort(uint32_t *v, uint32_t n)
{
    for (uint32_t i = n / 2; i-- > 0;)
        sift_down(v, i, n);
    for (uint32_t end = n - 1; end > 0; end--) {
        uint32_t top = v[0];
        v[0] = v[end];
        v[end] = top;
        sift_down(v, 0, end);
    }
}

/* Number of adjacent pairs out of order (0 after a correct sort), folded
 * with a sample of the sorted values. */
CPU_WORK_CODE __attribute__((noinline)) static uint32_t check_sorted(const uint32_t *v, uint32_t n)
{
    uint32_t bad = 0, fold = 0;

    for (uint32_t i = 1; i < n; i++) {
        bad += v[i - 1] > v[i];
        fold = rotl32(fold, 3) ^ v[i];
    }
    return (bad << 24) ^ fold;
}

CPU_WORK_CODE __attribute__((noinline)) static void mat_mul(int32_t c[MAT][MAT], const int32_t a[MAT][MAT],
                                              const int32_t b[MAT][MAT])
{
    for (uint32_t i = 0; i < MAT; i++) {
        for (uint32_t j = 0; j < MAT; j++) {
            int32_t sum = 0;
            for (uint32_t k = 0; k < MAT; k++)
                sum += a[i][k] * b[k][j];
            c[i][j] = sum;
        }
    }
}

CPU_WORK_CODE __attribute__((noinline)) static uint32_t matrix_work(const uint32_t *words)
{
    uint32_t fold = 0;

    for (uint32_t i = 0; i < MAT; i++) {
        for (uint32_t j = 0; j < MAT; j++) {
            /* Small signed entries: every sum of products stays well inside int32. */
            work.a[i][j] = (int32_t)(words[i * MAT + j] & 0xFFu) - 128;
            work.b[i][j] = (int32_t)(words[WORDS - 1 - (i * MAT + j)] & 0x3FFu) - 512;
        }
    }
    for (uint32_t pass = 0; pass < MAT_PASSES; pass++) {
        mat_mul(work.c, work.a, work.b);
        for (uint32_t i = 0; i < MAT; i++) {
            for (uint32_t j = 0; j < MAT; j++) {
                int32_t x = work.c[i][j];
                fold = rotl32(fold, 5) + (uint32_t)x;
                work.a[i][j] = (x ^ (x >> 9)) & 0x1FF;
            }
        }
    }
    return fold;
}

CPU_WORK_CODE uint32_t cpu_work_run(uint32_t rounds)
{
    uint32_t sum = 0x811C9DC5u;

    for (uint32_t r = 0; r < rounds; r++) {
        fill(work.buffer, WORDS, r);
        sum = rotl32(sum, 1) ^ mix_hash(work.buffer, WORDS, sum);
        /* Two ways to the same CRC: a mismatch shows in the checksum. */
        uint32_t crc = crc32_bits((const uint8_t *)work.buffer, WORDS);
        uint32_t crc_table = crc32_table((const uint8_t *)work.buffer, 4 * WORDS);
        sum = rotl32(sum, 3) ^ crc ^ (crc == crc32_table((const uint8_t *)work.buffer, WORDS) ? 0 : 0xBAD);
        sum = rotl32(sum, 9) ^ crc_table;
        heap_sort(work.buffer, WORDS);
        sum = rotl32(sum, 5) ^ check_sorted(work.buffer, WORDS);
        sum = rotl32(sum, 7) ^ matrix_work(work.buffer);
    }
    return sum;
}

#ifdef CPU_WORK_SELFTEST
/* Host build that prints the checksum for cpu_work.h (not part of any image). */
#include <stdio.h>

int main(void)
{
    printf("0x%08X\n", (unsigned)cpu_work_run(CPU_WORK_ROUNDS));
    return 0;
}
#endif

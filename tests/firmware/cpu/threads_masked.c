/*
 * threads-masked-syscalls: the threads test with every system call the
 * threads make wrapped in cpsid i / cpsie i, so SysTick (and with it the
 * context switch) can never land while the CPU is inside a system-call
 * veneer in Secure state. Separates scheduler problems from problems with
 * exceptions taken inside a system call.
 */
#define THREADS_MASK_SYSCALLS 1
#include "threads.c"

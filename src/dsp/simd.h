/* simd.h - wider vectors for the hot loops where the CPU has them (private to src/dsp).
 *
 * The build targets baseline x86-64 (SSE2, 4 floats a vector). FER_HOT on a
 * loop function makes gcc compile it twice, for x86-64-v3 (AVX2 and FMA, 8
 * floats) and for the baseline, and pick one when the program loads. Other
 * compilers and CPUs get the plain function. Put it on functions that run a
 * whole loop (the choice is an indirect call), never on per-sample helpers.
 * Not under ThreadSanitizer: the load-time resolvers run before its runtime
 * is up and crash the program.
 */
#pragma once

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && defined(__has_attribute) \
    && !defined(__SANITIZE_THREAD__)
#if __has_attribute(target_clones)
#define FER_HOT __attribute__ ((target_clones ("arch=x86-64-v3", "default")))
#endif
#endif

#ifndef FER_HOT
#define FER_HOT
#endif

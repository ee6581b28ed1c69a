// CRC-32 (reflected polynomial 0xEDB88320) by folding with carry-less
// multiplication, after Gopal et al., "Fast CRC Computation for Generic
// Polynomials Using PCLMULQDQ Instruction" (Intel, 2009). The message is
// folded 64 bytes at a time into four 128-bit accumulators, those are folded
// into one, reduced to 64 and then 32 bits with a Barrett reduction. The
// constants are x^k mod P(x) for the fold distances, bit-reflected, and
// P'(x) / mu for the reduction; all derive from the polynomial alone.
#include "peakmq_crc32.h"
#include <zlib.h>

#if defined(__x86_64__)
#include <immintrin.h>
#include <cpuid.h>

// Fold distances 4x128+32 / 4x128-32, 128+32 / 128-32, 64 and the Barrett pair.
static const uint64_t fold512[2] = {0x0154442bd4ULL, 0x01c6e41596ULL};
static const uint64_t fold128[2] = {0x01751997d0ULL, 0x00ccaa009eULL};
static const uint64_t fold64 = 0x0163cd6124ULL;
static const uint64_t barrett[2] = {0x01db710641ULL, 0x01f7011641ULL};

__attribute__((target("pclmul,sse4.1")))
static inline __m128i fold(__m128i acc, __m128i k, __m128i next) {
    __m128i lo = _mm_clmulepi64_si128(acc, k, 0x00);
    __m128i hi = _mm_clmulepi64_si128(acc, k, 0x11);
    return _mm_xor_si128(_mm_xor_si128(lo, hi), next);
}

// Requires len >= 64 and len % 16 == 0. `state` is the inverted running CRC.
__attribute__((target("pclmul,sse4.1")))
static uint32_t crc32_fold(uint32_t state, const uint8_t *p, size_t len) {
    const __m128i k512 = _mm_loadu_si128((const __m128i *)fold512);
    const __m128i k128 = _mm_loadu_si128((const __m128i *)fold128);
    __m128i a0 = _mm_xor_si128(_mm_loadu_si128((const __m128i *)p), _mm_cvtsi32_si128((int)state));
    __m128i a1 = _mm_loadu_si128((const __m128i *)(p + 16));
    __m128i a2 = _mm_loadu_si128((const __m128i *)(p + 32));
    __m128i a3 = _mm_loadu_si128((const __m128i *)(p + 48));
    p += 64;
    len -= 64;
    while (len >= 64) {
        a0 = fold(a0, k512, _mm_loadu_si128((const __m128i *)p));
        a1 = fold(a1, k512, _mm_loadu_si128((const __m128i *)(p + 16)));
        a2 = fold(a2, k512, _mm_loadu_si128((const __m128i *)(p + 32)));
        a3 = fold(a3, k512, _mm_loadu_si128((const __m128i *)(p + 48)));
        p += 64;
        len -= 64;
    }
    // Four accumulators into one, then any remaining 16-byte blocks.
    __m128i acc = fold(a0, k128, a1);
    acc = fold(acc, k128, a2);
    acc = fold(acc, k128, a3);
    while (len >= 16) {
        acc = fold(acc, k128, _mm_loadu_si128((const __m128i *)p));
        p += 16;
        len -= 16;
    }
    // 128 -> 64 bits: fold the low half over the high half, then the top 32 bits.
    const __m128i mask32 = _mm_setr_epi32(-1, 0, -1, 0);
    __m128i t = _mm_clmulepi64_si128(acc, k128, 0x10);
    acc = _mm_xor_si128(_mm_srli_si128(acc, 8), t);
    t = _mm_srli_si128(acc, 4);
    acc = _mm_and_si128(acc, mask32);
    acc = _mm_clmulepi64_si128(acc, _mm_cvtsi64_si128((long long)fold64), 0x00);
    acc = _mm_xor_si128(acc, t);
    // Barrett reduction 64 -> 32 bits.
    const __m128i pm = _mm_loadu_si128((const __m128i *)barrett);
    t = _mm_and_si128(acc, mask32);
    t = _mm_clmulepi64_si128(t, pm, 0x10);
    t = _mm_and_si128(t, mask32);
    t = _mm_clmulepi64_si128(t, pm, 0x00);
    acc = _mm_xor_si128(acc, t);
    return (uint32_t)_mm_extract_epi32(acc, 1);
}

static int detect(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    return (c & bit_PCLMUL) && (c & bit_SSE4_1);
}
#endif

static int accelerated = -1;

int peakmq_crc32_accelerated(void) {
#if defined(__x86_64__)
    if (accelerated < 0) accelerated = detect();
    return accelerated;
#else
    return 0;
#endif
}

uint32_t peakmq_crc32(uint32_t crc, const void *buf, size_t len) {
    const uint8_t *p = (const uint8_t *)buf;
#if defined(__x86_64__)
    if (len >= 64 && peakmq_crc32_accelerated()) {
        size_t bulk = len & ~(size_t)15;
        crc = ~crc32_fold(~crc, p, bulk);
        p += bulk;
        len -= bulk;
    }
#endif
    if (len == 0) return crc;
    return (uint32_t)crc32(crc, p, (uInt)len);
}

#ifndef PEAKMQ_CRC32_H
#define PEAKMQ_CRC32_H
#include <stddef.h>
#include <stdint.h>

/// CRC-32/IEEE (zlib's and java.util.zip.CRC32's) of `len` bytes, continuing from
/// `crc` (0 to start). Uses carry-less multiplication (PCLMULQDQ) when the CPU
/// has it and falls back to zlib otherwise.
uint32_t peakmq_crc32(uint32_t crc, const void *buf, size_t len);

/// 1 when the carry-less multiply path is in use on this CPU.
int peakmq_crc32_accelerated(void);

#endif

// Byte tests on eight bytes at once (SWAR), for text scanners that look for a few special bytes:
// a machine word per step instead of a comparison per byte. Each test returns the high bit of every
// byte it flags. The lowest flagged byte is always exact; bytes flagged above a true hit may be
// false, from the subtraction's borrow, so callers use only the first hit (first_flagged).
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace c2hunt::byte_scan {

// Scanners fall back to a byte loop where the word layout differs.
constexpr bool kWordScan = std::endian::native == std::endian::little;

constexpr uint64_t kOnes = 0x0101010101010101ull;
constexpr uint64_t kHighs = 0x8080808080808080ull;

inline uint64_t load8(const char* p) {
  uint64_t word;
  std::memcpy(&word, p, sizeof word);
  return word;
}
// Bytes equal to b.
constexpr uint64_t equal_to(uint64_t word, uint8_t b) {
  const uint64_t x = word ^ (kOnes * b);
  return (x - kOnes) & ~x & kHighs;
}
// Bytes below n (n at most 128).
constexpr uint64_t below(uint64_t word, uint8_t n) { return (word - kOnes * n) & ~word & kHighs; }
// Bytes at or above 0x80.
constexpr uint64_t high_bit(uint64_t word) { return word & kHighs; }
// Offset of the first flagged byte (hits must not be 0).
constexpr size_t first_flagged(uint64_t hits) { return static_cast<size_t>(std::countr_zero(hits)) >> 3; }

}  // namespace c2hunt::byte_scan

// Message digests through OpenSSL 3, with each algorithm fetched once per process and one digest
// context per thread reused (EVP_sha256() and friends do an implicit provider fetch on every call,
// and EVP_Digest allocates a context per call: both show up when hashing every hello and certificate).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "c2hunt/util/byte_cursor.h"

namespace c2hunt {

enum class DigestAlgorithm : uint8_t { md5, sha1, sha256 };

constexpr size_t kMaxDigestBytes = 32;

// Writes the digest of `bytes` into `out`; returns its length, 0 when OpenSSL failed.
size_t digest(DigestAlgorithm algorithm, ByteView bytes, uint8_t (&out)[kMaxDigestBytes]);

// Lowercase hex of the digest; `hex_chars` keeps only a prefix (JA4's 12-character hashes).
std::string digest_hex(DigestAlgorithm algorithm, ByteView bytes, size_t hex_chars = 2 * kMaxDigestBytes);

inline std::string md5_hex(ByteView bytes) { return digest_hex(DigestAlgorithm::md5, bytes); }
inline std::string sha1_hex(ByteView bytes) { return digest_hex(DigestAlgorithm::sha1, bytes); }
inline std::string sha256_hex(ByteView bytes) { return digest_hex(DigestAlgorithm::sha256, bytes); }

}  // namespace c2hunt

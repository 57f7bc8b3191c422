#include "c2hunt/util/digest.h"

#include <openssl/evp.h>

#include <algorithm>

namespace c2hunt {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

// Fetched once and kept for the life of the process (never freed).
const EVP_MD* fetched(DigestAlgorithm algorithm) {
  static const EVP_MD* const md5 = EVP_MD_fetch(nullptr, "MD5", nullptr);
  static const EVP_MD* const sha1 = EVP_MD_fetch(nullptr, "SHA1", nullptr);
  static const EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  switch (algorithm) {
    case DigestAlgorithm::md5: return md5;
    case DigestAlgorithm::sha1: return sha1;
    default: return sha256;
  }
}

struct DigestContext {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  ~DigestContext() { EVP_MD_CTX_free(ctx); }
};

}  // namespace

size_t digest(DigestAlgorithm algorithm, ByteView bytes, uint8_t (&out)[kMaxDigestBytes]) {
  thread_local DigestContext context;
  const EVP_MD* md = fetched(algorithm);
  unsigned char full[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (md == nullptr || context.ctx == nullptr || EVP_DigestInit_ex2(context.ctx, md, nullptr) != 1 ||
      EVP_DigestUpdate(context.ctx, bytes.data(), bytes.size()) != 1 ||
      EVP_DigestFinal_ex(context.ctx, full, &size) != 1 || size > kMaxDigestBytes) {
    return 0;
  }
  std::copy(full, full + size, out);
  return size;
}

std::string digest_hex(DigestAlgorithm algorithm, ByteView bytes, size_t hex_chars) {
  uint8_t out[kMaxDigestBytes];
  size_t size = digest(algorithm, bytes, out);
  std::string hex(std::min(hex_chars, 2 * size), '\0');
  for (size_t i = 0; i < hex.size(); ++i) hex[i] = kHexDigits[(out[i / 2] >> (i % 2 ? 0 : 4)) & 0xf];
  return hex;
}

}  // namespace c2hunt

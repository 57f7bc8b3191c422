#include "c2hunt/util/digest.h"

#include <openssl/evp.h>

#include <string_view>

#include "c2hunt/util/text_escape.h"

namespace c2hunt {
namespace {

std::string digest_hex(ByteView bytes, const EVP_MD* md) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (md == nullptr || EVP_Digest(bytes.data(), bytes.size(), out, &len, md, nullptr) != 1) return {};
  return to_hex(std::string_view(reinterpret_cast<const char*>(out), len));
}

}  // namespace

// Each algorithm is fetched once and kept for the life of the process (never freed).
std::string md5_hex(ByteView bytes) {
  static const EVP_MD* md = EVP_MD_fetch(nullptr, "MD5", nullptr);
  return digest_hex(bytes, md);
}

std::string sha1_hex(ByteView bytes) {
  static const EVP_MD* md = EVP_MD_fetch(nullptr, "SHA1", nullptr);
  return digest_hex(bytes, md);
}

std::string sha256_hex(ByteView bytes) {
  static const EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return digest_hex(bytes, md);
}

}  // namespace c2hunt

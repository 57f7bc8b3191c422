// Message digests as lowercase hex, through OpenSSL 3 with the algorithms fetched once per process
// (EVP_sha256() and friends do an implicit provider fetch on every call, which shows up when
// hashing thousands of certificates or hellos).
#pragma once

#include <string>

#include "c2hunt/util/byte_cursor.h"

namespace c2hunt {

std::string md5_hex(ByteView bytes);
std::string sha1_hex(ByteView bytes);
std::string sha256_hex(ByteView bytes);

}  // namespace c2hunt

// Remembers the facts of recently seen certificates, keyed by their DER bytes. A server
// presents the same chain on every connection, and describing a certificate (decoding the key and
// verifying the self-signature) costs ~130 us, so a sensor describes each distinct certificate once
// and hands every connection the same immutable facts.
// Bounded: least recently used entries are evicted (counted in x509.cache_evictions); records that
// still hold evicted facts keep them alive. The key is the DER itself (hashed with std::hash,
// compared exactly) rather than a SHA-256 of it: a hit costs one pass over the bytes instead of a
// cryptographic digest, and no collision can mislabel a certificate.
#pragma once

#include <cstddef>
#include <list>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "c2hunt/records/certificate.h"
#include "c2hunt/util/byte_cursor.h"
#include "c2hunt/util/counters.h"

namespace c2hunt::x509 {

class CertificateCache {
 public:
  using Facts = std::shared_ptr<const records::Certificate>;

  explicit CertificateCache(size_t capacity = 4096, Counters* counters = nullptr);
  Facts describe(ByteView der);

 private:
  using Entry = std::pair<std::string, Facts>;
  size_t capacity_;
  Counters* counters_;
  std::list<Entry> lru_;  // most recent first
  std::unordered_map<std::string_view, std::list<Entry>::iterator> index_;  // views of the entries' keys
  uint64_t* hits_ = nullptr;
  uint64_t* misses_ = nullptr;
  uint64_t* evictions_ = nullptr;
};

}  // namespace c2hunt::x509

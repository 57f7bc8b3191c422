#include "c2hunt/x509/certificate_cache.h"

#include "c2hunt/x509/certificate_facts.h"

namespace c2hunt::x509 {

CertificateCache::CertificateCache(size_t capacity, Counters* counters)
    : capacity_(capacity ? capacity : 1), counters_(counters) {
  if (counters_) {
    hits_ = &counters_->counter("x509.cache_hits");
    misses_ = &counters_->counter("x509.cache_misses");
    evictions_ = &counters_->counter("x509.cache_evictions");
  }
  index_.reserve(capacity_ + 1);
}

CertificateCache::Facts CertificateCache::describe(ByteView der) {
  if (auto it = index_.find(as_chars(der)); it != index_.end()) {
    lru_.splice(lru_.begin(), lru_, it->second);
    if (hits_) ++*hits_;
    return it->second->second;
  }
  if (misses_) ++*misses_;
  Facts c = std::make_shared<const records::Certificate>(describe_certificate(der, counters_));
  if (lru_.size() >= capacity_) {
    index_.erase(lru_.back().first);
    lru_.pop_back();
    if (evictions_) ++*evictions_;
  }
  lru_.emplace_front(std::string(as_chars(der)), c);
  index_.emplace(lru_.front().first, lru_.begin());
  return c;
}

}  // namespace c2hunt::x509

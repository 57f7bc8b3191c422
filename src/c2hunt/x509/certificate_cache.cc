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

records::Certificate CertificateCache::describe(ByteView der, uint32_t chain_index) {
  if (auto it = index_.find(as_chars(der)); it != index_.end()) {
    lru_.splice(lru_.begin(), lru_, it->second);
    if (hits_) ++*hits_;
    records::Certificate c = it->second->second;
    c.chain_index = chain_index;
    return c;
  }
  if (misses_) ++*misses_;
  records::Certificate c = describe_certificate(der, chain_index, counters_);
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

#include "c2hunt/x509/certificate_cache.h"

#include <gtest/gtest.h>

#include <vector>

#include "c2hunt/x509/certificate_facts.h"

namespace c2hunt::x509 {
namespace {

// Undecodable DER still gets hashes, which is all the cache needs to tell entries apart.
std::vector<uint8_t> fake_der(uint8_t tag) { return {0x30, 0x03, 0x02, 0x01, tag}; }

TEST(CertificateCache, HitsShareTheFactsOfTheFirstDescription) {
  Counters counters;
  CertificateCache cache(2, &counters);
  auto a = fake_der(1);
  CertificateCache::Facts first = cache.describe(a);
  CertificateCache::Facts again = cache.describe(a);
  EXPECT_EQ(first.get(), again.get());
  EXPECT_NE(first.get(), cache.describe(fake_der(2)).get());
  EXPECT_EQ(counters.get("x509.cache_hits"), 1u);
  EXPECT_EQ(counters.get("x509.cache_misses"), 2u);
  EXPECT_EQ(first->sha256, describe_certificate(a).sha256);
}

TEST(CertificateCache, EvictsTheLeastRecentlyUsedAtCapacity) {
  Counters counters;
  CertificateCache cache(2, &counters);
  auto a = fake_der(1), b = fake_der(2), c = fake_der(3);
  cache.describe(a);
  cache.describe(b);
  cache.describe(a);  // a is now the most recent
  cache.describe(c);  // evicts b
  EXPECT_EQ(counters.get("x509.cache_evictions"), 1u);
  cache.describe(a);
  EXPECT_EQ(counters.get("x509.cache_hits"), 2u);
  cache.describe(b);
  EXPECT_EQ(counters.get("x509.cache_misses"), 4u);
}

}  // namespace
}  // namespace c2hunt::x509

#include "c2hunt/x509/certificate_cache.h"

#include <gtest/gtest.h>

#include <vector>

#include "c2hunt/x509/certificate_facts.h"

namespace c2hunt::x509 {
namespace {

// Undecodable DER still gets hashes, which is all the cache needs to tell entries apart.
std::vector<uint8_t> fake_der(uint8_t tag) { return {0x30, 0x03, 0x02, 0x01, tag}; }

TEST(CertificateCache, HitsReturnTheSameFactsWithTheCallersChainIndex) {
  Counters counters;
  CertificateCache cache(2, &counters);
  auto a = fake_der(1);
  records::Certificate first = cache.describe(a, 0);
  records::Certificate again = cache.describe(a, 3);
  EXPECT_EQ(first.sha256, again.sha256);
  EXPECT_EQ(again.chain_index, 3u);
  EXPECT_EQ(counters.get("x509.cache_hits"), 1u);
  EXPECT_EQ(counters.get("x509.cache_misses"), 1u);
  EXPECT_EQ(first.sha256, describe_certificate(a, 0).sha256);
}

TEST(CertificateCache, EvictsTheLeastRecentlyUsedAtCapacity) {
  Counters counters;
  CertificateCache cache(2, &counters);
  auto a = fake_der(1), b = fake_der(2), c = fake_der(3);
  cache.describe(a, 0);
  cache.describe(b, 0);
  cache.describe(a, 0);  // a is now the most recent
  cache.describe(c, 0);  // evicts b
  EXPECT_EQ(counters.get("x509.cache_evictions"), 1u);
  cache.describe(a, 0);
  EXPECT_EQ(counters.get("x509.cache_hits"), 2u);
  cache.describe(b, 0);
  EXPECT_EQ(counters.get("x509.cache_misses"), 4u);
}

}  // namespace
}  // namespace c2hunt::x509

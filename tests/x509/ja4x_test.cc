#ifdef C2HUNT_JA4PLUS
#include "c2hunt/fingerprints/ja4x.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace c2hunt::fingerprints {
namespace {

// Parses "550406,551d0f" into OID content-octet buffers.
std::vector<std::vector<uint8_t>> oids_from_hex(const std::string& list) {
  std::vector<std::vector<uint8_t>> out;
  size_t start = 0;
  while (start < list.size()) {
    size_t end = list.find(',', start);
    if (end == std::string::npos) end = list.size();
    std::vector<uint8_t> oid;
    for (size_t i = start; i + 1 < end; i += 2) oid.push_back(static_cast<uint8_t>(std::stoi(list.substr(i, 2), nullptr, 16)));
    out.push_back(oid);
    start = end + 1;
  }
  return out;
}

std::string h12(const std::string& list) {
  auto owned = oids_from_hex(list);
  std::vector<ByteView> views(owned.begin(), owned.end());
  EXPECT_EQ(ja4x_raw_part(views), list);
  return ja4x_hash_part(views);
}

TEST(Ja4x, ReferenceVectors) {
  EXPECT_EQ(h12("551d0f,551d25,551d11"), "aae71e8db6d7");  // FoxIO Rust test
  EXPECT_EQ(h12("550406,550408,550407,55040a,550403"), "2bab15409345");
  EXPECT_EQ(h12("550406,55040a,550403"), "a373a9f83c6b");
  EXPECT_EQ(h12("550403"), "7022c563de38");
  EXPECT_EQ(h12("551d0e,551d23,551d13"), "795797892f9c");
  EXPECT_EQ(h12("551d13"), "1c314e97029a");
  // Cobalt Strike default: C,ST,L,O,OU,CN and SubjectKeyIdentifier alone.
  EXPECT_EQ(h12("550406,550408,550407,55040a,55040b,550403"), "2166164053c1");
  EXPECT_EQ(h12("551d0e"), "30d204a01551");
  // Sliver (Go pkix.Name order): C,ST,L,street,postalCode,O,CN; without postalCode; KU,EKU,AKI,SAN.
  EXPECT_EQ(h12("550406,550408,550407,550409,550411,55040a,550403"), "4f24da86fad6");
  EXPECT_EQ(h12("550406,550408,550407,550409,55040a,550403"), "7c32fa18c13e");
  EXPECT_EQ(h12("551d0f,551d25,551d23,551d11"), "bf0f0589fc03");
}

TEST(Ja4x, EmptyListsAndLayout) {
  EXPECT_EQ(ja4x_hash_part({}), "000000000000");
  auto cn = oids_from_hex("550403");
  std::vector<ByteView> one(cn.begin(), cn.end());
  EXPECT_EQ(ja4x({one, {}, one}), "7022c563de38_000000000000_7022c563de38");
  EXPECT_EQ(ja4x_raw({one, {}, one}), "550403__550403");
}

}  // namespace
}  // namespace c2hunt::fingerprints
#endif  // C2HUNT_JA4PLUS

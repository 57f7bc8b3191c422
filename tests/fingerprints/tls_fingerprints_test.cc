#include "c2hunt/fingerprints/tls_fingerprints.h"

#include <gtest/gtest.h>

#include "c2hunt/protocols/tls/tls_hello.h"
#include "protocols/tls_test_builders.h"

namespace c2hunt::fingerprints {
namespace {

using records::TlsClientHello;
using records::TlsServerHello;

TlsClientHello spec_example() {
  auto body = tls::testing::client_hello_body(tls::testing::spec_example_client_hello());
  TlsClientHello h;
  EXPECT_TRUE(tls::parse_client_hello(body, h));
  fill_client_fingerprints(h);
  return h;
}

TEST(Grease, SixteenRfc8701ValuesOnly) {
  int count = 0;
  for (uint32_t v = 0; v <= 0xffff; ++v) count += is_grease(static_cast<uint16_t>(v));
  EXPECT_EQ(count, 16);
  EXPECT_TRUE(is_grease(0x0a0a));
  EXPECT_TRUE(is_grease(0xfafa));
  EXPECT_FALSE(is_grease(0x0a1a));
  EXPECT_FALSE(is_grease(0xeeee));
}

TEST(Ja3, ReadmeVectorWithAllFields) {
  TlsClientHello h;
  h.legacy_version = 769;
  h.cipher_suites = {47, 53, 5, 10, 49161, 49162, 49171, 49172, 50, 56, 19, 4};
  h.extensions = {0, 10, 11};
  h.supported_groups = {23, 24, 25};
  h.ec_point_formats = {0};
  fill_client_fingerprints(h);
  EXPECT_EQ(h.ja3_string, "769,47-53-5-10-49161-49162-49171-49172-50-56-19-4,0-10-11,23-24-25,0");
  EXPECT_EQ(h.ja3, "ada70206e40642a3e4461f35503241d5");
}

TEST(Ja3, ReadmeVectorEmptyFieldsKeepCommas) {
  TlsClientHello h;
  h.legacy_version = 769;
  h.cipher_suites = {4, 5, 10, 9, 100, 98, 3, 6, 19, 18, 99};
  fill_client_fingerprints(h);
  EXPECT_EQ(h.ja3_string, "769,4-5-10-9-100-98-3-6-19-18-99,,,");
  EXPECT_EQ(h.ja3, "de350869b8c85de67a350c8d186f11e6");
}

TEST(Ja3, GreaseRemovedFromCiphersExtensionsAndGroups) {
  TlsClientHello h;
  h.legacy_version = 769;
  h.cipher_suites = {0x2a2a, 47, 53, 5, 10, 49161, 49162, 49171, 49172, 50, 56, 19, 4};
  h.extensions = {0x3a3a, 0, 10, 11, 0xfafa};
  h.supported_groups = {0x4a4a, 23, 24, 25};
  h.ec_point_formats = {0};
  fill_client_fingerprints(h);
  EXPECT_EQ(h.ja3, "ada70206e40642a3e4461f35503241d5");
}

TEST(Ja3, UsesLegacyVersionNotSupportedVersions) {
  TlsClientHello h = spec_example();
  EXPECT_EQ(h.ja3_string.substr(0, 4), "771,");
}

TEST(Ja3s, TsharkVectorAndEmptyExtensions) {
  TlsServerHello s;
  s.legacy_version = 771;
  s.cipher_suite = 4865;
  s.extensions = {51, 43};
  fill_server_fingerprints(s);
  EXPECT_EQ(s.ja3s_string, "771,4865,51-43");
  EXPECT_EQ(s.ja3s, "eb1d94daa7e0344597e756a1fb6e7054");
  TlsServerHello e;
  e.legacy_version = 769;
  e.cipher_suite = 47;
  fill_server_fingerprints(e);
  EXPECT_EQ(e.ja3s_string, "769,47,");
}

TEST(Ja3s, KeepsGrease) {
  TlsServerHello s;
  s.legacy_version = 771;
  s.cipher_suite = 4865;
  s.extensions = {0x0a0a, 43};
  fill_server_fingerprints(s);
  EXPECT_EQ(s.ja3s_string, "771,4865,2570-43");
}

TEST(Ja4, Hash12GoldenVectors) {
  EXPECT_EQ(ja4_hash12("002f,0035,009c,009d,1301,1302,1303,c013,c014,c02b,c02c,c02f,c030,cca8,cca9"), "8daaf6152771");
  EXPECT_EQ(ja4_hash12("0005,000a,000b,000d,0012,0015,0017,001b,0023,002b,002d,0033,4469,ff01_0403,0804,0401,0503,"
                       "0805,0501,0806,0601"),
            "e5627efa2ab1");
  EXPECT_EQ(ja4_hash12("0005,000a,000b,000d,0012,0015,0017,001b,0023,002b,002d,0033,4469,ff01"), "6d807ffa2a79");
  EXPECT_EQ(ja4_hash12(""), "000000000000");
}

TEST(Ja4, SpecWorkedExampleAllFourForms) {
  TlsClientHello h = spec_example();
  EXPECT_EQ(h.ja4, "t13d1516h2_8daaf6152771_e5627efa2ab1");
  EXPECT_EQ(h.ja4_r,
            "t13d1516h2_002f,0035,009c,009d,1301,1302,1303,c013,c014,c02b,c02c,c02f,c030,cca8,cca9_0005,000a,000b,"
            "000d,0012,0015,0017,001b,0023,002b,002d,0033,4469,ff01_0403,0804,0401,0503,0805,0501,0806,0601");
  EXPECT_EQ(h.ja4_o, "t13d1516h2_acb858a92679_18f69afefd3d");
  EXPECT_EQ(h.ja4_ro,
            "t13d1516h2_1301,1302,1303,c02b,c02f,c02c,c030,cca9,cca8,c013,c014,009c,009d,002f,0035_001b,0000,0033,"
            "0010,4469,0017,002d,000d,0005,0023,0012,002b,ff01,000b,000a,0015_0403,0804,0401,0503,0805,0501,0806,0601");
}

TEST(Ja4, NoSignatureAlgorithmsMeansNoTrailingUnderscore) {
  TlsClientHello h = spec_example();
  h.signature_algorithms.clear();
  fill_client_fingerprints(h);
  EXPECT_EQ(h.ja4, "t13d1516h2_8daaf6152771_6d807ffa2a79");
  EXPECT_EQ(h.ja4_r.back(), '1');  // ...,ff01 and no '_'
}

TEST(Ja4, GreaseRemovedEverywhereIncludingSignatureAlgorithms) {
  TlsClientHello h = spec_example();
  h.cipher_suites.insert(h.cipher_suites.begin(), 0x1a1a);
  h.extensions.insert(h.extensions.begin(), 0x2a2a);
  h.extensions.push_back(0x3a3a);
  h.signature_algorithms.insert(h.signature_algorithms.begin() + 2, 0x4a4a);
  h.supported_versions.insert(h.supported_versions.begin(), 0x5a5a);
  fill_client_fingerprints(h);
  EXPECT_EQ(h.ja4, "t13d1516h2_8daaf6152771_e5627efa2ab1");
  EXPECT_EQ(h.ja4_o, "t13d1516h2_acb858a92679_18f69afefd3d");
}

TEST(Ja4, VersionIsHighestNonGreaseSupportedVersionElseLegacy) {
  TlsClientHello h;
  h.legacy_version = 0x0303;
  h.supported_versions = {0x7a7a, 0x0302, 0x0304, 0x0303};
  fill_client_fingerprints(h);
  EXPECT_EQ(h.ja4.substr(0, 4), "t13i");
  h.supported_versions = {0x0a0a};
  fill_client_fingerprints(h);
  EXPECT_EQ(h.ja4.substr(0, 4), "t12i");
  h.supported_versions.clear();
  h.legacy_version = 0x0300;
  fill_client_fingerprints(h);
  EXPECT_EQ(h.ja4.substr(0, 4), "ts3i");
  h.legacy_version = 0x0305;
  fill_client_fingerprints(h);
  EXPECT_EQ(h.ja4.substr(0, 4), "t00i");
  h.legacy_version = 0xfefd;
  h.supported_versions = {0xfefd, 0xfefc};
  fill_client_fingerprints(h);
  EXPECT_EQ(h.ja4.substr(0, 4), "dd3i");  // DTLS 1.3 ranks above 1.2 though numerically lower
}

TEST(Ja4, SniPresenceAndQuicPrefix) {
  TlsClientHello h;
  h.legacy_version = 0x0303;
  h.has_sni_extension = true;  // even an empty or IP-literal name counts
  h.over_quic = true;
  fill_client_fingerprints(h);
  EXPECT_EQ(h.ja4.substr(0, 4), "q12d");
}

TEST(Ja4, EmptyListsHashToZerosAndCountsCapAt99) {
  TlsClientHello h;
  h.legacy_version = 0x0303;
  fill_client_fingerprints(h);
  EXPECT_EQ(h.ja4, "t12i000000_000000000000_000000000000");
  EXPECT_EQ(h.ja4_r, "t12i000000__");
  for (uint16_t i = 1; i <= 150; ++i) {
    h.cipher_suites.push_back(i);
    h.extensions.push_back(static_cast<uint16_t>(0x1000 + i));
  }
  fill_client_fingerprints(h);
  EXPECT_EQ(h.ja4.substr(0, 10), "t12i999900");
}

TEST(Ja4, OnlySniAndAlpnExtensionsGiveEmptyExtensionHash) {
  TlsClientHello h;
  h.legacy_version = 0x0303;
  h.extensions = {0x0000, 0x0010};
  h.has_sni_extension = true;
  h.alpn = {"h2"};
  fill_client_fingerprints(h);
  EXPECT_EQ(h.ja4, "t12d0002h2_000000000000_000000000000");
  EXPECT_EQ(h.ja4_ro, "t12d0002h2__0000,0010");
}

TEST(Ja4Alpn, SpecExamples) {
  auto code = [](std::initializer_list<uint8_t> bytes) {
    std::string s(bytes.begin(), bytes.end());
    std::array<char, 2> c = ja4_alpn_code(s);
    return std::string(c.data(), 2);
  };
  EXPECT_EQ(code({}), "00");
  EXPECT_EQ(code({'h', '2'}), "h2");
  EXPECT_EQ(code({'h', 't', 't', 'p', '/', '1', '.', '1'}), "h1");
  EXPECT_EQ(code({'x'}), "xx");
  EXPECT_EQ(code({0xab}), "ab");
  EXPECT_EQ(code({0x20}), "20");
  EXPECT_EQ(code({0xab, 0xcd}), "ad");
  EXPECT_EQ(code({0x20, 0x61}), "21");
  EXPECT_EQ(code({0x30, 0xab}), "3b");
  EXPECT_EQ(code({0x61, 0x20}), "60");
  EXPECT_EQ(code({0x30, 0x31, 0xab, 0xcd}), "3d");
  EXPECT_EQ(code({0x30, 0xab, 0xcd, 0x31}), "01");
}

TEST(Ja4Alpn, OnlyTheFirstProtocolCountsAndEmptyFirstIs00) {
  TlsClientHello h;
  h.legacy_version = 0x0303;
  h.alpn = {"", "h2"};
  fill_client_fingerprints(h);
  EXPECT_EQ(h.ja4.substr(8, 2), "00");
}

// Known, explained difference from FoxIO's reference implementations (Rust/Python snapshot
// 0e54bc8 and its Wireshark plugin): for a non-alphanumeric first ALPN they print "99"; the spec
// (and we) take the hex fallback. FoxIO's pcap tls-non-ascii-alpn.pcapng (first ALPN 0xBA 0xAD)
// gives "t13d151699_..." in the reference output and "t13d1516bd_..." here.
TEST(Ja4Alpn, KnownDifferenceFromFoxIoReferenceOnNonAsciiAlpn) {
  TlsClientHello h = spec_example();
  h.alpn = {std::string("\xba\xad", 2)};
  fill_client_fingerprints(h);
  EXPECT_EQ(h.ja4, "t13d1516bd_8daaf6152771_e5627efa2ab1");
  EXPECT_NE(h.ja4, "t13d151699_8daaf6152771_e5627efa2ab1");  // FoxIO reference output
}

TEST(Ja4, VersionCodes) {
  EXPECT_EQ(ja4_version_code(0x0304), "13");
  EXPECT_EQ(ja4_version_code(0x0301), "10");
  EXPECT_EQ(ja4_version_code(0x0002), "s2");
  EXPECT_EQ(ja4_version_code(0xfeff), "d1");
  EXPECT_EQ(ja4_version_code(0x7f1c), "00");
}

#ifdef C2HUNT_JA4PLUS
TEST(Ja4s, RustUnitTestVector) {
  TlsServerHello s;
  s.legacy_version = 0x0303;
  s.cipher_suite = 0xc030;
  s.extensions = {0x0005, 0x0017, 0xff01, 0x0000};
  fill_server_fingerprints(s);
  EXPECT_EQ(s.ja4s, "t120400_c030_4e8089b08790");
}

TEST(Ja4s, SupportedVersionsAlpnQuicAndEmpty) {
  TlsServerHello s;
  s.legacy_version = 0x0303;
  s.selected_version = 0x0304;
  s.cipher_suite = 0x1301;
  s.extensions = {0x002b, 0x0033};
  s.over_quic = true;
  s.alpn = "h3";
  fill_server_fingerprints(s);
  EXPECT_EQ(s.ja4s, "q1302h3_1301_" + ja4_hash12("002b,0033"));
  TlsServerHello e;
  e.legacy_version = 0x0301;
  e.cipher_suite = 0x002f;
  fill_server_fingerprints(e);
  EXPECT_EQ(e.ja4s, "t100000_002f_000000000000");
}
#endif

}  // namespace
}  // namespace c2hunt::fingerprints

namespace c2hunt::fingerprints {
namespace {

// The fingerprint cache must never hand one hello's fingerprints to a different hello: every JA3
// and JA4 input changes the result even right after an identical hello was fingerprinted.
TEST(FingerprintCache, EveryInputStillChangesTheFingerprints) {
  records::TlsClientHello base;
  base.legacy_version = 0x0303;
  base.cipher_suites = {0x1301, 0x1302, 0xc02f};
  base.extensions = {0x0000, 0x000a, 0x000d, 0x0010, 0x002b};
  base.supported_groups = {0x001d};
  base.signature_algorithms = {0x0403, 0x0804};
  base.supported_versions = {0x0304, 0x0303};
  base.alpn = {"h2"};
  base.has_sni_extension = true;
  records::TlsClientHello first = base, again = base;
  fill_client_fingerprints(first);
  fill_client_fingerprints(again);
  EXPECT_EQ(first.ja4_ro, again.ja4_ro);
  EXPECT_EQ(first.ja3, again.ja3);

  std::vector<records::TlsClientHello> variants(10, base);
  variants[0].signature_algorithms = {0x0804, 0x0403};
  variants[1].supported_versions = {0x0303};
  variants[2].alpn = {"http/1.1"};
  variants[3].over_quic = true;
  variants[4].has_sni_extension = false;
  variants[5].cipher_suites = {0x1302, 0x1301, 0xc02f};
  variants[6].supported_groups = {0x001d, 0x0017};
  variants[7].ec_point_formats = {0};
  variants[8].extensions = {0x000a, 0x0000, 0x000d, 0x0010, 0x002b};
  variants[9].legacy_version = 0x0301;
  for (size_t i = 0; i < variants.size(); ++i) {
    fill_client_fingerprints(variants[i]);
    EXPECT_NE(variants[i].ja3 + variants[i].ja4_o + variants[i].ja4, first.ja3 + first.ja4_o + first.ja4)
        << "variant " << i;
  }
  // The JA3 string comes from the cache on a hit: it must still be this hello's.
  records::TlsClientHello fresh = variants[6];
  fill_client_fingerprints(fresh);
  EXPECT_EQ(fresh.ja3_string, variants[6].ja3_string);
  EXPECT_NE(fresh.ja3_string, first.ja3_string);
}

// The same for the server cache: JA4S reads the selected version, the ALPN and the transport,
// which the JA3S string does not hold.
TEST(FingerprintCache, EveryServerInputStillChangesTheFingerprints) {
  records::TlsServerHello base;
  base.legacy_version = 0x0303;
  base.cipher_suite = 0x1301;
  base.extensions = {0x002b, 0x0033};
  base.selected_version = 0x0304;
  base.alpn = "h2";
  records::TlsServerHello first = base, again = base;
  fill_server_fingerprints(first);
  fill_server_fingerprints(again);
  EXPECT_EQ(first.ja3s, again.ja3s);
  EXPECT_EQ(first.ja4s, again.ja4s);
  EXPECT_EQ(first.ja3s_string, again.ja3s_string);

  std::vector<records::TlsServerHello> variants(5, base);
  variants[0].selected_version.reset();
  variants[1].alpn = "http/1.1";
  variants[2].over_quic = true;
  variants[3].extensions = {0x0033, 0x002b};
  variants[4].cipher_suite = 0x1302;
  for (size_t i = 0; i < variants.size(); ++i) {
    fill_server_fingerprints(variants[i]);
#ifdef C2HUNT_JA4PLUS
    EXPECT_NE(variants[i].ja4s, first.ja4s) << "variant " << i;
#endif
  }
  EXPECT_NE(variants[3].ja3s, first.ja3s);
  EXPECT_NE(variants[4].ja3s, first.ja3s);
}

}  // namespace
}  // namespace c2hunt::fingerprints

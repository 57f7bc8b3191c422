#include "c2hunt/x509/certificate_facts.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include "c2hunt/util/text_escape.h"
#include "test_certificates.h"

namespace c2hunt::x509 {
namespace {

using testing::build_certificate;
using testing::CertSpec;
using testing::der_of;
using testing::ec_key;
using testing::KeyPtr;
using testing::rsa_key;

records::Certificate describe(X509* cert, Counters* counters = nullptr) {
  std::vector<uint8_t> der = der_of(cert);
  return describe_certificate(ByteView(der), counters);
}

std::string openssl_digest_hex(X509* cert, const EVP_MD* md) {
  unsigned char buf[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  X509_digest(cert, md, buf, &n);
  return to_hex(std::string_view(reinterpret_cast<const char*>(buf), n));
}

const testing::NameParts kCobaltStrikeName = {{"C", "Earth"},          {"ST", "Cyberspace"},
                                              {"L", "Somewhere"},      {"O", "cobaltstrike"},
                                              {"OU", "AdvancedPenTesting"}, {"CN", "Major Cobalt Strike"}};

TEST(CertificateFacts, SelfSignedWithSameNameFillsEveryField) {
  auto key = ec_key();
  CertSpec spec;
  spec.subject = {{"C", "US"}, {"O", "Example Org"}, {"CN", "host.example"}};
  spec.serial = 0x1234;
  spec.extensions = {{NID_basic_constraints, "critical,CA:TRUE"}, {NID_subject_key_identifier, "hash"}};
  auto cert = build_certificate(spec, key.get(), key.get());
  ASSERT_TRUE(cert);
  auto c = describe(cert.get());
  EXPECT_FALSE(c.parse_error);
  EXPECT_EQ(c.sha1, openssl_digest_hex(cert.get(), EVP_sha1()));
  EXPECT_EQ(c.sha256, openssl_digest_hex(cert.get(), EVP_sha256()));
  EXPECT_EQ(c.subject, "CN=host.example,O=Example Org,C=US");
  EXPECT_EQ(c.issuer, c.subject);
  EXPECT_EQ(c.subject_cn, "host.example");
  EXPECT_EQ(c.serial_hex, "1234");
  EXPECT_EQ(c.not_before, 1700000000LL * kMicrosPerSecond);
  EXPECT_EQ(c.not_after, (1700000000LL + 365 * 86400) * kMicrosPerSecond);
  EXPECT_DOUBLE_EQ(*c.validity_days, 365.0);
  EXPECT_EQ(c.key_type, "ecdsa");
  EXPECT_EQ(c.key_bits, 256);
  EXPECT_EQ(c.signature_algorithm, "ecdsa-with-SHA256");
  EXPECT_EQ(c.version, 3);
  EXPECT_EQ(c.is_ca, true);
  EXPECT_EQ(c.self_signed, true);
  EXPECT_TRUE(c.san_dns.empty());
  EXPECT_TRUE(c.san_ip.empty());
}

// Metasploit's rex fallback and DcRat sign with the certificate's own key but write a different issuer.
TEST(CertificateFacts, SelfSignedWithDifferentIssuerIsStillSelfSigned) {
  auto key = ec_key();
  CertSpec spec;
  spec.subject = {{"C", "US"}, {"ST", "TX"}, {"L", "Austin"}, {"O", "Acme"}, {"CN", "acme.example"}};
  spec.issuer = {{"C", "US"}, {"O", "Acme"}, {"CN", "Acme Root"}};
  spec.extensions = {{NID_basic_constraints, "CA:FALSE"}};
  auto cert = build_certificate(spec, key.get(), key.get());
  auto c = describe(cert.get());
  EXPECT_NE(c.issuer, c.subject);
  EXPECT_EQ(c.issuer, "CN=Acme Root,O=Acme,C=US");
  EXPECT_EQ(c.self_signed, true);
  EXPECT_EQ(c.is_ca, false);
}

TEST(CertificateFacts, CaSignedLeafIsNotSelfSignedEvenWithIssuerEqualSubject) {
  auto ca_key = ec_key();
  auto leaf_key = ec_key();
  CertSpec ca_spec;
  ca_spec.subject = {{"CN", "Test CA"}};
  ca_spec.extensions = {{NID_basic_constraints, "critical,CA:TRUE"}, {NID_subject_key_identifier, "hash"}};
  auto ca = build_certificate(ca_spec, ca_key.get(), ca_key.get());
  CertSpec leaf_spec;
  leaf_spec.subject = {{"CN", "leaf.example"}};
  leaf_spec.issuer = {{"CN", "Test CA"}};
  leaf_spec.extensions = {{NID_authority_key_identifier, "keyid"}};
  auto leaf = build_certificate(leaf_spec, leaf_key.get(), ca_key.get(), ca.get());
  auto c = describe(leaf.get());
  EXPECT_EQ(c.self_signed, false);
  EXPECT_FALSE(c.is_ca.has_value()) << "no basicConstraints: is_ca must stay unset";
  EXPECT_EQ(describe(ca.get()).self_signed, true);

  // A forger copying the subject into the issuer does not make it self-signed.
  CertSpec same_name;
  same_name.subject = {{"CN", "Test CA"}};
  auto forged = build_certificate(same_name, leaf_key.get(), ca_key.get());
  auto f = describe(forged.get());
  EXPECT_EQ(f.issuer, f.subject);
  EXPECT_EQ(f.self_signed, false);
}

TEST(CertificateFacts, SubjectAltNamesDnsAndIp) {
  auto key = ec_key();
  CertSpec spec;
  spec.subject = {{"CN", "a.example"}};
  spec.extensions = {{NID_subject_alt_name, "DNS:a.example,IP:10.1.2.3,DNS:*.b.example,IP:2001:db8::1,"
                                            "email:x@a.example"}};
  auto c = describe(build_certificate(spec, key.get(), key.get()).get());
  EXPECT_EQ(c.san_dns, (std::vector<std::string>{"a.example", "*.b.example"}));
  EXPECT_EQ(c.san_ip, (std::vector<std::string>{"10.1.2.3", "2001:db8::1"}));
}

TEST(CertificateFacts, SanEntriesAreCappedAndCounted) {
  auto key = ec_key();
  CertSpec spec;
  spec.subject = {{"CN", "many.example"}};
  std::string sans;
  for (int i = 0; i < 100; ++i) sans += (i ? ",DNS:h" : "DNS:h") + std::to_string(i) + ".example";
  spec.extensions = {{NID_subject_alt_name, sans}};
  Counters counters;
  auto c = describe(build_certificate(spec, key.get(), key.get()).get(), &counters);
  ASSERT_EQ(c.san_dns.size(), kMaxSanEntries);
  EXPECT_EQ(c.san_dns.front(), "h0.example");
  EXPECT_EQ(counters.get("x509.san_dropped"), 100 - kMaxSanEntries);
}

TEST(CertificateFacts, ExpiredCertificateKeepsItsDates) {
  auto key = rsa_key(1024);
  CertSpec spec;
  spec.subject = {{"CN", "old.example"}};
  spec.not_before = 946684800;  // 2000-01-01
  spec.not_after = 978307200;   // 2001-01-01
  auto c = describe(build_certificate(spec, key.get(), key.get()).get());
  EXPECT_EQ(c.not_before, 946684800LL * kMicrosPerSecond);
  EXPECT_EQ(c.not_after, 978307200LL * kMicrosPerSecond);
  EXPECT_DOUBLE_EQ(*c.validity_days, 366.0);
  EXPECT_EQ(c.key_type, "rsa");
  EXPECT_EQ(c.key_bits, 1024);
  EXPECT_EQ(c.signature_algorithm, "sha256WithRSAEncryption");
  EXPECT_EQ(c.self_signed, true);
}

TEST(CertificateFacts, GeneralizedTimeAfter2049) {
  auto key = ec_key();
  CertSpec spec;
  spec.subject = {{"CN", "forever.example"}};
  spec.not_after = 253402300799;  // 9999-12-31T23:59:59Z, as AsyncRAT's default certificate
  auto c = describe(build_certificate(spec, key.get(), key.get()).get());
  EXPECT_EQ(c.not_after, 253402300799LL * kMicrosPerSecond);
}

TEST(CertificateFacts, CobaltStrikeDefaultShape) {
  auto key = rsa_key(1024);
  CertSpec spec;
  spec.subject = kCobaltStrikeName;
  spec.serial = 146473198;
  spec.extensions = {{NID_subject_key_identifier, "hash"}};
  auto c = describe(build_certificate(spec, key.get(), key.get()).get());
  EXPECT_EQ(c.subject,
            "CN=Major Cobalt Strike,OU=AdvancedPenTesting,O=cobaltstrike,L=Somewhere,ST=Cyberspace,C=Earth");
  EXPECT_EQ(c.subject_cn, "Major Cobalt Strike");
  EXPECT_EQ(c.serial_hex, "08BB00EE");
#ifdef C2HUNT_JA4PLUS
  EXPECT_EQ(c.ja4x, "2166164053c1_2166164053c1_30d204a01551");
#else
  EXPECT_EQ(c.ja4x, "");
#endif
}

#ifdef C2HUNT_JA4PLUS
TEST(CertificateFacts, SliverShapeWithEmptyIssuer) {
  auto key = ec_key("P-384");
  CertSpec spec;
  spec.subject = {{"C", "US"},       {"ST", "Arizona"}, {"L", "Phoenix"}, {"street", "1 Main St"},
                  {"postalCode", "85001"}, {"O", "ACME"},     {"CN", "acme.example"}};
  spec.empty_issuer = true;
  spec.extensions = {{NID_key_usage, "digitalSignature"},
                     {NID_ext_key_usage, "serverAuth"},
                     {NID_authority_key_identifier, "keyid:always"},
                     {NID_subject_alt_name, "DNS:acme.example"}};
  CertSpec ca_spec;
  ca_spec.subject = {{"CN", "ca"}};
  ca_spec.extensions = {{NID_subject_key_identifier, "hash"}};
  auto ca = build_certificate(ca_spec, key.get(), key.get());
  auto c = describe(build_certificate(spec, key.get(), key.get(), ca.get()).get());
  EXPECT_EQ(c.issuer, "");
  EXPECT_EQ(c.key_bits, 384);
  EXPECT_EQ(c.ja4x, "000000000000_4f24da86fad6_bf0f0589fc03");
  spec.subject.erase(spec.subject.begin() + 4);  // no postalCode
  EXPECT_EQ(describe(build_certificate(spec, key.get(), key.get(), ca.get()).get()).ja4x,
            "000000000000_7c32fa18c13e_bf0f0589fc03");
}
#endif

TEST(CertificateFacts, SerialHexMatchesZeek) {
  auto key = ec_key();
  CertSpec spec;
  spec.subject = {{"CN", "s"}};
  spec.serial = 1;
  EXPECT_EQ(describe(build_certificate(spec, key.get(), key.get()).get()).serial_hex, "01");
  // High bit set: DER adds a 0x00 sign byte, which Zeek does not print.
  spec.serial_bytes = {0x99, 0xfa, 0xa8, 0x03};
  EXPECT_EQ(describe(build_certificate(spec, key.get(), key.get()).get()).serial_hex, "99FAA803");
}

TEST(CertificateFacts, Rfc4514EscapingAndCapping) {
  auto key = ec_key();
  CertSpec spec;
  spec.subject = {{"O", "Smith, Jones+Co"}, {"OU", std::string(5000, 'x')}, {"CN", "#lead"}};
  Counters counters;
  auto c = describe(build_certificate(spec, key.get(), key.get()).get(), &counters);
  EXPECT_EQ(c.subject.size(), kMaxCertificateStringBytes);
  EXPECT_TRUE(c.subject.starts_with("CN=\\#lead,OU=xxx"));
  EXPECT_TRUE(c.subject.ends_with(kTruncationMarker));
  EXPECT_EQ(c.issuer, c.subject);
  EXPECT_EQ(counters.get("x509.string_truncated"), 2u);

  spec.subject = {{"O", "Smith, Jones+Co"}, {"CN", "a"}};
  EXPECT_EQ(describe(build_certificate(spec, key.get(), key.get()).get()).subject, "CN=a,O=Smith\\, Jones\\+Co");
}

TEST(CertificateFacts, Ed25519Key) {
  KeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  CertSpec spec;
  spec.subject = {{"CN", "ed"}};
  auto c = describe(build_certificate(spec, key.get(), key.get()).get());
  EXPECT_EQ(c.key_type, "ed25519");
  EXPECT_EQ(c.signature_algorithm, "ED25519");
  EXPECT_EQ(c.self_signed, true);
}

TEST(CertificateFacts, GarbageAndTruncatedDerAreParseErrorsWithHashes) {
  std::vector<uint8_t> garbage = {0x30, 0x82, 0xff, 0xff, 0x01, 0x02, 0x03};
  Counters counters;
  auto g = describe_certificate(ByteView(garbage), &counters);
  EXPECT_TRUE(g.parse_error);
  EXPECT_EQ(g.sha256.size(), 64u);
  EXPECT_EQ(g.sha1.size(), 40u);
  EXPECT_TRUE(g.subject.empty());
  EXPECT_FALSE(g.self_signed.has_value());
  EXPECT_EQ(counters.get("x509.parse_error"), 1u);

  auto key = ec_key();
  CertSpec spec;
  spec.subject = {{"CN", "t"}};
  std::vector<uint8_t> der = der_of(build_certificate(spec, key.get(), key.get()).get());
  for (size_t cut : {size_t{1}, der.size() / 2, der.size() - 1}) {
    std::vector<uint8_t> head(der.begin(), der.begin() + static_cast<long>(cut));
    auto t = describe_certificate(ByteView(head), 0);
    EXPECT_TRUE(t.parse_error) << cut;
    EXPECT_EQ(t.sha256.size(), 64u);
  }
  auto e = describe_certificate(ByteView(), 0);
  EXPECT_TRUE(e.parse_error);
  EXPECT_EQ(e.sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(CertificateFacts, OversizedDerIsRefusedButHashed) {
  std::vector<uint8_t> big(kMaxCertificateDerBytes + 1, 0x30);
  Counters counters;
  auto c = describe_certificate(ByteView(big), &counters);
  EXPECT_TRUE(c.parse_error);
  EXPECT_EQ(c.sha256.size(), 64u);
  EXPECT_EQ(counters.get("x509.der_too_large"), 1u);
}

}  // namespace
}  // namespace c2hunt::x509

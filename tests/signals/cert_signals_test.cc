#include <gtest/gtest.h>

#include "signals/record_builder.h"
#include "signals/signal_harness.h"

namespace c2hunt::testing {
namespace {

signals::ChannelFindings run_cert(records::Certificate cert, const std::string& sni = "example.com") {
  SignalHarness h;
  h.add(ConnectionBuilder("10.0.0.5", "203.0.113.7", 443).tls(sni).certificate(std::move(cert)).build());
  return h.only();
}

records::Certificate public_cert() {
  auto c = make_certificate("CN=example.com,O=Example Inc", "example.com", false);
  c.san_dns = {"example.com", "*.example.com"};
  return c;
}

TEST(CertSelfSigned, FiresWhenVerifiedUnsetIsNotEvaluated) {
  EXPECT_NE(find_evidence(run_cert(make_certificate("CN=abc", "abc", true), "abc"), "cert.self_signed"), nullptr);
  EXPECT_EQ(find_evidence(run_cert(public_cert()), "cert.self_signed"), nullptr);
  auto unknown = public_cert();
  unknown.self_signed.reset();
  auto f = run_cert(unknown);
  EXPECT_EQ(find_evidence(f, "cert.self_signed"), nullptr);
  EXPECT_TRUE(not_evaluated(f, "cert.self_signed"));
}

// Logs give subject and issuer but no signature check: an exact issuer == subject match fires at the
// configured reduced strength and says so; a verified verdict keeps the full strength.
TEST(CertSelfSigned, IssuerEqualsSubjectWithoutSignatureCheckFiresReduced) {
  auto cert = make_certificate("CN=abc,O=Random Org", "abc", true);
  cert.self_signed.reset();
  SignalHarness h;
  double reduced = h.config.signal("cert.self_signed").number("unverified_strength");
  ASSERT_GT(reduced, 0.0);
  ASSERT_LT(reduced, 1.0);
  auto e = find_evidence(run_cert(cert, "abc"), "cert.self_signed");
  ASSERT_NE(e, nullptr);
  EXPECT_DOUBLE_EQ(e->strength, reduced);
  EXPECT_NE(e->detail.find("issuer equals subject (signature not checkable from this source)"), std::string::npos)
      << e->detail;

  cert.self_signed = true;
  e = find_evidence(run_cert(cert, "abc"), "cert.self_signed");
  ASSERT_NE(e, nullptr);
  EXPECT_DOUBLE_EQ(e->strength, 1.0);

  cert.self_signed = false;  // verified not self-signed although the names match (CA-issued)
  EXPECT_EQ(find_evidence(run_cert(cert, "abc"), "cert.self_signed"), nullptr);

  auto nameless = make_certificate("", "", true);
  nameless.issuer.clear();
  nameless.self_signed.reset();
  auto f = run_cert(nameless);
  EXPECT_EQ(find_evidence(f, "cert.self_signed"), nullptr);
  EXPECT_TRUE(not_evaluated(f, "cert.self_signed"));
}

TEST(CertShortValidity, SelfSignedStrongPublicCaWeak) {
  auto self = make_certificate("CN=abc", "abc", true, kT0 - kDay, kT0 + 6 * kDay);
  auto e = find_evidence(run_cert(self, "abc"), "cert.short_validity");
  ASSERT_NE(e, nullptr);
  EXPECT_DOUBLE_EQ(e->strength, 1.0);
  auto le = public_cert();
  le.not_before = kT0 - kDay;
  le.not_after = kT0 + 5 * kDay;
  le.validity_days = 6;
  e = find_evidence(run_cert(le), "cert.short_validity");
  ASSERT_NE(e, nullptr);
  EXPECT_LT(e->strength, 0.5);
  EXPECT_EQ(find_evidence(run_cert(public_cert()), "cert.short_validity"), nullptr);
}

TEST(CertNewlyIssued, RelativeToFirstUse) {
  auto fresh = make_certificate("CN=abc", "abc", true, kT0 - kDay / 2, kT0 + 365 * kDay);
  EXPECT_NE(find_evidence(run_cert(fresh, "abc"), "cert.newly_issued"), nullptr);
  EXPECT_EQ(find_evidence(run_cert(public_cert()), "cert.newly_issued"), nullptr);
}

TEST(CertExpired, ExpiredAndNotYetValid) {
  auto expired = public_cert();
  expired.not_after = kT0 - 10 * kDay;
  auto e = find_evidence(run_cert(expired), "cert.expired");
  ASSERT_NE(e, nullptr);
  EXPECT_NE(e->detail.find("10 days"), std::string::npos);
  auto future = public_cert();
  future.not_before = kT0 + kDay;
  EXPECT_NE(find_evidence(run_cert(future), "cert.expired"), nullptr);
  EXPECT_EQ(find_evidence(run_cert(public_cert()), "cert.expired"), nullptr);
}

TEST(CertNameMismatch, WildcardCoversOneLabel) {
  EXPECT_EQ(find_evidence(run_cert(public_cert(), "www.example.com"), "cert.name_mismatch"), nullptr);
  EXPECT_NE(find_evidence(run_cert(public_cert(), "a.b.example.com"), "cert.name_mismatch"), nullptr);
  EXPECT_NE(find_evidence(run_cert(public_cert(), "evil.test"), "cert.name_mismatch"), nullptr);
  auto f = run_cert(public_cert(), "");
  EXPECT_TRUE(not_evaluated(f, "cert.name_mismatch"));
  auto cn_only = make_certificate("CN=host.example", "host.example", false);
  EXPECT_EQ(find_evidence(run_cert(cn_only, "host.example"), "cert.name_mismatch"), nullptr);
}

TEST(CertDefaultSubject, KnownDefaults) {
  auto widgits = make_certificate("O=Internet Widgits Pty Ltd,ST=Some-State,C=AU", "", true);
  EXPECT_NE(find_evidence(run_cert(widgits, ""), "cert.default_subject"), nullptr);
  auto localhost = make_certificate("CN=localhost", "localhost", true);
  EXPECT_NE(find_evidence(run_cert(localhost, ""), "cert.default_subject"), nullptr);
  auto empty = make_certificate("", "", true);
  EXPECT_NE(find_evidence(run_cert(empty, ""), "cert.default_subject"), nullptr);
  auto cs = make_certificate("CN=Major Cobalt Strike,OU=AdvancedPenTesting,O=cobaltstrike,L=Somewhere,ST=Cyberspace,C=Earth",
                             "Major Cobalt Strike", true);
  EXPECT_NE(find_evidence(run_cert(cs, ""), "cert.default_subject"), nullptr);
  auto serial = public_cert();
  serial.serial_hex = "8BB00EE";
  auto e = find_evidence(run_cert(serial), "cert.default_subject");
  ASSERT_NE(e, nullptr);
  EXPECT_NE(e->detail.find("8BB00EE"), std::string::npos);
  EXPECT_EQ(find_evidence(run_cert(public_cert()), "cert.default_subject"), nullptr);
}

TEST(CertSignals, Tls13EncryptedCertificateIsNotEvaluated) {
  SignalHarness h;
  auto b = ConnectionBuilder("10.0.0.5", "203.0.113.7", 443).tls();
  b.raw().tls->certificates_encrypted = true;
  h.add(b.build());
  auto f = h.only();
  for (const char* id : {"cert.self_signed", "cert.expired", "cert.default_subject", "intel.certificate"})
    EXPECT_TRUE(not_evaluated(f, id)) << id;
}

}  // namespace
}  // namespace c2hunt::testing

#include <gtest/gtest.h>

#include "signals/record_builder.h"
#include "signals/signal_harness.h"

namespace c2hunt::testing {
namespace {

signals::ChannelFindings run(const records::Connection& c) {
  SignalHarness h;
  h.add(c);
  return h.only();
}

TEST(TlsNoSni, FiresWithoutSniToPublicAddress) {
  auto f = run(ConnectionBuilder("10.0.0.5", "203.0.113.7", 443).tls("").build());
  auto e = find_evidence(f, "tls.no_sni");
  ASSERT_NE(e, nullptr);
  EXPECT_DOUBLE_EQ(e->strength, 1.0);
  EXPECT_NE(e->detail.find("203.0.113.7"), std::string::npos);
}

TEST(TlsNoSni, FiresOnIpLiteralSni) {
  auto f = run(ConnectionBuilder("10.0.0.5", "203.0.113.7", 443).tls("203.0.113.7").build());
  ASSERT_NE(find_evidence(f, "tls.no_sni"), nullptr);
}

TEST(TlsNoSni, SilentWithHostNameOrLocalDestination) {
  EXPECT_EQ(find_evidence(run(ConnectionBuilder("10.0.0.5", "203.0.113.7", 443).tls("example.com").build()), "tls.no_sni"),
            nullptr);
  auto local = run(ConnectionBuilder("10.0.0.5", "10.0.5.13", 443).tls("").build());
  EXPECT_EQ(find_evidence(local, "tls.no_sni"), nullptr);
  EXPECT_FALSE(not_evaluated(local, "tls.no_sni"));
}

TEST(TlsObsoleteHandshake, Sslv2RecordAndTls10Only) {
  ConnectionBuilder b("10.0.0.5", "203.0.113.7", 443);
  b.tls("x.example");
  b.hello().sslv2_record = true;
  auto e = find_evidence(run(b.build()), "tls.obsolete_handshake");
  ASSERT_NE(e, nullptr);
  EXPECT_NE(e->detail.find("SSLv2"), std::string::npos) << e->detail;

  ConnectionBuilder old("10.0.0.5", "203.0.113.7", 443);
  old.tls("x.example");
  old.hello().legacy_version = 0x0301;
  old.hello().supported_versions.clear();
  e = find_evidence(run(old.build()), "tls.obsolete_handshake");
  ASSERT_NE(e, nullptr);
  EXPECT_NE(e->detail.find("TLS 1.0"), std::string::npos);
}

TEST(TlsObsoleteHandshake, AtypicalStructureAndModernPass) {
  ConnectionBuilder bare("10.0.0.5", "203.0.113.7", 443);
  bare.tls("x.example");
  bare.hello().extensions.clear();
  bare.hello().supported_versions.clear();
  EXPECT_NE(find_evidence(run(bare.build()), "tls.obsolete_handshake"), nullptr);
  EXPECT_EQ(find_evidence(run(ConnectionBuilder("10.0.0.5", "203.0.113.7", 443).tls().build()), "tls.obsolete_handshake"),
            nullptr);
}

TEST(TlsObsoleteHandshake, NotEvaluatedWithoutRawLists) {
  ConnectionBuilder logged("10.0.0.5", "203.0.113.7", 443);
  logged.tls("x.example");
  logged.hello().cipher_suites.clear();  // a log source: fingerprints but no raw lists
  auto f = run(logged.build());
  EXPECT_EQ(find_evidence(f, "tls.obsolete_handshake"), nullptr);
  EXPECT_TRUE(not_evaluated(f, "tls.obsolete_handshake"));
}

TEST(TlsNonstandardPort, FiresOn8080NotOn443) {
  auto e = find_evidence(run(ConnectionBuilder("10.0.0.5", "10.0.5.13", 8080).tls().build()), "tls.nonstandard_port");
  ASSERT_NE(e, nullptr);
  EXPECT_NE(e->detail.find("8080"), std::string::npos);
  EXPECT_EQ(find_evidence(run(ConnectionBuilder("10.0.0.5", "10.0.5.13", 443).tls().build()), "tls.nonstandard_port"),
            nullptr);
}

TEST(TlsNotTlsOnTlsPort, HttpOn443Fires) {
  auto c = ConnectionBuilder("10.0.0.5", "203.0.113.7", 443)
               .payload(text_bytes("GET / HTTP/1.1\r\nHost: a\r\n\r\n"), text_bytes("HTTP/1.1 200 OK\r\n\r\n"))
               .build();
  auto e = find_evidence(run(c), "tls.not_tls_on_tls_port");
  ASSERT_NE(e, nullptr);
  EXPECT_NE(e->detail.find("http"), std::string::npos) << e->detail;
}

TEST(TlsNotTlsOnTlsPort, RandomBytesOn443FireTlsRecordDoesNot) {
  auto random = ConnectionBuilder("10.0.0.5", "203.0.113.7", 443).payload(random_bytes(200, 1), random_bytes(200, 2)).build();
  EXPECT_NE(find_evidence(run(random), "tls.not_tls_on_tls_port"), nullptr);
  std::vector<uint8_t> record = {0x16, 0x03, 0x01, 0x00, 0x40, 0x01};
  record.resize(80, 0x11);
  auto tlsish = ConnectionBuilder("10.0.0.5", "203.0.113.7", 443).payload(record, record).build();
  EXPECT_EQ(find_evidence(run(tlsish), "tls.not_tls_on_tls_port"), nullptr);
  // Not a TLS port: nothing to say.
  auto other = ConnectionBuilder("10.0.0.5", "203.0.113.7", 8081).payload(random_bytes(200, 3), random_bytes(200, 4)).build();
  EXPECT_EQ(find_evidence(run(other), "tls.not_tls_on_tls_port"), nullptr);
}

TEST(TlsNotTlsOnTlsPort, NotEvaluatedWithoutPayloadSample) {
  auto f = run(ConnectionBuilder("10.0.0.5", "203.0.113.7", 443).build());
  EXPECT_TRUE(not_evaluated(f, "tls.not_tls_on_tls_port"));
}

}  // namespace
}  // namespace c2hunt::testing

// Zeek logs from ../shared/data: all three dialects parse with zero errors and the joins give
// the certificate facts of the known C2 channels (ground truth in SOURCES.md).
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "c2hunt/sources/zeek/zeek_source.h"
#include "sources/zeek/recording_consumer.h"
#include "test_support.h"

namespace c2hunt::zeek {
namespace {

using testing::RecordingConsumer;
using testing::shared_data_path;

// Data lines of a log file (TSV rows or JSON lines), counted independently of the parser.
uint64_t data_lines(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  uint64_t n = 0;
  while (std::getline(in, line))
    if (!line.empty() && line[0] != '#') ++n;
  return n;
}

struct LogRun {
  RecordingConsumer out;
  Counters counters;
  Diagnostics diagnostics{stderr};
  void read(const std::string& dir) {
    ZeekSource source(out, counters, diagnostics);
    EXPECT_TRUE(source.read_path(dir));
    source.finish();
  }
};

TEST(ZeekSharedData, Apt29ShipperJsonJoinsSelfSignedCertificates) {
  C2HUNT_REQUIRE_SHARED_DATA();
  const std::string dir = shared_data_path("zeek/otrf-apt29-day1-nashua");
  ASSERT_TRUE(ZeekSource::looks_like_zeek_log(dir));
  LogRun run;
  run.read(dir);
  EXPECT_EQ(run.diagnostics.errors(), 0u);
  EXPECT_EQ(run.counters.get("zeek.lines_malformed"), 0u);
  EXPECT_EQ(run.counters.get("zeek.conn_rows"), data_lines(dir + "/conn.log"));
  EXPECT_EQ(run.counters.get("zeek.ssl_rows"), data_lines(dir + "/ssl.log"));
  EXPECT_EQ(run.counters.get("zeek.x509_rows"), data_lines(dir + "/x509.log"));
  EXPECT_EQ(run.counters.get("zeek.ssl_certificate_not_in_x509"), 0u);

  size_t c2 = 0;
  for (const auto& c : run.out.connections) {
    EXPECT_EQ(c.source, "zeek");
    EXPECT_FALSE(c.uid.empty());
    if (c.resp.ip.to_string() != "192.168.0.4" || c.resp.port != 8443) continue;
    ASSERT_TRUE(c.tls) << c.uid;
    EXPECT_EQ(c.orig.ip.to_string(), "10.0.1.6");
    EXPECT_EQ(c.transport, records::Transport::tcp);
    EXPECT_EQ(c.tls->negotiated_version(), 0x0303);
    ASSERT_EQ(c.tls->certificates.size(), 1u) << c.uid;
    const auto& cert = *c.tls->certificates[0];
    EXPECT_NE(cert.subject.find("O=Rempel Group"), std::string::npos) << cert.subject;
    EXPECT_EQ(cert.subject, cert.issuer);
    EXPECT_EQ(cert.subject_cn, "rempel.group.net");
    EXPECT_FALSE(cert.self_signed.has_value());  // a log cannot verify a signature
    EXPECT_TRUE(cert.not_before && cert.not_after);
    EXPECT_EQ(cert.sha1.size(), 40u);
    ASSERT_FALSE(c.tls->client_hellos.empty());
    EXPECT_EQ(c.tls->client_hellos[0].ja3.size(), 32u);
    EXPECT_EQ(c.tls->server_hellos[0].ja3s.size(), 32u);
    EXPECT_NE(c.tls->server_hellos[0].cipher_suite, 0);
    ++c2;
  }
  EXPECT_EQ(c2, 376u);  // SOURCES.md: 376 sessions, all joined from conn.log
  size_t with_answers = 0;
  for (const auto& d : run.out.dns)
    if (!d.addresses.empty()) {
      ++with_answers;
      EXPECT_GT(d.min_ttl, 0u);
      EXPECT_EQ(d.source, "zeek");
    }
  EXPECT_GT(with_answers, 0u);
}

TEST(ZeekSharedData, MetasploitTsvJoinsCertificateByFingerprint) {
  C2HUNT_REQUIRE_SHARED_DATA();
  const std::string dir = shared_data_path("zeek/otrf-msf-lsass01");
  LogRun run;
  run.read(dir);
  EXPECT_EQ(run.diagnostics.errors(), 0u);
  EXPECT_EQ(run.counters.get("zeek.lines_malformed"), 0u);
  EXPECT_EQ(run.counters.get("zeek.conn_rows"), data_lines(dir + "/conn.log"));
  EXPECT_EQ(run.counters.get("zeek.ssl_rows"), data_lines(dir + "/ssl.log"));
  EXPECT_EQ(run.counters.get("zeek.dns_rows"), data_lines(dir + "/dns.log"));
  size_t tls = 0, with_cert = 0;
  for (const auto& c : run.out.connections) {
    if (c.resp.ip.to_string() != "10.0.5.13" || c.resp.port != 8080 || !c.tls) continue;
    ++tls;
    uint16_t v = c.tls->negotiated_version();
    EXPECT_TRUE(v == 0x0303 || v == 0x0301) << v;
    // Zeek only saw the server side (ssl_history without C): no ClientHello facts are invented.
    EXPECT_TRUE(c.tls->client_hellos.empty());
    if (c.tls->certificates.empty()) continue;
    ++with_cert;
    const auto& cert = *c.tls->certificates[0];
    EXPECT_EQ(cert.subject,
              "emailAddress=quantify@prosacco.sons.com,CN=prosacco.sons.com,OU=quantify,O=Prosacco and Sons,ST=MA,C=US");
    EXPECT_EQ(cert.issuer, cert.subject);
    EXPECT_EQ(cert.serial_hex, "CEFE76A8C836DF6E");
    EXPECT_EQ(cert.sha256, "b765518127e58d334a3596a6572a09fa727d59c86214c4eb8f499a141ac15579");
    ASSERT_TRUE(cert.not_before && cert.not_after);
    EXPECT_EQ(*cert.not_before, 1642247370LL * kMicrosPerSecond);
    EXPECT_EQ(*cert.not_after, 1926071370LL * kMicrosPerSecond);
    EXPECT_EQ(cert.key_type, "rsa");
    EXPECT_EQ(cert.key_bits, 2048);
    EXPECT_EQ(cert.is_ca, std::optional<bool>(true));
  }
  EXPECT_EQ(tls, 5u);        // SOURCES.md: 5 ssl.log rows
  EXPECT_EQ(with_cert, 4u);  // one row has no cert_chain_fps
}

TEST(ZeekSharedData, RitaJsonParsesWithZeroErrors) {
  C2HUNT_REQUIRE_SHARED_DATA();
  const std::string dir = shared_data_path("zeek/rita-json");
  LogRun run;
  run.read(dir);
  EXPECT_EQ(run.diagnostics.errors(), 0u);
  EXPECT_EQ(run.counters.get("zeek.lines_malformed"), 0u);
  EXPECT_EQ(run.counters.get("zeek.conn_rows"), data_lines(dir + "/conn.log"));
  EXPECT_EQ(run.counters.get("zeek.ssl_rows"), data_lines(dir + "/ssl.log"));
  EXPECT_EQ(run.counters.get("zeek.ssl_joined_to_conn"), data_lines(dir + "/ssl.log"));
  size_t with_sni = 0;
  for (const auto& c : run.out.connections)
    if (c.tls && c.tls->client_hello() && c.tls->client_hello()->has_sni_extension) {
      ++with_sni;
      EXPECT_FALSE(c.tls->certificates.empty());  // subject/issuer from ssl.log (no x509.log here)
    }
  EXPECT_EQ(with_sni, data_lines(dir + "/ssl.log"));
}

TEST(ZeekSharedData, SingleFilesInAnyOrderJoinTheSame) {
  C2HUNT_REQUIRE_SHARED_DATA();
  const std::string dir = shared_data_path("zeek/otrf-msf-lsass01");
  RecordingConsumer out;
  Counters counters;
  Diagnostics diagnostics;
  ZeekSource source(out, counters, diagnostics);
  EXPECT_TRUE(source.read_path(dir + "/conn.log"));
  EXPECT_TRUE(source.read_path(dir + "/ssl.log"));
  EXPECT_TRUE(source.read_path(dir + "/x509.log"));
  EXPECT_FALSE(source.read_path(dir + "/http.log"));  // not a log c2hunt reads: reported, skipped
  source.finish();
  EXPECT_EQ(counters.get("zeek.ssl_joined_to_conn"), 5u);
  EXPECT_EQ(counters.get("zeek.ssl_without_conn"), 0u);
}

}  // namespace
}  // namespace c2hunt::zeek

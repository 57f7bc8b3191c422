// Records in, alerts out: hand-built channels shaped like the C2 families in the shared captures and
// like benign traffic, through the same engine `c2hunt scan` runs.
#include <gtest/gtest.h>

#include <cstdio>

#include "c2hunt/pipeline/scan_job.h"
#include "signals/record_builder.h"

namespace c2hunt::testing {
namespace {

class Engine {
 public:
  explicit Engine(const std::string& intel_csv = "") : diagnostics_(std::tmpfile()) {
    if (!intel_csv.empty()) intel_.load_text(intel_csv, "test-intel.csv", diagnostics_, counters_);
    engine_ = std::make_unique<pipeline::ScanEngine>(config_, intel_, counters_, diagnostics_);
  }
  void add(records::Connection c) { engine_->on_connection(std::move(c)); }
  void add_dns(records::DnsResolution d) { engine_->on_dns(std::move(d)); }
  std::vector<scoring::ScoredChannel> finish() { return engine_->finish(); }
  Counters& counters() { return counters_; }

 private:
  config::ScanConfig config_ = config::default_config();
  signals::IntelDb intel_;
  Counters counters_;
  Diagnostics diagnostics_;
  std::unique_ptr<pipeline::ScanEngine> engine_;
};

bool has(const scoring::ScoredChannel& a, const std::string& id) {
  for (const auto& e : a.evidence)
    if (e.signal == id) return true;
  return false;
}

records::Connection rat_connection(int i, const char* server, uint16_t port, records::Certificate cert) {
  return ConnectionBuilder("10.0.2.15", server, port)
      .tls("")
      .certificate(std::move(cert))
      .at(kT0 + i * 47 * kMicrosPerSecond, 20 * kMicrosPerSecond)
      .build();
}

TEST(ScanEngine, RatLikeChannelSelfSignedNoSniOddPort) {
  const std::string sha1 = "19e664f09401bf648b6ea57719e34ad795f3b6cb";
  Engine e("SHA1,ListingReason,ListingDate\n" + sha1 + ",AsyncRAT C&C,12/22/2023 6:58\n");
  auto cert = make_certificate("CN=AsyncRAT Server", "AsyncRAT Server", true, kT0 - 30 * kDay, kT0 + 3650 * kDay);
  cert.sha1 = sha1;
  for (int i = 0; i < 3; ++i) e.add(rat_connection(i, "198.51.100.20", 6606, cert));
  auto alerts = e.finish();
  ASSERT_EQ(alerts.size(), 1u);
  const auto& a = alerts.front();
  EXPECT_GE(a.level, config::Level::high) << a.score;
  for (const char* id : {"cert.self_signed", "tls.no_sni", "tls.nonstandard_port", "intel.certificate"})
    EXPECT_TRUE(has(a, id)) << id;
  EXPECT_EQ(a.subtechnique, "T1573.002");
}

TEST(ScanEngine, SslV2HelloExpiredCertificateToPublicIp) {
  Engine e;
  auto b = ConnectionBuilder("10.0.2.15", "203.0.113.50", 443).tls("");
  b.hello().sslv2_record = true;
  b.hello().legacy_version = 0x0301;
  b.certificate(make_certificate("CN=random", "random", false, kT0 - 400 * kDay, kT0 - 30 * kDay));
  e.add(b.build());
  auto alerts = e.finish();
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_GE(alerts[0].level, config::Level::medium);
  for (const char* id : {"tls.obsolete_handshake", "tls.no_sni", "cert.expired"}) EXPECT_TRUE(has(alerts[0], id)) << id;
}

TEST(ScanEngine, LocalServerSelfSignedOn8080) {
  Engine e;
  e.add(ConnectionBuilder("10.0.5.20", "10.0.5.13", 8080)
            .tls("")
            .certificate(make_certificate("CN=acme.example,O=Acme", "acme.example", true))
            .build());
  auto alerts = e.finish();
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_GE(alerts[0].level, config::Level::medium) << alerts[0].score;
  EXPECT_TRUE(has(alerts[0], "cert.self_signed"));
  EXPECT_TRUE(has(alerts[0], "tls.nonstandard_port"));
  EXPECT_FALSE(has(alerts[0], "tls.no_sni"));  // a local destination is not "a public address"
}

TEST(ScanEngine, CustomCryptoIsSymmetricSubtechnique) {
  Engine e;
  e.add_dns(dns_answer("10.0.2.15", "benign.example", {"198.51.100.1"}));
  e.add(ConnectionBuilder("10.0.2.15", "203.0.113.9", 4444).payload(random_bytes(256, 1), random_bytes(256, 2)).build());
  auto alerts = e.finish();
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_TRUE(has(alerts[0], "crypto.custom"));
  EXPECT_TRUE(has(alerts[0], "dest.no_dns"));
  EXPECT_EQ(alerts[0].subtechnique, "T1573.001");
  EXPECT_GE(alerts[0].level, config::Level::medium) << alerts[0].score;
}

TEST(ScanEngine, OrdinaryHttpsGivesNothingAtMedium) {
  Engine e;
  e.add_dns(dns_answer("10.0.2.15", "www.example.com", {"93.184.216.34"}));
  for (int i = 0; i < 8; ++i) {
    auto cert = make_certificate("CN=www.example.com,O=Example", "www.example.com", false);
    cert.san_dns = {"www.example.com", "example.com"};
    e.add(ConnectionBuilder("10.0.2.15", "93.184.216.34", 443)
              .tls("www.example.com")
              .certificate(cert)
              .at(kT0 + i * 900 * kMicrosPerSecond + (i * i * 7919 % 600) * kMicrosPerSecond)
              .bytes(700 + 300 * i, 30'000 + 9'000 * i)
              .build());
  }
  for (const auto& a : e.finish()) EXPECT_LT(a.level, config::Level::medium) << a.channel->key.to_string() << " " << a.score;
}

TEST(ScanEngine, PublicOriginatorsAreTreatedAsLocalAndSaidSo) {
  Engine e;
  e.add(ConnectionBuilder("198.51.100.77", "203.0.113.9", 8443).tls("").certificate(make_certificate("CN=x", "x", true)).build());
  auto alerts = e.finish();
  EXPECT_EQ(alerts.size(), 1u);
  EXPECT_EQ(e.counters().get("scope.inputs_with_all_originators_treated_local"), 1u);
}

TEST(ScanEngine, OutputOrderIsDeterministic) {
  auto run = [] {
    Engine e;
    for (const char* dst : {"203.0.113.3", "203.0.113.1", "203.0.113.2"})
      e.add(ConnectionBuilder("10.0.2.15", dst, 8443).tls("").certificate(make_certificate("CN=x", "x", true)).build());
    e.add(ConnectionBuilder("10.0.2.15", "203.0.113.4", 9001).tls("").build());
    std::vector<std::string> keys;
    for (const auto& a : e.finish()) keys.push_back(a.channel->key.to_string());
    return keys;
  };
  auto first = run();
  EXPECT_EQ(first, run());
  ASSERT_EQ(first.size(), 4u);
  EXPECT_NE(first.back().find("203.0.113.4"), std::string::npos);  // fewest signals last
}

}  // namespace
}  // namespace c2hunt::testing

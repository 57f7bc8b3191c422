#include <gtest/gtest.h>

#include <cstdio>

#include "c2hunt/config/embedded_resources.h"
#include "signals/record_builder.h"
#include "signals/signal_harness.h"
#include "test_support.h"

namespace c2hunt::testing {
namespace {

struct Loaded {
  signals::IntelLoadResult result;
  uint64_t errors = 0, warnings = 0;
};

Loaded load(signals::IntelDb& db, const std::string& text) {
  Diagnostics d(std::tmpfile());
  Counters counters;
  Loaded l;
  l.result = db.load_text(text, "test.csv", d, counters);
  l.errors = d.errors();
  l.warnings = d.warnings();
  EXPECT_EQ(counters.get("intel.bad_lines"), l.result.bad_lines);
  return l;
}

TEST(IntelDb, SslblJa3WithCommentedHeader) {
  signals::IntelDb db;
  auto l = load(db,
                "################\n# abuse.ch\n#\n# ja3_md5,Firstseen,Lastseen,Listingreason\n"
                "b386946a5a44d1ddcc843bc75336dfce,2017-07-14 18:08:15,2019-07-27 20:42:54,Dridex\n"
                "not-hex,2017-07-14 18:08:15,2019-07-27 20:42:54,Broken\n"
                "# 2 entries\n");
  EXPECT_TRUE(l.result.recognised);
  EXPECT_EQ(l.result.loaded, 1u);
  EXPECT_EQ(l.result.bad_lines, 1u);
  auto hit = db.find(signals::IntelKind::ja3, "B386946A5A44D1DDCC843BC75336DFCE");
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->name, "Dridex");
}

TEST(IntelDb, SslblCertificateCsv) {
  signals::IntelDb db;
  auto l = load(db,
                "# abuse.ch SSLBL\n# Listingdate,SHA1,Listingreason\n"
                "2024-09-02 06:17:52,4da14224452c1fe61f46b1112c43ecfd9f322c82,Rhadamanthys C&C\n");
  EXPECT_EQ(l.result.loaded, 1u);
  EXPECT_TRUE(db.find(signals::IntelKind::cert_sha1, "4da14224452c1fe61f46b1112c43ecfd9f322c82"));
}

TEST(IntelDb, ReformattedCertificateCsvWithBomAndCrlf) {
  signals::IntelDb db;
  auto l = load(db,
                "\xEF\xBB\xBFSHA1,ListingReason,ListingDate\r\n"
                "19e664f09401bf648b6ea57719e34ad795f3b6cb,AsyncRAT C&C,12/22/2023 6:58\r\n"
                "short,AsyncRAT C&C,12/22/2023 6:58\r\n"
                "27c2d8e9f11c1a83af9e5e01c8476b1e832ab4c8\r\n");
  EXPECT_EQ(l.result.loaded, 1u);
  EXPECT_EQ(l.result.bad_lines, 2u);
  auto hit = db.find(signals::IntelKind::cert_sha1, "19e664f09401bf648b6ea57719e34ad795f3b6cb");
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->name, "AsyncRAT C&C");
}

TEST(IntelDb, OwnFormatAllKinds) {
  signals::IntelDb db;
  auto l = load(db,
                "type,value,name,source\n"
                "ja4x,2166164053c1_2166164053c1_30d204a01551,Cobalt Strike,https://example.org/a\n"
                "cert_serial,08bb00ee,Cobalt Strike serial,https://example.org/b\n"
                "ja3s,623de93db17d313345d7ea481e7443cf,Trickbot,https://example.org/c\n"
                "md5,623de93db17d313345d7ea481e7443cf,Unknown type,https://example.org/d\n");
  EXPECT_EQ(l.result.loaded, 3u);
  EXPECT_EQ(l.result.bad_lines, 1u);
  EXPECT_TRUE(db.find(signals::IntelKind::ja4x, "2166164053c1_2166164053c1_30d204a01551"));
  EXPECT_TRUE(db.find(signals::IntelKind::cert_serial, "8BB00EE"));  // leading zero dropped, uppercased
}

TEST(IntelDb, UnknownHeaderIsAnError) {
  signals::IntelDb db;
  auto l = load(db, "foo,bar\n1,2\n");
  EXPECT_FALSE(l.result.recognised);
  EXPECT_GT(l.errors, 0u);
}

TEST(IntelDb, CuratedListLoadsCleanly) {
  signals::IntelDb db;
  auto l = load(db, config::kCuratedIntelCsv);
  EXPECT_TRUE(l.result.recognised);
  EXPECT_EQ(l.result.bad_lines, 0u);
  EXPECT_TRUE(db.find(signals::IntelKind::cert_sha1, "6ece5ece4192683d2d84e25b0ba7e04f9cb7eb7c"));
  EXPECT_TRUE(db.find(signals::IntelKind::cert_serial, "8BB00EE"));
}

TEST(IntelDb, SharedAbuseChFiles) {
  C2HUNT_REQUIRE_SHARED_DATA();
  Diagnostics d(std::tmpfile());
  Counters counters;
  signals::IntelDb ja3;
  auto r = ja3.load_file(shared_data_path("intel/abusech-sslbl-ja3_2020-04-09.csv"), d, counters);
  EXPECT_EQ(r.loaded, 98u);
  EXPECT_EQ(r.bad_lines, 0u);
  signals::IntelDb certs;
  r = certs.load_file(shared_data_path("intel/abusech-sslbl-cert-sha1_2023-12-22.csv"), d, counters);
  EXPECT_EQ(r.loaded, 5565u);
  EXPECT_EQ(r.bad_lines, 0u);
}

TEST(IntelSignals, FingerprintAndCertificateMatches) {
  SignalHarness h;
  Diagnostics d(std::tmpfile());
  h.intel.load_text("type,value,name,source\n"
                    "ja3,ada70206e40642a3e4461f35503241d5,TestBot,https://example.org\n"
                    "cert_sha1,00112233445566778899aabbccddeeff00112233,TestBot C2,https://example.org\n",
                    "t.csv", d, h.counters);
  h.add(ConnectionBuilder("10.0.0.5", "203.0.113.7", 443).tls().certificate(make_certificate("CN=a", "a", true)).build());
  auto f = h.only();
  auto fp = find_evidence(f, "intel.fingerprint");
  ASSERT_NE(fp, nullptr);
  EXPECT_NE(fp->detail.find("TestBot"), std::string::npos);
  EXPECT_LT(fp->strength, 1.0);  // a client JA3 alone is weaker than a server-side match
  ASSERT_NE(find_evidence(f, "intel.certificate"), nullptr);
}

TEST(IntelSignals, ListedClientCertificateOfMutualTlsMatches) {
  SignalHarness h;
  Diagnostics d(std::tmpfile());
  h.intel.load_text("type,value,name,source\n"
                    "cert_sha1,ffeeddccbbaa99887766554433221100ffeeddcc,Implant cert,https://example.org\n",
                    "t.csv", d, h.counters);
  records::Certificate implant = make_certificate("CN=implant", "implant", true);
  implant.sha1 = "ffeeddccbbaa99887766554433221100ffeeddcc";
  records::Connection c =
      ConnectionBuilder("10.0.0.5", "203.0.113.7", 8888).tls().certificate(make_certificate("CN=srv", "srv", true)).build();
  c.tls->client_certificates.push_back({0, std::make_shared<const records::Certificate>(implant)});
  h.add(std::move(c));
  auto f = h.only();
  auto hit = find_evidence(f, "intel.certificate");
  ASSERT_NE(hit, nullptr);
  EXPECT_NE(hit->detail.find("client certificate SHA-1 ffeeddcc"), std::string::npos) << hit->detail;
  EXPECT_NE(hit->detail.find("Implant cert"), std::string::npos) << hit->detail;
}

TEST(IntelSignals, NoMatchNoEvidence) {
  SignalHarness h;
  h.add(ConnectionBuilder("10.0.0.5", "203.0.113.7", 443).tls().certificate(make_certificate("CN=a", "a", false)).build());
  auto f = h.only();
  EXPECT_EQ(find_evidence(f, "intel.fingerprint"), nullptr);
  EXPECT_EQ(find_evidence(f, "intel.certificate"), nullptr);
  EXPECT_FALSE(not_evaluated(f, "intel.certificate"));
}

}  // namespace
}  // namespace c2hunt::testing

// Suricata eve.json: the shared files (Suricata 7.0.10 on the shared pcaps) parse with zero errors,
// event counts match SOURCES.md, tls events join their flows; hand-built lines for the mappings.
#include "c2hunt/sources/suricata/eve_source.h"
#include "c2hunt/sources/zeek/zeek_source.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "sources/zeek/recording_consumer.h"
#include "test_support.h"

namespace c2hunt::suricata {
namespace {

using testing::RecordingConsumer;

struct EveRun {
  RecordingConsumer out;
  Counters counters;
  Diagnostics diagnostics{stderr};
  void read(const std::string& path) {
    EveSource source(out, counters, diagnostics);
    EXPECT_TRUE(source.read_path(path));
    source.finish();
  }
  void read_text(const std::string& text) {
    EveSource source(out, counters, diagnostics);
    source.read_text("test.eve.json", text);
    source.finish();
  }
};

TEST(EveSharedData, AllFilesParseAndTlsCountsMatchSources) {
  C2HUNT_REQUIRE_SHARED_DATA();
  struct Expect {
    const char* file;
    uint64_t dns, flow, tls;
  };
  // The event table of SOURCES.md (suricata/ section).
  const Expect expected[] = {
      {"async__asyncrat_cd010953-5faf-4054-86be-58c020c3a532.pcap.eve.json", 6, 49, 1},
      {"async__dcrat_30a385ed-171e-4f15-ac3f-08c96be7bfd1.pcap.eve.json", 40, 94, 15},
      {"otrf__msf-lsass01-metasploit_logonpasswords.pcapng.eve.json", 318, 122, 5},
      {"slips__test-cc-capture-1.pcap.eve.json", 0, 299, 299},
      {"ja4__tls-handshake.pcapng.eve.json", 0, 79, 0},
      {"zeek__tls1.2.pcap.eve.json", 0, 1, 1},
      {"sv__tls-glupteba.pcap.eve.json", 0, 1, 1},
      {"ja4__browsers-x509.pcapng.eve.json", 0, 3, 3},
  };
  for (const auto& e : expected) {
    SCOPED_TRACE(e.file);
    std::string path = testing::shared_data_path(std::string("suricata/") + e.file);
    EXPECT_TRUE(EveSource::looks_like_eve(path));
    EXPECT_FALSE(zeek::ZeekSource::looks_like_zeek_log(path));
    EveRun run;
    run.read(path);
    EXPECT_EQ(run.diagnostics.errors(), 0u);
    EXPECT_EQ(run.counters.get("suricata.lines_malformed"), 0u);
    EXPECT_EQ(run.counters.get("suricata.dns_events"), e.dns);
    EXPECT_EQ(run.counters.get("suricata.flow_events"), e.flow);
    EXPECT_EQ(run.counters.get("suricata.tls_events"), e.tls);
    EXPECT_EQ(run.counters.get("suricata.tls_joined_to_flow"), e.tls);
    EXPECT_EQ(run.counters.get("suricata.tls_without_flow"), 0u);
    size_t with_tls = 0;
    for (const auto& c : run.out.connections) {
      EXPECT_EQ(c.source, "suricata");
      EXPECT_FALSE(c.uid.empty());
      with_tls += c.tls.has_value();
    }
    EXPECT_EQ(with_tls, e.tls);
  }
}

TEST(EveSharedData, ZeekLogsAreNotTakenForEve) {
  C2HUNT_REQUIRE_SHARED_DATA();
  for (const char* f : {"zeek/rita-json/conn.log", "zeek/otrf-apt29-day1-nashua/ssl.log", "zeek/otrf-msf-lsass01/conn.log"}) {
    EXPECT_FALSE(EveSource::looks_like_eve(testing::shared_data_path(f))) << f;
    EXPECT_TRUE(zeek::ZeekSource::looks_like_zeek_log(testing::shared_data_path(f))) << f;
  }
}

TEST(EveSharedData, MetasploitCertificateFactsAreNormalised) {
  C2HUNT_REQUIRE_SHARED_DATA();
  EveRun run;
  run.read(testing::shared_data_path("suricata/otrf__msf-lsass01-metasploit_logonpasswords.pcapng.eve.json"));
  size_t with_cert = 0;
  for (const auto& c : run.out.connections) {
    if (!c.tls || c.tls->certificates.empty()) continue;
    const auto& cert = *c.tls->certificates[0];
    if (cert.subject.find("O=Prosacco and Sons") == std::string::npos) continue;
    ++with_cert;
    EXPECT_TRUE(cert.subject.starts_with("emailAddress=quantify@prosacco.sons.com,CN=prosacco.sons.com,")) << cert.subject;
    EXPECT_EQ(cert.subject_cn, "prosacco.sons.com");
    EXPECT_EQ(cert.serial_hex, "CEFE76A8C836DF6E");  // as Zeek logs the same certificate
    EXPECT_EQ(cert.sha1.size(), 40u);
    EXPECT_FALSE(cert.self_signed.has_value());
    EXPECT_EQ(c.resp.port, 8080);
  }
  EXPECT_GT(with_cert, 0u);
}

TEST(EveSource, TlsEventMapsToHelloFactsAndCertificate) {
  EveRun run;
  run.read_text(
      R"({"timestamp":"2013-01-04T19:47:28.592113+0000","flow_id":77,"event_type":"tls","src_ip":"10.0.0.80","src_port":56637,"dest_ip":"68.233.76.12","dest_port":443,"proto":"TCP","tls":{"subject":"C=US, O=Taleo Inc., OU=Web, CN=*.taleo.net","issuerdn":"C=GB, O=COMODO CA Limited, CN=COMODO High-Assurance Secure Server CA","serial":"00:99:FA:A8","fingerprint":"33:67:a1:82:4a:60:13:c0:2a:3e:25:bb:e4:da:86:33:87:fa:f1:34","version":"TLS 1.3","notbefore":"2011-05-04T00:00:00","notafter":"2016-07-04T23:59:59","ja3":{"hash":"bd9c","string":"771,49200-49196,11-10-35,14-13,0-1-2"},"ja3s":{"hash":"c253","string":"771,4865,51-43"},"ja4":"t12i800500_15c493246000_3eafcbe19126"}}
{"timestamp":"2013-01-04T19:47:28.512314+0000","flow_id":77,"event_type":"flow","src_ip":"10.0.0.80","src_port":56637,"dest_ip":"68.233.76.12","dest_port":443,"proto":"TCP","app_proto":"tls","flow":{"pkts_toserver":13,"pkts_toclient":9,"bytes_toserver":1583,"bytes_toclient":6642,"start":"2013-01-04T19:47:28.512314+0000","end":"2013-01-04T19:47:31.807191+0000","state":"closed","reason":"shutdown"}}
)");
  EXPECT_EQ(run.diagnostics.errors(), 0u);
  ASSERT_EQ(run.out.connections.size(), 1u);
  const auto& c = run.out.connections[0];
  EXPECT_EQ(c.uid, "77");
  EXPECT_EQ(c.orig_stats.packets, 13u);
  EXPECT_EQ(c.resp_stats.ip_bytes, 6642u);
  EXPECT_EQ(c.duration(), 3294877);
  ASSERT_TRUE(c.tls);
  ASSERT_EQ(c.tls->client_hellos.size(), 1u);
  const auto& ch = c.tls->client_hellos[0];
  EXPECT_FALSE(ch.has_sni_extension);  // no extension 0 in the JA3 list
  EXPECT_EQ(ch.legacy_version, 0x0303);
  EXPECT_EQ(ch.ja3_string, "771,49200-49196,11-10-35,14-13,0-1-2");
  const auto& sh = c.tls->server_hellos[0];
  EXPECT_EQ(sh.cipher_suite, 4865);
  EXPECT_EQ(c.tls->negotiated_version(), 0x0304);
  EXPECT_EQ(sh.extensions, (std::vector<uint16_t>{51, 43}));
  const auto& cert = *c.tls->certificates.at(0);
  EXPECT_EQ(cert.subject, "CN=*.taleo.net,OU=Web,O=Taleo Inc.,C=US");
  EXPECT_EQ(cert.issuer, "CN=COMODO High-Assurance Secure Server CA,O=COMODO CA Limited,C=GB");
  EXPECT_EQ(cert.subject_cn, "*.taleo.net");
  EXPECT_EQ(cert.serial_hex, "99FAA8");
  EXPECT_EQ(cert.sha1, "3367a1824a6013c02a3e25bbe4da863387faf134");
  EXPECT_TRUE(cert.not_before && cert.not_after);
}

TEST(EveSource, SerialAndNameNormalisation) {
  EXPECT_EQ(serial_from_suricata("00:99:FA"), "99FA");
  EXPECT_EQ(serial_from_suricata("01"), "01");
  EXPECT_EQ(serial_from_suricata("0A:bc"), "0ABC");
  EXPECT_EQ(serial_from_suricata("00"), "00");
  EXPECT_EQ(rfc4514_from_suricata_dn("C=US, O=Foo, Inc., CN=a+b"), "CN=a\\+b,O=Foo\\, Inc.,C=US");
  EXPECT_EQ(rfc4514_from_suricata_dn("Email=x@y, streetAddress=1 Road, CN=h"), "CN=h,street=1 Road,emailAddress=x@y");
}

TEST(EveSource, BadLinesAreCountedAndReportedOthersKept) {
  EveRun run;
  run.diagnostics.set_quiet(true);
  run.read_text(
      "{\"timestamp\":\"2024-02-26T17:40:13.852644+0000\",\"flow_id\":1,\"event_type\":\"dns\",\"src_ip\":\"192.168.100.20\","
      "\"src_port\":5,\"dest_ip\":\"192.168.100.2\",\"dest_port\":53,\"proto\":\"UDP\",\"dns\":{\"version\":2,\"type\":"
      "\"answer\",\"rrname\":\"Accounts.Google.com\",\"rrtype\":\"A\",\"rcode\":\"NOERROR\",\"answers\":[{\"rrname\":\"a\","
      "\"rrtype\":\"A\",\"ttl\":112,\"rdata\":\"74.125.71.84\"}]}}\n"
      "{\"truncated\n"
      "[1,2]\n"
      "{\"event_type\":\"flow\",\"flow_id\":3}\n");
  EXPECT_EQ(run.counters.get("suricata.lines_malformed"), 3u);
  EXPECT_EQ(run.diagnostics.errors(), 3u);
  ASSERT_EQ(run.out.dns.size(), 1u);
  EXPECT_EQ(run.out.dns[0].query, "accounts.google.com");
  EXPECT_EQ(run.out.dns[0].min_ttl, 112u);
  EXPECT_EQ(run.out.dns[0].addresses.at(0).to_string(), "74.125.71.84");
}

}  // namespace
}  // namespace c2hunt::suricata

// The same traffic through two doors: the capture path and the log path must agree.
// - The Metasploit run: its pcap and its Zeek logs (../shared/data/zeek/otrf-msf-lsass01) give the
//   Meterpreter channel to 10.0.5.13:8080 with the same 5-tuples, TLS versions, SNI and the
//   certificate facts Zeek logs (subject, issuer, serial, validity, fingerprint).
// - Every Suricata eve.json in ../shared/data/suricata read by the eve source gives the same TLS
//   connections (5-tuple, SNI, JA3, JA4, certificate subject, issuer, serial) as the pcap path.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "c2hunt/sources/suricata/eve_source.h"
#include "c2hunt/sources/zeek/zeek_source.h"
#include "c2hunt/util/diagnostics.h"
#include "capture_runner.h"
#include "test_support.h"

namespace c2hunt::testing {
namespace {

class Collect : public records::RecordConsumer {
 public:
  std::vector<records::Connection> connections;
  void on_connection(records::Connection&& c) override { connections.push_back(std::move(c)); }
};

std::string tuple(const records::Connection& c) {
  return std::string(records::transport_name(c.transport)) + " " + c.orig.ip.to_string() + ":" +
         std::to_string(c.orig.port) + " > " + c.resp.ip.to_string() + ":" + std::to_string(c.resp.port);
}

std::map<std::string, const records::Connection*> tls_by_tuple(const std::vector<records::Connection>& v) {
  std::map<std::string, const records::Connection*> out;
  for (const auto& c : v)
    if (c.tls && (c.tls->client_hello() || c.tls->server_hello())) out[tuple(c)] = &c;
  return out;
}

// In the Zeek log, validity times are local to the sensor (a constant whole-hour shift; see the
// x509 conformance test), so they are compared after removing that one shift.
TEST(LogsVsPcap, MetasploitChannelFromPcapAndFromZeekLogs) {
  C2HUNT_REQUIRE_SHARED_DATA();
  CaptureResult pcap = run_capture(shared_data_path("pcap/otrf__msf-lsass01-metasploit_logonpasswords.pcapng"));
  Collect zeek;
  Counters counters;
  Diagnostics diagnostics;
  zeek::ZeekSource source(zeek, counters, diagnostics);
  ASSERT_TRUE(source.read_path(shared_data_path("zeek/otrf-msf-lsass01")));
  source.finish();
  EXPECT_EQ(diagnostics.errors(), 0u);
  auto from_pcap = tls_by_tuple(pcap.connections);
  auto from_zeek = tls_by_tuple(zeek.connections);
  size_t compared = 0;
  std::optional<int64_t> shift;
  for (const auto& [key, z] : from_zeek) {
    if (z->resp.port != 8080 || z->resp.ip.to_string() != "10.0.5.13") continue;
    auto it = from_pcap.find(key);
    ASSERT_NE(it, from_pcap.end()) << "Zeek has " << key << ", the pcap path does not";
    const records::TlsSession& a = *it->second->tls;
    const records::TlsSession& b = *z->tls;
    ++compared;
    EXPECT_EQ(a.negotiated_version(), b.negotiated_version()) << key;
    bool sni_a = a.client_hello() && a.client_hello()->has_sni_extension;
    bool sni_b = b.client_hello() && b.client_hello()->has_sni_extension;
    EXPECT_EQ(sni_a, sni_b) << key;
    if (sni_a && sni_b) {
      EXPECT_EQ(a.client_hello()->server_name, b.client_hello()->server_name) << key;
    }
    if (b.certificates.empty()) continue;  // Zeek logs the chain once per server, not per session
    ASSERT_FALSE(a.certificates.empty()) << key;
    const records::Certificate& ca = *a.certificates[0];
    const records::Certificate& cb = *b.certificates[0];
    EXPECT_EQ(ca.subject, cb.subject) << key;
    EXPECT_EQ(ca.issuer, cb.issuer) << key;
    EXPECT_EQ(ca.serial_hex, cb.serial_hex) << key;
    EXPECT_EQ(ca.sha256, cb.sha256) << key;
    ASSERT_TRUE(ca.not_before && cb.not_before && ca.not_after && cb.not_after);
    if (!shift) shift = *cb.not_before - *ca.not_before;
    EXPECT_EQ(*shift % (3600 * kMicrosPerSecond), 0);
    EXPECT_EQ(*cb.not_before - *ca.not_before, *shift) << key;
    EXPECT_EQ(*cb.not_after - *ca.not_after, *shift) << key;
  }
  std::printf("Metasploit channel: %zu TLS connections to 10.0.5.13:8080 compared between pcap and Zeek logs\n", compared);
  EXPECT_GE(compared, 4u);
}

TEST(LogsVsPcap, SuricataEveSourceMatchesThePcapPath) {
  C2HUNT_REQUIRE_SHARED_DATA();
  namespace fs = std::filesystem;
  size_t compared = 0, files = 0;
  for (const auto& entry : fs::directory_iterator(shared_data_path("suricata"))) {
    std::string fname = entry.path().filename().string();
    if (fname.size() < 9 || fname.substr(fname.size() - 9) != ".eve.json") continue;
    ++files;
    CaptureResult pcap = run_capture(shared_data_path("pcap/" + fname.substr(0, fname.size() - 9)));
    Collect eve;
    Counters counters;
    Diagnostics diagnostics;
    suricata::EveSource source(eve, counters, diagnostics);
    ASSERT_TRUE(source.read_path(entry.path().string()));
    source.finish();
    EXPECT_EQ(diagnostics.errors(), 0u) << fname;
    auto from_pcap = tls_by_tuple(pcap.connections);
    for (const auto& [key, e] : tls_by_tuple(eve.connections)) {
      if (e->transport != records::Transport::tcp) continue;
      auto it = from_pcap.find(key);
      ASSERT_NE(it, from_pcap.end()) << fname << ": eve has " << key << ", the pcap path does not";
      const records::TlsSession& a = *it->second->tls;
      const records::TlsSession& b = *e->tls;
      ++compared;
      const auto* ha = a.client_hello();
      const auto* hb = b.client_hello();
      if (hb && ha) {
        if (hb->has_sni_extension) {
          EXPECT_EQ(ha->server_name, hb->server_name) << key;
        }
        if (!hb->ja3.empty() && !ha->sslv2_record) {
          EXPECT_EQ(ha->ja3, hb->ja3) << key;
        }
        // Suricata 7's JA4 differs only where the spec was fixed (trailing '_' without sigalgs):
        // compare the part before the extension hash, which no such difference touches.
        if (!hb->ja4.empty()) {
          EXPECT_EQ(ha->ja4.substr(0, 23), hb->ja4.substr(0, 23)) << key;
        }
      }
      if (!b.certificates.empty()) {
        ASSERT_FALSE(a.certificates.empty()) << key;
        EXPECT_EQ(a.certificates[0]->subject, b.certificates[0]->subject) << key;
        EXPECT_EQ(a.certificates[0]->issuer, b.certificates[0]->issuer) << key;
        EXPECT_EQ(a.certificates[0]->serial_hex, b.certificates[0]->serial_hex) << key;
        EXPECT_EQ(a.certificates[0]->sha1, b.certificates[0]->sha1) << key;
      }
    }
  }
  std::printf("Suricata eve source vs pcap path: %zu files, %zu TLS connections compared\n", files, compared);
  EXPECT_GT(compared, 300u);
}

}  // namespace
}  // namespace c2hunt::testing

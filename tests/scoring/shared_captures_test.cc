// Golden test on ../shared/data/pcap: every C2 channel of the ground-truth table in SOURCES.md alerts
// at medium or above with the evidence expected for it; the benign captures give nothing at medium
// or above, except zeek__tls-expired-cert.pcap (an expired certificate on a raw IP honestly scores
// medium: cert.expired + tls.no_sni = 58).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "scan_runner.h"
#include "test_support.h"

namespace c2hunt::testing {
namespace {

using Alert = ScanAlert;

std::vector<Alert> scan(const std::string& pcap, const std::string& extra = "") {
  ScanRun run = run_scan_binary({shared_data_path("pcap/" + pcap)}, extra);
  EXPECT_EQ(run.exit_code, 0) << pcap << ": " << run.stderr_text;
  return run.alerts;
}

void expect_c2(const std::string& pcap, const std::string& destination, const std::vector<std::string>& signals,
               const std::string& extra = "") {
  auto alerts = scan(pcap, extra);
  const Alert* found = nullptr;
  for (const auto& a : alerts)
    if (a.destination == destination) found = &a;
  ASSERT_NE(found, nullptr) << pcap << ": no alert for " << destination;
  EXPECT_TRUE(medium_or_above(*found)) << pcap << " " << destination << " scored " << found->severity;
  for (const auto& s : signals) EXPECT_TRUE(found->signals.count(s)) << pcap << ": missing " << s;
}

TEST(SharedCaptures, C2ChannelsAlertWithTheirEvidence) {
  C2HUNT_REQUIRE_SHARED_DATA();
  std::string cert_intel = "--intel '" + shared_data_path("intel/abusech-sslbl-cert-sha1_2023-12-22.csv") + "'";
  expect_c2("async__asyncrat_cd010953-5faf-4054-86be-58c020c3a532.pcap", "181.131.218.39:4041",
            {"cert.self_signed", "tls.no_sni", "tls.nonstandard_port"});
  expect_c2("async__asyncrat_cd010953-5faf-4054-86be-58c020c3a532.pcap", "181.131.218.39:4041",
            {"cert.self_signed", "tls.no_sni", "tls.nonstandard_port", "intel.certificate"}, cert_intel);
  expect_c2("async__dcrat_30a385ed-171e-4f15-ac3f-08c96be7bfd1.pcap", "186.169.47.11:7084",
            {"cert.self_signed", "tls.no_sni", "tls.nonstandard_port"});
  expect_c2("sv__tls-glupteba.pcap", "72.16.54.30:443", {"tls.obsolete_handshake", "tls.no_sni", "cert.expired"});
  expect_c2("otrf__msf-lsass01-metasploit_logonpasswords.pcapng", "10.0.5.13:8080",
            {"cert.self_signed", "tls.nonstandard_port"});
  expect_c2("slips__test-cc-capture-1.pcap", "141.193.213.21:443", {"beacon.periodic"});
}

TEST(SharedCaptures, BenignCapturesStayBelowMedium) {
  C2HUNT_REQUIRE_SHARED_DATA();
  for (const char* pcap : {"ja3__ssl-chrome.pcap", "ja3__ssl-curl.pcap", "ja4__browsers-x509.pcapng",
                           "ja4__chrome-cloudflare-quic-with-secrets.pcapng", "ja4__latest.pcapng",
                           "ja4__tls-handshake.pcapng", "ja4__tls12.pcap", "sv__ja4-tls-quic.pcap",
                           "sv__tls-certs-alert.pcap", "zeek__chrome-1250-tls-x25519-kyber.pcap",
                           "zeek__curl-8.1.2-dev-http3-www-google-de.pcap", "zeek__tls1.2.pcap"})
    for (const auto& a : scan(pcap))
      EXPECT_FALSE(medium_or_above(a)) << pcap << " " << a.destination << " scored " << a.severity;
  for (const auto& a : scan("zeek__tls-expired-cert.pcap")) {
    EXPECT_NE(a.level, "high") << a.destination;
    EXPECT_NE(a.level, "critical") << a.destination;
    if (medium_or_above(a)) {
      EXPECT_TRUE(a.signals.count("cert.expired")) << a.destination;
    }
  }
}

}  // namespace
}  // namespace c2hunt::testing

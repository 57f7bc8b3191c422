// End-to-end golden test of `c2hunt scan` on ../shared/data's Zeek and Suricata logs (SOURCES.md):
// the C2 channels the logs hold alert with the evidence a log can give, the benign logs stay below
// medium, and the RITA JSON sample reads without a single error.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "scan_runner.h"
#include "test_support.h"

namespace c2hunt::testing {
namespace {

ScanRun scan_logs(const std::string& relative) {
  ScanRun run = run_scan_binary({shared_data_path(relative)});
  EXPECT_EQ(run.exit_code, 0) << relative << ": " << run.stderr_text;
  EXPECT_EQ(run.stderr_text.find("error"), std::string::npos) << relative << ": " << run.stderr_text;
  return run;
}

const ScanAlert& expect_channel(const ScanRun& run, const std::string& what, const std::string& destination,
                                const std::vector<std::string>& signals) {
  static const ScanAlert kNone;
  const ScanAlert* a = run.find(destination);
  EXPECT_NE(a, nullptr) << what << ": no alert for " << destination;
  if (!a) return kNone;
  for (const auto& s : signals) EXPECT_TRUE(a->signals.count(s)) << what << " " << destination << ": missing " << s;
  return *a;
}

// A log has subject and issuer but no signature: self-signing shows as the unverified form.
void expect_unverified_self_signed(const ScanAlert& a) {
  auto it = a.details.find("cert.self_signed");
  ASSERT_NE(it, a.details.end()) << a.destination;
  EXPECT_NE(it->second.find("issuer equals subject (signature not checkable from this source)"), std::string::npos)
      << it->second;
}

TEST(LogScan, Apt29Day1ChannelTo8443IsMediumWithItsEvidence) {
  C2HUNT_REQUIRE_SHARED_DATA();
  ScanRun run = scan_logs("zeek/otrf-apt29-day1-nashua");
  const ScanAlert& a = expect_channel(run, "APT29 day 1", "192.168.0.4:8443", {"cert.self_signed"});
  EXPECT_TRUE(medium_or_above(a)) << "scored " << a.severity << " (" << a.level << ")";
  expect_unverified_self_signed(a);
  auto it = a.details.find("cert.self_signed");
  if (it != a.details.end()) {
    EXPECT_NE(it->second.find("376 of 376 connections"), std::string::npos) << it->second;
  }
}

TEST(LogScan, MetasploitZeekLogsYieldThePort8080Channel) {
  C2HUNT_REQUIRE_SHARED_DATA();
  ScanRun run = scan_logs("zeek/otrf-msf-lsass01");
  const ScanAlert& a =
      expect_channel(run, "Metasploit Zeek", "10.0.5.13:8080", {"cert.self_signed", "tls.nonstandard_port"});
  EXPECT_TRUE(medium_or_above(a)) << "scored " << a.severity << " (" << a.level << ")";
  expect_unverified_self_signed(a);
}

TEST(LogScan, RitaJsonSampleReadsWithoutErrorsAndStaysBelowMedium) {
  C2HUNT_REQUIRE_SHARED_DATA();
  ScanRun run = scan_logs("zeek/rita-json");
  EXPECT_FALSE(run.alerts.empty()) << "the sample's TLS connections give at least informational findings";
  for (const auto& a : run.alerts) EXPECT_FALSE(medium_or_above(a)) << a.destination << " scored " << a.severity;
}

TEST(LogScan, SuricataEveOfC2CapturesYieldsTheirChannels) {
  C2HUNT_REQUIRE_SHARED_DATA();
  struct Case {
    const char* file;
    const char* destination;
    std::vector<std::string> signals;
  };
  const Case cases[] = {
      {"suricata/async__asyncrat_cd010953-5faf-4054-86be-58c020c3a532.pcap.eve.json", "181.131.218.39:4041",
       {"tls.no_sni", "cert.self_signed", "tls.nonstandard_port"}},
      {"suricata/async__dcrat_30a385ed-171e-4f15-ac3f-08c96be7bfd1.pcap.eve.json", "186.169.47.11:7084",
       {"tls.no_sni", "tls.nonstandard_port"}},
      {"suricata/otrf__msf-lsass01-metasploit_logonpasswords.pcapng.eve.json", "10.0.5.13:8080",
       {"cert.self_signed", "tls.nonstandard_port"}},
  };
  for (const auto& c : cases) {
    ScanRun run = scan_logs(c.file);
    const ScanAlert& a = expect_channel(run, c.file, c.destination, c.signals);
    EXPECT_TRUE(medium_or_above(a)) << c.file << " " << c.destination << " scored " << a.severity;
  }
}

TEST(LogScan, BenignSuricataEveStaysBelowMedium) {
  C2HUNT_REQUIRE_SHARED_DATA();
  for (const char* file : {"suricata/ja4__browsers-x509.pcapng.eve.json", "suricata/ja4__tls-handshake.pcapng.eve.json",
                           "suricata/zeek__tls1.2.pcap.eve.json"}) {
    ScanRun run = scan_logs(file);
    for (const auto& a : run.alerts) EXPECT_FALSE(medium_or_above(a)) << file << " " << a.destination << " scored " << a.severity;
  }
}

}  // namespace
}  // namespace c2hunt::testing

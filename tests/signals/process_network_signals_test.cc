// The proc.* signals added for host-only channels (unusual port, shared destination) and for host
// data joined to TLS records (browser-shaped fingerprints, masquerade by fingerprint, many stacks).
#include <gtest/gtest.h>

#include "c2hunt/scoring/score.h"
#include "c2hunt/signals/process_traits.h"
#include "record_builder.h"
#include "signal_harness.h"

namespace c2hunt::testing {
namespace {

constexpr const char* kChromeJa4 = "t13d1516h2_8daaf6152771_e5627efa2ab1";
constexpr const char* kChrome = "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe";

records::Connection tls_from(const std::string& exe, const std::string& ja4, const char* dest = "203.0.113.7",
                             uint16_t port = 443) {
  ConnectionBuilder b("10.0.0.5", dest, port);
  b.tls().process(exe);
  b.hello().ja4 = ja4;
  return b.build();
}

TEST(Ja4Shape, ParsesSectionsAndJudgesBrowserShape) {
  auto s = signals::parse_ja4(kChromeJa4);
  ASSERT_TRUE(s.valid);
  EXPECT_EQ(s.protocol, 't');
  EXPECT_EQ(s.version, "13");
  EXPECT_TRUE(s.sni_domain);
  EXPECT_EQ(s.ciphers, 15);
  EXPECT_EQ(s.extensions, 16);
  EXPECT_EQ(s.alpn, "h2");
  EXPECT_EQ(s.cipher_hash, "8daaf6152771");
  EXPECT_TRUE(signals::browser_shaped(s, 15, 12));
  // Metasploit-like: TLS 1.2, no SNI, no ALPN.
  EXPECT_FALSE(signals::browser_shaped(signals::parse_ja4("t12i210600_aaaaaaaaaaaa_bbbbbbbbbbbb"), 15, 12));
  EXPECT_FALSE(signals::browser_shaped(signals::parse_ja4("t13d0709h2_abcdefabcdef_abcdefabcdef"), 15, 12));
  EXPECT_FALSE(signals::parse_ja4("").valid);
  EXPECT_FALSE(signals::parse_ja4("t13dxx16h2_8daaf6152771_e5627efa2ab1").valid);
  EXPECT_FALSE(signals::parse_ja4("t13d1516h2X8daaf6152771").valid);
}

TEST(ProcessFingerprints, NonBrowserWithBrowserShapeAndBrowserWithoutIt) {
  {
    SignalHarness h;
    h.add(tls_from("C:\\Users\\alice\\AppData\\Local\\Temp\\beacon.exe", kChromeJa4));
    auto f = h.only();
    EXPECT_NE(find_evidence(f, "proc.browser_like_fingerprint"), nullptr);
    EXPECT_EQ(find_evidence(f, "proc.browser_fingerprint_mismatch"), nullptr);
  }
  {
    SignalHarness h;
    h.add(tls_from(kChrome, kChromeJa4));
    auto f = h.only();
    EXPECT_EQ(find_evidence(f, "proc.browser_like_fingerprint"), nullptr);
    EXPECT_EQ(find_evidence(f, "proc.browser_fingerprint_mismatch"), nullptr);
  }
  {
    SignalHarness h;
    h.add(tls_from(kChrome, "t12i050600_aaaaaaaaaaaa_bbbbbbbbbbbb"));
    auto e = find_evidence(h.only(), "proc.browser_fingerprint_mismatch");
    ASSERT_NE(e, nullptr);
    EXPECT_NE(e->detail.find("t12i050600"), std::string::npos);
  }
}

TEST(ProcessFingerprints, NotEvaluatedForHostOnlyChannels) {
  SignalHarness h;
  h.add(ConnectionBuilder("10.0.0.5", "203.0.113.7", 443).process(kChrome).build());
  auto f = h.only();
  for (const char* id : {"proc.browser_like_fingerprint", "proc.browser_fingerprint_mismatch", "proc.many_fingerprints"})
    EXPECT_TRUE(not_evaluated(f, id)) << id;
}

TEST(ProcessFingerprints, ManyCipherListsInOneProcess) {
  SignalHarness h;
  const std::string exe = "C:\\Windows\\System32\\svchost.exe";
  h.add(tls_from(exe, "t13d1516h2_111111111111_e5627efa2ab1", "203.0.113.7"));
  h.add(tls_from(exe, "t12d1210h2_222222222222_e5627efa2ab1", "203.0.113.8"));
  auto two = h.finish();
  for (const auto& [key, f] : two) EXPECT_EQ(find_evidence(f, "proc.many_fingerprints"), nullptr) << key;
  h.add(tls_from(exe, "t12i050600_333333333333_bbbbbbbbbbbb", "203.0.113.9"));
  size_t fired = 0;
  for (const auto& [key, f] : h.finish()) fired += find_evidence(f, "proc.many_fingerprints") != nullptr;
  EXPECT_EQ(fired, 3u);
}

TEST(ProcessPorts, UnusualPortIsWeakAloneAndMediumWithAPlantedImage) {
  auto level_of = [](const std::string& exe, uint16_t port) {
    SignalHarness h;
    h.add(ConnectionBuilder("10.0.0.5", "10.0.9.9", port).process(exe).build());
    auto f = h.only();
    channels::Channel ch = h.table.channels().front();
    return std::make_pair(find_evidence(f, "proc.unusual_port") != nullptr,
                          scoring::score_channel(ch, f, h.config).level);
  };
  auto [system_fired, system_level] = level_of("C:\\Windows\\System32\\svchost.exe", 8080);
  EXPECT_TRUE(system_fired);
  EXPECT_LT(system_level, scoring::Level::medium);
  auto [payload_fired, payload_level] = level_of("C:\\Users\\bob\\Downloads\\payload.exe", 8080);
  EXPECT_TRUE(payload_fired);
  EXPECT_GE(payload_level, scoring::Level::medium);
  // Service ports and the dynamic RPC range do not fire.
  for (uint16_t port : {53, 88, 389, 443, 5355, 49669}) EXPECT_FALSE(level_of("C:\\Users\\bob\\Downloads\\payload.exe", port).first) << port;
}

TEST(ProcessPorts, SharedDestinationNeedsAnotherSuspiciousImage) {
  SignalHarness h;
  h.add(ConnectionBuilder("10.0.0.5", "10.0.9.9", 8080).process("C:\\Users\\bob\\Downloads\\payload.exe").build());
  h.add(ConnectionBuilder("10.0.0.5", "10.0.9.9", 8080).process("C:\\Windows\\System32\\svchost.exe").build());
  h.add(ConnectionBuilder("10.0.0.5", "10.0.9.9", 8080).process("C:\\Windows\\System32\\lsass.exe").build());
  size_t fired = 0;
  for (const auto& [key, f] : h.finish())
    if (find_evidence(f, "proc.shared_destination")) {
      ++fired;
      EXPECT_EQ(key.find("payload.exe"), std::string::npos) << "the suspicious image itself is not 'shared'";
    }
  EXPECT_EQ(fired, 2u);

  SignalHarness benign;  // two system processes on the same odd port: nothing planted among them
  benign.add(ConnectionBuilder("10.0.0.5", "10.0.9.9", 8080).process("C:\\Windows\\System32\\svchost.exe").build());
  benign.add(ConnectionBuilder("10.0.0.5", "10.0.9.9", 8080).process("C:\\Windows\\System32\\lsass.exe").build());
  for (const auto& [key, f] : benign.finish()) EXPECT_EQ(find_evidence(f, "proc.shared_destination"), nullptr) << key;
}

TEST(ProcessTraitsLineage, BrowserStartingAScriptHostIsSuspicious) {
  records::Process mshta;
  mshta.executable = "C:\\Windows\\System32\\mshta.exe";
  records::Process ie;
  ie.executable = "C:\\Program Files\\Internet Explorer\\iexplore.exe";
  auto t = signals::assess_process(mshta, {ie});
  EXPECT_TRUE(t.suspicious_lineage);
  EXPECT_NE(t.detail.find("browser iexplore.exe started mshta.exe"), std::string::npos) << t.detail;
  records::Process helper;  // a browser starting its own helper is not
  helper.executable = "C:\\Program Files\\Google\\Chrome\\Application\\elevation_service.exe";
  EXPECT_FALSE(signals::assess_process(helper, {ie}).suspicious_lineage);
}

}  // namespace
}  // namespace c2hunt::testing

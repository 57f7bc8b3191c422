#include <gtest/gtest.h>

#include "c2hunt/signals/payload_analysis.h"
#include "signals/record_builder.h"
#include "signals/signal_harness.h"

namespace c2hunt::testing {
namespace {

signals::ChannelFindings run(std::vector<uint8_t> out, std::vector<uint8_t> in, uint16_t port = 4444) {
  SignalHarness h;
  h.add(ConnectionBuilder("10.0.0.5", "203.0.113.7", port).payload(std::move(out), std::move(in)).build());
  return h.only();
}

TEST(PayloadRandomness, RandomVersusText) {
  auto r = signals::measure_randomness(random_bytes(256, 7));
  EXPECT_TRUE(signals::looks_random(r, 64, 4.0, 0.85)) << r.entropy_bits << " " << r.chi_square_sigma;
  std::string text(256, ' ');
  for (size_t i = 0; i < text.size(); ++i) text[i] = "the quick brown fox jumps over the lazy dog "[i % 44];
  auto t = signals::measure_randomness(text_bytes(text));
  EXPECT_FALSE(signals::looks_random(t, 64, 4.0, 0.85));
  // Too small a sample is never called random, however it looks.
  EXPECT_FALSE(signals::looks_random(signals::measure_randomness(random_bytes(32, 9)), 64, 4.0, 0.85));
}

TEST(PayloadRandomness, RandomSamplesPassAcrossSeedsAndSizes) {
  int passed = 0, total = 0;
  for (size_t n : {64u, 128u, 256u})
    for (uint64_t seed = 1; seed <= 50; ++seed) {
      ++total;
      passed += signals::looks_random(signals::measure_randomness(random_bytes(n, seed)), 64, 4.0, 0.85);
    }
  EXPECT_GE(passed, total - 1);
}

TEST(PayloadRandomness, KnownProtocolPrefixes) {
  EXPECT_STREQ(signals::known_protocol_prefix(text_bytes("SSH-2.0-OpenSSH_9.6\r\n")), "ssh");
  EXPECT_STREQ(signals::known_protocol_prefix(text_bytes("HEAD / HTTP/1.1\r\n")), "http");
  std::vector<uint8_t> smb = {0x00, 0x00, 0x00, 0x54, 0xfe, 'S', 'M', 'B', 0x40};
  EXPECT_STREQ(signals::known_protocol_prefix(smb), "smb");
  std::vector<uint8_t> rdp = {0x03, 0x00, 0x00, 0x13, 0x0e};
  EXPECT_STREQ(signals::known_protocol_prefix(rdp), "rdp");
  std::vector<uint8_t> tls = {0x16, 0x03, 0x01, 0x02, 0x00};
  EXPECT_STREQ(signals::known_protocol_prefix(tls), "tls");
}

TEST(CryptoCustom, FiresOnRandomBothWays) {
  auto f = run(random_bytes(256, 11), random_bytes(256, 12));
  auto e = find_evidence(f, "crypto.custom");
  ASSERT_NE(e, nullptr);
  EXPECT_NE(e->detail.find("entropy"), std::string::npos);
}

TEST(CryptoCustom, SilentWhenOneDirectionIsTextOrKnown) {
  EXPECT_EQ(find_evidence(run(random_bytes(256, 1), text_bytes(std::string(200, 'A'))), "crypto.custom"), nullptr);
  auto ssh = text_bytes("SSH-2.0-OpenSSH_9.6\r\n");
  auto tail = random_bytes(200, 5);
  ssh.insert(ssh.end(), tail.begin(), tail.end());
  EXPECT_EQ(find_evidence(run(ssh, random_bytes(256, 6)), "crypto.custom"), nullptr);
}

TEST(CryptoCustom, NotEvaluatedOnShortSamplesOrLogs) {
  EXPECT_TRUE(not_evaluated(run(random_bytes(20, 1), random_bytes(20, 2)), "crypto.custom"));
  EXPECT_TRUE(not_evaluated(run({}, {}), "crypto.custom"));
}

}  // namespace
}  // namespace c2hunt::testing

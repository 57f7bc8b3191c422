#include <gtest/gtest.h>

#include "c2hunt/signals/beacon.h"
#include "c2hunt/signals/process_traits.h"
#include "signals/record_builder.h"
#include "signals/signal_harness.h"

namespace c2hunt::testing {
namespace {

TEST(ChannelLongLived, FiresFromOneHour) {
  SignalHarness h;
  h.add(ConnectionBuilder("10.0.0.5", "203.0.113.7", 443).tls().at(kT0, 5 * 3600 * kMicrosPerSecond).build());
  auto e = find_evidence(h.only(), "channel.long_lived");
  ASSERT_NE(e, nullptr);
  EXPECT_GT(e->strength, 0.5);
  SignalHarness shorter;
  shorter.add(ConnectionBuilder("10.0.0.5", "203.0.113.7", 443).tls().at(kT0, 600 * kMicrosPerSecond).build());
  EXPECT_EQ(find_evidence(shorter.only(), "channel.long_lived"), nullptr);
}

TEST(ChannelStrobe, ManyConnectionsPerHour) {
  SignalHarness h;
  for (int i = 0; i < 1200; ++i)
    h.add(ConnectionBuilder("10.0.0.5", "203.0.113.7", 443).at(kT0 + i * 500'000).build());
  EXPECT_NE(find_evidence(h.only(), "channel.strobe"), nullptr);
  SignalHarness few;
  for (int i = 0; i < 50; ++i) few.add(ConnectionBuilder("10.0.0.5", "203.0.113.7", 443).at(kT0 + i * 500'000).build());
  EXPECT_EQ(find_evidence(few.only(), "channel.strobe"), nullptr);
}

TEST(VolumeInconsistent, HeartbeatAndExfiltration) {
  SignalHarness beat;
  for (int i = 0; i < 20; ++i)
    beat.add(ConnectionBuilder("10.0.0.5", "203.0.113.7", 443).at(kT0 + i * 60 * kMicrosPerSecond).bytes(310, 120).build());
  EXPECT_NE(find_evidence(beat.only(), "volume.inconsistent"), nullptr);

  SignalHarness exfil;
  exfil.add(ConnectionBuilder("10.0.0.5", "203.0.113.7", 443).bytes(50'000'000, 20'000).build());
  auto e = find_evidence(exfil.only(), "volume.inconsistent");
  ASSERT_NE(e, nullptr);
  EXPECT_NE(e->detail.find("outbound"), std::string::npos) << e->detail;

  SignalHarness browsing;  // varied sizes, inbound heavy
  for (int i = 0; i < 20; ++i)
    browsing.add(ConnectionBuilder("10.0.0.5", "203.0.113.7", 443)
                     .at(kT0 + i * 60 * kMicrosPerSecond)
                     .bytes(400 + 97 * i, 20'000 + 3'331 * i)
                     .build());
  EXPECT_EQ(find_evidence(browsing.only(), "volume.inconsistent"), nullptr);
}

TEST(DestNoDns, FiresOnlyWhenDataHasDns) {
  SignalHarness h;
  h.add_dns(dns_answer("10.0.0.5", "good.example", {"198.51.100.1"}));
  h.add(ConnectionBuilder("10.0.0.5", "198.51.100.1", 443).tls("").build());
  h.add(ConnectionBuilder("10.0.0.5", "203.0.113.7", 443).tls("").build());
  auto all = h.finish();
  ASSERT_EQ(all.size(), 2u);
  for (const auto& [key, f] : all) {
    bool resolved = key.find("198.51.100.1") != std::string::npos;
    EXPECT_EQ(find_evidence(f, "dest.no_dns") == nullptr, resolved) << key;
  }
  SignalHarness none;
  none.add(ConnectionBuilder("10.0.0.5", "203.0.113.7", 443).tls("").build());
  EXPECT_TRUE(not_evaluated(none.only(), "dest.no_dns"));
}

TEST(Prevalence, NotEvaluatedWithFewHostsRareWithMany) {
  SignalHarness few;
  few.add(ConnectionBuilder("10.0.0.5", "203.0.113.7", 443).tls().build());
  auto f = few.only();
  EXPECT_TRUE(not_evaluated(f, "fp.rare"));
  EXPECT_TRUE(not_evaluated(f, "dest.rare"));

  SignalHarness many;
  for (int host = 1; host <= 60; ++host) {
    std::string src = "10.0.1." + std::to_string(host);
    many.add(ConnectionBuilder(src.c_str(), "198.51.100.1", 443).tls("popular.example").build());
  }
  auto odd = ConnectionBuilder("10.0.1.7", "203.0.113.9", 443).tls("odd.example");
  odd.hello().ja3 = "0123456789abcdef0123456789abcdef";
  odd.hello().ja4 = "";
  many.add(odd.build());
  auto all = many.finish();
  for (const auto& [key, fs] : all) {
    bool is_odd = key.find("odd.example") != std::string::npos;
    EXPECT_EQ(find_evidence(fs, "dest.rare") != nullptr, is_odd) << key;
    EXPECT_EQ(find_evidence(fs, "fp.rare") != nullptr, is_odd) << key;
    // The reach scoring reads for common destinations: 60 hosts in all, 60 reach the popular one.
    ASSERT_TRUE(fs.destination_reach) << key;
    EXPECT_EQ(fs.destination_reach->hosts, 60u) << key;
    EXPECT_EQ(fs.destination_reach->hosts_reaching, is_odd ? 1u : 60u) << key;
  }
}

TEST(BeaconPeriodic, WiredToAnalyzeBeaconWithSuccessfulConnectionsOnly) {
  SignalHarness h;
  for (int i = 0; i < 30; ++i)
    h.add(ConnectionBuilder("10.0.0.5", "203.0.113.7", 443).at(kT0 + i * 60 * kMicrosPerSecond).build());
  for (int i = 0; i < 10; ++i)
    h.add(ConnectionBuilder("10.0.0.5", "203.0.113.7", 443).at(kT0 + i * 37 * kMicrosPerSecond).state("S0").build());
  const channels::Channel& ch = h.table.channels().front();
  auto input = signals::beacon_input(ch);
  EXPECT_EQ(input.start_times.size(), 30u);  // failed attempts are not callbacks
  auto direct = signals::analyze_beacon(input, {});
  auto f = h.only();
  auto e = find_evidence(f, "beacon.periodic");
  if (direct.evaluated && direct.strength > 0) {
    ASSERT_NE(e, nullptr);
    EXPECT_DOUBLE_EQ(e->strength, std::min(1.0, direct.strength));
    EXPECT_NE(e->detail.find("callbacks"), std::string::npos);
  } else if (!direct.evaluated) {
    EXPECT_TRUE(not_evaluated(f, "beacon.periodic"));
  } else {
    EXPECT_EQ(e, nullptr);
  }
}

TEST(ProcessSignals, NotEvaluatedWithoutTelemetryFollowTraitsWithIt) {
  SignalHarness none;
  none.add(ConnectionBuilder("10.0.0.5", "203.0.113.7", 443).tls().build());
  auto f = none.only();
  for (const char* id : {"proc.non_browser_tls", "proc.user_writable_path", "proc.lolbin"})
    EXPECT_TRUE(not_evaluated(f, id)) << id;

  SignalHarness h;
  const std::string exe = "C:\\Users\\alice\\AppData\\Local\\Temp\\updater.exe";
  h.add(ConnectionBuilder("10.0.0.5", "203.0.113.7", 443).tls().process(exe).build());
  auto g = h.only();
  records::Process p;
  p.executable = exe;
  auto traits = signals::assess_process(p, {});
  EXPECT_FALSE(not_evaluated(g, "proc.non_browser_tls"));
  EXPECT_EQ(find_evidence(g, "proc.non_browser_tls") != nullptr, !traits.browser);
  EXPECT_EQ(find_evidence(g, "proc.user_writable_path") != nullptr, traits.user_writable_location);
}

}  // namespace
}  // namespace c2hunt::testing

#include <gtest/gtest.h>

#include <deque>

#include "c2hunt/channels/channel_table.h"
#include "c2hunt/config/scan_config.h"
#include "c2hunt/scoring/allowlist.h"
#include "c2hunt/scoring/score.h"
#include "c2hunt/signals/signal_set.h"
#include "signals/record_builder.h"

namespace c2hunt::testing {
namespace {

signals::ChannelFindings findings(const std::vector<std::string>& ids) {
  signals::ChannelFindings f;
  for (const auto& id : ids) f.fire(id, 1.0, "test");
  return f;
}

// A channel's fingerprints and SNI live in its table's text pool: the tables outlive the copies.
channels::Channel make_channel(const records::Connection& c) {
  static Counters counters;
  static std::deque<channels::ChannelTable> tables;
  channels::ChannelTable& t = tables.emplace_back(channels::ChannelLimits{}, counters);
  t.add(c);
  return t.channels().front();
}

TEST(Combine, NoisyOrFormula) {
  std::vector<signals::Evidence> e = {{"a", 1.0, 0.5, ""}, {"b", 0.5, 0.4, ""}};
  EXPECT_NEAR(scoring::combine(e), 100 * (1 - 0.5 * 0.8), 1e-9);
  EXPECT_DOUBLE_EQ(scoring::combine({}), 0.0);
}

// The acceptance properties, checked over the configured weights rather than hard-coded numbers.
TEST(Scoring, WeakSignalAloneStaysBelowMedium) {
  auto cfg = config::default_config();
  ASSERT_FALSE(cfg.weak_signals.empty());
  auto ch = make_channel(ConnectionBuilder("10.0.0.5", "203.0.113.7", 8443).build());
  for (const auto& id : cfg.weak_signals) {
    auto s = scoring::score_channel(ch, findings({id}), cfg);
    EXPECT_LT(s.level, config::Level::medium) << id << " scores " << s.score;
  }
  for (const char* id : {"tls.nonstandard_port", "channel.long_lived", "cert.short_validity"})
    EXPECT_NE(std::find(cfg.weak_signals.begin(), cfg.weak_signals.end(), id), cfg.weak_signals.end()) << id;
}

TEST(Scoring, StrongCombinationReachesHigh) {
  auto cfg = config::default_config();
  auto ch = make_channel(ConnectionBuilder("10.0.0.5", "203.0.113.7", 443).build());
  auto s = scoring::score_channel(ch, findings({"cert.self_signed", "tls.no_sni", "beacon.periodic"}), cfg);
  EXPECT_GE(s.level, config::Level::high) << s.score;
  // And each known-C2 evidence set of the shared captures reaches medium.
  for (auto set : std::vector<std::vector<std::string>>{
           {"cert.self_signed", "tls.no_sni", "tls.nonstandard_port"},
           {"tls.obsolete_handshake", "tls.no_sni", "cert.expired"},
           {"cert.self_signed", "tls.nonstandard_port"}}) {
    auto x = scoring::score_channel(ch, findings(set), cfg);
    EXPECT_GE(x.level, config::Level::medium) << x.score;
  }
}

// docs/beaconing.md: a beacon.periodic strength of 0.7 means "periodic beyond reasonable doubt" and
// must give medium on its own (signals::kBeaconStrongStrength in the beacon interface).
constexpr double kBeaconContractStrength = 0.7;

TEST(Scoring, ConfidentBeaconAloneReachesMedium) {
  auto cfg = config::default_config();
  auto ch = make_channel(ConnectionBuilder("10.0.0.5", "203.0.113.7", 443).build());
  signals::ChannelFindings f;
  f.fire("beacon.periodic", kBeaconContractStrength, "test");
  EXPECT_GE(scoring::score_channel(ch, f, cfg).level, config::Level::medium);
  signals::ChannelFindings weaker;
  weaker.fire("beacon.periodic", kBeaconContractStrength - 0.1, "test");
  EXPECT_LT(scoring::score_channel(ch, weaker, cfg).level, config::Level::medium);
}

TEST(Scoring, EveryConfiguredWeightIsBelowCriticalAlone) {
  auto cfg = config::default_config();
  auto ch = make_channel(ConnectionBuilder("10.0.0.5", "203.0.113.7", 443).build());
  for (const auto& id : signals::all_signal_ids()) {
    auto s = scoring::score_channel(ch, findings({id}), cfg);
    EXPECT_LT(s.level, config::Level::critical) << id;
  }
}

TEST(Scoring, EvidenceOrderedByContributionAndSubtechnique) {
  auto cfg = config::default_config();
  auto ch = make_channel(ConnectionBuilder("10.0.0.5", "203.0.113.7", 4444).build());
  auto s = scoring::score_channel(ch, findings({"channel.long_lived", "crypto.custom"}), cfg);
  ASSERT_EQ(s.evidence.size(), 2u);
  EXPECT_EQ(s.evidence[0].signal, "crypto.custom");
  EXPECT_EQ(s.subtechnique, "T1573.001");
  auto tls = make_channel(ConnectionBuilder("10.0.0.5", "203.0.113.7", 443).tls().build());
  EXPECT_EQ(scoring::score_channel(tls, findings({"tls.no_sni"}), cfg).subtechnique, "T1573.002");
}

config::AllowlistEntry entry(config::AllowAction action) {
  config::AllowlistEntry e;
  e.name = "test-entry";
  e.category = "internal_app";
  e.action = action;
  return e;
}

TEST(Allowlist, SuppressAndDowngrade) {
  auto cfg = config::default_config();
  auto e = entry(config::AllowAction::suppress);
  e.domain_suffix = {"corp.example"};
  cfg.allowlist = {e};
  auto ch = make_channel(ConnectionBuilder("10.0.0.5", "203.0.113.7", 443).tls("app.corp.example").build());
  auto strong = findings({"cert.self_signed", "tls.nonstandard_port", "beacon.periodic"});
  auto s = scoring::score_channel(ch, strong, cfg);
  EXPECT_TRUE(s.suppressed);
  ASSERT_NE(s.allowlisted, nullptr);
  EXPECT_EQ(s.allowlisted->name, "test-entry");

  cfg.allowlist[0].action = config::AllowAction::downgrade;
  auto d = scoring::score_channel(ch, strong, cfg);
  EXPECT_FALSE(d.suppressed);
  EXPECT_NEAR(d.score, d.raw_score * cfg.downgrade_factor, 1e-9);
  EXPECT_LT(d.level, scoring::score_channel(make_channel(ConnectionBuilder("10.0.0.5", "203.0.113.7", 443).tls("x.test").build()),
                                            strong, cfg).level);

  // "notcorp.example" is not under corp.example.
  auto other = make_channel(ConnectionBuilder("10.0.0.5", "203.0.113.7", 443).tls("notcorp.example").build());
  EXPECT_EQ(scoring::match_allowlist(cfg.allowlist, other), nullptr);
}

// RITA's prevalence modifier: a destination most of a large enough network reaches is downgraded
// when only timing and volume signals fired, once, even when an allowlist entry downgrades it too.
TEST(Scoring, CommonDestinationIsDowngradedOnlyInALargeEnoughPopulation) {
  auto cfg = config::default_config();
  auto ch = make_channel(ConnectionBuilder("10.0.0.5", "203.0.113.7", 443).tls("news.example").build());
  auto with_reach = [](uint32_t reaching, uint32_t hosts) {
    auto f = findings({"beacon.periodic"});
    f.destination_reach = signals::DestinationReach{reaching, hosts};
    return f;
  };
  const auto plain = scoring::score_channel(ch, findings({"beacon.periodic"}), cfg);
  EXPECT_GE(plain.level, config::Level::medium);
  EXPECT_FALSE(plain.common_destination);

  const uint32_t hosts = static_cast<uint32_t>(cfg.common_destination_min_hosts) * 4;
  const auto half = static_cast<uint32_t>(cfg.common_destination_min_share * hosts);
  auto common = scoring::score_channel(ch, with_reach(half, hosts), cfg);
  ASSERT_TRUE(common.common_destination);
  EXPECT_EQ(common.common_destination->hosts_reaching, half);
  EXPECT_NEAR(common.score, plain.raw_score * cfg.downgrade_factor, 1e-9);
  EXPECT_LT(common.level, plain.level);

  auto fewer = scoring::score_channel(ch, with_reach(half - 1, hosts), cfg);
  EXPECT_FALSE(fewer.common_destination);
  EXPECT_DOUBLE_EQ(fewer.score, plain.score);

  // Every source of a small data set reaching the destination says nothing about a network.
  const auto small = static_cast<uint32_t>(cfg.common_destination_min_hosts) - 1;
  auto lab = scoring::score_channel(ch, with_reach(small, small), cfg);
  EXPECT_FALSE(lab.common_destination);
  EXPECT_DOUBLE_EQ(lab.score, plain.score);

  // A finding popular services do not show (a self-signed certificate) keeps the full score.
  auto content = with_reach(hosts, hosts);
  content.fire("cert.self_signed", 1.0, "test");
  auto kept = scoring::score_channel(ch, content, cfg);
  EXPECT_FALSE(kept.common_destination);
  EXPECT_DOUBLE_EQ(kept.score, kept.raw_score);

  auto e = entry(config::AllowAction::downgrade);
  e.domain_suffix = {"news.example"};
  cfg.allowlist = {e};
  auto both = scoring::score_channel(ch, with_reach(hosts, hosts), cfg);
  ASSERT_NE(both.allowlisted, nullptr);
  ASSERT_TRUE(both.common_destination);
  EXPECT_NEAR(both.score, plain.raw_score * cfg.downgrade_factor, 1e-9);
}

TEST(Allowlist, AllConditionsMustMatch) {
  auto e = entry(config::AllowAction::suppress);
  e.destination = {*IpNetwork::parse("203.0.113.0/24")};
  e.port = {8443};
  e.source = {*IpNetwork::parse("10.0.0.0/24")};
  auto hit = make_channel(ConnectionBuilder("10.0.0.5", "203.0.113.7", 8443).build());
  auto wrong_port = make_channel(ConnectionBuilder("10.0.0.5", "203.0.113.7", 443).build());
  auto wrong_source = make_channel(ConnectionBuilder("10.0.9.5", "203.0.113.7", 8443).build());
  EXPECT_TRUE(scoring::entry_matches(e, hit));
  EXPECT_FALSE(scoring::entry_matches(e, wrong_port));
  EXPECT_FALSE(scoring::entry_matches(e, wrong_source));
  auto fp = entry(config::AllowAction::suppress);
  fp.fingerprint = {"ada70206e40642a3e4461f35503241d5"};
  EXPECT_TRUE(scoring::entry_matches(fp, make_channel(ConnectionBuilder("10.0.0.5", "203.0.113.7", 443).tls().build())));
}

TEST(Allowlist, ProcessGlobSignerAndParent) {
  auto e = entry(config::AllowAction::suppress);
  e.process_path = {"C:\\Program Files\\CrowdStrike\\*.exe"};
  e.signer = {"CrowdStrike, Inc."};
  auto good = make_channel(ConnectionBuilder("10.0.0.5", "203.0.113.7", 443)
                               .process("c:\\program files\\crowdstrike\\CSFalconService.exe", "CrowdStrike, Inc.")
                               .build());
  EXPECT_TRUE(scoring::entry_matches(e, good));
  auto planted = make_channel(ConnectionBuilder("10.0.0.5", "203.0.113.7", 443)
                                  .process("C:\\Users\\Public\\CSFalconService.exe", "CrowdStrike, Inc.")
                                  .build());
  EXPECT_FALSE(scoring::entry_matches(e, planted));
  auto unsigned_copy = make_channel(ConnectionBuilder("10.0.0.5", "203.0.113.7", 443)
                                        .process("C:\\Program Files\\CrowdStrike\\CSFalconService.exe", "")
                                        .build());
  EXPECT_FALSE(scoring::entry_matches(e, unsigned_copy));
  auto no_telemetry = make_channel(ConnectionBuilder("10.0.0.5", "203.0.113.7", 443).build());
  EXPECT_FALSE(scoring::entry_matches(e, no_telemetry));

  auto parent = entry(config::AllowAction::downgrade);
  parent.parent_path = {"C:\\Windows\\CCM\\*"};
  auto child = make_channel(ConnectionBuilder("10.0.0.5", "203.0.113.7", 443)
                                .process("C:\\Windows\\System32\\cmd.exe", "", "C:\\Windows\\CCM\\CcmExec.exe")
                                .build());
  EXPECT_TRUE(scoring::entry_matches(parent, child));
  EXPECT_TRUE(scoring::path_glob_match("C:\\A\\?.exe", "c:\\a\\b.EXE"));
  EXPECT_FALSE(scoring::path_glob_match("C:\\A\\?.exe", "c:\\a\\bb.exe"));
}

TEST(Allowlist, DefaultEntriesAreFullPathsWithSigner) {
  auto cfg = config::default_config();
  ASSERT_FALSE(cfg.allowlist.empty());
  std::set<std::string> categories;
  for (const auto& e : cfg.allowlist) {
    categories.insert(e.category);
    for (const auto& p : e.process_path) EXPECT_TRUE(p.find('\\') != std::string::npos) << e.name;
    if (!e.process_path.empty()) {
      EXPECT_FALSE(e.signer.empty()) << e.name;
    }
  }
  for (const char* c : {"it_management", "security_agent", "cloud_sync", "vpn"}) EXPECT_TRUE(categories.count(c)) << c;
}

}  // namespace
}  // namespace c2hunt::testing

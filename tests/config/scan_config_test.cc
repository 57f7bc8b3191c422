#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "c2hunt/config/scan_config.h"
#include "c2hunt/signals/signal_set.h"
#include "test_support.h"

namespace c2hunt::testing {
namespace {

std::string config_error(const std::string& yaml) {
  try {
    config::load_config(yaml, "user.yaml");
  } catch (const config::ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(ScanConfig, DefaultLoadsWithEverySignal) {
  auto cfg = config::default_config();
  for (const auto& id : signals::all_signal_ids()) {
    ASSERT_TRUE(cfg.signals.count(id)) << id << " has no entry in config/default.yaml";
    EXPECT_GT(cfg.weight(id), 0.0) << id;
  }
  EXPECT_EQ(cfg.signals.size(), signals::all_signal_ids().size()) << "a config signal the code does not emit";
  EXPECT_EQ(cfg.min_level, config::Level::medium);
  EXPECT_TRUE(cfg.is_local(*IpAddress::parse("100.64.1.1")));
  EXPECT_TRUE(cfg.is_local(*IpAddress::parse("fd12::1")));
  EXPECT_FALSE(cfg.is_local(*IpAddress::parse("8.8.8.8")));
  EXPECT_EQ(config::rule_info().id, "df00tech-t1573");
}

TEST(ScanConfig, EverySignalIsDocumented) {
  std::ifstream in(source_dir() + "/docs/detections.md");
  ASSERT_TRUE(in) << "docs/detections.md missing";
  std::stringstream text;
  text << in.rdbuf();
  for (const auto& id : signals::all_signal_ids())
    EXPECT_NE(text.str().find("### `" + id + "`"), std::string::npos) << id << " has no section in docs/detections.md";
}

TEST(ScanConfig, OverrideMergesOverDefaults) {
  auto cfg = config::load_config(
      "signals:\n  tls.no_sni:\n    weight: 0.1\nscoring:\n  min_level: low\n"
      "allowlist_add:\n  - name: payroll\n    category: internal_app\n    action: suppress\n"
      "    match: {domain_suffix: [corp.example], port: 8443}\n",
      "user.yaml");
  EXPECT_DOUBLE_EQ(cfg.weight("tls.no_sni"), 0.1);
  EXPECT_DOUBLE_EQ(cfg.weight("cert.self_signed"), config::default_config().weight("cert.self_signed"));
  EXPECT_EQ(cfg.min_level, config::Level::low);
  EXPECT_EQ(cfg.allowlist.size(), config::default_config().allowlist.size() + 1);
  EXPECT_EQ(cfg.allowlist.back().port, std::vector<uint16_t>{8443});
  auto replaced = config::load_config("allowlist: []\n", "user.yaml");
  EXPECT_TRUE(replaced.allowlist.empty());
}

// Every load merges over a freshly parsed default (yaml-cpp ties the memory of two trees together
// when a node of one is assigned into the other): repeated loads must neither see each other's
// overrides nor change the defaults.
TEST(ScanConfig, OverrideDoesNotLeakIntoLaterLoads) {
  const double weight = config::default_config().weight("tls.no_sni");
  const double medium = config::default_config().level_medium;
  for (int i = 0; i < 3; ++i) {
    auto cfg = config::load_config("signals:\n  tls.no_sni:\n    weight: 0.05\nscoring:\n  levels:\n    medium: 41\n",
                                   "user.yaml");
    EXPECT_DOUBLE_EQ(cfg.weight("tls.no_sni"), 0.05);
  }
  EXPECT_DOUBLE_EQ(config::default_config().weight("tls.no_sni"), weight);
  EXPECT_DOUBLE_EQ(config::default_config().level_medium, medium);
  EXPECT_DOUBLE_EQ(config::load_config("scoring:\n  min_level: low\n", "other.yaml").weight("tls.no_sni"), weight);
}

TEST(ScanConfigErrors, UnknownKeyNamesKeyAndLine) {
  std::string e = config_error("scoring:\n  levels:\n    hihg: 50\n");
  EXPECT_NE(e.find("user.yaml:3"), std::string::npos) << e;
  EXPECT_NE(e.find("scoring.levels.hihg"), std::string::npos) << e;
  EXPECT_NE(e.find("unknown key"), std::string::npos) << e;
}

TEST(ScanConfigErrors, BadValues) {
  std::string e = config_error("signals:\n  cert.expired:\n    weight: 1.5\n");
  EXPECT_NE(e.find("signals.cert.expired.weight"), std::string::npos) << e;
  EXPECT_NE(e.find(":3:"), std::string::npos) << e;
  e = config_error("limits:\n  max_channels: lots\n");
  EXPECT_NE(e.find("limits.max_channels"), std::string::npos) << e;
  EXPECT_NE(e.find(":2:"), std::string::npos) << e;
  e = config_error("local_networks: [10.0.0.0/8, not-a-net]\n");
  EXPECT_NE(e.find("not-a-net"), std::string::npos) << e;
  e = config_error("scoring:\n  levels: {low: 80}\n");
  EXPECT_NE(e.find("scoring.levels"), std::string::npos) << e;
  e = config_error("analysis: [1, 2]\n");
  EXPECT_NE(e.find("must be a mapping"), std::string::npos) << e;
  e = config_error("scoring:\n  min_level: severe\n");
  EXPECT_NE(e.find("scoring.min_level"), std::string::npos) << e;
  e = config_error("scoring:\n  common_destination:\n    min_host_share: 2\n");
  EXPECT_NE(e.find("scoring.common_destination.min_host_share"), std::string::npos) << e;
  e = config_error("scoring:\n  common_destination:\n    signals: [beacon.periodc]\n");
  EXPECT_NE(e.find("'beacon.periodc' is not a signal id"), std::string::npos) << e;
}

TEST(ScanConfig, CommonDestinationThresholds) {
  auto cfg = config::load_config("scoring:\n  common_destination: {min_host_share: 0.8, min_hosts: 200}\n", "user.yaml");
  EXPECT_DOUBLE_EQ(cfg.common_destination_min_share, 0.8);
  EXPECT_EQ(cfg.common_destination_min_hosts, 200u);
  EXPECT_DOUBLE_EQ(config::default_config().common_destination_min_share, 0.5);
}

TEST(ScanConfigErrors, InvalidYamlHasLine) {
  std::string e = config_error("signals:\n  tls.no_sni: {weight: 0.3\n");
  EXPECT_NE(e.find("user.yaml:"), std::string::npos) << e;
  EXPECT_NE(e.find("not valid YAML"), std::string::npos) << e;
}

TEST(ScanConfigErrors, AllowlistRefusesBareNamesAndBadEntries) {
  std::string e = config_error(
      "allowlist_add:\n  - name: x\n    category: vpn\n    action: suppress\n    match:\n      process_path: [openvpn.exe]\n");
  EXPECT_NE(e.find("bare process name"), std::string::npos) << e;
  EXPECT_NE(e.find(":6:"), std::string::npos) << e;
  e = config_error("allowlist_add:\n  - name: x\n    category: friends\n    action: suppress\n    match: {port: 1}\n");
  EXPECT_NE(e.find("category"), std::string::npos) << e;
  e = config_error("allowlist_add:\n  - name: x\n    category: vpn\n    action: ignore\n    match: {port: 1}\n");
  EXPECT_NE(e.find("action"), std::string::npos) << e;
  e = config_error("allowlist_add:\n  - name: x\n    category: vpn\n    action: suppress\n    match: {}\n");
  EXPECT_NE(e.find("match"), std::string::npos) << e;
  e = config_error("allowlist_add:\n  - name: x\n    category: vpn\n    action: suppress\n    match: {prot: 1}\n");
  EXPECT_NE(e.find("unknown condition"), std::string::npos) << e;
}

TEST(ScanConfigErrors, MissingFile) {
  EXPECT_THROW(config::load_config_file("/nonexistent/c2hunt.yaml"), config::ConfigError);
}

}  // namespace
}  // namespace c2hunt::testing

// What scoring reads from the configuration: signal weights, level thresholds, the allowlist, and the
// identifiers of the rule the alerts implement. The config stage fills it; scoring and sinks read it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "c2hunt/signals/signal_settings.h"
#include "c2hunt/util/ip_address.h"

namespace c2hunt::scoring {

enum class Level { informational = 0, low = 1, medium = 2, high = 3, critical = 4 };
const char* level_name(Level level);
std::optional<Level> parse_level(std::string_view text);

enum class AllowAction { suppress, downgrade };
const char* allow_action_name(AllowAction a);

struct AllowlistEntry {
  std::string name;
  std::string category;  // internal_app, it_management, security_agent, cloud_sync, vpn
  AllowAction action = AllowAction::suppress;
  std::vector<std::string> domain_suffix;   // matches the channel's destination name
  std::vector<IpNetwork> destination;       // IP or CIDR
  std::vector<uint16_t> port;
  std::vector<std::string> fingerprint;     // ja3 / ja4 / ja4x / ja3s / certificate sha1 (lowercase)
  std::vector<IpNetwork> source;            // source IP or CIDR
  std::vector<std::string> source_host;     // host name from host telemetry (case-insensitive)
  std::vector<std::string> process_path;    // full-path globs
  std::vector<std::string> signer;          // exact signer subject (case-insensitive)
  std::vector<std::string> parent_path;     // full-path globs
  int line = 0;                             // where it was defined, for messages
};

// The identifiers of the rule the alerts implement (rule/t1573.yml, embedded).
struct RuleInfo {
  std::string id, title, level;
  std::vector<std::string> tags, references;
};
struct ScoringConfig : signals::SignalConfig {
  // Score thresholds of low, medium, high, critical (informational is everything below low).
  double level_low = 0, level_medium = 0, level_high = 0, level_critical = 0;
  Level min_level = Level::medium;
  double downgrade_factor = 0.5;
  // A destination reached by at least this share of the sources is common, and its channels are
  // downgraded like an allowlist "downgrade" entry (RITA's prevalence modifier); only in data with
  // at least common_destination_min_hosts sources, where "most of the network" means something.
  double common_destination_min_share = 0.5;
  size_t common_destination_min_hosts = 50;
  // ... and only when every fired signal is one of these (timing and volume, which popular services
  // show too): a certificate, intel, handshake or process finding keeps its full score.
  std::vector<std::string> common_destination_signals;
  std::vector<std::string> weak_signals;
  std::vector<AllowlistEntry> allowlist;

  Level level_for(double score) const;
};

}  // namespace c2hunt::scoring

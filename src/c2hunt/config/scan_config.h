// The configuration of `c2hunt scan`: the embedded config/default.yaml with an optional user file
// merged over it. The default file is also the schema: a user key the default does not have, or a
// value of another shape, is an error naming the key and its line.
#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "c2hunt/util/ip_address.h"

namespace c2hunt::config {

enum class Level { informational = 0, low = 1, medium = 2, high = 3, critical = 4 };
const char* level_name(Level level);
std::optional<Level> parse_level(std::string_view text);

// A bad configuration: the message names the file, the key and the line.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Weight and parameters of one signal id (signals.<id> in the config).
struct SignalSettings {
  double weight = 0;
  std::map<std::string, double, std::less<>> numbers;
  std::map<std::string, std::vector<std::string>, std::less<>> lists;
  std::map<std::string, bool, std::less<>> flags;

  // The default config defines every parameter the code reads, so a missing one is a programming error.
  double number(std::string_view name) const;
  const std::vector<std::string>& list(std::string_view name) const;
  bool flag(std::string_view name) const;
};

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

struct ScanConfig {
  std::vector<IpNetwork> local_networks;
  bool external_only = false;
  bool include_inbound = false;

  size_t max_channels = 0;
  size_t samples_per_channel = 0;
  size_t certificates_per_channel = 0;
  size_t fingerprints_per_channel = 0;
  size_t sample_connection_ids = 0;
  size_t max_intel_entries = 0;

  // Score thresholds of low, medium, high, critical (informational is everything below low).
  double level_low = 0, level_medium = 0, level_high = 0, level_critical = 0;
  Level min_level = Level::medium;
  double downgrade_factor = 0.5;
  std::vector<std::string> weak_signals;

  std::vector<std::string> intel_files;
  bool builtin_intel = true;

  std::map<std::string, SignalSettings, std::less<>> signals;
  std::vector<AllowlistEntry> allowlist;

  const SignalSettings& signal(std::string_view id) const;  // throws std::out_of_range for an unknown id
  double weight(std::string_view id) const;
  Level level_for(double score) const;
  bool is_local(const IpAddress& ip) const;
};

// The identifiers of the rule the alerts implement (rule/t1573.yml, embedded).
struct RuleInfo {
  std::string id, title, level;
  std::vector<std::string> tags, references;
};
const RuleInfo& rule_info();

// The embedded default.
ScanConfig default_config();
// The default with the YAML text `override_yaml` merged over it; `origin` names it in messages.
ScanConfig load_config(std::string_view override_yaml, std::string_view origin);
// Reads FILE and merges it over the default. Throws ConfigError.
ScanConfig load_config_file(const std::string& path);

}  // namespace c2hunt::config

// The configuration of `c2hunt scan`: the embedded config/default.yaml with an optional user file
// merged over it. The default file is also the schema: a user key the default does not have, or a
// value of another shape, is an error naming the key and its line.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "c2hunt/scoring/scoring_config.h"
#include "c2hunt/signals/signal_settings.h"
#include "c2hunt/util/ip_address.h"

namespace c2hunt::config {

using scoring::AllowAction;
using scoring::allow_action_name;
using scoring::AllowlistEntry;
using scoring::Level;
using scoring::level_name;
using scoring::parse_level;
using scoring::RuleInfo;
using signals::SignalSettings;

// A bad configuration: the message names the file, the key and the line.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ScanConfig : scoring::ScoringConfig {
  std::vector<IpNetwork> local_networks;
  bool external_only = false;
  bool include_inbound = false;

  size_t max_channels = 0;
  size_t samples_per_channel = 0;
  size_t certificates_per_channel = 0;
  size_t fingerprints_per_channel = 0;
  size_t sample_connection_ids = 0;
  size_t max_intel_entries = 0;

  std::vector<std::string> intel_files;
  bool builtin_intel = true;

  bool is_local(const IpAddress& ip) const;
};

// The identifiers of the rule (rule/t1573.yml, embedded).
const RuleInfo& rule_info();
// The embedded default.
ScanConfig default_config();
// The default with the YAML text `override_yaml` merged over it; `origin` names it in messages.
ScanConfig load_config(std::string_view override_yaml, std::string_view origin);
// Reads FILE and merges it over the default. Throws ConfigError.
ScanConfig load_config_file(const std::string& path);

}  // namespace c2hunt::config

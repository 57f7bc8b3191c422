// What the signals read from the configuration: each signal id's weight and parameters. The config
// stage fills it from config/default.yaml; signals only read it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "c2hunt/util/string_map.h"

namespace c2hunt::signals {

// Weight and parameters of one signal id (signals.<id> in the config).
struct SignalSettings {
  double weight = 0;
  // Hashed, not ordered: signals read them for every connection and channel.
  StringMap<double> numbers;
  StringMap<std::vector<std::string>> lists;
  StringMap<bool> flags;

  // The default config defines every parameter the code reads, so a missing one is a programming error.
  double number(std::string_view name) const;
  const std::vector<std::string>& list(std::string_view name) const;
  bool flag(std::string_view name) const;
};

struct SignalConfig {
  StringMap<SignalSettings> signals;

  const SignalSettings& signal(std::string_view id) const;  // throws std::out_of_range for an unknown id
  double weight(std::string_view id) const;                 // 0 for an unknown id
};

}  // namespace c2hunt::signals

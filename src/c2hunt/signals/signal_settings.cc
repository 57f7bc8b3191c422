#include "c2hunt/signals/signal_settings.h"

#include <stdexcept>

#include <fmt/format.h>

namespace c2hunt::signals {

double SignalSettings::number(std::string_view name) const {
  auto it = numbers.find(name);
  if (it == numbers.end()) throw std::out_of_range(fmt::format("signal parameter '{}' missing", name));
  return it->second;
}
const std::vector<std::string>& SignalSettings::list(std::string_view name) const {
  auto it = lists.find(name);
  if (it == lists.end()) throw std::out_of_range(fmt::format("signal list '{}' missing", name));
  return it->second;
}
bool SignalSettings::flag(std::string_view name) const {
  auto it = flags.find(name);
  if (it == flags.end()) throw std::out_of_range(fmt::format("signal flag '{}' missing", name));
  return it->second;
}

const SignalSettings& SignalConfig::signal(std::string_view id) const {
  auto it = signals.find(id);
  if (it == signals.end()) throw std::out_of_range(fmt::format("no configuration for signal '{}'", id));
  return it->second;
}

double SignalConfig::weight(std::string_view id) const {
  auto it = signals.find(id);
  return it == signals.end() ? 0.0 : it->second.weight;
}

}  // namespace c2hunt::signals

#include "c2hunt/signals/evidence.h"

#include <algorithm>

#include <fmt/format.h>

namespace c2hunt::signals {

channels::SignalTally& ConnectionFindings::tally(std::string_view id) {
  auto it = channel_.tallies.find(id);
  if (it == channel_.tallies.end()) it = channel_.tallies.emplace(std::string(id), channels::SignalTally{}).first;
  return it->second;
}

void ConnectionFindings::fire(std::string_view id, double strength, std::string detail) {
  auto& t = tally(id);
  ++t.hits;
  strength = std::clamp(strength, 0.0, 1.0);
  if (t.hits == 1 || strength > t.max_strength) {
    t.max_strength = strength;
    t.detail = std::move(detail);
  }
}

void ConnectionFindings::pass(std::string_view id) { ++tally(id).passes; }

void ConnectionFindings::not_evaluated(std::string_view id, std::string_view reason) {
  auto& t = tally(id);
  if (t.not_evaluated++ == 0) t.not_evaluated_reason = std::string(reason);
}

void ChannelFindings::fire(std::string_view id, double strength, std::string detail) {
  evidence.push_back({std::string(id), std::clamp(strength, 0.0, 1.0), 0.0, std::move(detail)});
}

void collect_tallies(const channels::Channel& channel, ChannelFindings& out) {
  for (const auto& [id, t] : channel.tallies) {
    if (t.hits > 0) {
      std::string detail = t.detail;
      if (channel.connections > 1) detail += fmt::format(" ({} of {} connections)", t.hits, channel.connections);
      out.fire(id, t.max_strength, std::move(detail));
    } else if (t.passes == 0 && t.not_evaluated > 0) {
      out.skip(id, t.not_evaluated_reason);
    }
  }
}

}  // namespace c2hunt::signals

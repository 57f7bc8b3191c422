// What signals produce: evidence (a fired signal with its strength and the values that made it
// fire) and "not evaluated" marks for signals whose input the source does not provide.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <optional>

#include "c2hunt/channels/channel.h"
#include "c2hunt/signals/beacon.h"

namespace c2hunt::signals {

struct Evidence {
  std::string signal;
  double strength = 0;   // [0,1]
  double weight = 0;     // from the config, filled by scoring
  std::string detail;
};

struct NotEvaluated {
  std::string signal;
  std::string reason;
};

// Records per-connection outcomes into the channel's tallies.
class ConnectionFindings {
 public:
  explicit ConnectionFindings(channels::Channel& channel) : channel_(channel) {}
  void fire(std::string_view id, double strength, std::string detail);
  void pass(std::string_view id);
  void not_evaluated(std::string_view id, std::string_view reason);

 private:
  channels::SignalTally& tally(std::string_view id);
  channels::Channel& channel_;
};

// Channel-level outcomes.
struct ChannelFindings {
  std::vector<Evidence> evidence;
  std::vector<NotEvaluated> not_evaluated;
  std::optional<BeaconResult> beacon;  // when the beacon analysis evaluated the channel
  void fire(std::string_view id, double strength, std::string detail);
  void skip(std::string_view id, std::string reason) { not_evaluated.push_back({std::string(id), std::move(reason)}); }
};

// Turns the per-connection tallies of a channel into evidence/not-evaluated entries: a signal that
// hit any connection is evidence (strongest hit, with "k of n connections"); one that no connection
// could evaluate is not evaluated.
void collect_tallies(const channels::Channel& channel, ChannelFindings& out);

}  // namespace c2hunt::signals

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

// The per-connection signal ids (tallied into channels::SignalTallies slots), sorted.
const std::vector<std::string_view>& connection_signal_ids();
// The slot of a per-connection signal id; throws std::logic_error for any other id.
size_t connection_signal_slot(std::string_view id);

// Records per-connection outcomes into the channel's tallies.
class ConnectionFindings {
 public:
  explicit ConnectionFindings(channels::Channel& channel) : channel_(channel) {}
  void fire(std::string_view id, double strength, std::string detail);
  // Formats the detail only when this hit becomes the channel's strongest (most hits are not).
  template <typename MakeDetail>
  void fire_with(std::string_view id, double strength, MakeDetail&& make_detail) {
    if (auto* hit = record_hit(connection_signal_slot(id), strength)) hit->detail = make_detail();
  }
  void pass(std::string_view id);
  void not_evaluated(std::string_view id, std::string_view reason);

 private:
  // Counts the hit; returns the tally when its detail must be replaced.
  channels::SignalTallies::Hit* record_hit(size_t slot, double strength);
  channels::Channel& channel_;
};

// Channel-level outcomes.
// How much of the data's population reaches a channel's destination: a fact for scoring, which
// downgrades destinations most of the network uses (docs/detections.md, "Common destinations").
struct DestinationReach {
  uint32_t hosts_reaching = 0;  // distinct in-scope sources that reach the destination
  uint32_t hosts = 0;           // distinct in-scope sources in the data
};

struct ChannelFindings {
  std::vector<Evidence> evidence;
  std::vector<NotEvaluated> not_evaluated;
  std::optional<BeaconResult> beacon;  // when the beacon analysis evaluated the channel
  std::optional<DestinationReach> destination_reach;  // when the prevalence was counted
  // False: skip() records nothing (a first pass over channels that mostly have no evidence, whose
  // not-evaluated list would be thrown away).
  bool record_not_evaluated = true;
  void fire(std::string_view id, double strength, std::string detail);
  void skip(std::string_view id, std::string reason) {
    if (record_not_evaluated) not_evaluated.push_back({std::string(id), std::move(reason)});
  }
  // skip() with a reason worth formatting only when it is recorded.
  template <typename MakeReason>
  void skip_with(std::string_view id, MakeReason&& make_reason) {
    if (record_not_evaluated) not_evaluated.push_back({std::string(id), make_reason()});
  }
};

// Turns the per-connection tallies of a channel into evidence/not-evaluated entries: a signal that
// hit any connection is evidence (strongest hit, with "k of n connections"); one that no connection
// could evaluate is not evaluated.
void collect_tallies(const channels::Channel& channel, ChannelFindings& out);

}  // namespace c2hunt::signals

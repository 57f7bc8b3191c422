// What signals produce: evidence (a fired signal with its strength and the values that made it
// fire) and "not evaluated" marks for signals whose input the source does not provide.
#pragma once

#include <cstddef>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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
inline constexpr std::string_view kConnectionSignalIds[] = {
    "cert.default_subject", "cert.expired",      "cert.name_mismatch",     "cert.newly_issued",
    "cert.self_signed",     "cert.short_validity", "crypto.custom",        "intel.certificate",
    "intel.fingerprint",    "tls.no_sni",        "tls.nonstandard_port",   "tls.not_tls_on_tls_port",
    "tls.obsolete_handshake"};
static_assert(std::size(kConnectionSignalIds) <= channels::SignalTallies::kSlots);

// A per-connection signal id, checked and given its tally slot at compile time: outcomes are
// recorded several times for every connection, and looking the slot up by name was a tenth of the
// engine thread's instructions. A misspelt id does not compile.
class ConnectionSignal {
 public:
  template <size_t N>
  consteval ConnectionSignal(const char (&id)[N]) : slot_(slot_of(std::string_view(id, N - 1))) {}
  constexpr size_t slot() const { return slot_; }
  constexpr std::string_view id() const { return kConnectionSignalIds[slot_]; }
  constexpr operator std::string_view() const { return id(); }

 private:
  static consteval size_t slot_of(std::string_view id) {
    for (size_t i = 0; i < std::size(kConnectionSignalIds); ++i)
      if (kConnectionSignalIds[i] == id) return i;
    throw "not a per-connection signal id";  // not a constant expression: the call does not compile
  }
  size_t slot_;
};

// Records per-connection outcomes into the channel's tallies.
class ConnectionFindings {
 public:
  explicit ConnectionFindings(channels::Channel& channel) : channel_(channel) {}
  void fire(ConnectionSignal id, double strength, std::string detail);
  // Formats the detail only when this hit becomes the channel's strongest (most hits are not).
  template <typename MakeDetail>
  void fire_with(ConnectionSignal id, double strength, MakeDetail&& make_detail) {
    if (auto* hit = record_hit(id.slot(), strength)) hit->detail = make_detail();
  }
  void pass(ConnectionSignal id);
  void not_evaluated(ConnectionSignal id, std::string_view reason);

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
  void skip(std::string_view id, std::string_view reason) {
    if (record_not_evaluated) not_evaluated.push_back({std::string(id), std::string(reason)});
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

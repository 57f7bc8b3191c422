// Combines a channel's evidence into a 0-100 score and a Sigma level, applies the allowlist, and
// picks the ATT&CK sub-technique. Formula (docs/detections.md, "Scoring"):
//   score = 100 * (1 - prod_i (1 - weight_i * strength_i))
// a noisy-OR: each signal alone contributes at most 100*weight; independent signals add up toward
// 100 without exceeding it; order does not matter.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "c2hunt/channels/channel.h"
#include "c2hunt/scoring/scoring_config.h"
#include "c2hunt/signals/evidence.h"

namespace c2hunt::scoring {

struct ScoredChannel {
  const channels::Channel* channel = nullptr;
  std::vector<signals::Evidence> evidence;        // strongest contribution first
  std::vector<signals::NotEvaluated> not_evaluated;
  std::optional<signals::BeaconResult> beacon;
  double raw_score = 0;                           // before any allowlist downgrade
  double score = 0;
  Level level = Level::informational;
  const AllowlistEntry* allowlisted = nullptr;
  // Set when the destination is common (ScoringConfig::common_destination_*): the score was downgraded.
  std::optional<signals::DestinationReach> common_destination;
  bool suppressed = false;
  std::string subtechnique;                       // T1573.001 (custom) or T1573.002 (TLS/asymmetric)
};

double combine(const std::vector<signals::Evidence>& evidence);
// Both score and level; sorts the evidence by contribution (weight*strength desc, then id).
ScoredChannel score_channel(const channels::Channel& ch, signals::ChannelFindings findings,
                            const ScoringConfig& config);

// Deterministic alert order: severity desc, then channel key.
void sort_alerts(std::vector<ScoredChannel>& alerts);

}  // namespace c2hunt::scoring

#include "c2hunt/scoring/scoring_config.h"

namespace c2hunt::scoring {

const char* level_name(Level level) {
  switch (level) {
    case Level::informational: return "informational";
    case Level::low: return "low";
    case Level::medium: return "medium";
    case Level::high: return "high";
    case Level::critical: return "critical";
  }
  return "informational";
}

std::optional<Level> parse_level(std::string_view text) {
  for (Level l : {Level::informational, Level::low, Level::medium, Level::high, Level::critical})
    if (text == level_name(l)) return l;
  return std::nullopt;
}

const char* allow_action_name(AllowAction a) { return a == AllowAction::suppress ? "suppress" : "downgrade"; }

Level ScoringConfig::level_for(double score) const {
  if (score >= level_critical) return Level::critical;
  if (score >= level_high) return Level::high;
  if (score >= level_medium) return Level::medium;
  if (score >= level_low) return Level::low;
  return Level::informational;
}

}  // namespace c2hunt::scoring

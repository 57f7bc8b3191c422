#include "c2hunt/scoring/score.h"

#include <algorithm>

#include "c2hunt/scoring/allowlist.h"

namespace c2hunt::scoring {

double combine(const std::vector<signals::Evidence>& evidence) {
  double keep = 1.0;
  for (const auto& e : evidence) keep *= 1.0 - std::clamp(e.weight * e.strength, 0.0, 1.0);
  return 100.0 * (1.0 - keep);
}

ScoredChannel score_channel(const channels::Channel& ch, signals::ChannelFindings findings,
                            const ScoringConfig& config) {
  ScoredChannel s;
  s.channel = &ch;
  s.evidence = std::move(findings.evidence);
  s.not_evaluated = std::move(findings.not_evaluated);
  s.beacon = std::move(findings.beacon);
  for (auto& e : s.evidence) e.weight = config.weight(e.signal);
  std::sort(s.evidence.begin(), s.evidence.end(), [](const auto& a, const auto& b) {
    double ca = a.weight * a.strength, cb = b.weight * b.strength;
    return ca != cb ? ca > cb : a.signal < b.signal;
  });
  std::sort(s.not_evaluated.begin(), s.not_evaluated.end(),
            [](const auto& a, const auto& b) { return a.signal < b.signal; });
  s.raw_score = combine(s.evidence);
  s.score = s.raw_score;
  const auto& reach = findings.destination_reach;
  const auto& behavioural = config.common_destination_signals;
  if (reach && reach->hosts >= config.common_destination_min_hosts &&
      reach->hosts_reaching >= config.common_destination_min_share * reach->hosts &&
      std::all_of(s.evidence.begin(), s.evidence.end(), [&](const signals::Evidence& e) {
        return std::find(behavioural.begin(), behavioural.end(), e.signal) != behavioural.end();
      }))
    s.common_destination = reach;
  s.allowlisted = match_allowlist(config.allowlist, ch);
  bool downgraded = s.common_destination.has_value();
  if (s.allowlisted) {
    if (s.allowlisted->action == AllowAction::suppress)
      s.suppressed = true;
    else
      downgraded = true;
  }
  // One downgrade however many reasons: both say "legitimate look-alike", not two independent facts.
  if (downgraded) s.score = s.raw_score * config.downgrade_factor;
  s.level = config.level_for(s.score);
  bool custom = std::any_of(s.evidence.begin(), s.evidence.end(), [](const auto& e) { return e.signal == "crypto.custom"; });
  s.subtechnique = custom && ch.tls_connections == 0 ? "T1573.001" : "T1573.002";
  return s;
}

void sort_alerts(std::vector<ScoredChannel>& alerts) {
  std::sort(alerts.begin(), alerts.end(), [](const ScoredChannel& a, const ScoredChannel& b) {
    if (a.score != b.score) return a.score > b.score;
    return a.channel->key < b.channel->key;
  });
}

}  // namespace c2hunt::scoring

// Writes scored channels as ECS alerts, one JSON line each (fields: docs/alerts.md).
#pragma once

#include <cstdio>

#include "c2hunt/scoring/scoring_config.h"
#include "c2hunt/scoring/score.h"
#include "c2hunt/sinks/json_writer.h"

namespace c2hunt::sinks {

constexpr int kAlertSchemaVersion = 1;

void write_alert(JsonWriter& w, const scoring::ScoredChannel& alert, const scoring::RuleInfo& rule);

class AlertJsonSink {
 public:
  AlertJsonSink(std::FILE* out, const scoring::RuleInfo& rule) : out_(out), rule_(rule) {}
  void write(const scoring::ScoredChannel& alert);

 private:
  std::FILE* out_;
  const scoring::RuleInfo& rule_;
  JsonWriter writer_;
};

}  // namespace c2hunt::sinks

// Writes scored channels as a readable table (most severe first, as given), one line of top evidence
// under each. Every untrusted string goes through escape_for_terminal.
#pragma once

#include <cstdio>
#include <vector>

#include "c2hunt/scoring/score.h"

namespace c2hunt::sinks {

void write_alert_table(std::FILE* out, const std::vector<const scoring::ScoredChannel*>& alerts);

}  // namespace c2hunt::sinks

// Beaconing: is a channel's callback schedule periodic? RITA v5's score (for comparison and as a
// part) plus a periodicity test that stays reliable under Cobalt Strike and Empire jitter.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "c2hunt/util/time_format.h"

namespace c2hunt::signals {

struct BeaconParams {
  size_t min_callbacks = 6;          // fewer successful connections: not evaluated
  double max_jitter = 0.6;           // beyond this relative spread a schedule is not called periodic
  TimeMicros window = 24LL * 3600 * kMicrosPerSecond;  // RITA's analysis window
};

struct BeaconInput {
  std::vector<TimeMicros> start_times;   // successful connections only (not S0/REJ), any order
  std::vector<uint64_t> orig_bytes;      // per connection, same order as start_times (may be empty)
  TimeMicros window_start = 0, window_end = 0;  // the data's time span
};

struct RitaScore {
  double timestamp = 0, data_size = 0, duration = 0, histogram = 0, total = 0;
};

struct BeaconResult {
  bool evaluated = false;            // enough callbacks to judge
  double strength = 0;               // [0,1]: how sure the schedule is a beacon
  size_t callbacks = 0;
  double median_interval_s = 0;
  double jitter = 0;                 // estimated relative jitter, e.g. 0.3 for 30 %
  double periodicity = 0;            // the jitter-robust periodicity score [0,1]
  RitaScore rita;
  std::string detail;                // human-readable summary with the values
};

BeaconResult analyze_beacon(const BeaconInput& input, const BeaconParams& params = {});
RitaScore rita_v5_score(const BeaconInput& input, TimeMicros window);

}  // namespace c2hunt::signals

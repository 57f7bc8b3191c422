// Beaconing: is a channel's callback schedule periodic? RITA v5's score (for comparison and as a
// part) plus a periodicity test that stays reliable under Cobalt Strike and Empire jitter.
// The method, its calibration and the measured recall/false-positive table: docs/beaconing.md.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "c2hunt/util/time_format.h"

namespace c2hunt::signals {

// At most this many timestamps are analysed per channel (the most recent ones); channels should keep
// a contiguous run (ring buffer), not a random reservoir, because a reservoir destroys the gaps.
constexpr size_t kMaxBeaconSamples = 1024;

// strength at or above this means "periodic beyond reasonable doubt" (the engine's medium on its own).
constexpr double kBeaconStrongStrength = 0.7;

struct BeaconParams {
  size_t min_callbacks = 6;          // fewer callbacks (after merging bursts): not evaluated
  double max_jitter = 0.6;           // beyond this relative spread a schedule is not called periodic
  TimeMicros window = 24LL * 3600 * kMicrosPerSecond;  // RITA's analysis window
  // Connections closer than this (and closer than 5 % of the typical gap) are one callback: a beacon
  // that opens two connections per check-in must not look like two interleaved schedules.
  TimeMicros merge_gap = kMicrosPerSecond;
  size_t max_samples = kMaxBeaconSamples;
};

struct BeaconInput {
  std::vector<TimeMicros> start_times;   // successful connections only (not S0/REJ), any order
  std::vector<uint64_t> orig_bytes;      // per connection, same order as start_times (may be empty)
  TimeMicros window_start = 0, window_end = 0;  // the data's time span (0, 0: span of start_times)
};

struct RitaScore {
  double timestamp = 0, data_size = 0, duration = 0, histogram = 0, total = 0;
};

struct BeaconResult {
  bool evaluated = false;            // enough callbacks to judge
  double strength = 0;               // [0,1]: how sure the schedule is a beacon (>= 0.7: beyond doubt)
  size_t callbacks = 0;              // after merging connections of one check-in
  double median_interval_s = 0;
  double jitter = 0;                 // estimated relative jitter, half-width / centre (Empire style)
  double periodicity = 0;            // the jitter-robust periodicity score [0,1]
  RitaScore rita;
  std::string detail;                // human-readable summary with the values

  // Added by the beacon analysis (see docs/beaconing.md).
  double cs_jitter = 0;              // the same band read Cobalt Strike style: 1 - low/high
  double band_low_s = 0, band_high_s = 0;  // estimated support of the jittered interval
  double in_band_fraction = 0;       // gaps within median * (1 +- max_jitter)
  double evidence = 0;               // -log10 of the (corrected) chance that Poisson arrivals look this regular
  double trend = 0;                  // Spearman rank correlation of gap vs. position (backoff > 0)
  size_t missed_callbacks = 0;       // gaps that look like 2x or 3x the period
  size_t samples_dropped = 0;        // timestamps beyond max_samples (oldest), not analysed
};

BeaconResult analyze_beacon(const BeaconInput& input, const BeaconParams& params = {});
RitaScore rita_v5_score(const BeaconInput& input, TimeMicros window);

}  // namespace c2hunt::signals

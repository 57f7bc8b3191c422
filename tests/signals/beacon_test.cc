#include "c2hunt/signals/beacon.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>

namespace c2hunt::signals {
namespace {

constexpr TimeMicros kT0 = 1'700'000'000LL * kMicrosPerSecond;

// Portable uniform [0, 1): std::*_distribution output differs between standard libraries.
class Uniform {
 public:
  explicit Uniform(uint64_t seed) : rng_(seed) {}
  double operator()() { return static_cast<double>(rng_() >> 11) * 0x1.0p-53; }

 private:
  std::mt19937_64 rng_;
};

BeaconInput from_gaps(const std::vector<double>& gaps_s) {
  BeaconInput in;
  TimeMicros t = kT0;
  in.start_times.push_back(t);
  for (double g : gaps_s) in.start_times.push_back(t += static_cast<TimeMicros>(g * kMicrosPerSecond));
  in.orig_bytes.assign(in.start_times.size(), 300);
  return in;
}

std::vector<double> jittered(size_t n, double sleep, double lo_factor, double hi_factor, uint64_t seed) {
  Uniform u(seed);
  std::vector<double> gaps;
  for (size_t i = 0; i < n; ++i) gaps.push_back(sleep * (lo_factor + (hi_factor - lo_factor) * u()));
  return gaps;
}

TEST(Beacon, PerfectPeriodIsStrong) {
  const auto r = analyze_beacon(from_gaps(std::vector<double>(29, 60.0)));
  EXPECT_TRUE(r.evaluated);
  EXPECT_EQ(r.callbacks, 30u);
  EXPECT_DOUBLE_EQ(r.median_interval_s, 60.0);
  EXPECT_NEAR(r.jitter, 0, 1e-9);
  EXPECT_DOUBLE_EQ(r.strength, 1.0);
  EXPECT_DOUBLE_EQ(r.in_band_fraction, 1.0);
  EXPECT_NE(r.detail.find("30 callbacks, median 60.0 s"), std::string::npos) << r.detail;
}

TEST(Beacon, CobaltStrikeHalfJitterWithThirtyCallbacksIsDetected) {
  // Cobalt Strike: sleep * (1 - jitter * U), i.e. U[30, 60] s at 60 s / 50 %.
  const auto r = analyze_beacon(from_gaps(jittered(29, 60, 0.5, 1.0, 1)));
  EXPECT_TRUE(r.evaluated);
  EXPECT_GE(r.strength, kBeaconStrongStrength) << r.detail;
  EXPECT_NEAR(r.band_high_s, 60, 6) << r.detail;
  EXPECT_NEAR(r.cs_jitter, 0.5, 0.12) << r.detail;
}

TEST(Beacon, EmpireHalfJitterIsDetected) {
  // Empire: sleep * (1 + jitter * U[-1, 1]), i.e. U[150, 450] s at 300 s / 50 %.
  const auto r = analyze_beacon(from_gaps(jittered(39, 300, 0.5, 1.5, 2)));
  EXPECT_GE(r.strength, kBeaconStrongStrength) << r.detail;
  EXPECT_NEAR(r.jitter, 0.5, 0.12) << r.detail;
}

TEST(Beacon, PoissonArrivalsAreNotPeriodic) {
  for (uint64_t seed = 10; seed < 30; ++seed) {
    Uniform u(seed);
    std::vector<double> gaps;
    for (int i = 0; i < 60; ++i) gaps.push_back(-120 * std::log(1 - u()));
    const auto r = analyze_beacon(from_gaps(gaps));
    EXPECT_TRUE(r.evaluated);
    EXPECT_LT(r.strength, kBeaconStrongStrength) << r.detail;
  }
}

TEST(Beacon, BurstyBrowsingIsNotPeriodic) {
  // Sessions of 5-20 requests a few seconds apart, separated by 10-70 minutes of idle.
  for (uint64_t seed = 40; seed < 50; ++seed) {
    Uniform u(seed);
    std::vector<double> gaps;
    while (gaps.size() < 80) {
      const int session = 5 + static_cast<int>(u() * 16);
      for (int i = 0; i < session; ++i) gaps.push_back(1.5 - 6 * std::log(1 - u()));
      gaps.push_back(600 + 3600 * u());
    }
    const auto r = analyze_beacon(from_gaps(gaps));
    EXPECT_LT(r.strength, kBeaconStrongStrength) << r.detail;
  }
}

TEST(Beacon, ExponentialBackoffIsNotPeriodic) {
  // Retry episodes 2, 4, 8, ... s (+-20 %) after failures, an hour apart.
  Uniform u(7);
  std::vector<double> gaps;
  for (int episode = 0; episode < 8; ++episode) {
    for (int k = 0; k < 6; ++k) gaps.push_back(2 * std::pow(2.0, k) * (0.8 + 0.4 * u()));
    gaps.push_back(3600);
  }
  EXPECT_LT(analyze_beacon(from_gaps(gaps)).strength, kBeaconStrongStrength);

  // A slow backoff (x1.04 per retry) stays inside a 3x band: only the growth test rejects it.
  std::vector<double> slow;
  for (int k = 0; k < 30; ++k) slow.push_back(20 * std::pow(1.04, k) * (0.97 + 0.06 * u()));
  const auto r = analyze_beacon(from_gaps(slow));
  EXPECT_GT(r.trend, 0.9) << r.detail;
  EXPECT_GE(r.in_band_fraction, 0.85) << r.detail;
  EXPECT_LT(r.strength, kBeaconStrongStrength) << r.detail;
}

TEST(Beacon, DriftInsideATightBandIsNotBackoff) {
  std::vector<double> drift;
  for (int k = 0; k < 30; ++k) drift.push_back(60 + 0.1 * k);
  const auto r = analyze_beacon(from_gaps(drift));
  EXPECT_GT(r.trend, 0.9);
  EXPECT_GE(r.strength, kBeaconStrongStrength) << r.detail;
}

TEST(Beacon, TooFewCallbacksAreNotEvaluated) {
  const auto r = analyze_beacon(from_gaps({60, 60, 60, 60}));
  EXPECT_FALSE(r.evaluated);
  EXPECT_EQ(r.callbacks, 5u);
  EXPECT_EQ(r.strength, 0);
  EXPECT_FALSE(analyze_beacon(BeaconInput{}).evaluated);
}

TEST(Beacon, DuplicateAndUnsortedTimestampsAreHandled) {
  BeaconInput in = from_gaps(std::vector<double>(29, 60.0));
  const auto sorted = analyze_beacon(in);
  const size_t n = in.start_times.size();
  for (size_t i = 0; i < n; ++i) {
    in.start_times.push_back(in.start_times[i]);  // exact duplicate
    in.start_times.push_back(in.start_times[i] + 300'000);  // second connection of the same check-in
  }
  in.orig_bytes.assign(in.start_times.size(), 300);
  std::mt19937_64 shuffle_rng(3);
  std::shuffle(in.start_times.begin(), in.start_times.end(), shuffle_rng);
  const auto r = analyze_beacon(in);
  EXPECT_EQ(r.callbacks, 30u);
  EXPECT_DOUBLE_EQ(r.strength, sorted.strength);
  EXPECT_NEAR(r.median_interval_s, 60.0, 1e-9);
}

TEST(Beacon, MissedCallbacksAreTolerated) {
  std::vector<double> gaps = jittered(40, 60, 0.9, 1.0, 5);
  for (size_t i : {3u, 7u, 11u, 15u, 19u, 23u, 27u, 31u}) gaps[i] += 60 * (0.9 + 0.1 * (i % 2));
  for (size_t i : {9u, 33u}) gaps[i] = 7;  // stray extra connections: 10 of 40 gaps off the band
  const auto r = analyze_beacon(from_gaps(gaps));
  EXPECT_EQ(r.missed_callbacks, 8u) << r.detail;
  EXPECT_GE(r.strength, kBeaconStrongStrength) << r.detail;
}

TEST(Beacon, OnlyTheMostRecentSamplesAreAnalysed) {
  BeaconInput in = from_gaps(std::vector<double>(2999, 30.0));
  const auto r = analyze_beacon(in);
  EXPECT_EQ(r.samples_dropped, 3000u - kMaxBeaconSamples);
  EXPECT_EQ(r.callbacks, kMaxBeaconSamples);
  EXPECT_DOUBLE_EQ(r.strength, 1.0);
}

TEST(RitaV5, HandComputedTimestampAndSizeScores) {
  // Connections at 0, 60, 120, 200, 300, 300, 420 s (+0.25 s, truncated to whole seconds) in a 24 h
  // window. Non-zero deltas sorted: 60 60 80 100 120.
  //   Quartiles (halves without the middle): Q1 = med(60, 60) = 60, Q2 = 80, Q3 = med(100, 120) = 110.
  //   IQR 50 >= 10, Bowley = (60 + 110 - 160) / 50 = 0.2 -> 0.8.
  //   |d - 80| = 20 20 0 20 40 -> MAD 20 -> (80 - 20) / 80 = 0.75.  TS = round3(0.775) = 0.775.
  // Sizes 100..700 step 100: Q1 = med(100, 200, 300) = 200, Q2 = 400, Q3 = 600 -> Bowley 0 -> 1;
  //   |b - 400| = 300 200 100 0 100 200 300 -> MAD 200 -> 0.5.  DS = 0.75.
  // One hourly bar of 24: CV = sqrt(23) > 1 -> 0; < 11 bars: no bimodal; < 6 bars: no duration.
  // Total = round3(0.25 * 0.775 + 0.25 * 0.75) = round3(0.38125) = 0.381.
  BeaconInput in;
  for (int s : {0, 60, 120, 200, 300, 300, 420}) in.start_times.push_back(kT0 + s * kMicrosPerSecond + 250'000);
  in.orig_bytes = {100, 200, 300, 400, 500, 600, 700};
  in.window_start = kT0;
  in.window_end = kT0 + 86400 * kMicrosPerSecond;
  const RitaScore s = rita_v5_score(in, 86400 * kMicrosPerSecond);
  EXPECT_DOUBLE_EQ(s.timestamp, 0.775);
  EXPECT_DOUBLE_EQ(s.data_size, 0.75);
  EXPECT_DOUBLE_EQ(s.histogram, 0);
  EXPECT_DOUBLE_EQ(s.duration, 0);
  EXPECT_DOUBLE_EQ(s.total, 0.381);
}

TEST(RitaV5, HandComputedHistogramAndDurationScores) {
  // Hours 0..10 of a 24 h window: a connection at hh:00:10 every hour, another at hh:30:10 in even
  // hours. Bars: 2 1 2 1 2 1 2 1 2 1 2, then 13 empty.
  //   Mean 17/24, CV > 1 -> 0.  Bimodal: 11 bars, bucket ceil(2 * 0.05) = 1, heights {2: 6, 1: 5}:
  //   (6 + 5) / (11 - 1) = 1.1 -> capped 1.  HIST = 1.
  //   Coverage (37810 - 10) / 86400 = 0.4375 -> ceil3 0.438; longest run 11 / 12 -> ceil3 0.917.
  //   DUR = 0.917.
  // Deltas: 11 x 1800, 5 x 3600 -> Q1 = Q2 = 1800: Bowley 0 -> 1; MAD 0 -> 1.  TS = 1.
  // Sizes 100..1700 step 100: Q1 = 450, Q2 = 900, Q3 = 1350 -> Bowley 0 -> 1; |b - 900| has median
  //   400 -> (900 - 400) / 900 = 0.5556.  DS = round3(0.7778) = 0.778.
  // Total = round3(0.25 * (1 + 0.778 + 0.917 + 1)) = round3(0.92375) = 0.924.
  BeaconInput in;
  for (int h = 0; h <= 10; ++h) {
    in.start_times.push_back(kT0 + (h * 3600 + 10) * kMicrosPerSecond);
    if (h % 2 == 0) in.start_times.push_back(kT0 + (h * 3600 + 1810) * kMicrosPerSecond);
  }
  for (size_t i = 0; i < in.start_times.size(); ++i) in.orig_bytes.push_back(100 * (i + 1));
  in.window_start = kT0;
  in.window_end = kT0 + 86400 * kMicrosPerSecond;
  const RitaScore s = rita_v5_score(in, 86400 * kMicrosPerSecond);
  EXPECT_DOUBLE_EQ(s.timestamp, 1);
  EXPECT_DOUBLE_EQ(s.data_size, 0.778);
  EXPECT_DOUBLE_EQ(s.histogram, 1);
  EXPECT_DOUBLE_EQ(s.duration, 0.917);
  EXPECT_DOUBLE_EQ(s.total, 0.924);
}

TEST(RitaV5, IneligibleChannelsScoreZero) {
  BeaconInput in = from_gaps({60, 0, 0});  // 2 unique timestamps
  EXPECT_DOUBLE_EQ(rita_v5_score(in, 86400 * kMicrosPerSecond).total, 0);
  in = from_gaps({60, 60, 60, 60});
  in.orig_bytes.clear();  // sizes are required
  EXPECT_DOUBLE_EQ(rita_v5_score(in, 86400 * kMicrosPerSecond).total, 0);
}

TEST(RitaV5, OnlyTheLastWindowOfDataIsScored) {
  // 48 hourly connections; RITA keeps the last 24 h: 25 of them, one per bar, full coverage.
  BeaconInput in = from_gaps(std::vector<double>(47, 3600.0));
  const RitaScore s = rita_v5_score(in, 86400 * kMicrosPerSecond);
  EXPECT_DOUBLE_EQ(s.timestamp, 1);
  EXPECT_DOUBLE_EQ(s.duration, 1);
  EXPECT_GT(s.histogram, 0.9);
  const auto r = analyze_beacon(in);
  EXPECT_DOUBLE_EQ(r.rita.total, s.total);
}

}  // namespace
}  // namespace c2hunt::signals

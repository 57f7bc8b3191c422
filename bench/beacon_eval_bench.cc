// Recall and false-positive evaluation of analyze_beacon against RITA v5's score on synthetic
// schedules with a fixed seed: Cobalt Strike and Empire jitter, Poisson arrivals, bursty browsing,
// exponential-backoff retries. Prints Markdown tables (docs/beaconing.md holds the latest run).
//
// Usage: beacon_eval_bench [beacon_trials=50] [benign_trials=1000] [--full]
//   --full prints every (style, jitter, sleep, count) cell; BEACON_EVAL_DEBUG=1 prints the detail of
//   each miss and false positive on stderr (=2 adds the first gaps).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "c2hunt/signals/beacon.h"

using c2hunt::TimeMicros;
using c2hunt::kMicrosPerSecond;
using c2hunt::signals::BeaconInput;

namespace {

constexpr double kDay = 86400;
constexpr double kMaxCapture = 7 * kDay;  // schedules are cut at a 7-day capture
constexpr double kMinCapture = kDay;      // and observed inside at least a 24 h capture
constexpr double kRitaHit = 0.5;

std::mt19937_64 rng(20261204);

double uniform(double a, double b) { return std::uniform_real_distribution<double>(a, b)(rng); }
double exponential(double mean) { return std::exponential_distribution<double>(1 / mean)(rng); }

// Gap generator -> schedule of start times inside a capture window, with constant-ish sizes.
template <typename NextGap>
BeaconInput make_schedule(size_t count, NextGap next_gap, double max_span = kMaxCapture) {
  std::vector<double> t{0};
  while (t.size() < count) {
    const double next = t.back() + next_gap();
    if (next > max_span) break;
    t.push_back(next);
  }
  const double span = t.back();
  const double capture = std::max(kMinCapture, span);
  const double offset = uniform(0, capture - span);
  BeaconInput in;
  in.window_start = 1'700'000'000LL * kMicrosPerSecond;
  in.window_end = in.window_start + static_cast<TimeMicros>(capture * kMicrosPerSecond);
  for (double s : t) {
    const double latency = uniform(0, 0.02);  // client/network noise on each start time
    in.start_times.push_back(in.window_start + static_cast<TimeMicros>((offset + s + latency) * kMicrosPerSecond));
    in.orig_bytes.push_back(240 + static_cast<uint64_t>(uniform(0, 20)));
  }
  return in;
}

enum class Style { kCobaltStrike, kEmpire };

struct Imperfections {
  double missed = 0;   // chance a check-in is skipped (host busy, network loss)
  double doubled = 0;  // chance a check-in opens a second connection 0.1-0.9 s later
};

BeaconInput beacon(Style style, double sleep, double jitter, size_t count, Imperfections imp = {},
                   double max_span = kMaxCapture) {
  auto draw = [&] {
    return style == Style::kCobaltStrike ? sleep * (1 - jitter * uniform(0, 1))
                                         : sleep * (1 + jitter * uniform(-1, 1));
  };
  BeaconInput in = make_schedule(count, [&] {
    double gap = draw();
    while (uniform(0, 1) < imp.missed) gap += draw();
    return gap;
  }, max_span);
  if (imp.doubled > 0) {
    const size_t n = in.start_times.size();
    for (size_t i = 0; i < n; ++i)
      if (uniform(0, 1) < imp.doubled) {
        in.start_times.push_back(in.start_times[i] + static_cast<TimeMicros>(uniform(0.1, 0.9) * kMicrosPerSecond));
        in.orig_bytes.push_back(in.orig_bytes[i]);
      }
  }
  return in;
}

BeaconInput poisson(double mean_gap, size_t count) {
  return make_schedule(count, [&] { return exponential(mean_gap); });
}

// Human browsing: sessions of clustered requests (log-normal think times) separated by long idles.
BeaconInput bursty(size_t count) {
  size_t left_in_session = 0;
  return make_schedule(count, [&] {
    if (left_in_session == 0) {
      left_in_session = 1 + std::geometric_distribution<size_t>(1.0 / 12)(rng);
      return 300 + exponential(2400);
    }
    --left_in_session;
    return std::lognormal_distribution<double>(std::log(4.0), 1.2)(rng);
  });
}

// Retries after failures: base * factor^k (+-25 % jitter, capped at 15 min), then success and idle.
BeaconInput backoff(double factor, size_t count) {
  int retry = 0, retries = 0;
  double base = 0;
  return make_schedule(count, [&] {
    if (retry >= retries) {
      retry = 0;
      retries = std::uniform_int_distribution<int>(4, 8)(rng);
      base = uniform(1, 10);
      return exponential(3600);
    }
    const double delay = std::min(900.0, base * std::pow(factor, retry++));
    return delay * uniform(0.75, 1.25);
  });
}

// One long run of retries growing slowly (x1.05): any 20 consecutive gaps fit a 3x band.
BeaconInput slow_backoff(double factor, size_t count) {
  double delay = uniform(2, 20);
  return make_schedule(count, [&] { return (delay *= factor) * uniform(0.95, 1.05); });
}

struct Tally {
  bool expect_beacon = true;  // for BEACON_EVAL_DEBUG: print the misses (or false positives)
  size_t trials = 0, ours = 0, rita = 0, evaluated = 0;
  double callbacks = 0;
  void add(const BeaconInput& in) {
    const auto r = c2hunt::signals::analyze_beacon(in);
    ++trials;
    ours += r.strength >= c2hunt::signals::kBeaconStrongStrength;
    rita += r.rita.total >= kRitaHit;
    evaluated += r.evaluated;
    if (std::getenv("BEACON_EVAL_DEBUG") && (r.strength >= 0.7) != expect_beacon)
    {
      std::fprintf(stderr, "%s: %s\n", expect_beacon ? "missed beacon" : "false positive", r.detail.c_str());
      if (std::getenv("BEACON_EVAL_DEBUG")[0] == '2') {
        std::vector<TimeMicros> t(in.start_times);
        std::sort(t.begin(), t.end());
        for (size_t i = 1; i < t.size() && i < 40; ++i) std::fprintf(stderr, " %.1f", (t[i] - t[i - 1]) / 1e6);
        std::fprintf(stderr, "\n");
      }
    }
    callbacks += static_cast<double>(r.callbacks);
  }
  void merge(const Tally& o) {
    trials += o.trials;
    ours += o.ours;
    rita += o.rita;
    evaluated += o.evaluated;
    callbacks += o.callbacks;
  }
  double ours_rate() const { return trials ? static_cast<double>(ours) / trials : 0; }
  double rita_rate() const { return trials ? static_cast<double>(rita) / trials : 0; }
};

std::string hits(const Tally& t) { return std::to_string(t.ours) + " / " + std::to_string(t.rita); }

std::string cell(const Tally& t) { return std::to_string(t.ours_rate()).substr(0, 4) + " / " + std::to_string(t.rita_rate()).substr(0, 4); }

}  // namespace

int main(int argc, char** argv) {
  size_t beacon_trials = 50, benign_trials = 1000;
  bool full = false;
  std::vector<std::string> positional;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--full") == 0) full = true;
    else positional.emplace_back(argv[i]);
  }
  if (positional.size() > 0) beacon_trials = std::strtoul(positional[0].c_str(), nullptr, 10);
  if (positional.size() > 1) benign_trials = std::strtoul(positional[1].c_str(), nullptr, 10);

  const std::vector<double> jitters = {0, 0.1, 0.2, 0.3, 0.4, 0.5};
  const std::vector<double> sleeps = {5, 60, 300, 3600};
  const std::vector<size_t> counts = {10, 20, 50, 100, 500};
  const auto start = std::chrono::steady_clock::now();
  size_t channels = 0;

  // (style, jitter, count) -> tally over all sleeps; (style, jitter, sleep, count) for --full.
  std::map<std::tuple<int, double, size_t>, Tally> by_jitter;
  std::map<std::tuple<int, double, double>, Tally> by_sleep;  // counts >= 20 only
  if (full) std::printf("| style | jitter | sleep s | callbacks asked | mean callbacks | ours | RITA |\n|---|---|---|---|---|---|---|\n");
  for (int style = 0; style < 2; ++style)
    for (double j : jitters)
      for (double s : sleeps)
        for (size_t n : counts) {
          Tally t;
          for (size_t k = 0; k < beacon_trials; ++k) t.add(beacon(static_cast<Style>(style), s, j, n));
          channels += t.trials;
          by_jitter[{style, j, n}].merge(t);
          if (n >= 20) by_sleep[{style, j, s}].merge(t);
          if (full)
            std::printf("| %s | %.0f %% | %.0f | %zu | %.0f | %.2f | %.2f |\n", style ? "Empire" : "CS", j * 100, s,
                        n, t.callbacks / t.trials, t.ours_rate(), t.rita_rate());
        }

  std::printf("\n### Beacons: recall (strength >= 0.7) / RITA v5 hit rate (score >= 0.5), all sleeps pooled\n\n");
  std::printf("| style | jitter |");
  for (size_t n : counts) std::printf(" %zu cb |", n);
  std::printf("\n|---|---|");
  for (size_t i = 0; i < counts.size(); ++i) std::printf("---|");
  std::printf("\n");
  for (int style = 0; style < 2; ++style)
    for (double j : jitters) {
      std::printf("| %s | %.0f %% |", style ? "Empire" : "Cobalt Strike", j * 100);
      for (size_t n : counts) std::printf(" %s |", cell(by_jitter[{style, j, n}]).c_str());
      std::printf("\n");
    }

  std::printf("\n### Beacons with >= 20 callbacks, by sleep: recall / RITA hit rate\n\n| style | jitter |");
  for (double s : sleeps) std::printf(" %.0f s |", s);
  std::printf("\n|---|---|");
  for (size_t i = 0; i < sleeps.size(); ++i) std::printf("---|");
  std::printf("\n");
  for (int style = 0; style < 2; ++style)
    for (double j : jitters) {
      std::printf("| %s | %.0f %% |", style ? "Empire" : "Cobalt Strike", j * 100);
      for (double s : sleeps) std::printf(" %s |", cell(by_sleep[{style, j, s}]).c_str());
      std::printf("\n");
    }

  // RITA's home ground: a beacon alive for the whole 24 h window (more than 1024 callbacks at 60 s,
  // so the sample cap is exercised too).
  std::printf("\n### Beacons alive for the whole 24 h capture: recall / RITA hit rate\n\n| style | jitter |");
  const std::vector<double> day_sleeps = {60, 300, 3600};
  for (double s : day_sleeps) std::printf(" %.0f s |", s);
  std::printf("\n|---|---|");
  for (size_t i = 0; i < day_sleeps.size(); ++i) std::printf("---|");
  std::printf("\n");
  for (int style = 0; style < 2; ++style)
    for (double j : jitters) {
      std::printf("| %s | %.0f %% |", style ? "Empire" : "Cobalt Strike", j * 100);
      for (double s : day_sleeps) {
        Tally t;
        for (size_t k = 0; k < beacon_trials; ++k)
          t.add(beacon(static_cast<Style>(style), s, j, SIZE_MAX, {}, kMinCapture - s));
        channels += t.trials;
        std::printf(" %s |", cell(t).c_str());
      }
      std::printf("\n");
    }

  std::printf("\n### Imperfect beacons (60 s sleep, 30 %% jitter, 50 callbacks): recall / RITA\n\n");
  std::printf("| variant | CS | Empire |\n|---|---|---|\n");
  const std::vector<std::pair<const char*, Imperfections>> variants = {
      {"5 % missed check-ins", {0.05, 0}},
      {"10 % missed check-ins", {0.10, 0}},
      {"20 % of check-ins open 2 connections", {0, 0.2}},
      {"5 % missed + 20 % doubled", {0.05, 0.2}}};
  for (const auto& [name, imp] : variants) {
    Tally cs, em;
    for (size_t k = 0; k < beacon_trials * 4; ++k) {
      cs.add(beacon(Style::kCobaltStrike, 60, 0.3, 50, imp));
      em.add(beacon(Style::kEmpire, 60, 0.3, 50, imp));
    }
    channels += cs.trials + em.trials;
    std::printf("| %s | %s | %s |\n", name, cell(cs).c_str(), cell(em).c_str());
  }

  std::printf("\n### Benign: false positives, ours (strength >= 0.7) / RITA v5 (score >= 0.5), out of %zu per cell\n\n",
              benign_trials);
  const std::vector<size_t> benign_counts = {10, 20, 50, 100, 500};
  std::printf("| pattern |");
  for (size_t n : benign_counts) std::printf(" %zu conns |", n);
  std::printf("\n|---|");
  for (size_t i = 0; i < benign_counts.size(); ++i) std::printf("---|");
  std::printf("\n");
  struct Benign {
    std::string name;
    std::function<BeaconInput(size_t)> make;
  };
  const std::vector<Benign> benign = {
      {"Poisson, mean gap 10 s", [](size_t n) { return poisson(10, n); }},
      {"Poisson, mean gap 60 s", [](size_t n) { return poisson(60, n); }},
      {"Poisson, mean gap 600 s", [](size_t n) { return poisson(600, n); }},
      {"Poisson, mean gap 3600 s", [](size_t n) { return poisson(3600, n); }},
      {"bursty browsing", [](size_t n) { return bursty(n); }},
      {"backoff x2 retries", [](size_t n) { return backoff(2, n); }},
      {"backoff x1.5 retries", [](size_t n) { return backoff(1.5, n); }},
      {"slow backoff x1.05, one run", [](size_t n) { return slow_backoff(1.05, n); }},
  };
  Tally all_benign;
  for (const auto& b : benign) {
    std::printf("| %s |", b.name.c_str());
    for (size_t n : benign_counts) {
      Tally t;
      t.expect_beacon = false;
      for (size_t k = 0; k < benign_trials; ++k) t.add(b.make(n));
      channels += t.trials;
      all_benign.merge(t);
      std::printf(" %s |", hits(t).c_str());
    }
    std::printf("\n");
  }
  std::printf("\nAll benign: ours %zu of %zu channels, RITA %zu of %zu.\n", all_benign.ours, all_benign.trials,
              all_benign.rita, all_benign.trials);

  // Cost of one analysis at the sample cap (1024 timestamps), RITA part included.
  {
    const BeaconInput big = beacon(Style::kEmpire, 60, 0.3, c2hunt::signals::kMaxBeaconSamples);
    constexpr int kReps = 2000;
    double sink = 0;
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < kReps; ++i) sink += c2hunt::signals::analyze_beacon(big).strength;
    const double us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count() / kReps;
    std::printf("analyze_beacon on %zu timestamps: %.1f us per call (checksum %.0f)\n", big.start_times.size(), us, sink);
  }

  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("\n%zu channels analysed in %.2f s (%.1f us per channel, generation included)\n", channels, secs,
              secs * 1e6 / static_cast<double>(channels));
  return 0;
}

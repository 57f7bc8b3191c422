// Beacon analysis: RITA v5's score reproduced exactly, and a bounded-support periodicity test whose
// strength is a calibrated "how unlikely is this for Poisson arrivals" (docs/beaconing.md).
#include "c2hunt/signals/beacon.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <utility>

#include <math.h>  // lgamma_r

namespace c2hunt::signals {
namespace {

// ---------------------------------------------------------------------------------------------
// RITA v5 (activecm/rita analysis/beacons.go @ v5.1.1). Statistics follow montanaflynn/stats,
// which RITA uses: the median averages the two middle values, quartiles are medians of the lower
// and upper halves with the middle element excluded for odd sizes.

constexpr int kRitaHistogramBins = 24;
constexpr double kRitaModeSensitivity = 0.05;
constexpr int kRitaBimodalOutlierRemoval = 1;
constexpr int kRitaBimodalMinHours = 11;
constexpr int kRitaDurationMinHours = 6;
constexpr int kRitaDurationIdealHours = 12;
constexpr size_t kRitaUniqueConnectionThreshold = 4;
constexpr size_t kRitaStrobeCount = 86400;

double round3(double v) { return std::round(v * 1000) / 1000; }
double ceil3(double v) { return std::ceil(v * 1000) / 1000; }

// Median of sorted[lo, hi).
double sorted_median(const std::vector<double>& sorted, size_t lo, size_t hi) {
  const size_t n = hi - lo;
  if (n == 0) return 0;
  const size_t mid = lo + n / 2;
  return n % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

// RITA's calculateStatisticalScore: mean of the Bowley skew score and the MAD/median score, round3.
// `sorted` is sorted ascending and is reused as scratch space for the absolute deviations.
double rita_statistical_score(std::vector<double>& sorted, double default_mad_score) {
  const size_t n = sorted.size();
  const size_t lower_end = n / 2, upper_begin = n % 2 ? n / 2 + 1 : n / 2;
  const double q1 = sorted_median(sorted, 0, lower_end);
  const double q2 = sorted_median(sorted, 0, n);
  const double q3 = sorted_median(sorted, upper_begin, n);
  double skew = 0;
  if (q3 - q1 >= 10 && q2 != q1 && q2 != q3) skew = (q1 + q3 - 2 * q2) / (q3 - q1);
  const double skew_score = 1 - std::fabs(skew);

  for (double& v : sorted) v = std::fabs(v - q2);
  std::sort(sorted.begin(), sorted.end());
  const double mad = sorted_median(sorted, 0, n);
  double mad_score = q2 >= 1 ? (q2 - mad) / q2 : default_mad_score;
  if (mad_score < 0 || std::isnan(mad_score)) mad_score = 0;
  return round3((skew_score + mad_score) / 2);
}

struct RitaHistogram {
  double score = 0;
  int total_bars = 0, longest_run = 0;
};

RitaHistogram rita_histogram(const std::vector<int64_t>& seconds, int64_t ds_min, int64_t ds_max) {
  std::array<double, kRitaHistogramBins + 1> edges{};
  const double step = static_cast<double>(ds_max - ds_min) / kRitaHistogramBins;
  for (int i = 0; i <= kRitaHistogramBins; ++i) edges[i] = static_cast<double>(ds_min) + i * step;
  edges[kRitaHistogramBins] = static_cast<double>(ds_max);

  std::array<int, kRitaHistogramBins> freq{};
  for (int64_t ts : seconds) {
    // The first bin whose upper edge exceeds ts; ts at or beyond the last edge lands in the last bin.
    auto it = std::upper_bound(edges.begin() + 1, edges.end(), static_cast<double>(ts));
    int bin = it == edges.end() ? kRitaHistogramBins - 1 : static_cast<int>(it - edges.begin()) - 1;
    ++freq[bin];
  }

  RitaHistogram h;
  int largest = 0, total = 0;
  for (int f : freq) {
    if (f > 0) ++h.total_bars;
    largest = std::max(largest, f);
    total += f;
  }
  // Longest run of non-empty hours, wrapping around the end of the window.
  int run = 0;
  for (int i = 0; i < 2 * kRitaHistogramBins; ++i) {
    if (freq[i % kRitaHistogramBins] > 0) {
      ++run;
    } else {
      h.longest_run = std::max(h.longest_run, run);
      run = 0;
    }
  }
  h.longest_run = std::min(std::max(h.longest_run, run), kRitaHistogramBins);

  // Coefficient-of-variation score over all 24 bins (population sigma).
  const double mean = static_cast<double>(total) / kRitaHistogramBins;
  double var = 0;
  for (int f : freq) var += (f - mean) * (f - mean);
  const double cv = std::sqrt(var / kRitaHistogramBins) / mean;
  const double cv_score = cv > 1 ? 0 : std::min(1.0, round3(1 - cv));

  // Bimodal fit: bar heights quantised to ceil(5 % of the tallest); the two most common heights.
  double bimodal = 0;
  if (h.total_bars >= kRitaBimodalMinHours) {
    const double bucket = std::ceil(largest * kRitaModeSensitivity);
    std::array<std::pair<int, int>, kRitaHistogramBins> heights{};  // (quantised height, bars)
    int distinct = 0;
    for (int f : freq) {
      if (f == 0) continue;
      const int q = static_cast<int>(std::floor(f / bucket) * bucket);
      int i = 0;
      while (i < distinct && heights[i].first != q) ++i;
      if (i == distinct) heights[distinct++] = {q, 0};
      ++heights[i].second;
    }
    int first = 0, second = 0;
    for (int i = 0; i < distinct; ++i) {
      const int c = heights[i].second;
      if (c > first) {
        second = first;
        first = c;
      } else if (c > second) {
        second = c;
      }
    }
    const double denom = std::max(static_cast<double>(h.total_bars - kRitaBimodalOutlierRemoval), 1.0);
    bimodal = std::min(1.0, round3((first + second) / denom));
  }
  h.score = std::max(cv_score, bimodal);
  return h;
}

// ---------------------------------------------------------------------------------------------
// Periodicity test.

// Relative half-widths of the bands scanned around the median gap. The scan picks the tightest band
// that still holds the gaps, so a 2 % jitter beacon earns far more evidence than a 50 % one.
constexpr std::array<double, 9> kBandWidths = {0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6};
// Evidence (decades of improbability under Poisson) at which strength reaches kBeaconStrongStrength.
constexpr double kStrongEvidence = 3.0;
// In-band fraction (at max_jitter) below which nothing is periodic, and at which periodicity is full:
// 10-15 % of gaps may be missed callbacks, extra connections or pauses.
constexpr double kFractionFloor = 0.65, kFractionFull = 0.85;
// A merged burst must also be shorter than this share of the typical (75th percentile) raw gap.
constexpr double kMergeShareOfTypicalGap = 0.05;
// Growth from the first to the last third of a schedule that counts as backoff, not drift.
constexpr double kBackoffGrowth = 1.2;

// The largest chance that an exponential gap lands within centre * (1 +- w), over every centre:
// max_x e^{-(1-w)x} - e^{-(1+w)x}, reached at x = ln((1+w)/(1-w)) / (2w). Using the worst centre
// keeps the test conservative although the band is centred on the sample median.
double poisson_band_probability(double w) {
  const double x = std::log((1 + w) / (1 - w)) / (2 * w);
  return std::exp(-(1 - w) * x) - std::exp(-(1 + w) * x);
}

// log10 P(X >= k) for X ~ Binomial(m, p), summed in log space; consecutive terms differ by a factor
// (m - i) p / ((i + 1) q), and the sum stops once the terms are negligible (past the mode).
// std::lgamma stores the sign in the global `signgam`, a data race when channels are scored on two
// threads (ThreadSanitizer found it); lgamma_r (glibc, POSIX.1-2024) returns it through an argument.
double log_gamma(double x) {
  int sign = 0;
  return ::lgamma_r(x, &sign);
}

double log10_binomial_tail(size_t m, size_t k, double p) {
  if (k == 0) return 0;
  if (k > m) return -std::numeric_limits<double>::infinity();
  const double lp = std::log(p), lq = std::log1p(-p);
  double t = log_gamma(m + 1.0) - log_gamma(k + 1.0) - log_gamma(m - k + 1.0) + k * lp + (m - k) * lq;
  double max_term = t, sum = 1;
  for (size_t i = k; i < m; ++i) {
    t += std::log(static_cast<double>(m - i) / static_cast<double>(i + 1)) + lp - lq;
    if (t > max_term) {
      sum = sum * std::exp(max_term - t) + 1;
      max_term = t;
    } else {
      sum += std::exp(t - max_term);
      if (t < max_term - 40) break;  // e^-40: the rest cannot matter
    }
  }
  return (max_term + std::log(sum)) / std::log(10.0);
}

using SortedGaps = std::vector<std::pair<double, uint32_t>>;  // (seconds, position), by seconds

// Index range [first, last) of the sorted gaps within [lo, hi].
std::pair<size_t, size_t> band_range(const SortedGaps& sorted, double lo, double hi) {
  auto first = std::lower_bound(sorted.begin(), sorted.end(), std::make_pair(lo, uint32_t{0}));
  auto last = std::upper_bound(first, sorted.end(), std::make_pair(hi, std::numeric_limits<uint32_t>::max()));
  return {static_cast<size_t>(first - sorted.begin()), static_cast<size_t>(last - sorted.begin())};
}

// Linear-interpolated quantile of sorted[lo, hi).
double quantile(const SortedGaps& sorted, size_t lo, size_t hi, double q) {
  const double pos = q * static_cast<double>(hi - lo - 1);
  const size_t i = lo + static_cast<size_t>(pos);
  const double frac = pos - std::floor(pos);
  return i + 1 < hi ? sorted[i].first * (1 - frac) + sorted[i + 1].first * frac : sorted[i].first;
}

// Support [a, b] of a uniform fitted to sorted[lo, hi) (at least 2 values) through the 5th and 95th
// percentiles: robust to a stray value at either end, and unbiased for k uniform samples, whose
// interpolated q-quantile sits at a + (b - a) * (q (k - 1) + 1) / (k + 1) on average.
std::pair<double, double> fit_uniform(const SortedGaps& sorted, size_t lo, size_t hi) {
  const double k = static_cast<double>(hi - lo);
  const double q05 = quantile(sorted, lo, hi, 0.05), q95 = quantile(sorted, lo, hi, 0.95);
  const double span = (q95 - q05) * (k + 1) / (0.9 * (k - 1));
  const double a = std::max(0.0, q05 - span * (0.05 * (k - 1) + 1) / (k + 1));
  return {a, a + span};
}

// Spearman rank correlation between a gap's position in time and its size (average ranks for ties).
// `by_size` is sorted by size; .second is the position.
double rank_trend(const SortedGaps& by_size) {
  const size_t m = by_size.size();
  if (m < 3) return 0;
  const double mean = (m - 1) / 2.0;
  double sxy = 0, sxx = 0, syy = 0;
  for (size_t i = 0; i < m;) {
    size_t j = i;
    while (j < m && by_size[j].first == by_size[i].first) ++j;
    const double rank = (i + j - 1) / 2.0;  // average rank of the tie group
    for (size_t t = i; t < j; ++t) {
      const double x = by_size[t].second - mean, y = rank - mean;
      sxy += x * y;
      sxx += x * x;
      syy += y * y;
    }
    i = j;
  }
  return syy > 0 ? sxy / std::sqrt(sxx * syy) : 0;
}

// Median of the last third of the gaps (by position) over the median of the first third.
double growth_between_thirds(const SortedGaps& by_size) {
  const size_t m = by_size.size(), third = m / 3;
  if (third == 0) return 1;
  // Walk in size order; the (third/2)-th member of each positional third is its median.
  size_t early = 0, late = 0;
  double early_median = 0, late_median = 0;
  for (const auto& [g, pos] : by_size) {
    if (pos < third && early++ == third / 2) early_median = g;
    if (pos >= m - third && late++ == third / 2) late_median = g;
  }
  return early_median > 0 ? late_median / early_median : 1;
}

double clamp01(double v) { return std::clamp(v, 0.0, 1.0); }

std::string format_seconds(double s) {
  return s >= 100 ? fmt::format("{:.0f} s", s) : fmt::format("{:.1f} s", s);
}

}  // namespace

RitaScore rita_v5_score(const BeaconInput& input, TimeMicros window) {
  RitaScore score;
  if (input.start_times.empty()) return score;
  auto floor_seconds = [](TimeMicros t) {
    return t >= 0 ? t / kMicrosPerSecond : -((-t + kMicrosPerSecond - 1) / kMicrosPerSecond);
  };
  const auto [min_it, max_it] = std::minmax_element(input.start_times.begin(), input.start_times.end());
  const bool has_window = input.window_end > input.window_start;
  const int64_t ds_max = floor_seconds(has_window ? input.window_end : *max_it);
  int64_t ds_min = floor_seconds(has_window ? input.window_start : *min_it);
  ds_min = std::max(ds_min, ds_max - window / kMicrosPerSecond);
  if (ds_max <= ds_min) return score;

  // Connections inside the beacon window, whole seconds, with their originator bytes.
  std::vector<int64_t> seconds;
  std::vector<double> bytes;
  seconds.reserve(input.start_times.size());
  for (size_t i = 0; i < input.start_times.size(); ++i) {
    const int64_t s = floor_seconds(input.start_times[i]);
    if (s < ds_min || s > ds_max) continue;
    seconds.push_back(s);
    if (i < input.orig_bytes.size()) bytes.push_back(static_cast<double>(input.orig_bytes[i]));
  }
  std::sort(seconds.begin(), seconds.end());
  size_t unique_ts = seconds.empty() ? 0 : 1;
  for (size_t i = 1; i < seconds.size(); ++i) unique_ts += seconds[i] != seconds[i - 1];
  // RITA's eligibility: >= 4 unique timestamps (>= 3 non-zero deltas), >= 3 sizes, not a strobe.
  if (unique_ts < kRitaUniqueConnectionThreshold || seconds.size() >= kRitaStrobeCount || bytes.size() < 3)
    return score;

  std::vector<double> deltas;
  deltas.reserve(seconds.size());
  for (size_t i = 1; i < seconds.size(); ++i)
    if (seconds[i] > seconds[i - 1]) deltas.push_back(static_cast<double>(seconds[i] - seconds[i - 1]));
  std::sort(deltas.begin(), deltas.end());
  score.timestamp = rita_statistical_score(deltas, 1);

  std::sort(bytes.begin(), bytes.end());
  score.data_size = rita_statistical_score(bytes, 0);

  const RitaHistogram hist = rita_histogram(seconds, ds_min, ds_max);
  score.histogram = hist.score;
  if (hist.total_bars >= kRitaDurationMinHours) {
    const double coverage = std::min(
        1.0, ceil3(static_cast<double>(seconds.back() - seconds.front()) / static_cast<double>(ds_max - ds_min)));
    const double consistency =
        std::min(1.0, ceil3(static_cast<double>(hist.longest_run) / kRitaDurationIdealHours));
    score.duration = std::max(coverage, consistency);
  }
  score.total = round3(0.25 * score.timestamp + 0.25 * score.data_size + 0.25 * score.duration +
                       0.25 * score.histogram);
  return score;
}

BeaconResult analyze_beacon(const BeaconInput& input, const BeaconParams& params) {
  BeaconResult r;
  r.rita = rita_v5_score(input, params.window);

  // The most recent max_samples timestamps, sorted.
  std::vector<TimeMicros> times(input.start_times);
  std::sort(times.begin(), times.end());
  if (params.max_samples > 0 && times.size() > params.max_samples) {
    r.samples_dropped = times.size() - params.max_samples;
    times.erase(times.begin(), times.begin() + static_cast<std::ptrdiff_t>(r.samples_dropped));
  }

  // Merge the connections of one check-in: gaps below merge_gap that are also tiny next to the
  // typical gap (so high-rate Poisson traffic is not merged into artificial regularity).
  SortedGaps gaps;  // (seconds, position), sorted by size once complete
  gaps.reserve(times.size());
  for (size_t i = 1; i < times.size(); ++i)
    gaps.emplace_back(static_cast<double>(times[i] - times[i - 1]) / kMicrosPerSecond, 0);
  double merge_below = 0;
  if (!gaps.empty()) {
    auto p75 = gaps.begin() + static_cast<std::ptrdiff_t>(gaps.size() * 3 / 4);
    std::nth_element(gaps.begin(), p75, gaps.end());
    merge_below = std::min(static_cast<double>(params.merge_gap) / kMicrosPerSecond,
                           kMergeShareOfTypicalGap * p75->first);
    gaps.clear();
  }
  TimeMicros last_kept = times.empty() ? 0 : times.front();
  if (!times.empty()) r.callbacks = 1;
  for (size_t i = 1; i < times.size(); ++i) {
    const double since_previous = static_cast<double>(times[i] - times[i - 1]) / kMicrosPerSecond;
    if (times[i] == times[i - 1] || since_previous < merge_below) continue;
    // A callback's gap runs from the first connection of the previous check-in.
    gaps.emplace_back(static_cast<double>(times[i] - last_kept) / kMicrosPerSecond, static_cast<uint32_t>(gaps.size()));
    last_kept = times[i];
    ++r.callbacks;
  }
  if (r.callbacks < std::max<size_t>(params.min_callbacks, 3)) {
    r.detail = fmt::format("{} callbacks: too few to judge periodicity", r.callbacks);
    return r;
  }
  r.evaluated = true;

  std::sort(gaps.begin(), gaps.end());
  const size_t m = gaps.size();
  const double median = m % 2 ? gaps[m / 2].first : (gaps[m / 2 - 1].first + gaps[m / 2].first) / 2;
  r.median_interval_s = median;
  const double max_jitter = std::clamp(params.max_jitter, kBandWidths.front(), 0.95);

  // The centre of the jittered interval: the midpoint of a uniform fitted to the gaps near the
  // median. For Empire's symmetric jitter it is steadier than the median, which wanders by a tenth
  // of the band at 20 callbacks and lets the band's edges cut off real check-ins.
  const auto [core_lo, core_hi] = band_range(gaps, median * (1 - max_jitter), median * (1 + max_jitter));
  double centre = median;
  if (core_hi - core_lo >= 4) {
    const auto [a, b] = fit_uniform(gaps, core_lo, core_hi);
    centre = (a + b) / 2;
  }

  // Evidence: the tightest band around the centre that holds most gaps, scored by the binomial tail
  // of "this many exponential gaps in a band that narrow" (one gap fewer on both sides, since the
  // centre comes from the gaps); the scan over widths costs log10(#widths).
  auto band_log10_p = [&](double w) {
    const auto [lo, hi] = band_range(gaps, centre * (1 - w), centre * (1 + w));
    const size_t k = hi - lo;
    return log10_binomial_tail(m - 1, k > 0 ? k - 1 : 0, poisson_band_probability(w));
  };
  double best_log10_p = 0;
  size_t widths_tried = 0;
  for (double w : kBandWidths) {
    if (w > max_jitter + 1e-12) break;
    ++widths_tried;
    best_log10_p = std::min(best_log10_p, band_log10_p(w));
  }
  if (kBandWidths.back() < max_jitter) {
    ++widths_tried;
    best_log10_p = std::min(best_log10_p, band_log10_p(max_jitter));
  }
  r.evidence = centre > 0 ? std::max(0.0, -best_log10_p - std::log10(static_cast<double>(widths_tried))) : 0;

  // The widest allowed band, and a check for steady growth (backoff).
  const double band_hi = centre * (1 + max_jitter);
  const auto [lo_i, hi_i] = band_range(gaps, centre * (1 - max_jitter), band_hi);
  const size_t in_band = hi_i - lo_i;
  r.in_band_fraction = static_cast<double>(in_band) / static_cast<double>(m);
  r.trend = rank_trend(gaps);
  // Backoff is growth that is both steady (rank correlation beyond 2.6 sd of independent gaps, a 0.5 %
  // false rejection) and material (the last third of the gaps 1.2x the first third); a drift inside a
  // tight band is not backoff.
  const double trend_limit = std::clamp(2.6 / std::sqrt(static_cast<double>(m - 1)), 0.35, 0.8);
  const double trend_penalty =
      growth_between_thirds(gaps) >= kBackoffGrowth ? clamp01((r.trend - trend_limit) / 0.15) : 0;

  // Jitter, read Empire style (half-width / centre) and Cobalt Strike style (1 - low / high).
  if (in_band >= 2) {
    const auto [a, b] = fit_uniform(gaps, lo_i, hi_i);
    r.band_low_s = a;
    r.band_high_s = b;
    r.jitter = b + a > 0 ? (b - a) / (b + a) : 0;
    r.cs_jitter = b > 0 ? 1 - a / b : 0;
    // Gaps beyond the band that fit two or three periods: missed callbacks (only when two periods
    // cannot be mistaken for one, i.e. below about 50 % Cobalt Strike jitter).
    for (const auto& [g, pos] : gaps) {
      if (g <= band_hi || 2 * a <= b * 1.05) continue;
      for (int h = 2; h <= 3; ++h)
        if (g >= h * a * 0.95 && g <= h * b * 1.05) {
          ++r.missed_callbacks;
          break;
        }
    }
  }

  // Periodicity: the share of gaps in the band or at two or three periods, less any backoff.
  const double consistent = static_cast<double>(in_band + r.missed_callbacks) / static_cast<double>(m);
  r.periodicity = clamp01((consistent - kFractionFloor) / (kFractionFull - kFractionFloor)) * (1 - trend_penalty);
  r.strength = std::min(r.periodicity, clamp01(r.evidence * kBeaconStrongStrength / kStrongEvidence));

  r.detail = fmt::format(
      "{} callbacks, median {}, jitter ~{:.0f} % (gaps {}-{}; Cobalt Strike reading {:.0f} %), "
      "{:.0f} % of gaps in band, {} missed, trend {:.2f}, evidence {:.1f}, strength {:.2f}",
      r.callbacks, format_seconds(median), r.jitter * 100, format_seconds(r.band_low_s),
      format_seconds(r.band_high_s), r.cs_jitter * 100, r.in_band_fraction * 100, r.missed_callbacks,
      r.trend, r.evidence, r.strength);
  if (r.samples_dropped > 0) r.detail += fmt::format(", {} oldest samples not analysed", r.samples_dropped);
  return r;
}

}  // namespace c2hunt::signals

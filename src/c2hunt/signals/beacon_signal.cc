// beacon.periodic: the channel's successful connection start times through analyze_beacon().
#include <fmt/format.h>

#include "c2hunt/signals/beacon.h"
#include "c2hunt/signals/signal_set.h"

namespace c2hunt::signals {

BeaconInput beacon_input(const channels::Channel& ch) {
  BeaconInput in;
  for (const auto& s : ch.samples) {  // successful connections only: a failed attempt is not a callback
    in.start_times.push_back(s.start);
    in.orig_bytes.push_back(s.orig_bytes);
  }
  in.window_start = ch.first_seen;
  in.window_end = ch.last_seen;
  return in;
}

void evaluate_beacon(const channels::Channel& ch, const SignalContext& ctx, ChannelFindings& out) {
  const char* id = "beacon.periodic";
  const auto& s = ctx.config.signal(id);
  BeaconParams params;
  params.min_callbacks = static_cast<size_t>(s.number("min_callbacks"));
  params.max_jitter = s.number("max_jitter");
  BeaconInput in = beacon_input(ch);
  BeaconResult r = analyze_beacon(in, params);
  if (!r.evaluated)
    return out.skip_with(id, [&] {
      return fmt::format("{} successful connections (need {})", in.start_times.size(), params.min_callbacks);
    });
  out.beacon = r;
  if (r.strength <= 0) return;
  // The analysis's own summary when it gives one (it names its values), else ours; RITA parts always.
  std::string detail = !r.detail.empty()
                           ? r.detail
                           : fmt::format("{} callbacks, median interval {:.1f} s, jitter {:.0f}%, periodicity {:.2f}",
                                         r.callbacks, r.median_interval_s, r.jitter * 100, r.periodicity);
  detail += fmt::format("; RITA v5 score {:.2f} (timestamp {:.2f}, data size {:.2f}, duration {:.2f}, histogram {:.2f})",
                        r.rita.total, r.rita.timestamp, r.rita.data_size, r.rita.duration, r.rita.histogram);
  out.fire(id, r.strength, std::move(detail));
}

}  // namespace c2hunt::signals

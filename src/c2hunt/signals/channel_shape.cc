// channel.long_lived, channel.strobe, volume.inconsistent: the channel's duration, rate and byte profile.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "c2hunt/signals/signal_set.h"

namespace c2hunt::signals {
namespace {

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// Median absolute deviation relative to the median (0 = perfectly steady).
double relative_spread(const std::vector<double>& v, double med) {
  if (med <= 0) return 0;
  std::vector<double> dev;
  dev.reserve(v.size());
  for (double x : v) dev.push_back(std::fabs(x - med));
  return median(std::move(dev)) / med;
}

void long_lived(const channels::Channel& ch, const SignalContext& ctx, ChannelFindings& out) {
  const auto& s = ctx.config.signal("channel.long_lived");
  double hours = ch.max_duration / (3600.0 * kMicrosPerSecond);
  double min_h = s.number("min_hours"), full_h = std::max(s.number("full_hours"), min_h + 1e-9);
  if (hours < min_h) return;
  double strength = std::clamp(0.5 + 0.5 * (hours - min_h) / (full_h - min_h), 0.0, 1.0);
  out.fire("channel.long_lived", strength, fmt::format("longest connection lasted {:.1f} h", hours));
}

void strobe(const channels::Channel& ch, const SignalContext& ctx, ChannelFindings& out) {
  const auto& s = ctx.config.signal("channel.strobe");
  if (ch.connections < s.number("min_connections")) return;
  double hours = std::max((ch.last_seen - ch.first_seen) / (3600.0 * kMicrosPerSecond), 1.0 / 60);
  double per_hour = ch.connections / hours;
  if (per_hour < s.number("min_per_hour")) return;
  out.fire("channel.strobe", 1.0,
           fmt::format("{} connections in {:.2f} h ({:.0f} per hour)", ch.connections, hours, per_hour));
}

void volume(const channels::Channel& ch, const SignalContext& ctx, ChannelFindings& out) {
  const char* id = "volume.inconsistent";
  const auto& s = ctx.config.signal(id);
  if (ch.orig_bytes >= s.number("outbound_min_bytes") &&
      ch.orig_bytes >= s.number("outbound_ratio") * std::max<uint64_t>(ch.resp_bytes, 1))
    return out.fire(id, 1.0, fmt::format("outbound {} B is {:.0f}x inbound {} B", ch.orig_bytes,
                                         double(ch.orig_bytes) / std::max<uint64_t>(ch.resp_bytes, 1), ch.resp_bytes));
  std::vector<double> out_b, in_b;
  for (const auto& x : ch.samples) {  // the successful connections
    out_b.push_back(static_cast<double>(x.orig_bytes));
    in_b.push_back(static_cast<double>(x.resp_bytes));
  }
  if (out_b.size() < s.number("min_connections")) return;
  double mo = median(out_b), mi = median(in_b);
  double so = relative_spread(out_b, mo), si = relative_spread(in_b, mi);
  double cap = s.number("heartbeat_max_bytes"), spread = s.number("heartbeat_max_spread");
  if (mo > 0 && mi > 0 && mo <= cap && mi <= cap && so <= spread && si <= spread)
    out.fire(id, 0.8,
             fmt::format("steady small request/response pairs: median {:.0f} B out / {:.0f} B in over {} connections "
                         "(spread {:.2f}/{:.2f})",
                         mo, mi, out_b.size(), so, si));
}

}  // namespace

void evaluate_channel_shape(const channels::Channel& ch, const SignalContext& ctx, ChannelFindings& out) {
  long_lived(ch, ctx, out);
  strobe(ch, ctx, out);
  volume(ch, ctx, out);
}

}  // namespace c2hunt::signals

// crypto.custom (T1573.001): an established TCP flow whose first payload bytes in BOTH directions are
// statistically random and begin no known protocol.
#include <fmt/format.h>

#include "c2hunt/channels/channel.h"
#include "c2hunt/signals/payload_analysis.h"
#include "c2hunt/signals/signal_set.h"

namespace c2hunt::signals {

void evaluate_custom_crypto(const records::Connection& c, const SignalContext& ctx, ConnectionFindings& out) {
  constexpr ConnectionSignal id = "crypto.custom";
  if (c.transport != records::Transport::tcp || channels::connection_failed(c)) return;
  if (c.tls || (c.app_protocol != records::AppProtocol::unknown)) return out.pass(id);
  if (c.orig_stats.payload_bytes == 0 || c.resp_stats.payload_bytes == 0) return out.pass(id);
  if (c.orig_payload_sample.empty() || c.resp_payload_sample.empty())
    return out.not_evaluated(id, "the source gives no payload bytes");
  if (known_protocol_prefix(c.orig_payload_sample) || known_protocol_prefix(c.resp_payload_sample))
    return out.pass(id);
  const auto& s = ctx.config.signal(id);
  size_t min_bytes = static_cast<size_t>(s.number("min_sample_bytes"));
  if (c.orig_payload_sample.size() < min_bytes || c.resp_payload_sample.size() < min_bytes)
    return out.not_evaluated(id, fmt::format("fewer than {} payload bytes in a direction", min_bytes));
  Randomness o = measure_randomness(c.orig_payload_sample);
  Randomness r = measure_randomness(c.resp_payload_sample);
  double sigma = s.number("max_chi_square_sigma"), ratio = s.number("min_entropy_ratio");
  if (looks_random(o, min_bytes, sigma, ratio) && looks_random(r, min_bytes, sigma, ratio))
    return out.fire(id, 1.0,
                    fmt::format("random-looking first payload, no known protocol: out {} B entropy {:.2f}/{:.2f} bits "
                                "chi2 {:.0f} ({:+.1f} sd); in {} B entropy {:.2f}/{:.2f} bits chi2 {:.0f} ({:+.1f} sd)",
                                o.bytes, o.entropy_bits, o.max_entropy_bits, o.chi_square, o.chi_square_sigma, r.bytes,
                                r.entropy_bits, r.max_entropy_bits, r.chi_square, r.chi_square_sigma));
  out.pass(id);
}

}  // namespace c2hunt::signals

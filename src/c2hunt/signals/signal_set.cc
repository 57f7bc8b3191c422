#include "c2hunt/signals/signal_set.h"

namespace c2hunt::signals {

const std::vector<std::string>& all_signal_ids() {
  static const std::vector<std::string> ids = {
      "tls.no_sni",         "tls.obsolete_handshake", "tls.nonstandard_port",    "tls.not_tls_on_tls_port",
      "cert.self_signed",   "cert.short_validity",    "cert.newly_issued",       "cert.expired",
      "cert.name_mismatch", "cert.default_subject",   "intel.fingerprint",       "intel.certificate",
      "fp.rare",            "crypto.custom",          "beacon.periodic",         "channel.long_lived",
      "channel.strobe",     "volume.inconsistent",    "dest.rare",               "dest.no_dns",
      "proc.non_browser_tls", "proc.user_writable_path", "proc.lolbin", "proc.suspicious_lineage",
      "proc.masquerading_browser", "proc.unusual_port", "proc.shared_destination",
      "proc.browser_like_fingerprint", "proc.browser_fingerprint_mismatch", "proc.many_fingerprints"};
  return ids;
}

void evaluate_connection(const records::Connection& c, const SignalContext& ctx, channels::Channel& channel) {
  ConnectionFindings out(channel);
  evaluate_tls(c, ctx, out);
  evaluate_certificate(c, ctx, out);
  evaluate_intel(c, ctx, out);
  evaluate_custom_crypto(c, ctx, out);
}

ChannelFindings evaluate_channel(const channels::Channel& ch, const SignalContext& ctx, bool record_not_evaluated) {
  ChannelFindings out;
  out.record_not_evaluated = record_not_evaluated;
  collect_tallies(ch, out);
  evaluate_beacon(ch, ctx, out);
  evaluate_channel_shape(ch, ctx, out);
  if (ctx.prevalence) evaluate_prevalence(ch, ctx, out);
  evaluate_dns(ch, ctx, out);
  evaluate_process(ch, ctx, out);
  for (auto& e : out.evidence) e.weight = ctx.config.weight(e.signal);
  return out;
}

}  // namespace c2hunt::signals

// proc.*: what host telemetry says about the process that owns the channel (assess_process()), alone
// and, when a capture or network log was joined to it, together with the channel's TLS fingerprints.
#include <algorithm>

#include <fmt/format.h>

#include "c2hunt/signals/process_traits.h"
#include "c2hunt/signals/signal_set.h"

namespace c2hunt::signals {
namespace {

// A port the service list does not explain. Ports from dynamic_port_min up are the range Windows
// hands out for RPC endpoints (the domain controller's dynamic RPC ports) and are not judged.
bool unusual_port(const channels::Channel& ch, const SignalSettings& s) {
  uint16_t port = ch.key.port;
  if (port == 0 || port >= s.number("dynamic_port_min")) return false;
  const auto& ports = s.list("service_ports");
  return std::none_of(ports.begin(), ports.end(), [&](const std::string& p) { return p == std::to_string(port); });
}

void evaluate_fingerprints(const channels::Channel& ch, const ProcessTraits& t, const SignalContext& ctx,
                           ChannelFindings& out) {
  static const char* const kIds[] = {"proc.browser_like_fingerprint", "proc.browser_fingerprint_mismatch",
                                     "proc.many_fingerprints"};
  if (ch.ja4.empty()) {
    for (const char* id : kIds) out.skip(id, "no TLS client fingerprint joined to the process (host data alone)");
    return;
  }
  const std::string& exe = ch.process->executable;
  {
    const auto& m = ctx.config.signal("proc.browser_fingerprint_mismatch");
    int min_ciphers = static_cast<int>(m.number("min_ciphers"));
    int min_extensions = static_cast<int>(m.number("min_extensions"));
    const std::string* browser_like = nullptr;
    const std::string* not_browser_like = nullptr;
    for (const auto& fp : ch.ja4) {
      bool shaped = browser_shaped(parse_ja4(fp), min_ciphers, min_extensions);
      if (shaped && !browser_like) browser_like = &fp;
      if (!shaped && !not_browser_like) not_browser_like = &fp;
    }
    if (!t.browser && browser_like)
      out.fire("proc.browser_like_fingerprint", 1.0,
               fmt::format("non-browser process {} sends a browser-shaped ClientHello (JA4 {})", exe, *browser_like));
    if (t.browser && not_browser_like)
      out.fire("proc.browser_fingerprint_mismatch", 1.0,
               fmt::format("browser image {} sends a ClientHello no current browser sends (JA4 {}: needs TLS 1.3, SNI, "
                           ">= {} ciphers, >= {} extensions, ALPN h2)",
                           exe, *not_browser_like, min_ciphers, min_extensions));
  }
  if (!ctx.prevalence) return out.skip("proc.many_fingerprints", "no cross-channel view");
  auto it = ctx.prevalence->process_tls_stacks.find({ch.key.source, exe});
  const auto& s = ctx.config.signal("proc.many_fingerprints");
  size_t stacks = it == ctx.prevalence->process_tls_stacks.end() ? 0 : it->second.size();
  if (stacks >= static_cast<size_t>(s.number("min_cipher_lists")))
    out.fire("proc.many_fingerprints", 1.0,
             fmt::format("{} on {} offers {} unrelated cipher lists (JA4 second sections) across its channels", exe,
                         ch.key.source.to_string(), stacks));
}

}  // namespace

void evaluate_process(const channels::Channel& ch, const SignalContext& ctx, ChannelFindings& out) {
  static const char* const kIds[] = {"proc.non_browser_tls",      "proc.user_writable_path",
                                     "proc.lolbin",               "proc.suspicious_lineage",
                                     "proc.masquerading_browser", "proc.unusual_port",
                                     "proc.shared_destination",   "proc.browser_like_fingerprint",
                                     "proc.browser_fingerprint_mismatch", "proc.many_fingerprints"};
  if (!ch.process || ch.process->executable.empty()) {
    for (const char* id : kIds) out.skip(id, "no host telemetry attributed a process");
    return;
  }
  ProcessTraits t = assess_process(*ch.process, ch.lineage);
  const std::string& exe = ch.process->executable;
  if (ch.tls_connections && !t.browser)
    out.fire("proc.non_browser_tls", 1.0, fmt::format("TLS from non-browser process {}", exe));
  if (t.user_writable_location)
    out.fire("proc.user_writable_path", 1.0, fmt::format("process runs from a user-writable folder: {}", exe));
  if (t.lolbin)
    out.fire("proc.lolbin", t.lolbin_without_arguments ? 1.0 : 0.8,
             fmt::format("living-off-the-land binary {}{}", exe, t.lolbin_without_arguments ? " without arguments" : ""));
  if (t.suspicious_lineage)
    out.fire("proc.suspicious_lineage", 1.0, fmt::format("suspicious lineage: {}", t.lineage_detail));
  if (t.browser_name_wrong_path)
    out.fire("proc.masquerading_browser", 1.0, fmt::format("browser file name outside its vendor folder: {}", exe));

  // With TLS seen, tls.nonstandard_port judges the port against the TLS service ports instead.
  const auto& port_settings = ctx.config.signal("proc.unusual_port");
  bool odd_port = !t.browser && unusual_port(ch, port_settings);
  if (odd_port && !ch.tls_connections)
    out.fire("proc.unusual_port", 1.0,
             fmt::format("{} connects to port {}/{}, not a common service port", exe, ch.key.port,
                         records::transport_name(ch.key.transport)));
  if (odd_port && ctx.prevalence) {
    auto it = ctx.prevalence->suspicious_process_destinations.find(
        {ch.key.source, destination_label(ch.key), ch.key.port});
    if (it != ctx.prevalence->suspicious_process_destinations.end()) {
      auto other = std::find_if(it->second.begin(), it->second.end(), [&](const std::string& e) { return e != exe; });
      if (other != it->second.end())
        out.fire("proc.shared_destination", 1.0,
                 fmt::format("{} reaches {}:{} like {} from the same host (code injected or migrated into it)", exe,
                             destination_label(ch.key), ch.key.port, *other));
    }
  }
  evaluate_fingerprints(ch, t, ctx, out);
}

}  // namespace c2hunt::signals

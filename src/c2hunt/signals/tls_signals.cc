// tls.no_sni, tls.obsolete_handshake, tls.nonstandard_port, tls.not_tls_on_tls_port.
#include <algorithm>

#include <fmt/format.h>

#include "c2hunt/channels/channel.h"
#include "c2hunt/signals/payload_analysis.h"
#include "c2hunt/signals/signal_set.h"

namespace c2hunt::signals {
namespace {

bool is_grease(uint16_t v) { return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff); }

uint16_t channel_port(const records::Connection& c) {
  return c.connect_host ? c.connect_port.value_or(443) : c.resp.port;
}

bool port_listed(const SignalSettings& s, uint16_t port) {
  const auto& ports = s.list("tls_ports");
  std::string p = std::to_string(port);
  return std::find(ports.begin(), ports.end(), p) != ports.end();
}

std::string version_name(uint16_t v) {
  switch (v) {
    case 0x0002: return "SSL 2.0";
    case 0x0300: return "SSL 3.0";
    case 0x0301: return "TLS 1.0";
    case 0x0302: return "TLS 1.1";
    case 0x0303: return "TLS 1.2";
    case 0x0304: return "TLS 1.3";
    default: return fmt::format("0x{:04x}", v);
  }
}

void no_sni(const records::Connection& c, const records::TlsClientHello* hello, const SignalContext& ctx,
            ConnectionFindings& out) {
  constexpr ConnectionSignal id = "tls.no_sni";
  if (!hello) return out.not_evaluated(id, "no ClientHello seen");
  if (c.connect_host) return out.pass(id);  // a proxy CONNECT names the target
  if (ctx.destination_local) return out.pass(id);
  // Details are formatted only for the hit that becomes the channel's strongest (once per channel).
  if (!hello->has_sni_extension || hello->server_name.empty())
    return out.fire_with(id, 1.0, [&] {
      return fmt::format("ClientHello without server_name to public address {}", c.resp.ip.to_string());
    });
  if (IpAddress::parse(hello->server_name))
    return out.fire_with(id, 0.9, [&] {
      return fmt::format("SNI is the IP literal '{}' (public address {})", hello->server_name, c.resp.ip.to_string());
    });
  out.pass(id);
}

void obsolete_handshake(const records::TlsClientHello* hello, const SignalContext& ctx, ConnectionFindings& out) {
  constexpr ConnectionSignal id = "tls.obsolete_handshake";
  if (!hello) return out.not_evaluated(id, "no ClientHello seen");
  if (hello->sslv2_record)
    return out.fire(id, 1.0, fmt::format("SSLv2-compatible ClientHello record (client version {})",
                                         version_name(hello->legacy_version)));
  if (hello->cipher_suites.empty())
    return out.not_evaluated(id, "the source gives no raw ClientHello lists");
  const auto& s = ctx.config.signal(id);
  uint16_t best = hello->legacy_version;
  for (uint16_t v : hello->supported_versions)
    if (!is_grease(v)) best = std::max(best, v);
  if (best <= static_cast<uint16_t>(s.number("max_legacy_version")))
    return out.fire(id, 0.8, fmt::format("client offers nothing newer than {}", version_name(best)));
  size_t suites = std::count_if(hello->cipher_suites.begin(), hello->cipher_suites.end(),
                                [](uint16_t v) { return !is_grease(v) && v != 0x00ff && v != 0x5600; });
  if (hello->extensions.empty() && hello->legacy_version >= 0x0303)
    return out.fire(id, 0.5, fmt::format("{} ClientHello with no extensions ({} cipher suites)",
                                         version_name(hello->legacy_version), suites));
  if (suites < static_cast<size_t>(s.number("min_cipher_suites")))
    return out.fire(id, 0.5, fmt::format("ClientHello offers only {} cipher suite(s)", suites));
  out.pass(id);
}

}  // namespace

void evaluate_tls(const records::Connection& c, const SignalContext& ctx, ConnectionFindings& out) {
  const auto& port_settings = ctx.config.signal("tls.nonstandard_port");
  uint16_t port = channel_port(c);
  bool is_tls = c.tls.has_value() || c.app_protocol == records::AppProtocol::tls;
  bool over_quic = c.app_protocol == records::AppProtocol::quic ||
                   (c.tls && c.tls->client_hello() && c.tls->client_hello()->over_quic);
  if (is_tls && !over_quic) {
    const records::TlsClientHello* hello = c.tls ? c.tls->client_hello() : nullptr;
    no_sni(c, hello, ctx, out);
    obsolete_handshake(hello, ctx, out);
    if (port_listed(port_settings, port))
      out.pass("tls.nonstandard_port");
    else
      out.fire_with("tls.nonstandard_port", 1.0,
                    [&] { return fmt::format("TLS on port {}/tcp (not a TLS service port)", port); });
  } else if (over_quic) {
    const records::TlsClientHello* hello = c.tls ? c.tls->client_hello() : nullptr;
    no_sni(c, hello, ctx, out);
  }

  constexpr ConnectionSignal id = "tls.not_tls_on_tls_port";
  if (c.transport != records::Transport::tcp || is_tls || c.connect_host || !port_listed(port_settings, port) ||
      channels::connection_failed(c))
    return;
  if (c.app_protocol != records::AppProtocol::unknown)
    return out.fire(id, 1.0, fmt::format("{} on TLS port {}/tcp", records::app_protocol_name(c.app_protocol), port));
  size_t min_bytes = static_cast<size_t>(ctx.config.signal(id).number("min_payload_bytes"));
  const auto& sample = c.orig_payload_sample.empty() ? c.resp_payload_sample : c.orig_payload_sample;
  if (sample.empty()) {
    if (c.orig_stats.payload_bytes == 0 && c.resp_stats.payload_bytes == 0) return out.pass(id);
    return out.not_evaluated(id, "the source gives no payload bytes");
  }
  if (const char* proto = known_protocol_prefix(sample)) {
    if (std::string_view(proto) == "tls" || std::string_view(proto) == "sslv2") return out.pass(id);
    return out.fire(id, 1.0, fmt::format("{} on TLS port {}/tcp", proto, port));
  }
  if (sample.size() < std::max<size_t>(min_bytes, 3)) return out.not_evaluated(id, "too few payload bytes to judge");
  out.fire(id, 0.8, fmt::format("payload that is not TLS on TLS port {}/tcp (first bytes {:02x} {:02x} {:02x})", port,
                                sample[0], sample[1], sample[2]));
}

}  // namespace c2hunt::signals

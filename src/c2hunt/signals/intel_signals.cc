// intel.fingerprint and intel.certificate: the connection's fingerprints and certificates in the intel lists.
#include <fmt/format.h>

#include "c2hunt/signals/signal_set.h"

namespace c2hunt::signals {

void evaluate_intel(const records::Connection& c, const SignalContext& ctx, ConnectionFindings& out) {
  if (!c.tls) return;
  const auto* hello = c.tls->client_hello();
  const auto* server = c.tls->server_hello();
  struct Probe {
    IntelKind kind;
    std::string_view value;  // into the connection
    double strength;  // stacks are shared by benign software: only a certificate shape (JA4X) is strong
  };
  std::vector<Probe> probes;
  probes.reserve(4 + c.tls->certificates.size() + c.tls->client_certificates.size());
  if (hello) {
    probes.push_back({IntelKind::ja3, hello->ja3, 0.5});
    probes.push_back({IntelKind::ja4, hello->ja4, 0.5});
  }
  if (server) {
    // A server's answer depends on its TLS stack and on the client's offer: as shared as client stacks.
    probes.push_back({IntelKind::ja3s, server->ja3s, 0.5});
    probes.push_back({IntelKind::ja4s, server->ja4s, 0.5});
  }
  for (const auto* chain : {&c.tls->certificates, &c.tls->client_certificates})
    for (const auto& cert : *chain) probes.push_back({IntelKind::ja4x, cert->ja4x, 1.0});

  bool any_fp = false;
  double best = 0;
  std::string detail;
  for (const auto& p : probes) {
    if (p.value.empty()) continue;
    any_fp = true;
    if (auto hit = ctx.intel.find(p.kind, p.value); hit && p.strength > best) {
      best = p.strength;
      detail = fmt::format("{} {} listed as '{}' in {}", intel_kind_name(p.kind), p.value, hit->name, hit->source);
    }
  }
  if (best > 0)
    out.fire("intel.fingerprint", best, detail);
  else if (any_fp)
    out.pass("intel.fingerprint");
  else
    out.not_evaluated("intel.fingerprint", "no fingerprint computed");

  if (c.tls->certificates.empty() && c.tls->client_certificates.empty()) {
    out.not_evaluated("intel.certificate", c.tls->certificates_encrypted ? "certificate encrypted (TLS 1.3)"
                                                                         : "no certificate seen");
    return;
  }
  // The client's chain too: an implant that authenticates with a certificate (mutual TLS, visible
  // before TLS 1.3) carries one its operator generated, which intel may list.
  struct Chain {
    const std::vector<records::ChainCertificate>* certificates;
    const char* whose;
  };
  for (const Chain& chain : {Chain{&c.tls->certificates, "certificate"}, Chain{&c.tls->client_certificates, "client certificate"}}) {
    for (const auto& presented : *chain.certificates) {
      const records::Certificate& cert = *presented;
      if (auto hit = ctx.intel.find(IntelKind::cert_sha1, cert.sha1))
        return out.fire("intel.certificate", 1.0,
                        fmt::format("{} SHA-1 {} listed as '{}' in {}", chain.whose, cert.sha1, hit->name, hit->source));
      if (auto hit = ctx.intel.find(IntelKind::cert_serial, cert.serial_hex))
        return out.fire("intel.certificate", 0.8, fmt::format("{} serial {} listed as '{}' in {}", chain.whose,
                                                              cert.serial_hex, hit->name, hit->source));
    }
  }
  out.pass("intel.certificate");
}

}  // namespace c2hunt::signals

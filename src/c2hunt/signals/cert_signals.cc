// cert.self_signed, cert.short_validity, cert.newly_issued, cert.expired, cert.name_mismatch,
// cert.default_subject: facts of the server's own certificate at connection time.
#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "c2hunt/signals/signal_set.h"
#include "c2hunt/util/ascii.h"

namespace c2hunt::signals {
namespace {

constexpr double kMicrosPerDay = 86400.0 * kMicrosPerSecond;

// RFC 6125: a wildcard covers exactly one left-most label.
bool name_covers(std::string pattern, const std::string& host) {
  pattern = lower_ascii(pattern);
  if (!pattern.empty() && pattern.back() == '.') pattern.pop_back();
  if (pattern == host) return true;
  if (pattern.size() > 2 && pattern[0] == '*' && pattern[1] == '.') {
    size_t dot = host.find('.');
    return dot != std::string::npos && dot > 0 && host.substr(dot + 1) == pattern.substr(2);
  }
  return false;
}

// Without a signature check (logs carry subject and issuer only) an exact issuer == subject match on
// the server's own certificate is still evidence of self-signing: public CAs never issue a leaf
// under its own name. It fires with the configured reduced strength, never as a verified fact.
void self_signed(const records::Certificate& cert, const SignalContext& ctx, ConnectionFindings& out) {
  constexpr ConnectionSignal id = "cert.self_signed";
  if (!cert.self_signed) {
    if (!cert.subject.empty() && cert.issuer == cert.subject)
      return out.fire(id, ctx.config.signal(id).number("unverified_strength"),
                      fmt::format("issuer equals subject (signature not checkable from this source), subject '{}'",
                                  cert.subject));
    if (cert.subject.empty() || cert.issuer.empty())
      return out.not_evaluated(id, "the source cannot verify the certificate signature");
    return out.not_evaluated(id, "issuer differs from subject and the source cannot verify the signature");
  }
  if (*cert.self_signed)
    return out.fire(id, 1.0, fmt::format("self-signed certificate (signature verifies with its own key), subject '{}'",
                                         cert.subject));
  out.pass(id);
}

void validity(const records::Certificate& cert, TimeMicros at, const SignalContext& ctx, ConnectionFindings& out) {
  bool self = cert.self_signed.value_or(false);
  if (!cert.not_before || !cert.not_after) {
    out.not_evaluated("cert.short_validity", "certificate validity dates unknown");
    out.not_evaluated("cert.newly_issued", "certificate validity dates unknown");
    out.not_evaluated("cert.expired", "certificate validity dates unknown");
    return;
  }
  const auto& sv = ctx.config.signal("cert.short_validity");
  double days = cert.validity_days.value_or((*cert.not_after - *cert.not_before) / kMicrosPerDay);
  if (days < sv.number("max_days"))
    out.fire("cert.short_validity", self ? 1.0 : sv.number("public_ca_strength"),
             fmt::format("certificate valid for {:.1f} days (below {}){}", days, sv.number("max_days"),
                         self ? ", self-signed" : ""));
  else
    out.pass("cert.short_validity");

  const auto& ni = ctx.config.signal("cert.newly_issued");
  double age = (at - *cert.not_before) / kMicrosPerDay;
  if (age >= 0 && age < ni.number("max_age_days"))
    out.fire("cert.newly_issued", self ? 1.0 : ni.number("public_ca_strength"),
             fmt::format("certificate used {:.1f} days after its notBefore {}", age, format_iso8601(*cert.not_before)));
  else
    out.pass("cert.newly_issued");

  if (at > *cert.not_after)
    out.fire("cert.expired", 1.0,
             fmt::format("certificate expired {} ({:.0f} days before the connection)", format_iso8601(*cert.not_after),
                         (at - *cert.not_after) / kMicrosPerDay));
  else if (at < *cert.not_before)
    out.fire("cert.expired", 1.0, fmt::format("certificate not valid until {}", format_iso8601(*cert.not_before)));
  else
    out.pass("cert.expired");
}

void name_mismatch(const records::Connection& c, const records::Certificate& cert, ConnectionFindings& out) {
  constexpr ConnectionSignal id = "cert.name_mismatch";
  const auto* hello = c.tls->client_hello();
  if (!hello || !hello->has_sni_extension || hello->server_name.empty())
    return out.not_evaluated(id, "no SNI to compare with");
  std::string host = lower_ascii(hello->server_name);
  if (auto ip = IpAddress::parse(host)) {
    for (const auto& s : cert.san_ip)
      if (auto sip = IpAddress::parse(s); sip && *sip == *ip) return out.pass(id);
  } else {
    for (const auto& s : cert.san_dns)
      if (name_covers(s, host)) return out.pass(id);
    if (cert.san_dns.empty() && !cert.subject_cn.empty() && name_covers(cert.subject_cn, host)) return out.pass(id);
  }
  out.fire(id, 1.0, fmt::format("SNI '{}' is not covered by the certificate (CN '{}', {} SAN DNS names)",
                                hello->server_name, cert.subject_cn, cert.san_dns.size()));
}

void default_subject(const records::Certificate& cert, const SignalContext& ctx, ConnectionFindings& out) {
  constexpr ConnectionSignal id = "cert.default_subject";
  const auto& s = ctx.config.signal(id);
  for (const auto& serial : s.list("serials"))
    if (!cert.serial_hex.empty() && lower_ascii(cert.serial_hex) == lower_ascii(serial))
      return out.fire(id, 1.0, fmt::format("certificate serial {} is a known default (Cobalt Strike: 8BB00EE)", cert.serial_hex));
  std::string subject = lower_ascii(cert.subject);
  for (const auto& needle : s.list("subject_substrings"))
    if (!needle.empty() && subject.find(lower_ascii(needle)) != std::string::npos)
      return out.fire(id, 1.0, fmt::format("default subject '{}' (contains '{}')", cert.subject, needle));
  for (const auto& cn : s.list("common_names"))
    if (lower_ascii(cert.subject_cn) == lower_ascii(cn))
      return out.fire(id, 0.8, fmt::format("default common name CN={}", cert.subject_cn));
  if (s.flag("empty_subject") && cert.subject.empty() && !cert.parse_error)
    return out.fire(id, 0.8, "certificate with an empty subject");
  out.pass(id);
}

}  // namespace

void evaluate_certificate(const records::Connection& c, const SignalContext& ctx, ConnectionFindings& out) {
  if (!c.tls) return;
  static constexpr ConnectionSignal kIds[] = {"cert.self_signed", "cert.short_validity", "cert.newly_issued",
                                              "cert.expired",     "cert.name_mismatch",  "cert.default_subject"};
  if (c.tls->certificates.empty()) {
    const char* why = c.tls->certificates_encrypted ? "certificate encrypted (TLS 1.3)" : "no certificate seen";
    for (ConnectionSignal id : kIds) out.not_evaluated(id, why);
    return;
  }
  const records::Certificate& leaf = *c.tls->certificates.front();
  if (leaf.parse_error) {
    for (ConnectionSignal id : kIds) out.not_evaluated(id, "certificate could not be decoded");
    return;
  }
  self_signed(leaf, ctx, out);
  validity(leaf, c.first_seen, ctx, out);
  name_mismatch(c, leaf, out);
  default_subject(leaf, ctx, out);
}

}  // namespace c2hunt::signals

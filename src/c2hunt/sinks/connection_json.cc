#include "c2hunt/sinks/connection_json.h"

#include "c2hunt/util/community_id.h"

namespace c2hunt::sinks {
namespace {

// Four lower-case hex digits, formatted in place (fmt::format showed in the profile).
struct Hex16 {
  char text[4];
  explicit Hex16(uint16_t v) {
    constexpr char kDigits[] = "0123456789abcdef";
    for (int i = 3; i >= 0; --i, v >>= 4) text[i] = kDigits[v & 0xf];
  }
  operator std::string_view() const { return {text, sizeof text}; }
};

void u16_array(JsonWriter& w, const char* k, const std::vector<uint16_t>& v) {
  w.key(k);
  w.start_array();
  for (uint16_t x : v) w.unsigned_integer(x);
  w.end_array();
}

void write_client_hello(JsonWriter& w, const records::TlsClientHello& h) {
  w.start_object();
  w.generated_field("version", Hex16(h.legacy_version));
  w.generated_field("record_version", Hex16(h.record_version));
  if (h.sslv2_record) w.field("sslv2_record", true);
  if (h.over_quic) w.field("quic", true);
  if (h.has_sni_extension) w.field("server_name", h.server_name);
  u16_array(w, "cipher_suites", h.cipher_suites);
  u16_array(w, "extensions", h.extensions);
  u16_array(w, "supported_groups", h.supported_groups);
  u16_array(w, "signature_algorithms", h.signature_algorithms);
  u16_array(w, "supported_versions", h.supported_versions);
  u16_array(w, "key_share_groups", h.key_share_groups);
  w.key("ec_point_formats");
  w.start_array();
  for (uint8_t x : h.ec_point_formats) w.unsigned_integer(x);
  w.end_array();
  w.string_array("alpn", h.alpn);
  w.generated_field("ja3", h.ja3);
  w.generated_field("ja3_string", h.ja3_string);
  w.generated_field("ja4", h.ja4);
  w.generated_field("ja4_r", h.ja4_r);
  w.generated_field("ja4_o", h.ja4_o);
  w.generated_field("ja4_ro", h.ja4_ro);
  w.field("handshake_length", h.handshake_length);
  w.end_object();
}

// ECS's tls.<side>.* for a chain's first certificate (the peer's own, in the chain's usual order).
void write_leaf_members(JsonWriter& w, bool server, const records::Certificate& leaf) {
  auto k = [server](const char* server_key, const char* client_key) { return server ? server_key : client_key; };
  w.field(k("tls.server.subject", "tls.client.subject"), leaf.subject);
  w.field(k("tls.server.issuer", "tls.client.issuer"), leaf.issuer);
  if (leaf.not_before)
    w.generated_field(k("tls.server.not_before", "tls.client.not_before"), iso8601_text(*leaf.not_before).view());
  if (leaf.not_after)
    w.generated_field(k("tls.server.not_after", "tls.client.not_after"), iso8601_text(*leaf.not_after).view());
  w.generated_field(k("tls.server.hash.sha1", "tls.client.hash.sha1"), leaf.sha1);
  w.generated_field(k("tls.server.hash.sha256", "tls.client.hash.sha256"), leaf.sha256);
}

void write_certificate_members(JsonWriter& w, const records::Certificate& c) {
  w.field("subject.distinguished_name", c.subject);
  w.field("issuer.distinguished_name", c.issuer);
  if (!c.subject_cn.empty()) w.field("subject.common_name", c.subject_cn);
  w.field("serial_number", c.serial_hex);
  if (c.not_before) w.generated_field("not_before", iso8601_text(*c.not_before).view());
  if (c.not_after) w.generated_field("not_after", iso8601_text(*c.not_after).view());
  if (c.validity_days) w.field("validity_days", *c.validity_days);
  if (!c.san_dns.empty() || !c.san_ip.empty()) {
    w.key("alternative_names");
    w.start_array();
    for (const auto& name : c.san_dns) w.string(name);
    for (const auto& ip : c.san_ip) w.string(ip);
    w.end_array();
  }
  if (!c.key_type.empty()) w.field("public_key_algorithm", c.key_type);
  if (c.key_bits) w.field("public_key_size", c.key_bits);
  if (!c.signature_algorithm.empty()) w.field("signature_algorithm", c.signature_algorithm);
  if (c.version) w.field("version_number", std::to_string(c.version));
  w.generated_field("hash.sha1", c.sha1);
  w.generated_field("hash.sha256", c.sha256);
  if (c.is_ca) w.field("ca", *c.is_ca);
  if (c.self_signed) w.field("self_signed", *c.self_signed);
  if (!c.ja4x.empty()) w.generated_field("ja4x", c.ja4x);
  if (c.parse_error) w.field("parse_error", true);
}

void write_cached_certificate(JsonWriter& w, uint32_t chain_index, const CertificateJsonCache::Fragments& f) {
  w.start_object();
  w.field("chain_index", chain_index);
  w.members(f.object);
  w.end_object();
}

// The leaf's top-level fields, its x509 object, then the rest of the chain.
void write_chain(JsonWriter& w, bool server, const std::vector<records::ChainCertificate>& chain,
                 CertificateJsonCache* cache) {
  if (chain.empty()) return;
  const records::ChainCertificate& leaf = chain.front();
  const CertificateJsonCache::Fragments* cached = cache && server ? &cache->get(leaf.facts) : nullptr;
  if (cached) w.members(cached->server_leaf);
  else write_leaf_members(w, server, *leaf);
  w.key(server ? "tls.server.x509" : "tls.client.x509");
  if (cached) write_cached_certificate(w, leaf.chain_index, *cached);
  else write_certificate(w, leaf.chain_index, *leaf);
  if (chain.size() > 1) {
    w.key(server ? "c2hunt.tls.server.x509_chain" : "c2hunt.tls.client.x509_chain");
    w.start_array();
    for (size_t i = 1; i < chain.size(); ++i) {
      if (cache) write_cached_certificate(w, chain[i].chain_index, cache->get(chain[i].facts));
      else write_certificate(w, chain[i].chain_index, *chain[i]);
    }
    w.end_array();
  }
}

// The members between an object's braces, as `write` puts them there.
template <class Write>
std::string members_of(JsonWriter& scratch, Write write) {
  scratch.start_object();
  write(scratch);
  scratch.end_object();
  std::string object = scratch.take_line();
  return object.substr(1, object.size() - 2);
}

}  // namespace

std::string tls_version_text(uint16_t v) {
  switch (v) {
    case 0x0304: return "1.3";
    case 0x0303: return "1.2";
    case 0x0302: return "1.1";
    case 0x0301: return "1.0";
    case 0x0300: return "3.0";
    case 0x0002: return "2.0";
    default: return "";
  }
}

void write_certificate(JsonWriter& w, uint32_t chain_index, const records::Certificate& c) {
  w.start_object();
  w.field("chain_index", chain_index);
  write_certificate_members(w, c);
  w.end_object();
}

const CertificateJsonCache::Fragments& CertificateJsonCache::get(const std::shared_ptr<const records::Certificate>& facts) {
  if (auto it = entries_.find(facts.get()); it != entries_.end()) return it->second;
  if (bytes_ > kMaxBytes) {
    entries_.clear();
    bytes_ = 0;
  }
  Fragments f{facts, members_of(scratch_, [&](JsonWriter& w) { write_leaf_members(w, true, *facts); }),
              members_of(scratch_, [&](JsonWriter& w) { write_certificate_members(w, *facts); })};
  bytes_ += sizeof(Fragments) + f.server_leaf.size() + f.object.size();
  return entries_.emplace(facts.get(), std::move(f)).first->second;
}

void write_connection(JsonWriter& w, const records::Connection& c, CertificateJsonCache* cache) {
  w.start_object();
  w.generated_field("@timestamp", iso8601_text(c.first_seen).view());
  w.field("c2hunt.schema_version", kConnectionSchemaVersion);
  w.generated_field("event.kind", "event");
  w.key("event.category");
  w.start_array();
  w.string("network");
  w.end_array();
  w.generated_field("event.start", iso8601_text(c.first_seen).view());
  w.generated_field("event.end", iso8601_text(c.last_seen).view());
  w.field("event.duration", static_cast<int64_t>(c.duration() * 1000));  // ECS: nanoseconds
  w.generated_field("source.ip", c.orig.ip.to_string());
  w.field("source.port", static_cast<int>(c.orig.port));
  w.field("source.bytes", c.orig_stats.ip_bytes);
  w.field("source.packets", c.orig_stats.packets);
  w.generated_field("destination.ip", c.resp.ip.to_string());
  w.field("destination.port", static_cast<int>(c.resp.port));
  w.field("destination.bytes", c.resp_stats.ip_bytes);
  w.field("destination.packets", c.resp_stats.packets);
  w.generated_field("network.transport", records::transport_name(c.transport));
  w.generated_field("network.type", c.orig.ip.is_v6() ? "ipv6" : "ipv4");
  w.generated_field("network.community_id",
          c.community_id.empty() ? community_id_v1(c.orig.ip, c.orig.port, c.resp.ip, c.resp.port,
                                                   static_cast<uint8_t>(c.transport))
                                 : c.community_id);
  w.field("network.bytes", c.orig_stats.ip_bytes + c.resp_stats.ip_bytes);
  w.field("network.packets", c.orig_stats.packets + c.resp_stats.packets);
  if (c.app_protocol != records::AppProtocol::unknown)
    w.generated_field("network.protocol", records::app_protocol_name(c.app_protocol));
  if (c.vlan) w.field("network.vlan.id", std::to_string(c.vlan));

  if (c.tls) {
    const records::TlsSession& t = *c.tls;
    std::string version = tls_version_text(t.negotiated_version());
    if (!version.empty()) {
      w.generated_field("tls.version", version);
      w.generated_field("tls.version_protocol", t.negotiated_version() >= 0x0300 ? "tls" : "ssl");
    }
    w.field("tls.established", t.established);
    w.field("tls.resumed", t.resumed);
    if (const auto* ch = t.client_hello()) {
      if (!ch->ja3.empty()) w.generated_field("tls.client.ja3", ch->ja3);
      if (ch->has_sni_extension) w.field("tls.client.server_name", ch->server_name);
      if (!ch->alpn.empty()) w.string_array("tls.client.supported_protocols", ch->alpn);
      if (ch->alpn_truncated) w.field("c2hunt.tls.client.alpn_truncated", true);
      if (!ch->ja4.empty()) w.generated_field("c2hunt.tls.client.ja4", ch->ja4);
      if (!ch->ja4_r.empty()) w.generated_field("c2hunt.tls.client.ja4_r", ch->ja4_r);
      if (!ch->ja3_string.empty()) w.generated_field("c2hunt.tls.client.ja3_string", ch->ja3_string);
      w.generated_field("c2hunt.tls.client.version", Hex16(ch->legacy_version));
      if (ch->sslv2_record) w.field("c2hunt.tls.client.sslv2_record", true);
    }
    if (const auto* sh = t.server_hello()) {
      if (!sh->ja3s.empty()) w.generated_field("tls.server.ja3s", sh->ja3s);
      if (!sh->alpn.empty()) w.field("tls.next_protocol", sh->alpn);
      w.generated_field("c2hunt.tls.server.cipher_suite", Hex16(sh->cipher_suite));
      if (!sh->ja4s.empty()) w.generated_field("c2hunt.tls.server.ja4s", sh->ja4s);
      if (!sh->ja3s_string.empty()) w.generated_field("c2hunt.tls.server.ja3s_string", sh->ja3s_string);
      if (sh->hello_retry_request) w.field("c2hunt.tls.server.hello_retry_request", true);
    }
    write_chain(w, /*server=*/true, t.certificates, cache);
    write_chain(w, /*server=*/false, t.client_certificates, cache);
    w.field("c2hunt.tls.certificates_encrypted", t.certificates_encrypted);
    if (t.truncated) w.field("c2hunt.tls.truncated", true);
    if (t.parse_errors) w.field("c2hunt.tls.parse_errors", t.parse_errors);
    if (!t.alerts.empty()) {
      w.key("c2hunt.tls.alerts");
      w.start_array();
      for (const auto& a : t.alerts) {
        w.start_object();
        w.generated_field("from", a.from_client ? "client" : "server");
        w.field("level", static_cast<int>(a.level));
        w.field("description", static_cast<int>(a.description));
        w.end_object();
      }
      w.end_array();
    }
    if (t.client_hellos.size() > 1) {
      w.key("c2hunt.tls.client_hellos");
      w.start_array();
      for (const auto& h : t.client_hellos) write_client_hello(w, h);
      w.end_array();
    }
  }
  if (c.connect_host) {
    w.field("c2hunt.proxy.connect_host", *c.connect_host);
    if (c.connect_port) w.field("c2hunt.proxy.connect_port", static_cast<int>(*c.connect_port));
  }
  w.field("c2hunt.connection_id", c.id);
  if (!c.uid.empty()) w.field("c2hunt.uid", c.uid);
  w.field("c2hunt.source", c.source);
  if (!c.input_file.empty()) w.field("c2hunt.input", c.input_file);
  if (!c.conn_state.empty()) w.field("c2hunt.tcp.state", c.conn_state);
  if (!c.history.empty()) w.field("c2hunt.tcp.history", c.history);
  w.field("c2hunt.source.payload_bytes", c.orig_stats.payload_bytes);
  w.field("c2hunt.destination.payload_bytes", c.resp_stats.payload_bytes);
  if (c.orig_stats.reassembly_gaps || c.resp_stats.reassembly_gaps) {
    w.field("c2hunt.reassembly.source_gaps", c.orig_stats.reassembly_gaps);
    w.field("c2hunt.reassembly.destination_gaps", c.resp_stats.reassembly_gaps);
  }
  if (c.orig_stats.gap_bytes || c.resp_stats.gap_bytes) {
    w.field("c2hunt.reassembly.source_missed_bytes", c.orig_stats.gap_bytes);
    w.field("c2hunt.reassembly.destination_missed_bytes", c.resp_stats.gap_bytes);
  }
  w.generated_field("c2hunt.end_reason", records::end_reason_name(c.end_reason));
  w.end_object();
}

void ConnectionJsonSink::write(const records::Connection& c) {
  write_connection(writer_, c, &certificates_);
  writer_.write_line(out_);
}

}  // namespace c2hunt::sinks

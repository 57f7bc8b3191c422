// Hand-built records for the detection tests: a connection builder with TLS, certificate, payload
// and process helpers. Defaults describe an ordinary, successful TLS 1.2 connection to 443.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "c2hunt/records/connection.h"
#include "c2hunt/records/dns.h"

namespace c2hunt::testing {

constexpr TimeMicros kT0 = 1'700'000'000LL * kMicrosPerSecond;
constexpr TimeMicros kDay = 86400LL * kMicrosPerSecond;

inline IpAddress ip(const char* text) { return *IpAddress::parse(text); }

inline records::Certificate make_certificate(std::string subject, std::string cn, bool self_signed,
                                             TimeMicros not_before = kT0 - 200 * kDay,
                                             TimeMicros not_after = kT0 + 200 * kDay) {
  records::Certificate c;
  c.sha1 = "00112233445566778899aabbccddeeff00112233";
  c.subject = std::move(subject);
  c.issuer = self_signed ? c.subject : "CN=Example CA,O=Example";
  c.subject_cn = std::move(cn);
  c.serial_hex = "1A2B3C";
  c.not_before = not_before;
  c.not_after = not_after;
  c.validity_days = double(not_after - not_before) / kDay;
  c.self_signed = self_signed;
  c.version = 3;
  return c;
}

class ConnectionBuilder {
 public:
  ConnectionBuilder(const char* source, const char* destination, uint16_t port) {
    static uint64_t next_id = 1;
    c_.id = next_id++;
    c_.source = "test";
    c_.transport = records::Transport::tcp;
    c_.orig = {ip(source), 49152};
    c_.resp = {ip(destination), port};
    c_.first_seen = kT0;
    c_.last_seen = kT0 + kMicrosPerSecond;
    c_.conn_state = "SF";
    c_.orig_stats.packets = 10;
    c_.resp_stats.packets = 10;
    c_.orig_stats.payload_bytes = 500;
    c_.resp_stats.payload_bytes = 4000;
  }
  ConnectionBuilder& at(TimeMicros start, TimeMicros duration = kMicrosPerSecond) {
    c_.first_seen = start;
    c_.last_seen = start + duration;
    return *this;
  }
  ConnectionBuilder& state(const char* s) {
    c_.conn_state = s;
    if (std::string(s) == "S0" || std::string(s) == "REJ") c_.resp_stats = {};
    return *this;
  }
  ConnectionBuilder& bytes(uint64_t out, uint64_t in) {
    c_.orig_stats.payload_bytes = out;
    c_.resp_stats.payload_bytes = in;
    return *this;
  }
  ConnectionBuilder& udp() {
    c_.transport = records::Transport::udp;
    return *this;
  }
  // A modern ClientHello (TLS 1.2/1.3 offered) with the given SNI ("" = no SNI extension).
  ConnectionBuilder& tls(const std::string& sni = "example.com") {
    c_.app_protocol = records::AppProtocol::tls;
    records::TlsSession s;
    records::TlsClientHello h;
    h.record_version = 0x0301;
    h.legacy_version = 0x0303;
    h.cipher_suites = {0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030};
    h.extensions = {0, 10, 11, 13, 16, 23, 43, 45, 51};
    h.supported_versions = {0x0304, 0x0303};
    h.has_sni_extension = !sni.empty();
    h.server_name = sni;
    h.ja3 = "ada70206e40642a3e4461f35503241d5";
    h.ja4 = "t13d0709h2_abcdefabcdef_abcdefabcdef";
    s.client_hellos.push_back(h);
    records::TlsServerHello sh;
    sh.legacy_version = 0x0303;
    sh.cipher_suite = 0xc02f;
    sh.ja3s = "ae4edc6faf64d08308082ad26be60767";
    s.server_hellos.push_back(sh);
    s.established = true;
    c_.tls = s;
    return *this;
  }
  records::TlsClientHello& hello() { return c_.tls->client_hellos.front(); }
  ConnectionBuilder& certificate(records::Certificate cert) {
    auto index = static_cast<uint32_t>(c_.tls->certificates.size());
    c_.tls->certificates.push_back({index, std::make_shared<const records::Certificate>(std::move(cert))});
    return *this;
  }
  ConnectionBuilder& payload(std::vector<uint8_t> out, std::vector<uint8_t> in) {
    c_.orig_payload_sample = std::move(out);
    c_.resp_payload_sample = std::move(in);
    return *this;
  }
  ConnectionBuilder& process(const std::string& exe, const std::string& signer = "", const std::string& parent = "") {
    records::Process p;
    p.entity_id = "proc-1";
    p.executable = exe;
    p.signer = signer;
    p.parent_executable = parent;
    p.host = "ws01";
    p.user = "alice";
    c_.process = p;
    return *this;
  }
  ConnectionBuilder& connect_proxy(const std::string& host, uint16_t port) {
    c_.connect_host = host;
    c_.connect_port = port;
    return *this;
  }
  records::Connection build() const { return c_; }
  records::Connection& raw() { return c_; }

 private:
  records::Connection c_;
};

inline records::DnsResolution dns_answer(const char* client, const char* name, std::vector<const char*> addresses,
                                         TimeMicros at = kT0 - kMicrosPerSecond) {
  records::DnsResolution d;
  d.time = at;
  d.client = ip(client);
  d.query = name;
  d.qtype = 1;
  for (const char* a : addresses) d.addresses.push_back(ip(a));
  return d;
}

// Deterministic pseudo-random bytes (xorshift), for payloads that must look encrypted.
inline std::vector<uint8_t> random_bytes(size_t n, uint64_t seed) {
  std::vector<uint8_t> out(n);
  uint64_t x = seed * 0x9E3779B97F4A7C15ull + 1;
  for (auto& b : out) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    b = static_cast<uint8_t>(x >> 24);
  }
  return out;
}

inline std::vector<uint8_t> text_bytes(const std::string& s) { return {s.begin(), s.end()}; }

}  // namespace c2hunt::testing

#include "c2hunt/fingerprints/tls_fingerprints.h"

#include "c2hunt/util/digest.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <string>
#include <unordered_map>
#include <vector>

namespace c2hunt::fingerprints {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";
constexpr uint16_t kExtServerName = 0x0000;
constexpr uint16_t kExtAlpn = 0x0010;
constexpr size_t kMaxJa4Count = 99;
constexpr std::string_view kEmptyHash12 = "000000000000";

void append_decimal(std::string& s, unsigned value) {
  char buf[8];
  s.append(buf, std::to_chars(buf, buf + sizeof buf, value).ptr);
}

void append_hex4(std::string& s, uint16_t v) {
  const char digits[4] = {kHexDigits[v >> 12], kHexDigits[(v >> 8) & 0xf], kHexDigits[(v >> 4) & 0xf], kHexDigits[v & 0xf]};
  s.append(digits, 4);
}

void append_two_digits(std::string& s, size_t n) {
  n = std::min(n, kMaxJa4Count);
  s.push_back(static_cast<char>('0' + n / 10));
  s.push_back(static_cast<char>('0' + n % 10));
}

template <typename T>
void append_decimal_list(std::string& s, const std::vector<T>& values, bool drop_grease) {
  bool first = true;
  for (T v : values) {
    if (drop_grease && is_grease(v)) continue;
    if (!first) s.push_back('-');
    append_decimal(s, v);
    first = false;
  }
}

void append_hex_list(std::string& s, const std::vector<uint16_t>& values) {
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) s.push_back(',');
    append_hex4(s, values[i]);
  }
}

std::vector<uint16_t> without_grease(const std::vector<uint16_t>& values) {
  std::vector<uint16_t> out;
  out.reserve(values.size());
  for (uint16_t v : values)
    if (!is_grease(v)) out.push_back(v);
  return out;
}

// Orders versions by protocol generation, so DTLS 1.3 (0xfefc) outranks DTLS 1.2 (0xfefd).
int version_rank(uint16_t v) {
  if ((v >> 8) != 0xfe) return v;
  switch (v) {
    case 0xfeff: return 0x0302;
    case 0xfefd: return 0x0303;
    case 0xfefc: return 0x0304;
    default: return 0;
  }
}

uint16_t ja4_client_version(const records::TlsClientHello& h) {
  uint16_t best = 0;
  bool found = false;
  for (uint16_t v : h.supported_versions) {
    if (is_grease(v)) continue;
    if (!found || version_rank(v) > version_rank(best)) best = v;
    found = true;
  }
  return found ? best : h.legacy_version;
}

// "_" + sigalgs, or nothing: JA4 adds no trailing '_' when there are no signature algorithms.
void append_sigalgs_part(std::string& s, const std::vector<uint16_t>& sigalgs) {
  if (sigalgs.empty()) return;
  s.push_back('_');
  append_hex_list(s, sigalgs);
}

void append_alpn_code(std::string& s, std::string_view alpn) {
  std::array<char, 2> code = ja4_alpn_code(alpn);
  s.append(code.data(), code.size());
}

}  // namespace

bool is_grease(uint16_t x) { return (x & 0x0f0f) == 0x0a0a && (x & 0xff) == (x >> 8); }

std::array<char, 2> ja4_alpn_code(std::string_view p) {
  if (p.empty()) return {'0', '0'};
  auto alnum = [](unsigned char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  };
  unsigned char first = static_cast<unsigned char>(p.front());
  unsigned char last = static_cast<unsigned char>(p.back());
  if (alnum(first) && alnum(last)) return {static_cast<char>(first), static_cast<char>(last)};
  // Spec: first and last characters of the hex representation of the whole value.
  return {kHexDigits[first >> 4], kHexDigits[last & 0xf]};
}

std::string_view ja4_version_code(uint16_t v) {
  switch (v) {
    case 0x0304: return "13";
    case 0x0303: return "12";
    case 0x0302: return "11";
    case 0x0301: return "10";
    case 0x0300: return "s3";
    case 0x0002: return "s2";
    case 0xfeff: return "d1";
    case 0xfefd: return "d2";
    case 0xfefc: return "d3";
    default: return "00";
  }
}

std::string ja4_hash12(std::string_view text) {
  if (text.empty()) return std::string(kEmptyHash12);
  return digest_hex(DigestAlgorithm::sha256, as_bytes(text), 12);
}

namespace {

// JA3 string of a hello: SSLVersion,Ciphers,Extensions,EllipticCurves,EllipticCurvePointFormats
// (decimal, GREASE-free).
void build_ja3_string(records::TlsClientHello& h) {
  std::string& ja3 = h.ja3_string;
  ja3.clear();
  ja3.reserve(16 + 6 * (h.cipher_suites.size() + h.extensions.size() + h.supported_groups.size()) +
              4 * h.ec_point_formats.size());
  append_decimal(ja3, h.legacy_version);
  ja3.push_back(',');
  append_decimal_list(ja3, h.cipher_suites, true);
  ja3.push_back(',');
  append_decimal_list(ja3, h.extensions, true);
  ja3.push_back(',');
  append_decimal_list(ja3, h.supported_groups, true);
  ja3.push_back(',');
  append_decimal_list(ja3, h.ec_point_formats, false);
}

void compute_client_hashes(records::TlsClientHello& h) {
  h.ja3 = md5_hex(as_bytes(h.ja3_string));

  // JA4
  std::vector<uint16_t> ciphers = without_grease(h.cipher_suites);
  std::vector<uint16_t> extensions = without_grease(h.extensions);
  std::vector<uint16_t> sigalgs = without_grease(h.signature_algorithms);

  std::string a;
  a.reserve(10);
  a.push_back(h.over_quic ? 'q' : ((h.legacy_version >> 8) == 0xfe ? 'd' : 't'));
  a.append(ja4_version_code(ja4_client_version(h)));
  a.push_back(h.has_sni_extension ? 'd' : 'i');
  append_two_digits(a, ciphers.size());
  append_two_digits(a, extensions.size());
  append_alpn_code(a, h.alpn.empty() ? std::string_view() : std::string_view(h.alpn.front()));

  std::string ciphers_o, extensions_o;
  ciphers_o.reserve(5 * ciphers.size());
  append_hex_list(ciphers_o, ciphers);
  extensions_o.reserve(5 * (extensions.size() + sigalgs.size()));
  append_hex_list(extensions_o, extensions);
  append_sigalgs_part(extensions_o, sigalgs);

  std::sort(ciphers.begin(), ciphers.end());
  std::erase_if(extensions, [](uint16_t e) { return e == kExtServerName || e == kExtAlpn; });
  std::sort(extensions.begin(), extensions.end());
  std::string ciphers_s, extensions_s;
  ciphers_s.reserve(ciphers_o.size());
  append_hex_list(ciphers_s, ciphers);
  extensions_s.reserve(extensions_o.size());
  append_hex_list(extensions_s, extensions);
  append_sigalgs_part(extensions_s, sigalgs);

  auto join = [&a](std::string_view b, std::string_view c) {
    std::string out;
    out.reserve(a.size() + b.size() + c.size() + 2);
    out.append(a).append("_").append(b).append("_").append(c);
    return out;
  };
  h.ja4 = join(ja4_hash12(ciphers_s), ja4_hash12(extensions_s));
  h.ja4_r = join(ciphers_s, extensions_s);
  h.ja4_o = join(ja4_hash12(ciphers_o), ja4_hash12(extensions_o));
  h.ja4_ro = join(ciphers_o, extensions_o);
}

// Every input of JA3 and JA4, in binary (cheaper to build than the JA3 string's decimals). Two
// hellos with the same key have the same fingerprints, whatever their random, session id, SNI value
// or key shares.
std::string cache_key(const records::TlsClientHello& h) {
  // Sized first and written through a pointer: push_back per byte checked the capacity for each of
  // the few hundred bytes, most of the cost of a cache hit.
  auto list_bytes = [](const auto& v) { return 2 + v.size() * sizeof(v[0]); };
  const std::string_view alpn = h.alpn.empty() ? std::string_view() : std::string_view(h.alpn.front());
  std::string key(4 + list_bytes(h.cipher_suites) + list_bytes(h.extensions) + list_bytes(h.supported_groups) +
                      list_bytes(h.ec_point_formats) + list_bytes(h.signature_algorithms) +
                      list_bytes(h.supported_versions) + alpn.size(),
                  '\0');
  char* p = key.data();
  *p++ = h.over_quic ? 'q' : 't';
  *p++ = h.has_sni_extension ? 'd' : 'i';
  *p++ = static_cast<char>(h.legacy_version >> 8);
  *p++ = static_cast<char>(h.legacy_version);
  // Each list is preceded by its length, so no two different sets of lists share a key.
  auto add_list = [&p](const auto& v) {
    *p++ = static_cast<char>(v.size() >> 8);
    *p++ = static_cast<char>(v.size());
    for (auto x : v) {
      if constexpr (sizeof(x) > 1) *p++ = static_cast<char>(x >> 8);
      *p++ = static_cast<char>(x);
    }
  };
  add_list(h.cipher_suites);
  add_list(h.extensions);
  add_list(h.supported_groups);
  add_list(h.ec_point_formats);
  add_list(h.signature_algorithms);
  add_list(h.supported_versions);
  if (!alpn.empty()) std::memcpy(p, alpn.data(), alpn.size());
  return key;
}

struct ClientFingerprints {
  std::string ja3_string, ja3, ja4, ja4_r, ja4_o, ja4_ro;
};

// Clients of one software stack send hellos that differ only in random values, so a sensor sees
// few distinct fingerprints; hashing them (four SHA-256 and one MD5) was a sixth of a
// `connections` run. Keyed by the exact inputs, so a collision cannot mislabel a hello. Bounded:
// cleared when full.
constexpr size_t kClientFingerprintCacheEntries = 4096;
thread_local std::unordered_map<std::string, ClientFingerprints> client_fingerprint_cache;

}  // namespace

void fill_client_fingerprints(records::TlsClientHello& h) {
  std::string key = cache_key(h);
  if (auto it = client_fingerprint_cache.find(key); it != client_fingerprint_cache.end()) {
    const ClientFingerprints& f = it->second;
    h.ja3_string = f.ja3_string;
    h.ja3 = f.ja3;
    h.ja4 = f.ja4;
    h.ja4_r = f.ja4_r;
    h.ja4_o = f.ja4_o;
    h.ja4_ro = f.ja4_ro;
    return;
  }
  build_ja3_string(h);
  compute_client_hashes(h);
  if (client_fingerprint_cache.size() >= kClientFingerprintCacheEntries) client_fingerprint_cache.clear();
  client_fingerprint_cache.emplace(std::move(key),
                                   ClientFingerprints{h.ja3_string, h.ja3, h.ja4, h.ja4_r, h.ja4_o, h.ja4_ro});
}

namespace {

void compute_server_hashes(records::TlsServerHello& h) {
  h.ja3s = md5_hex(as_bytes(h.ja3s_string));
#ifdef C2HUNT_JA4PLUS
  // JA4S (FoxIO License 1.1): proto, version, extension count, ALPN, cipher, wire-order extension hash.
  std::string& j = h.ja4s;
  j.clear();
  j.reserve(25);
  j.push_back(h.over_quic ? 'q' : 't');
  j.append(ja4_version_code(h.selected_version.value_or(h.legacy_version)));
  append_two_digits(j, h.extensions.size());
  append_alpn_code(j, h.alpn);
  j.push_back('_');
  append_hex4(j, h.cipher_suite);
  j.push_back('_');
  std::string extensions;
  extensions.reserve(5 * h.extensions.size());
  append_hex_list(extensions, h.extensions);
  j.append(ja4_hash12(extensions));
#endif
}

// Every input of JA3S and JA4S besides what the JA3S string already holds (version, cipher and
// extensions in wire order).
std::string server_cache_key(const records::TlsServerHello& h) {
  std::string key = h.ja3s_string;
  key.push_back(h.over_quic ? 'q' : 't');
  uint16_t selected = h.selected_version.value_or(0);
  key.push_back(h.selected_version ? '+' : '-');
  key.push_back(static_cast<char>(selected >> 8));
  key.push_back(static_cast<char>(selected));
  key.push_back('|');
  key.append(h.alpn);
  return key;
}

struct ServerFingerprints {
  std::string ja3s, ja4s;
};

// A server answers every client alike, so its hellos repeat even more than the clients' do.
// Keyed by the exact inputs and bounded like the client cache.
constexpr size_t kServerFingerprintCacheEntries = 4096;
thread_local std::unordered_map<std::string, ServerFingerprints> server_fingerprint_cache;

}  // namespace

void fill_server_fingerprints(records::TlsServerHello& h) {
  // JA3S: SSLVersion,Cipher,Extensions; the reference keeps GREASE on the server side.
  std::string& s = h.ja3s_string;
  s.clear();
  s.reserve(16 + 6 * h.extensions.size());
  append_decimal(s, h.legacy_version);
  s.push_back(',');
  append_decimal(s, h.cipher_suite);
  s.push_back(',');
  append_decimal_list(s, h.extensions, false);
  std::string key = server_cache_key(h);
  if (auto it = server_fingerprint_cache.find(key); it != server_fingerprint_cache.end()) {
    h.ja3s = it->second.ja3s;
    h.ja4s = it->second.ja4s;
    return;
  }
  compute_server_hashes(h);
  if (server_fingerprint_cache.size() >= kServerFingerprintCacheEntries) server_fingerprint_cache.clear();
  server_fingerprint_cache.emplace(std::move(key), ServerFingerprints{h.ja3s, h.ja4s});
}

}  // namespace c2hunt::fingerprints

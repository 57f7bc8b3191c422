#include "c2hunt/sources/zeek/tls_names.h"

#include <openssl/ssl.h>

#include <charconv>
#include <string>
#include <unordered_map>

#include "c2hunt/util/string_map.h"

namespace c2hunt::logs {
namespace {

struct VersionName {
  std::string_view name;
  uint16_t wire;
};
constexpr VersionName kVersions[] = {
    {"TLSv10", 0x0301},  {"TLSv11", 0x0302},  {"TLSv12", 0x0303},  {"TLSv13", 0x0304},
    {"SSLv2", 0x0002},   {"SSLv3", 0x0300},   {"DTLSv10", 0xfeff}, {"DTLSv12", 0xfefd},
    {"DTLSv13", 0xfefc}, {"TLS 1.0", 0x0301}, {"TLSv1", 0x0301},   {"TLS 1.1", 0x0302},
    {"TLS 1.2", 0x0303}, {"TLS 1.3", 0x0304}, {"SSL 2.0", 0x0002}, {"SSL 3.0", 0x0300},
};

// Suites that modern OpenSSL builds no longer carry but old malware still negotiates.
struct SuiteName {
  const char* name;
  uint16_t code;
};
constexpr SuiteName kLegacySuites[] = {
    {"TLS_RSA_WITH_RC4_128_MD5", 0x0004},         {"TLS_RSA_WITH_RC4_128_SHA", 0x0005},
    {"TLS_RSA_WITH_DES_CBC_SHA", 0x0009},         {"TLS_RSA_WITH_3DES_EDE_CBC_SHA", 0x000a},
    {"TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA", 0x0016}, {"TLS_ECDHE_RSA_WITH_RC4_128_SHA", 0xc011},
    {"TLS_ECDHE_ECDSA_WITH_RC4_128_SHA", 0xc007}, {"TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA", 0xc012},
    {"TLS_RSA_EXPORT_WITH_RC4_40_MD5", 0x0003},   {"TLS_RSA_WITH_NULL_MD5", 0x0001},
    {"TLS_RSA_WITH_NULL_SHA", 0x0002},            {"TLS_NULL_WITH_NULL_NULL", 0x0000},
};

using SuiteTable = StringMap<uint16_t>;

SuiteTable build_suite_table() {
  SuiteTable table;
  for (const auto& s : kLegacySuites) table.emplace(s.name, s.code);
  SSL_CTX* ctx = SSL_CTX_new(TLS_method());
  if (!ctx) return table;
  SSL_CTX_set_security_level(ctx, 0);
  SSL_CTX_set_cipher_list(ctx, "ALL:COMPLEMENTOFALL:@SECLEVEL=0");
  if (SSL* ssl = SSL_new(ctx)) {
    STACK_OF(SSL_CIPHER)* list = SSL_get_ciphers(ssl);
    for (int i = 0; list && i < sk_SSL_CIPHER_num(list); ++i) {
      const SSL_CIPHER* c = sk_SSL_CIPHER_value(list, i);
      const char* name = SSL_CIPHER_standard_name(c);
      if (name) table.emplace(name, SSL_CIPHER_get_protocol_id(c));
    }
    SSL_free(ssl);
  }
  SSL_CTX_free(ctx);
  return table;
}

}  // namespace

std::optional<uint16_t> tls_version_from_name(std::string_view name) {
  for (const auto& v : kVersions)
    if (v.name == name) return v.wire;
  return std::nullopt;
}

std::optional<uint16_t> cipher_suite_from_name(std::string_view name) {
  constexpr std::string_view kUnknown = "unknown-";
  if (name.starts_with(kUnknown)) {
    unsigned value = 0;
    std::string_view digits = name.substr(kUnknown.size());
    auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec != std::errc() || p != digits.data() + digits.size() || value > 0xffff) return std::nullopt;
    return static_cast<uint16_t>(value);
  }
  static const SuiteTable table = build_suite_table();
  auto it = table.find(name);
  if (it == table.end()) return std::nullopt;
  return it->second;
}

}  // namespace c2hunt::logs

namespace c2hunt::logs {

std::string first_common_name(std::string_view dn) {
  size_t i = 0;
  while (i < dn.size()) {
    while (i < dn.size() && dn[i] == ' ') ++i;
    size_t start = i;
    std::string value;
    bool is_cn = dn.substr(start).starts_with("CN=");
    // Walk to the next unescaped comma, unescaping as we go.
    size_t eq = dn.find('=', start);
    if (eq == std::string_view::npos) return {};
    i = eq + 1;
    while (i < dn.size() && dn[i] != ',') {
      if (dn[i] == '\\' && i + 1 < dn.size()) ++i;
      value.push_back(dn[i]);
      ++i;
    }
    if (is_cn) return value;
    ++i;  // past the comma
  }
  return {};
}

std::string normalise_hex(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == ':' || c == ' ') continue;
    if (c >= '0' && c <= '9') out.push_back(c);
    else if (c >= 'a' && c <= 'f') out.push_back(c);
    else if (c >= 'A' && c <= 'F') out.push_back(static_cast<char>(c - 'A' + 'a'));
    else return {};
  }
  return out;
}

}  // namespace c2hunt::logs

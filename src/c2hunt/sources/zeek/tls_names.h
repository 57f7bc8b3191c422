// Names that Zeek and Suricata log for TLS parameters, turned back into wire values:
// protocol versions ("TLSv12", "TLS 1.2") and cipher suites (IANA names, as Zeek logs them).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace c2hunt::logs {

// Wire value of a logged protocol version: "TLSv10".."TLSv13", "SSLv2", "SSLv3", "DTLSv10".."DTLSv13"
// (Zeek) and "TLS 1.0".."TLS 1.3", "TLSv1", "SSLv2", "SSLv3" (Suricata). nullopt when unknown.
std::optional<uint16_t> tls_version_from_name(std::string_view name);

// IANA cipher suite name (e.g. "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384") or Zeek's "unknown-NNNN"
// to its code point. The table comes from OpenSSL's own list (SSL_CIPHER_standard_name), so every
// suite OpenSSL knows is covered; nullopt for a name OpenSSL does not know.
std::optional<uint16_t> cipher_suite_from_name(std::string_view name);

}  // namespace c2hunt::logs

namespace c2hunt::logs {

// The first commonName of a distinguished name printed as "A=x,B=y" (Zeek, RFC 4514) or
// "A=x, B=y" (Suricata); backslash escapes are undone. Empty when there is none.
std::string first_common_name(std::string_view dn);

// Lowercase hex without separators ("33:67:A1" -> "3367a1"); empty when the text is not hex.
std::string normalise_hex(std::string_view text);

}  // namespace c2hunt::logs

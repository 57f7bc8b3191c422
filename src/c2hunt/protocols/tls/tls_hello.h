// ClientHello and ServerHello bodies (RFC 8446 §4.1.2/§4.1.3, RFC 5246 §7.4.1, SSLv2-compatible
// hello of RFC 5246 Appendix E.2) parsed into the raw wire-order lists of records::TlsClientHello
// and records::TlsServerHello. Shared by the TCP stream parser and the QUIC CRYPTO-stream parser.
#pragma once

#include <cstdint>

#include "c2hunt/records/tls.h"
#include "c2hunt/util/byte_cursor.h"

namespace c2hunt::tls {

// Extension types the parsers look into.
namespace ext {
inline constexpr uint16_t server_name = 0x0000;
inline constexpr uint16_t supported_groups = 0x000a;
inline constexpr uint16_t ec_point_formats = 0x000b;
inline constexpr uint16_t signature_algorithms = 0x000d;
inline constexpr uint16_t alpn = 0x0010;
inline constexpr uint16_t pre_shared_key = 0x0029;
inline constexpr uint16_t supported_versions = 0x002b;
inline constexpr uint16_t key_share = 0x0033;
}  // namespace ext

// Bounds on what one hello may make us store (a hello is at most max_handshake_bytes anyway; these
// stop a 64 KB hello of 1-byte ALPN names from turning into thousands of strings).
inline constexpr size_t kMaxAlpnNames = 32;
inline constexpr size_t kMaxServerNameBytes = 255;  // longer names keep this much plus x509::kTruncationMarker

// Parse one handshake message body (after the 4-byte handshake header). They fill the raw lists
// only; call fingerprints::fill_* afterwards. False when the body is malformed (the fields read up
// to the fault stay filled). A malformed inner extension body is skipped, not fatal: fingerprints
// only need the extension type.
bool parse_client_hello(ByteView body, records::TlsClientHello& out);
bool parse_server_hello(ByteView body, records::TlsServerHello& out);

// The body of an SSLv2-compatible ClientHello record (after the 2-byte record header): msg type 1,
// version, cipher-spec/session-id/challenge lengths, then the lists. Cipher specs whose first byte
// is 0 become 16-bit suites; pure SSLv2 specs are dropped (as JA3 does).
bool parse_sslv2_client_hello(ByteView record_body, records::TlsClientHello& out);

// The legacy_session_id of a ClientHello or ServerHello body (both start version, random, id),
// empty when absent or malformed. Used for the resumption check.
ByteView hello_session_id(ByteView body);

// True for the HelloRetryRequest random of RFC 8446 §4.1.3.
bool is_hello_retry_random(ByteView random32);

// Wire version of TLS 1.3 (and its drafts 0x7fxx), which encrypts everything after ServerHello.
inline bool is_tls13(uint16_t version) { return version == 0x0304 || (version >> 8) == 0x7f; }

}  // namespace c2hunt::tls

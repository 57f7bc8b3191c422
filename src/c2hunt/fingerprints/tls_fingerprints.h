// Client and server TLS fingerprints from the raw lists of a parsed hello.
// Definitions as implemented: docs/fingerprints.md.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "c2hunt/records/tls.h"

namespace c2hunt::fingerprints {

// JA3 (string and MD5) and JA4 (JA4, JA4_r, JA4_o, JA4_ro). `over_quic` selects JA4's 'q' prefix.
void fill_client_fingerprints(records::TlsClientHello& hello);
// JA3S and (with C2HUNT_JA4PLUS) JA4S.
void fill_server_fingerprints(records::TlsServerHello& hello);

bool is_grease(uint16_t value);

// Building blocks, exposed for tests and for other fingerprints (JA4X uses the same hash).
// JA4's two-character ALPN code of one protocol name ("00" when empty; hex fallback per the spec).
std::array<char, 2> ja4_alpn_code(std::string_view protocol);
// JA4's two-character version code ("13", "12", ..., "s3", "s2", "d1", "d2", "d3", else "00").
std::string_view ja4_version_code(uint16_t version);
// First 12 lowercase hex characters of SHA-256, or "000000000000" for an empty input.
std::string ja4_hash12(std::string_view text);

}  // namespace c2hunt::fingerprints

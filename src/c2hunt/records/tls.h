// TLS handshake facts of one connection: the raw wire-order lists every fingerprint is derived from,
// the fingerprints themselves, and the certificate chain when it is visible.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "c2hunt/records/certificate.h"

namespace c2hunt::records {

struct TlsClientHello {
  uint16_t record_version = 0;        // record layer version (0x0002 for an SSLv2-compatible record)
  uint16_t legacy_version = 0;        // ClientHello.legacy_version
  bool sslv2_record = false;          // sent in an SSLv2-compatible record
  bool over_quic = false;
  std::vector<uint16_t> cipher_suites;        // wire order, GREASE included
  std::vector<uint16_t> extensions;           // wire order, GREASE included
  std::vector<uint16_t> supported_groups;     // ext 10
  std::vector<uint8_t> ec_point_formats;      // ext 11
  std::vector<uint16_t> signature_algorithms; // ext 13 only
  std::vector<uint16_t> supported_versions;   // ext 43
  std::vector<uint16_t> key_share_groups;     // ext 51
  std::vector<std::string> alpn;              // ext 16, raw protocol names (may be arbitrary bytes)
  bool alpn_truncated = false;                // more names than the parser keeps (the rest are counted)
  bool has_sni_extension = false;
  std::string server_name;                    // first host_name in ext 0 (raw bytes)
  uint32_t handshake_length = 0;              // length of the ClientHello handshake message

  // Fingerprints (filled by c2hunt::fingerprints).
  std::string ja3_string, ja3;
  std::string ja4, ja4_r, ja4_o, ja4_ro;
};

struct TlsServerHello {
  uint16_t legacy_version = 0;
  std::optional<uint16_t> selected_version;   // from supported_versions, when present
  uint16_t cipher_suite = 0;
  uint8_t compression_method = 0;
  std::vector<uint16_t> extensions;           // wire order
  std::string alpn;                           // the selected protocol, raw
  bool hello_retry_request = false;
  bool over_quic = false;

  std::string ja3s_string, ja3s;
  std::string ja4s;                           // empty when JA4+ is disabled
};

// One certificate as a handshake presented it: its place in the chain and its facts. The facts are
// immutable and shared: a server presents the same chain on every connection, so each certificate
// is described once and every connection (and every channel) refers to the one description.
struct ChainCertificate {
  uint32_t chain_index = 0;  // 0 = the peer's own certificate
  std::shared_ptr<const Certificate> facts;

  const Certificate& operator*() const { return *facts; }
  const Certificate* operator->() const { return facts.get(); }
};

struct TlsAlert {
  bool from_client = false;
  uint8_t level = 0;
  uint8_t description = 0;
};

struct TlsSession {
  // The first ClientHello is client_hellos[0]; a second one (after HelloRetryRequest or a renegotiation)
  // is kept too, up to a small bound.
  std::vector<TlsClientHello> client_hellos;
  std::vector<TlsServerHello> server_hellos;
  std::vector<ChainCertificate> certificates;  // the server's chain, in order
  // The client's chain when the server asked for one (mutual TLS) before TLS 1.3, which encrypts it.
  std::vector<ChainCertificate> client_certificates;
  std::vector<TlsAlert> alerts;                 // plaintext alerts only
  bool certificates_encrypted = false;          // TLS 1.3: the Certificate message is not visible
  bool resumed = false;                         // abbreviated handshake (session id / ticket echo)
  bool established = false;                     // both sides moved to encrypted records
  bool truncated = false;                       // the handshake exceeded the parse limit
  uint32_t parse_errors = 0;

  const TlsClientHello* client_hello() const { return client_hellos.empty() ? nullptr : &client_hellos.front(); }
  const TlsServerHello* server_hello() const { return server_hellos.empty() ? nullptr : &server_hellos.front(); }
  // Negotiated version as on the wire (0x0304 for TLS 1.3), 0 when unknown.
  uint16_t negotiated_version() const {
    const TlsServerHello* s = server_hello();
    if (!s) return 0;
    return s->selected_version ? *s->selected_version : s->legacy_version;
  }
};

}  // namespace c2hunt::records

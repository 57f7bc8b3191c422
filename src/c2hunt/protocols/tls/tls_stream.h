// TLS over a reliable byte stream: fed with the in-order bytes of each direction of a TCP
// connection (from the stream start), it parses records and handshake messages and fills a
// records::TlsSession. Handshake messages that span records and records that span segments are
// buffered (bounded by StreamLimits).
#pragma once

#include <cstddef>
#include <cstdint>

#include "c2hunt/records/tls.h"
#include "c2hunt/util/byte_cursor.h"

namespace c2hunt::tls {

enum class Direction : uint8_t { client_to_server, server_to_client };

struct StreamLimits {
  size_t max_handshake_bytes = 64 * 1024;  // per direction, across all handshake messages
  size_t max_certificates = 10;
  size_t max_client_hellos = 4;
};

enum class Progress : uint8_t {
  need_more,  // keep feeding bytes
  done,       // handshake metadata complete (or encrypted from here on): stop feeding
  not_tls,    // the stream is not TLS: stop feeding
};

class TlsStreamParser {
 public:
  explicit TlsStreamParser(StreamLimits limits = {});
  ~TlsStreamParser();
  TlsStreamParser(const TlsStreamParser&) = delete;
  TlsStreamParser& operator=(const TlsStreamParser&) = delete;

  // `bytes` follow directly after the bytes fed before in the same direction. A reassembly gap is
  // reported with gap() instead; parsing of that direction then stops.
  Progress feed(Direction d, ByteView bytes);
  void gap(Direction d);
  Progress progress() const;
  records::TlsSession& session();
  // Releases buffers once done; the session stays.
  void finish();

 private:
  struct Impl;
  Impl* impl_;
};

// Cheap test on the first bytes of a client stream: a TLS handshake record, or an SSLv2-compatible
// ClientHello record.
bool looks_like_tls_client_start(ByteView first_bytes);

// Parse one handshake message body (after the 4-byte handshake header). Used for TCP and for
// QUIC CRYPTO streams alike. They fill the raw lists only; call fingerprints::fill_* afterwards.
bool parse_client_hello(ByteView body, records::TlsClientHello& out);
bool parse_server_hello(ByteView body, records::TlsServerHello& out);

}  // namespace c2hunt::tls

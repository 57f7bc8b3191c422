// TLS over a reliable byte stream: fed with the in-order bytes of each direction of a TCP
// connection (from the stream start), it parses records and handshake messages and fills a
// records::TlsSession. Handshake messages that span records and records that span segments are
// buffered (bounded by StreamLimits).
#pragma once

#include <cstddef>
#include <cstdint>

#include "c2hunt/protocols/tls/tls_hello.h"
#include "c2hunt/records/tls.h"
#include "c2hunt/util/byte_cursor.h"
#include "c2hunt/x509/certificate_cache.h"
#include "c2hunt/util/counters.h"

namespace c2hunt::tls {

enum class Direction : uint8_t { client_to_server, server_to_client };

struct StreamLimits {
  size_t max_handshake_bytes = 64 * 1024;  // per direction: all handshake records, headers included
  size_t max_certificates = 10;
  size_t max_client_hellos = 4;            // also bounds the ServerHellos kept
  size_t max_alerts = 8;
  // Shared by every connection of a run so that each distinct certificate is described once;
  // null describes every certificate afresh.
  x509::CertificateCache* certificate_cache = nullptr;
};

// Plain counts a pipeline keeps one of per worker and adds to its Counters at the end (no map
// look-up per connection). Every limit that drops something counts here.
struct StreamCounters {
  uint64_t records = 0;
  uint64_t handshake_messages = 0;
  uint64_t truncated = 0;             // a direction exceeded max_handshake_bytes
  uint64_t certificates_dropped = 0;  // beyond max_certificates
  uint64_t hellos_dropped = 0;        // beyond max_client_hellos
  uint64_t alerts_dropped = 0;        // beyond max_alerts
  uint64_t alpn_lists_truncated = 0;  // ClientHellos offering more ALPN names than are kept
  uint64_t parse_errors = 0;          // malformed record or handshake message
  uint64_t gaps = 0;
  void add_to(Counters& counters) const;
};

enum class Progress : uint8_t {
  need_more,  // keep feeding bytes
  done,       // handshake metadata complete (or encrypted from here on): stop feeding
  not_tls,    // the stream is not TLS: stop feeding
};

class TlsStreamParser {
 public:
  explicit TlsStreamParser(StreamLimits limits = {}, StreamCounters* counters = nullptr);
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
// ClientHello record. Needs 6 bytes (3 for SSLv2); fewer give false.
bool looks_like_tls_client_start(ByteView first_bytes);

}  // namespace c2hunt::tls

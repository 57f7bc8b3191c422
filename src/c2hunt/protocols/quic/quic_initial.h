// QUIC v1 (RFC 9000/9001) and v2 (RFC 9369) Initial packets: derives the Initial keys from the
// client's original Destination Connection ID, removes header protection, decrypts both sides'
// Initial packets, reassembles CRYPTO frames (across packets, out of order, bounded) and parses
// the ClientHello and ServerHello into a records::TlsSession.
#pragma once

#include <cstdint>

#include "c2hunt/records/tls.h"
#include "c2hunt/util/byte_cursor.h"

namespace c2hunt::quic {

enum class Progress : uint8_t { need_more, done, not_quic };

struct Limits {
  size_t max_crypto_bytes = 32 * 1024;  // per direction
  size_t max_packets = 32;              // Initial packets examined per direction
};

class QuicInitialParser {
 public:
  explicit QuicInitialParser(Limits limits = {});
  ~QuicInitialParser();
  QuicInitialParser(const QuicInitialParser&) = delete;
  QuicInitialParser& operator=(const QuicInitialParser&) = delete;

  // One UDP payload (may hold several coalesced QUIC packets).
  Progress feed_datagram(bool from_client, ByteView udp_payload);
  records::TlsSession& session();
  uint32_t version() const;  // QUIC version of the client's first Initial, 0 when unknown

 private:
  struct Impl;
  Impl* impl_;
};

// Long header, Initial type, a version this parser supports (v1 or v2), plausible lengths.
bool looks_like_quic_initial(ByteView udp_payload);

}  // namespace c2hunt::quic

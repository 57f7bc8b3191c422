// QUIC v1 (RFC 9000/9001) and v2 (RFC 9369) Initial packets: derives the Initial keys from the
// client's original Destination Connection ID, removes header protection, decrypts both sides'
// Initial packets, reassembles CRYPTO frames (across packets, out of order, bounded) and parses
// the ClientHello and ServerHello into a records::TlsSession.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "c2hunt/records/tls.h"
#include "c2hunt/util/byte_cursor.h"
#include "c2hunt/util/counters.h"

namespace c2hunt::quic {

enum class Progress : uint8_t { need_more, done, not_quic };

struct Limits {
  size_t max_crypto_bytes = 32 * 1024;  // per direction
  // Datagrams examined per direction (each may coalesce several packets). Counting datagrams, not
  // only Initial packets, lets a one-sided capture end once the handshake has moved past Initial.
  size_t max_packets = 32;
};

constexpr uint32_t kVersion1 = 0x00000001;
constexpr uint32_t kVersion2 = 0x6b3343cf;
constexpr size_t kMaxConnectionIdLength = 20;  // RFC 9000 section 17.2, for v1 and v2
constexpr size_t kAeadTagLength = 16;
constexpr size_t kHeaderProtectionSampleLength = 16;

bool is_supported_version(uint32_t version);

// RFC 9000 section 16 variable-length integer; poisons the cursor when truncated.
uint64_t read_varint(ByteCursor& c);

enum class LongPacketType : uint8_t { initial, zero_rtt, handshake, retry };
// The two type bits of a long header mean different things in v1 and v2 (RFC 9369 section 3.2).
LongPacketType long_packet_type(uint32_t version, uint8_t first_byte);

// The version-independent part of a long header plus the length fields of Initial, 0-RTT and
// Handshake packets (still header-protected: the packet number is not decoded here).
struct LongHeader {
  uint8_t first_byte = 0;
  uint32_t version = 0;
  LongPacketType type = LongPacketType::initial;
  ByteView dcid, scid, token;
  size_t pn_offset = 0;    // where the protected packet number starts
  size_t packet_size = 0;  // bytes of this packet in the datagram (the rest of it for Retry)
};
// Parses the long header at the start of `bytes` for a supported version. Version Negotiation
// packets (version 0) and unsupported versions return false with out.version set.
bool parse_long_header(ByteView bytes, LongHeader& out);

struct PacketKeys {
  std::array<uint8_t, 32> secret{};
  std::array<uint8_t, 16> key{};
  std::array<uint8_t, 12> iv{};
  std::array<uint8_t, 16> hp{};
};
struct InitialSecrets {
  PacketKeys client, server;
};
// HKDF-Extract with the version's initial salt, then HKDF-Expand-Label "client in"/"server in" and
// the version's key/iv/hp labels (RFC 9001 section 5.2, RFC 9369 section 3.3).
bool derive_initial_secrets(uint32_t version, ByteView original_dcid, InitialSecrets& out);

struct DecryptedPacket {
  LongHeader header;
  uint64_t packet_number = 0;
  ByteView payload;  // plaintext frames; points into the scratch buffer given to the decrypter
};
// Removes header protection from and decrypts the Initial packet at the start of `bytes`.
// `largest_pn` is the largest packet number decrypted so far in that direction (-1 for none),
// used to expand the truncated packet number. The unprotected packet is written to `scratch`
// (reused, so no allocation once it has grown). Returns false when the packet does not
// authenticate with these keys.
bool decrypt_initial_packet(ByteView bytes, const PacketKeys& keys, int64_t largest_pn,
                            std::vector<uint8_t>& scratch, DecryptedPacket& out);

// RFC 9000 appendix A.3.
uint64_t decode_packet_number(int64_t largest_pn, uint64_t truncated_pn, unsigned pn_bits);

struct HandshakeMessage {
  uint8_t type = 0;
  uint32_t length = 0;  // body length from the 4-byte handshake header
};

struct ParserStats {
  uint64_t initial_packets_decrypted = 0;
  uint64_t decrypt_failures = 0;
  uint64_t version_negotiation_packets = 0;
  uint64_t retry_packets = 0;
  uint64_t skipped_long_packets = 0;   // 0-RTT and Handshake: not decryptable with Initial keys
  uint64_t short_header_packets = 0;
  uint64_t other_version_packets = 0;
  uint64_t unparsable_packets = 0;     // bad long header inside a datagram
  uint64_t unknown_frames = 0;
  uint64_t malformed_frames = 0;
  uint64_t connection_close_frames = 0;
  uint64_t crypto_bytes_dropped = 0;   // beyond Limits::max_crypto_bytes or too fragmented
  uint64_t hello_parse_failures = 0;
  uint64_t dropped_handshake_messages = 0;
};
// Adds the stats as "quic.*" counters.
void add_counters(const ParserStats& stats, Counters& counters);

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

  // The in-order prefix of the reassembled CRYPTO stream of one direction.
  ByteView crypto_stream(bool client) const;
  // Handshake messages framed in that stream so far (whether or not the TLS parser accepted them).
  const std::vector<HandshakeMessage>& handshake_messages(bool client) const;
  const ParserStats& stats() const;

 private:
  struct Impl;
  Impl* impl_;
};

// Long header, Initial type, a version this parser supports (v1 or v2), plausible lengths.
bool looks_like_quic_initial(ByteView udp_payload);

}  // namespace c2hunt::quic

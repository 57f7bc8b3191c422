// The per-connection QUIC Initial parser: key schedule per original DCID, CRYPTO reassembly and
// handshake message framing for both directions.
#include "c2hunt/protocols/quic/quic_initial.h"

#include <algorithm>
#include <utility>

#include "c2hunt/fingerprints/tls_fingerprints.h"
#include "c2hunt/protocols/tls/tls_stream.h"

namespace c2hunt::quic {

namespace {

constexpr size_t kMaxCryptoFragments = 64;     // disjoint ranges held while waiting for a gap to fill
constexpr size_t kMaxHandshakeMessages = 4;    // ClientHello, HelloRetryRequest, second ClientHello, ...
constexpr size_t kMaxHellosPerDirection = 2;   // first hello and the one after a HelloRetryRequest
constexpr uint8_t kClientHello = 1, kServerHello = 2;

// A HelloRetryRequest is a ServerHello whose random is SHA-256("HelloRetryRequest") (RFC 8446 4.1.3).
constexpr std::array<uint8_t, 32> kHelloRetryRandom = {
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
    0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c};

bool is_hello_retry_request(ByteView server_hello_body) {
  ByteCursor c(server_hello_body);
  c.skip(2);  // legacy_version
  return std::ranges::equal(c.take(kHelloRetryRandom.size()), kHelloRetryRandom);
}

// CRYPTO frame data of one direction placed by offset into one buffer; only the in-order prefix
// is handed to the handshake framing.
class CryptoReassembler {
 public:
  explicit CryptoReassembler(size_t max_bytes) : max_(max_bytes) {}

  // Returns the number of bytes that could not be stored (beyond the limit or too fragmented).
  size_t add(uint64_t offset, ByteView data) {
    if (offset >= max_) return data.size();
    const size_t begin = static_cast<size_t>(offset);
    const size_t end = std::min(max_, begin + data.size());
    const size_t dropped = data.size() - (end - begin);
    if (end == begin) return dropped;
    if (!insert_range(begin, end)) return data.size();
    if (buffer_.size() < end) buffer_.resize(end);
    std::copy(data.begin(), data.begin() + static_cast<std::ptrdiff_t>(end - begin),
              buffer_.begin() + static_cast<std::ptrdiff_t>(begin));
    return dropped;
  }
  ByteView contiguous() const {
    if (ranges_.empty() || ranges_.front().first != 0) return {};
    return ByteView(buffer_.data(), ranges_.front().second);
  }

 private:
  // Keeps ranges_ sorted and merged (touching ranges join).
  bool insert_range(size_t begin, size_t end) {
    auto it = std::lower_bound(ranges_.begin(), ranges_.end(), std::make_pair(begin, end));
    if (it != ranges_.begin() && std::prev(it)->second >= begin) --it;
    if (it == ranges_.end() || it->first > end) {
      if (ranges_.size() >= kMaxCryptoFragments) return false;
      ranges_.insert(it, {begin, end});
      return true;
    }
    it->first = std::min(it->first, begin);
    it->second = std::max(it->second, end);
    auto next = std::next(it);
    while (next != ranges_.end() && next->first <= it->second) {
      it->second = std::max(it->second, next->second);
      next = ranges_.erase(next);
    }
    return true;
  }

  size_t max_;
  std::vector<uint8_t> buffer_;
  std::vector<std::pair<size_t, size_t>> ranges_;
};

struct Side {
  explicit Side(size_t max_crypto) : crypto(max_crypto) {}
  CryptoReassembler crypto;
  std::vector<HandshakeMessage> messages;
  size_t framed_to = 0;  // stream offset of the next handshake header
  size_t datagrams = 0;
  int64_t largest_pn = -1;
  size_t hellos = 0;     // ClientHellos (client side) or ServerHellos (server side) framed
  bool stopped = false;  // framing gave up (oversized message or too many messages)
};

}  // namespace

struct QuicInitialParser::Impl {
  explicit Impl(Limits l) : limits(l), client(l.max_crypto_bytes), server(l.max_crypto_bytes) {}

  Limits limits;
  records::TlsSession session;
  ParserStats stats;
  Side client, server;
  InitialSecrets keys;
  std::vector<uint8_t> key_dcid;  // the DCID the current keys were derived from
  uint32_t version = 0;
  bool keys_ready = false;
  bool retry_seen = false;
  bool hello_retry_seen = false;
  Progress progress = Progress::need_more;
  std::vector<uint8_t> scratch;

  Progress feed(bool from_client, ByteView datagram);
  bool start(ByteView datagram);
  void packet_loop(bool from_client, ByteView datagram);
  void parse_frames(bool from_client, ByteView payload);
  void frame_handshake(bool from_client);
  void on_handshake_message(bool from_client, uint8_t type, ByteView body);

  template <typename Hello>
  void add_hello(std::vector<Hello>& hellos, ByteView body, bool (*parse)(ByteView, Hello&), void (*fill)(Hello&)) {
    if (hellos.size() >= kMaxHellosPerDirection) {
      ++stats.dropped_handshake_messages;
      return;
    }
    Hello hello;
    hello.over_quic = true;
    if (!parse(body, hello)) {
      ++stats.hello_parse_failures;
      ++session.parse_errors;
      return;
    }
    hello.over_quic = true;  // the TLS parser may have reset the record
    if constexpr (requires { hello.handshake_length; }) hello.handshake_length = static_cast<uint32_t>(body.size());
    fill(hello);  // JA4 reads over_quic for its 'q' prefix
    hellos.push_back(std::move(hello));
  }
};

bool QuicInitialParser::Impl::start(ByteView datagram) {
  LongHeader h;
  if (!parse_long_header(datagram, h) || h.type != LongPacketType::initial) return false;
  if (!derive_initial_secrets(h.version, h.dcid, keys)) return false;
  key_dcid.assign(h.dcid.begin(), h.dcid.end());
  version = h.version;
  keys_ready = true;
  return true;
}

Progress QuicInitialParser::Impl::feed(bool from_client, ByteView datagram) {
  if (progress != Progress::need_more) return progress;
  if (!keys_ready) {
    // Keys come from the client's first Initial; nothing earlier can be decrypted.
    if (!from_client || !start(datagram)) return progress = Progress::not_quic;
  }
  Side& side = from_client ? client : server;
  ++side.datagrams;
  const uint64_t decrypted_before = stats.initial_packets_decrypted;
  packet_loop(from_client, datagram);
  if (decrypted_before == 0 && stats.initial_packets_decrypted == 0 && from_client) {
    return progress = Progress::not_quic;
  }
  // After a HelloRetryRequest the client's second ClientHello follows in the same CRYPTO stream.
  const size_t client_hellos_wanted = hello_retry_seen ? 2 : 1;
  if (client.hellos >= client_hellos_wanted && server.hellos > 0) return progress = Progress::done;
  if (client.datagrams >= limits.max_packets || server.datagrams >= limits.max_packets) {
    return progress = Progress::done;
  }
  return progress;
}

void QuicInitialParser::Impl::packet_loop(bool from_client, ByteView datagram) {
  Side& side = from_client ? client : server;
  ByteView rest = datagram;
  while (!rest.empty()) {
    ByteCursor peek(rest);
    const uint8_t first = peek.read_u8();
    if (!(first & 0x80)) {
      ++stats.short_header_packets;  // a short header packet runs to the end of the datagram
      return;
    }
    const uint32_t packet_version = peek.read_u32();
    if (!peek.ok()) {
      ++stats.unparsable_packets;
      return;
    }
    if (packet_version == 0) {
      ++stats.version_negotiation_packets;
      return;
    }
    if (packet_version != version) {
      ++stats.other_version_packets;
      return;
    }
    LongHeader h;
    if (!parse_long_header(rest, h)) {
      ++stats.unparsable_packets;
      return;
    }
    if (h.type == LongPacketType::retry) {
      ++stats.retry_packets;
      if (!from_client) retry_seen = true;
      return;
    }
    if (h.type == LongPacketType::initial) {
      // After a Retry the client's next Initial goes to the Retry's SCID, and both sides' keys
      // are derived from that new DCID (RFC 9001 section 5.2).
      if (from_client && retry_seen && !std::ranges::equal(h.dcid, key_dcid)) {
        if (derive_initial_secrets(version, h.dcid, keys)) key_dcid.assign(h.dcid.begin(), h.dcid.end());
        retry_seen = false;
      }
      DecryptedPacket packet;
      if (decrypt_initial_packet(rest, from_client ? keys.client : keys.server, side.largest_pn, scratch, packet)) {
        ++stats.initial_packets_decrypted;
        side.largest_pn = std::max<int64_t>(side.largest_pn, static_cast<int64_t>(packet.packet_number));
        session.certificates_encrypted = true;  // QUIC always runs TLS 1.3
        parse_frames(from_client, packet.payload);
      } else {
        ++stats.decrypt_failures;
      }
    } else {
      ++stats.skipped_long_packets;
    }
    rest = rest.subspan(h.packet_size);
  }
}

void QuicInitialParser::Impl::parse_frames(bool from_client, ByteView payload) {
  Side& side = from_client ? client : server;
  ByteCursor c(payload);
  while (c.ok() && !c.empty()) {
    const uint64_t type = read_varint(c);
    switch (type) {
      case 0x00:  // PADDING
      case 0x01:  // PING
        break;
      case 0x02:
      case 0x03: {  // ACK, ACK with ECN counts
        read_varint(c);  // largest acknowledged
        read_varint(c);  // ack delay
        const uint64_t ranges = read_varint(c);
        read_varint(c);  // first range
        // Each further range is at least two bytes, so the cursor running dry ends this loop.
        for (uint64_t i = 0; i < ranges && c.ok(); ++i) {
          read_varint(c);
          read_varint(c);
        }
        if (type == 0x03) {
          for (int i = 0; i < 3; ++i) read_varint(c);
        }
        break;
      }
      case 0x06: {  // CRYPTO
        const uint64_t offset = read_varint(c);
        const ByteView data = c.take(read_varint(c));
        if (!c.ok()) break;
        const size_t dropped = side.crypto.add(offset, data);
        if (dropped) {
          stats.crypto_bytes_dropped += dropped;
          session.truncated = true;
        }
        break;
      }
      case 0x1c:
      case 0x1d: {  // CONNECTION_CLOSE (transport, application)
        read_varint(c);  // error code
        if (type == 0x1c) read_varint(c);  // offending frame type
        c.skip(read_varint(c));  // reason phrase
        if (c.ok()) ++stats.connection_close_frames;
        break;
      }
      default:
        ++stats.unknown_frames;
        frame_handshake(from_client);
        return;
    }
  }
  if (!c.ok()) ++stats.malformed_frames;
  frame_handshake(from_client);
}

void QuicInitialParser::Impl::frame_handshake(bool from_client) {
  Side& side = from_client ? client : server;
  const ByteView stream = side.crypto.contiguous();
  while (!side.stopped && side.framed_to < stream.size()) {
    if (side.messages.size() >= kMaxHandshakeMessages) {
      side.stopped = true;
      ++stats.dropped_handshake_messages;
      return;
    }
    ByteCursor c(stream.subspan(side.framed_to));
    const uint8_t type = c.read_u8();
    const uint32_t length = c.read_u24();
    if (!c.ok()) return;  // header not complete yet
    if (side.framed_to + 4 + length > limits.max_crypto_bytes) {
      side.stopped = true;
      session.truncated = true;
      ++stats.dropped_handshake_messages;
      return;
    }
    const ByteView body = c.take(length);
    if (!c.ok()) return;  // body not complete yet
    side.messages.push_back({type, length});
    side.framed_to += 4 + length;
    on_handshake_message(from_client, type, body);
  }
}

void QuicInitialParser::Impl::on_handshake_message(bool from_client, uint8_t type, ByteView body) {
  if (from_client && type == kClientHello) {
    ++client.hellos;
    add_hello(session.client_hellos, body, tls::parse_client_hello, fingerprints::fill_client_fingerprints);
  } else if (!from_client && type == kServerHello) {
    ++server.hellos;
    if (is_hello_retry_request(body)) hello_retry_seen = true;
    add_hello(session.server_hellos, body, tls::parse_server_hello, fingerprints::fill_server_fingerprints);
  }
}

QuicInitialParser::QuicInitialParser(Limits limits) : impl_(new Impl(limits)) {}
QuicInitialParser::~QuicInitialParser() { delete impl_; }
Progress QuicInitialParser::feed_datagram(bool from_client, ByteView udp_payload) {
  return impl_->feed(from_client, udp_payload);
}
records::TlsSession& QuicInitialParser::session() { return impl_->session; }
uint32_t QuicInitialParser::version() const { return impl_->version; }
ByteView QuicInitialParser::crypto_stream(bool client) const {
  return (client ? impl_->client : impl_->server).crypto.contiguous();
}
const std::vector<HandshakeMessage>& QuicInitialParser::handshake_messages(bool client) const {
  return (client ? impl_->client : impl_->server).messages;
}
const ParserStats& QuicInitialParser::stats() const { return impl_->stats; }

void add_counters(const ParserStats& s, Counters& counters) {
  const std::pair<const char*, uint64_t> values[] = {
      {"quic.initial_packets_decrypted", s.initial_packets_decrypted},
      {"quic.decrypt_failures", s.decrypt_failures},
      {"quic.version_negotiation_packets", s.version_negotiation_packets},
      {"quic.retry_packets", s.retry_packets},
      {"quic.skipped_long_packets", s.skipped_long_packets},
      {"quic.short_header_packets", s.short_header_packets},
      {"quic.other_version_packets", s.other_version_packets},
      {"quic.unparsable_packets", s.unparsable_packets},
      {"quic.unknown_frames", s.unknown_frames},
      {"quic.malformed_frames", s.malformed_frames},
      {"quic.connection_close_frames", s.connection_close_frames},
      {"quic.crypto_bytes_dropped", s.crypto_bytes_dropped},
      {"quic.hello_parse_failures", s.hello_parse_failures},
      {"quic.dropped_handshake_messages", s.dropped_handshake_messages},
  };
  for (const auto& [name, value] : values) {
    if (value) counters.counter(name) += value;
  }
}

}  // namespace c2hunt::quic

#include "c2hunt/protocols/tls/tls_stream.h"

#include <algorithm>
#include <array>
#include <limits>
#include <vector>

#include "c2hunt/fingerprints/tls_fingerprints.h"
#include "c2hunt/protocols/tls/tls_certificate_message.h"

namespace c2hunt::tls {
namespace {

namespace content {
constexpr uint8_t change_cipher_spec = 20;
constexpr uint8_t alert = 21;
constexpr uint8_t handshake = 22;
constexpr uint8_t application_data = 23;
constexpr uint8_t heartbeat = 24;
}  // namespace content

namespace handshake {
constexpr uint8_t client_hello = 1;
constexpr uint8_t server_hello = 2;
constexpr uint8_t certificate = 11;
constexpr uint8_t server_hello_done = 14;
}  // namespace handshake

constexpr size_t kRecordHeader = 5;
constexpr size_t kSslv2Header = 2;
constexpr size_t kMinSslv2Hello = 9;  // msg type, version and three u16 lengths
// RFC 5246 §6.2.3: a ciphertext fragment may exceed 2^14 by up to 2048 bytes.
constexpr size_t kMaxRecordPayload = 16384 + 2048;
constexpr size_t kHandshakeHeader = 4;
constexpr size_t kNeedMoreHeader = 0;
constexpr size_t kNotARecord = std::numeric_limits<size_t>::max();

enum class State : uint8_t { active, encrypted, stopped };

struct DirectionState {
  State state = State::active;
  bool first_record = true;
  bool any_handshake_message = false;
  uint16_t record_version = 0;      // of the record the pending handshake message started in
  size_t handshake_bytes = 0;
  std::vector<uint8_t> record_buf;  // a record split across feed() calls
  std::vector<uint8_t> message_buf; // a handshake message split across records
};

bool plausible_sslv2_version(uint8_t major, uint8_t minor) {
  return (major == 0 && minor == 2) || (major == 3 && minor <= 4);
}

}  // namespace

void StreamCounters::add_to(Counters& c) const {
  c.counter("tls.records") += records;
  c.counter("tls.handshake_messages") += handshake_messages;
  c.counter("tls.truncated_handshakes") += truncated;
  c.counter("tls.certificates_dropped_over_limit") += certificates_dropped;
  c.counter("tls.hellos_dropped_over_limit") += hellos_dropped;
  c.counter("tls.alerts_dropped_over_limit") += alerts_dropped;
  c.counter("tls.alpn_lists_truncated") += alpn_lists_truncated;
  c.counter("tls.parse_errors") += parse_errors;
  c.counter("tls.stream_gaps") += gaps;
}

// A one-byte first record is allowed: splitting the ClientHello into tiny records is a known way
// to slip past middleboxes, and the stream parser reassembles it.
bool looks_like_tls_client_start(ByteView first) {
  ByteCursor c(first);
  uint8_t b0 = c.peek_u8(0);
  if ((b0 & 0x80) != 0) {
    // SSLv2-compatible: 15-bit length, msg type 1 (CLIENT-HELLO), version, then 3 u16 lengths.
    size_t length = static_cast<size_t>(b0 & 0x7f) << 8 | c.peek_u8(1);
    return c.has(5) && c.peek_u8(2) == 1 && length >= kMinSslv2Hello && plausible_sslv2_version(c.peek_u8(3), c.peek_u8(4));
  }
  uint16_t length = c.peek_u16(3);
  return c.has(6) && b0 == content::handshake && c.peek_u8(1) == 3 && c.peek_u8(2) <= 4 && length >= 1 &&
         length <= kMaxRecordPayload && c.peek_u8(5) == handshake::client_hello;
}

struct TlsStreamParser::Impl {
  StreamLimits limits;
  StreamCounters local_counters;
  StreamCounters& counters;
  records::TlsSession session;
  std::array<DirectionState, 2> dirs;
  bool not_tls = false;
  bool server_hello_done = false;
  std::vector<uint8_t> client_session_id;

  Impl(StreamLimits l, StreamCounters* c) : limits(l), counters(c ? *c : local_counters) {}

  static size_t index(Direction d) { return d == Direction::client_to_server ? 0 : 1; }
  DirectionState& dir(Direction d) { return dirs[index(d)]; }
  static bool inactive(const DirectionState& s) { return s.state != State::active; }

  Progress progress() const {
    if (not_tls) return Progress::not_tls;
    return (inactive(dirs[0]) && inactive(dirs[1])) ? Progress::done : Progress::need_more;
  }

  bool sslv2_candidate(const DirectionState& s, Direction d, ByteView head) const {
    return s.first_record && d == Direction::client_to_server && !head.empty() && (head[0] & 0x80) != 0;
  }

  // Full size of the record starting at `head`: kNeedMoreHeader when the header is incomplete,
  // kNotARecord when it is not a plausible TLS (or, first on the client side, SSLv2) record.
  size_t record_size(const DirectionState& s, Direction d, ByteView head) const {
    ByteCursor c(head);
    if (sslv2_candidate(s, d, head)) {
      if (!c.has(3)) return kNeedMoreHeader;
      size_t length = static_cast<size_t>(c.peek_u8(0) & 0x7f) << 8 | c.peek_u8(1);
      if (c.peek_u8(2) != 1 || length < kMinSslv2Hello) return kNotARecord;
      return kSslv2Header + length;
    }
    if (!c.has(kRecordHeader)) return kNeedMoreHeader;
    uint8_t type = c.peek_u8(0);
    size_t length = c.peek_u16(3);
    if (type < content::change_cipher_spec || type > content::heartbeat || c.peek_u8(1) != 3 ||
        length > kMaxRecordPayload) {
      return kNotARecord;
    }
    // A client opens with its hello; a server with its hello or an alert refusing ours.
    if (s.first_record && type != content::handshake &&
        (d == Direction::client_to_server || type != content::alert)) {
      return kNotARecord;
    }
    return kRecordHeader + length;
  }

  Progress feed(Direction d, ByteView bytes) {
    DirectionState& s = dir(d);
    // A record split across calls: complete it from the front of `bytes` first.
    while (s.state == State::active && !s.record_buf.empty() && !bytes.empty()) {
      size_t need = record_size(s, d, s.record_buf);
      if (need == kNotARecord) return bad_record(d, s.record_buf[0]);
      if (need != kNeedMoreHeader && s.record_buf[0] == content::application_data && !sslv2_candidate(s, d, s.record_buf)) {
        mark_encrypted(d);
        break;
      }
      size_t target = need == kNeedMoreHeader ? s.record_buf.size() + 1 : need;
      size_t n = std::min(target - s.record_buf.size(), bytes.size());
      s.record_buf.insert(s.record_buf.end(), bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n));
      bytes = bytes.subspan(n);
      if (need != kNeedMoreHeader && s.record_buf.size() == need) {
        process_record(d, s.record_buf);
        s.record_buf.clear();
      }
    }
    // Whole records straight from the caller's bytes: no copy.
    while (s.state == State::active && s.record_buf.empty() && !bytes.empty()) {
      size_t need = record_size(s, d, bytes);
      if (need == kNotARecord) return bad_record(d, bytes[0]);
      if (need != kNeedMoreHeader && bytes[0] == content::application_data && !sslv2_candidate(s, d, bytes)) {
        mark_encrypted(d);
        break;
      }
      if (need == kNeedMoreHeader || need > bytes.size()) {
        s.record_buf.reserve(need == kNeedMoreHeader ? kRecordHeader : need);
        s.record_buf.assign(bytes.begin(), bytes.end());
        break;
      }
      process_record(d, bytes.first(need));
      bytes = bytes.subspan(need);
    }
    return progress();
  }

  Progress bad_record(Direction d, uint8_t first_byte) {
    DirectionState& s = dir(d);
    if (s.first_record && (d == Direction::client_to_server || session.client_hellos.empty())) {
      not_tls = true;
    } else if (s.first_record && (first_byte & 0x80) != 0 && session.client_hello() &&
               session.client_hello()->sslv2_record) {
      // An SSLv2 SERVER-HELLO answering an SSLv2 hello: legitimate, but nothing we parse.
    } else {
      parse_error();
    }
    stop(d);
    return progress();
  }

  void parse_error() {
    ++session.parse_errors;
    ++counters.parse_errors;
  }

  void stop(Direction d) {
    DirectionState& s = dir(d);
    if (s.state == State::active) s.state = State::stopped;
    release(s);
  }

  static void release(DirectionState& s) {
    std::vector<uint8_t>().swap(s.record_buf);
    std::vector<uint8_t>().swap(s.message_buf);
  }

  void mark_encrypted(Direction d) {
    DirectionState& s = dir(d);
    s.state = State::encrypted;
    release(s);
    if (dirs[0].state == State::encrypted && dirs[1].state == State::encrypted) session.established = true;
  }

  void process_record(Direction d, ByteView record) {
    DirectionState& s = dir(d);
    ++counters.records;
    if (sslv2_candidate(s, d, record)) {
      s.first_record = false;
      add_client_hello(record.subspan(kSslv2Header), /*sslv2=*/true, 0x0002);
      return;
    }
    s.first_record = false;
    ByteCursor c(record);
    uint8_t type = c.read_u8();
    uint16_t version = c.read_u16();
    c.skip(2);
    ByteView fragment = c.rest();
    switch (type) {
      case content::change_cipher_spec:
        on_change_cipher_spec(d);
        break;
      case content::alert:
        on_alert(d, fragment);
        break;
      case content::handshake:
        on_handshake_fragment(d, version, fragment);
        break;
      default:
        break;  // heartbeat: nothing we keep
    }
  }

  // A version the peers may still be negotiating to TLS 1.3, where ChangeCipherSpec is only a
  // middlebox-compatibility dummy and encryption shows as application_data records.
  bool maybe_tls13() const {
    if (session.server_hello()) return is_tls13(session.negotiated_version());
    const records::TlsClientHello* ch = session.client_hello();
    return ch && std::any_of(ch->supported_versions.begin(), ch->supported_versions.end(), is_tls13);
  }

  void on_change_cipher_spec(Direction d) {
    if (d == Direction::server_to_client && !server_hello_done && session.server_hello() && !maybe_tls13()) {
      session.resumed = true;  // abbreviated handshake: no Certificate/ServerHelloDone flight
    }
    if (!maybe_tls13()) mark_encrypted(d);
  }

  void on_alert(Direction d, ByteView fragment) {
    ByteCursor c(fragment);
    while (c.has(2)) {
      records::TlsAlert alert;
      alert.from_client = d == Direction::client_to_server;
      alert.level = c.read_u8();
      alert.description = c.read_u8();
      if (session.alerts.size() < limits.max_alerts) {
        session.alerts.push_back(alert);
      } else {
        ++counters.alerts_dropped;
      }
    }
  }

  void truncate(Direction d) {
    session.truncated = true;
    ++counters.truncated;
    stop(d);
  }

  void on_handshake_fragment(Direction d, uint16_t record_version, ByteView fragment) {
    DirectionState& s = dir(d);
    // Record headers count too, so a flood of empty handshake records also reaches the limit.
    s.handshake_bytes += kRecordHeader + fragment.size();
    if (s.handshake_bytes > limits.max_handshake_bytes) return truncate(d);
    if (s.message_buf.empty()) {
      s.record_version = record_version;
      size_t used = consume_messages(d, fragment);
      if (s.state == State::active && used < fragment.size()) {
        s.message_buf.assign(fragment.begin() + static_cast<std::ptrdiff_t>(used), fragment.end());
      }
      return;
    }
    s.message_buf.insert(s.message_buf.end(), fragment.begin(), fragment.end());
    size_t used = consume_messages(d, s.message_buf);
    if (s.state == State::active) {
      s.message_buf.erase(s.message_buf.begin(), s.message_buf.begin() + static_cast<std::ptrdiff_t>(used));
    }
  }

  // Handles every complete handshake message at the front of `data`; returns the bytes they took.
  size_t consume_messages(Direction d, ByteView data) {
    DirectionState& s = dir(d);
    ByteCursor c(data);
    size_t used = 0;
    while (s.state == State::active && c.has(kHandshakeHeader)) {
      uint8_t type = c.peek_u8(0);
      size_t length = static_cast<size_t>(c.peek_u8(1)) << 16 | c.peek_u16(2);
      if (kHandshakeHeader + length > limits.max_handshake_bytes) {
        truncate(d);
        break;
      }
      if (!c.has(kHandshakeHeader + length)) break;
      c.skip(kHandshakeHeader);
      ByteView body = c.take(length);
      used += kHandshakeHeader + length;
      handle_message(d, type, body);
    }
    return used;
  }

  void handle_message(Direction d, uint8_t type, ByteView body) {
    DirectionState& s = dir(d);
    ++counters.handshake_messages;
    bool first = !s.any_handshake_message;
    s.any_handshake_message = true;
    if (d == Direction::client_to_server) {
      if (type == handshake::client_hello) {
        add_client_hello(body, /*sslv2=*/false, s.record_version);
      } else if (type == handshake::certificate && !first) {
        add_certificates(body, session.client_certificates);
      } else if (first) {
        not_tls = true;  // a client stream must open with ClientHello
        stop(d);
      }
      return;
    }
    switch (type) {
      case handshake::server_hello:
        add_server_hello(body);
        break;
      case handshake::certificate:
        add_certificates(body, session.certificates);
        break;
      case handshake::server_hello_done:
        server_hello_done = true;
        break;
      default:
        break;
    }
  }

  // A Certificate message in the clear: TLS 1.2 and older (TLS 1.3 encrypts both sides' chains).
  void add_certificates(ByteView body, std::vector<records::ChainCertificate>& chain) {
    if (is_tls13(session.negotiated_version())) return;
    if (!parse_certificate_message(body, limits.max_certificates, limits.certificate_cache, chain,
                                   counters.certificates_dropped))
      parse_error();
  }

  void add_client_hello(ByteView body, bool sslv2, uint16_t record_version) {
    if (session.client_hellos.size() >= limits.max_client_hellos) {
      ++counters.hellos_dropped;
      return;
    }
    records::TlsClientHello hello;
    bool ok = sslv2 ? parse_sslv2_client_hello(body, hello) : parse_client_hello(body, hello);
    if (!ok) {
      parse_error();
      if (session.client_hellos.empty()) stop(Direction::client_to_server);
      return;
    }
    hello.record_version = record_version;
    if (hello.alpn_truncated) ++counters.alpn_lists_truncated;
    if (session.client_hellos.empty() && !sslv2) {
      ByteView id = hello_session_id(body);
      client_session_id.assign(id.begin(), id.end());
    }
    fingerprints::fill_client_fingerprints(hello);
    session.client_hellos.push_back(std::move(hello));
  }

  void add_server_hello(ByteView body) {
    if (session.server_hellos.size() >= limits.max_client_hellos) {
      ++counters.hellos_dropped;
      return;
    }
    records::TlsServerHello hello;
    if (!parse_server_hello(body, hello)) {
      parse_error();
      return;
    }
    fingerprints::fill_server_fingerprints(hello);
    uint16_t version = hello.selected_version.value_or(hello.legacy_version);
    if (is_tls13(version)) {
      session.certificates_encrypted = true;
      if (!hello.hello_retry_request &&
          std::find(hello.extensions.begin(), hello.extensions.end(), ext::pre_shared_key) != hello.extensions.end()) {
        session.resumed = true;
      }
    } else {
      // TLS 1.3 servers always echo the id (middlebox compatibility), so this test is for <= 1.2 only.
      ByteView echo = hello_session_id(body);
      if (!echo.empty() && std::equal(echo.begin(), echo.end(), client_session_id.begin(), client_session_id.end())) {
        session.resumed = true;
      }
    }
    session.server_hellos.push_back(std::move(hello));
  }
};

TlsStreamParser::TlsStreamParser(StreamLimits limits, StreamCounters* counters) : impl_(new Impl(limits, counters)) {}
TlsStreamParser::~TlsStreamParser() { delete impl_; }

Progress TlsStreamParser::feed(Direction d, ByteView bytes) {
  if (impl_->not_tls || Impl::inactive(impl_->dir(d))) return impl_->progress();
  return impl_->feed(d, bytes);
}

void TlsStreamParser::gap(Direction d) {
  if (Impl::inactive(impl_->dir(d))) return;
  ++impl_->counters.gaps;
  impl_->stop(d);
}

Progress TlsStreamParser::progress() const { return impl_->progress(); }
records::TlsSession& TlsStreamParser::session() { return impl_->session; }

void TlsStreamParser::finish() {
  for (DirectionState& s : impl_->dirs) Impl::release(s);
  std::vector<uint8_t>().swap(impl_->client_session_id);
}

}  // namespace c2hunt::tls

#include "c2hunt/protocols/tls/tls_stream.h"

#include <gtest/gtest.h>

#include <random>

#include "protocols/tls_test_builders.h"

namespace c2hunt::tls {
namespace {

using namespace c2hunt::tls::testing;
constexpr Direction kC = Direction::client_to_server;
constexpr Direction kS = Direction::server_to_client;

Bytes client_flight(size_t max_fragment = 16384) {
  return handshake_records(handshake_message(1, client_hello_body(spec_example_client_hello())), max_fragment);
}

Bytes fake_der(uint8_t fill, size_t n) { return Bytes(n, fill); }

Bytes certificate_message(const std::vector<Bytes>& ders) {
  Bytes list;
  for (const Bytes& d : ders) put_bytes(list, u24_prefixed(d));
  return handshake_message(11, u24_prefixed(list));
}

Bytes tls12_server_flight(const Bytes& session_id = {}) {
  ServerHelloSpec sh;
  sh.session_id = session_id;
  sh.extensions = {ext_empty(0xff01), ext_empty(0x0017)};
  Bytes messages = handshake_message(2, server_hello_body(sh));
  put_bytes(messages, certificate_message({fake_der(0x30, 100), fake_der(0x31, 80)}));
  put_bytes(messages, handshake_message(14, {}));
  return handshake_records(messages);
}

Bytes tls13_server_flight(std::vector<Extension> extra = {}) {
  ServerHelloSpec sh;
  sh.cipher = 0x1301;
  sh.session_id = Bytes(32, 7);  // always echoed in TLS 1.3: not a resumption
  sh.extensions = {{0x002b, {0x03, 0x04}}, ext_key_share({0x001d})};
  for (auto& e : extra) sh.extensions.push_back(e);
  Bytes out = handshake_records(handshake_message(2, server_hello_body(sh)));
  put_bytes(out, change_cipher_spec());
  put_bytes(out, application_data());
  return out;
}

// The client's fields every chunking must reproduce.
std::string summary(const records::TlsSession& s) {
  std::string out = std::to_string(s.client_hellos.size());
  for (const auto& h : s.client_hellos) out += "|" + h.ja3 + "|" + h.ja4_ro + "|" + h.server_name;
  return out;
}

TEST(TlsStream, Tls12FullHandshake) {
  TlsStreamParser p;
  EXPECT_EQ(p.feed(kC, client_flight()), Progress::need_more);
  EXPECT_EQ(p.feed(kS, tls12_server_flight()), Progress::need_more);
  Bytes client_finish = handshake_records(handshake_message(16, Bytes(66, 4)));
  put_bytes(client_finish, change_cipher_spec());
  put_bytes(client_finish, handshake_records(Bytes(40, 0x99)));  // encrypted Finished
  EXPECT_EQ(p.feed(kC, client_finish), Progress::need_more);
  EXPECT_EQ(p.feed(kS, change_cipher_spec()), Progress::done);
  const records::TlsSession& s = p.session();
  ASSERT_EQ(s.client_hellos.size(), 1u);
  EXPECT_EQ(s.client_hellos[0].ja4, "t13d1516h2_8daaf6152771_e5627efa2ab1");
  EXPECT_EQ(s.client_hellos[0].server_name, "example.com");
  EXPECT_EQ(s.client_hellos[0].record_version, 0x0301);
  ASSERT_EQ(s.server_hellos.size(), 1u);
  EXPECT_EQ(s.server_hellos[0].ja3s_string, "771,49200,65281-23");
  ASSERT_EQ(s.certificates.size(), 2u);
  EXPECT_EQ(s.certificates[1].chain_index, 1u);
  EXPECT_TRUE(s.established);
  EXPECT_FALSE(s.resumed);
  EXPECT_FALSE(s.certificates_encrypted);
  EXPECT_EQ(s.parse_errors, 0u);
}

// Mutual TLS 1.2: the client's Certificate message (after the server's flight, before its key
// exchange) is the client's chain, not the server's.
TEST(TlsStream, Tls12ClientCertificateIsTheClientsChain) {
  TlsStreamParser p;
  p.feed(kC, client_flight());
  p.feed(kS, tls12_server_flight());
  Bytes client_second = certificate_message({fake_der(0x32, 90)});
  put_bytes(client_second, handshake_message(16, Bytes(66, 4)));
  Bytes records = handshake_records(client_second);
  put_bytes(records, change_cipher_spec());
  p.feed(kC, records);
  const records::TlsSession& s = p.session();
  EXPECT_EQ(s.certificates.size(), 2u);
  ASSERT_EQ(s.client_certificates.size(), 1u);
  EXPECT_EQ(s.client_certificates[0].chain_index, 0u);
  EXPECT_EQ(s.parse_errors, 0u);

  // An empty client Certificate (asked, none given) adds nothing.
  TlsStreamParser none;
  none.feed(kC, client_flight());
  none.feed(kS, tls12_server_flight());
  none.feed(kC, handshake_records(certificate_message({})));
  EXPECT_TRUE(none.session().client_certificates.empty());
  EXPECT_EQ(none.session().parse_errors, 0u);
}

TEST(TlsStream, Tls13MarksCertificatesEncryptedAndIgnoresCompatChangeCipherSpec) {
  TlsStreamParser p;
  p.feed(kC, client_flight());
  EXPECT_EQ(p.feed(kS, tls13_server_flight()), Progress::need_more);
  Bytes client_second = change_cipher_spec();
  EXPECT_EQ(p.feed(kC, client_second), Progress::need_more);  // dummy CCS: still plaintext
  EXPECT_EQ(p.feed(kC, application_data()), Progress::done);
  EXPECT_TRUE(p.session().certificates_encrypted);
  EXPECT_TRUE(p.session().established);
  EXPECT_FALSE(p.session().resumed);
  EXPECT_EQ(p.session().negotiated_version(), 0x0304);
}

TEST(TlsStream, Tls13PreSharedKeyMeansResumed) {
  TlsStreamParser p;
  p.feed(kC, client_flight());
  p.feed(kS, tls13_server_flight({{0x0029, {0x00, 0x00}}}));
  EXPECT_TRUE(p.session().resumed);
}

TEST(TlsStream, Tls12SessionIdEchoMeansResumed) {
  ClientHelloSpec ch = spec_example_client_hello();
  ch.session_id = Bytes(32, 0x5e);
  TlsStreamParser p;
  p.feed(kC, handshake_records(handshake_message(1, client_hello_body(ch))));
  ServerHelloSpec sh;
  sh.session_id = ch.session_id;
  EXPECT_EQ(p.feed(kS, handshake_records(handshake_message(2, server_hello_body(sh)))), Progress::need_more);
  EXPECT_TRUE(p.session().resumed);
}

TEST(TlsStream, AbbreviatedHandshakeWithoutIdEchoMeansResumed) {
  TlsStreamParser p;
  p.feed(kC, client_flight());
  ServerHelloSpec sh;
  sh.session_id = Bytes(16, 1);  // a new id the client did not offer (ticket resumption)
  Bytes flight = handshake_records(handshake_message(2, server_hello_body(sh)));
  put_bytes(flight, change_cipher_spec());
  p.feed(kS, flight);
  EXPECT_TRUE(p.session().resumed);
}

TEST(TlsStream, HelloRetryRequestKeepsBothClientHellos) {
  TlsStreamParser p;
  p.feed(kC, client_flight());
  ServerHelloSpec hrr;
  hrr.random = hello_retry_random();
  hrr.cipher = 0x1301;
  hrr.extensions = {{0x002b, {0x03, 0x04}}, {0x0033, {0x00, 0x17}}};
  Bytes hrr_flight = handshake_records(handshake_message(2, server_hello_body(hrr)));
  put_bytes(hrr_flight, change_cipher_spec());
  EXPECT_EQ(p.feed(kS, hrr_flight), Progress::need_more);
  ClientHelloSpec second = spec_example_client_hello();
  second.extensions.push_back(ext_empty(0x002c));  // cookie
  Bytes client_again = change_cipher_spec();
  put_bytes(client_again, handshake_records(handshake_message(1, client_hello_body(second))));
  p.feed(kC, client_again);
  p.feed(kS, tls13_server_flight());
  const records::TlsSession& s = p.session();
  ASSERT_EQ(s.client_hellos.size(), 2u);
  EXPECT_EQ(s.client_hellos[0].ja4.substr(0, 10), "t13d1516h2");
  EXPECT_EQ(s.client_hellos[1].ja4.substr(0, 10), "t13d1517h2");
  ASSERT_EQ(s.server_hellos.size(), 2u);
  EXPECT_TRUE(s.server_hellos[0].hello_retry_request);
  EXPECT_FALSE(s.server_hellos[1].hello_retry_request);
}

TEST(TlsStream, ClientHellosAreBounded) {
  StreamCounters counters;
  TlsStreamParser p(StreamLimits{.max_client_hellos = 2}, &counters);
  for (int i = 0; i < 4; ++i) p.feed(kC, client_flight());
  EXPECT_EQ(p.session().client_hellos.size(), 2u);
  EXPECT_EQ(counters.hellos_dropped, 2u);
}

TEST(TlsStream, CertificatesAreBounded) {
  StreamCounters counters;
  TlsStreamParser p(StreamLimits{.max_certificates = 1}, &counters);
  p.feed(kC, client_flight());
  p.feed(kS, tls12_server_flight());
  EXPECT_EQ(p.session().certificates.size(), 1u);
  EXPECT_EQ(counters.certificates_dropped, 1u);
}

TEST(TlsStream, HandshakeOverLimitSetsTruncated) {
  StreamCounters counters;
  TlsStreamParser p(StreamLimits{.max_handshake_bytes = 100}, &counters);
  EXPECT_EQ(p.feed(kC, client_flight(60)), Progress::need_more);  // client side stops
  EXPECT_TRUE(p.session().truncated);
  EXPECT_TRUE(p.session().client_hellos.empty());
  EXPECT_EQ(counters.truncated, 1u);
}

TEST(TlsStream, EmptyHandshakeRecordFloodReachesTheLimit) {
  TlsStreamParser p(StreamLimits{.max_handshake_bytes = 1000});
  Bytes flood = client_flight();
  for (int i = 0; i < 300; ++i) put_bytes(flood, {22, 3, 3, 0, 0});
  p.feed(kC, flood);
  EXPECT_EQ(p.session().client_hellos.size(), 1u);
  EXPECT_TRUE(p.session().truncated);
}

TEST(TlsStream, ChunkingNeverChangesTheResult) {
  // A ClientHello split over 50-byte records, then cut into two feeds at every byte boundary.
  Bytes stream = client_flight(50);
  TlsStreamParser whole;
  whole.feed(kC, stream);
  const std::string expected = summary(whole.session());
  ASSERT_EQ(whole.session().client_hellos.size(), 1u);
  for (size_t cut = 0; cut <= stream.size(); ++cut) {
    TlsStreamParser p;
    p.feed(kC, ByteView(stream).first(cut));
    p.feed(kC, ByteView(stream).subspan(cut));
    ASSERT_EQ(summary(p.session()), expected) << "cut at " << cut;
  }
  TlsStreamParser bytewise;
  for (uint8_t b : stream) bytewise.feed(kC, ByteView(&b, 1));
  EXPECT_EQ(summary(bytewise.session()), expected);
  std::mt19937 rng(1234);
  for (int round = 0; round < 50; ++round) {
    TlsStreamParser p;
    size_t at = 0;
    while (at < stream.size()) {
      size_t n = std::min<size_t>(stream.size() - at, 1 + rng() % 200);
      p.feed(kC, ByteView(stream).subspan(at, n));
      at += n;
    }
    ASSERT_EQ(summary(p.session()), expected);
  }
}

TEST(TlsStream, ClientHelloInOneByteRecords) {
  Bytes stream = client_flight(1);
  EXPECT_TRUE(looks_like_tls_client_start(stream));
  TlsStreamParser p;
  p.feed(kC, stream);
  ASSERT_EQ(p.session().client_hellos.size(), 1u);
  EXPECT_EQ(p.session().client_hellos[0].ja4, "t13d1516h2_8daaf6152771_e5627efa2ab1");
}

TEST(TlsStream, Sslv2ClientHello) {
  Bytes body;
  put_u8(body, 1);
  put_u16(body, 0x0300);
  put_u16(body, 6);
  put_u16(body, 0);
  put_u16(body, 16);
  put_bytes(body, {0x00, 0x00, 0x0a, 0x07, 0x00, 0xc0});
  put_bytes(body, Bytes(16, 0x44));
  Bytes record;
  put_u16(record, 0x8000 | static_cast<uint32_t>(body.size()));
  put_bytes(record, body);
  TlsStreamParser p;
  p.feed(kC, ByteView(record).first(2));
  p.feed(kC, ByteView(record).subspan(2));
  ASSERT_EQ(p.session().client_hellos.size(), 1u);
  const records::TlsClientHello& h = p.session().client_hellos[0];
  EXPECT_TRUE(h.sslv2_record);
  EXPECT_EQ(h.ja3_string, "768,10,,,");
  // The server answers with a TLS ServerHello...
  TlsStreamParser copy;
  copy.feed(kC, record);
  copy.feed(kS, tls12_server_flight());
  EXPECT_EQ(copy.session().server_hellos.size(), 1u);
  // ...or with an SSLv2 SERVER-HELLO, which ends that direction without a parse error.
  EXPECT_EQ(p.feed(kS, Bytes{0x80, 0x20, 0x04, 0x00, 0x01, 0x00, 0x02}), Progress::need_more);
  EXPECT_EQ(p.session().parse_errors, 0u);
  EXPECT_TRUE(p.session().server_hellos.empty());
}

TEST(TlsStream, PlaintextAlertsAreKept) {
  TlsStreamParser p;
  p.feed(kC, client_flight());
  EXPECT_EQ(p.feed(kS, records(21, {2, 40}, 16384, 0x0303)), Progress::need_more);
  ASSERT_EQ(p.session().alerts.size(), 1u);
  EXPECT_FALSE(p.session().alerts[0].from_client);
  EXPECT_EQ(p.session().alerts[0].level, 2);
  EXPECT_EQ(p.session().alerts[0].description, 40);
}

TEST(TlsStream, NotTlsStreams) {
  const std::string http = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
  TlsStreamParser p;
  EXPECT_EQ(p.feed(kC, as_bytes(http)), Progress::not_tls);
  EXPECT_EQ(p.feed(kC, client_flight()), Progress::not_tls);
  TlsStreamParser server_first;
  const std::string banner = "220 mail.example ESMTP\r\n";
  EXPECT_EQ(server_first.feed(kS, as_bytes(banner)), Progress::not_tls);
  TlsStreamParser wrong_message;  // a handshake record that does not start with ClientHello
  EXPECT_EQ(wrong_message.feed(kC, handshake_records(handshake_message(2, server_hello_body({})))),
            Progress::not_tls);
}

TEST(TlsStream, GapStopsTheDirection) {
  StreamCounters counters;
  TlsStreamParser p({}, &counters);
  Bytes stream = client_flight();
  p.feed(kC, ByteView(stream).first(20));
  p.gap(kC);
  p.feed(kC, ByteView(stream).subspan(20));
  EXPECT_TRUE(p.session().client_hellos.empty());
  p.gap(kS);
  EXPECT_EQ(p.progress(), Progress::done);
  EXPECT_EQ(counters.gaps, 2u);
  Counters named;
  counters.add_to(named);
  EXPECT_EQ(named.get("tls.stream_gaps"), 2u);
}

TEST(TlsStream, GarbageNeverCrashes) {
  std::mt19937 rng(99);
  Bytes valid = client_flight(100);
  Bytes server = tls12_server_flight();
  for (int round = 0; round < 2000; ++round) {
    Bytes c = valid, s = server;
    for (int k = 0; k < 4; ++k) {
      c[rng() % c.size()] = static_cast<uint8_t>(rng());
      s[rng() % s.size()] = static_cast<uint8_t>(rng());
    }
    TlsStreamParser p;
    size_t cut = rng() % c.size();
    p.feed(kC, ByteView(c).first(cut));
    p.feed(kS, s);
    p.feed(kC, ByteView(c).subspan(cut));
    p.finish();
  }
  SUCCEED();
}

}  // namespace
}  // namespace c2hunt::tls

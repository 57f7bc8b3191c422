#include "c2hunt/protocols/tls/tls_hello.h"

#include <gtest/gtest.h>

#include "c2hunt/fingerprints/tls_fingerprints.h"
#include "c2hunt/protocols/tls/tls_stream.h"
#include "protocols/tls_test_builders.h"

namespace c2hunt::tls {
namespace {

using namespace c2hunt::tls::testing;

TEST(TlsClientHello, ParsesEveryFingerprintField) {
  ClientHelloSpec spec;
  spec.session_id = Bytes(32, 7);
  spec.ciphers = {0x0a0a, 0x1301, 0xc02f};
  spec.extensions = {ext_empty(0x2a2a),
                     ext_sni("c2.example"),
                     ext_u16_list(0x000a, {0x3a3a, 0x001d, 0x0017}),
                     ext_point_formats({0, 1}),
                     ext_u16_list(0x000d, {0x0403, 0x0804}),
                     ext_u16_list(0x0032, {0x0201}),  // signature_algorithms_cert: not sigalgs
                     ext_alpn({"h2", "http/1.1"}),
                     ext_supported_versions({0x4a4a, 0x0304, 0x0303}),
                     ext_key_share({0x4a4a, 0x001d})};
  Bytes body = client_hello_body(spec);
  records::TlsClientHello h;
  ASSERT_TRUE(parse_client_hello(body, h));
  EXPECT_EQ(h.legacy_version, 0x0303);
  EXPECT_EQ(h.cipher_suites, (std::vector<uint16_t>{0x0a0a, 0x1301, 0xc02f}));
  EXPECT_EQ(h.extensions, (std::vector<uint16_t>{0x2a2a, 0x0000, 0x000a, 0x000b, 0x000d, 0x0032, 0x0010, 0x002b, 0x0033}));
  EXPECT_TRUE(h.has_sni_extension);
  EXPECT_EQ(h.server_name, "c2.example");
  EXPECT_EQ(h.supported_groups, (std::vector<uint16_t>{0x3a3a, 0x001d, 0x0017}));
  EXPECT_EQ(h.ec_point_formats, (std::vector<uint8_t>{0, 1}));
  EXPECT_EQ(h.signature_algorithms, (std::vector<uint16_t>{0x0403, 0x0804}));
  EXPECT_EQ(h.alpn, (std::vector<std::string>{"h2", "http/1.1"}));
  EXPECT_EQ(h.supported_versions, (std::vector<uint16_t>{0x4a4a, 0x0304, 0x0303}));
  EXPECT_EQ(h.key_share_groups, (std::vector<uint16_t>{0x4a4a, 0x001d}));
  EXPECT_EQ(h.handshake_length, body.size());
  EXPECT_EQ(hello_session_id(body).size(), 32u);
}

TEST(TlsClientHello, NoExtensionsBlockIsValid) {
  ClientHelloSpec spec;
  spec.legacy_version = 0x0301;
  spec.ciphers = {0x002f};
  spec.omit_extensions = true;
  records::TlsClientHello h;
  ASSERT_TRUE(parse_client_hello(client_hello_body(spec), h));
  fingerprints::fill_client_fingerprints(h);
  EXPECT_EQ(h.ja3_string, "769,47,,,");
}

TEST(TlsClientHello, EveryTruncationFailsWithoutCrashing) {
  Bytes body = client_hello_body(spec_example_client_hello());
  for (size_t n = 0; n < body.size(); ++n) {
    records::TlsClientHello h;
    Bytes cut(body.begin(), body.begin() + static_cast<std::ptrdiff_t>(n));
    // Cutting exactly before the extensions block leaves a valid extension-less hello.
    bool ok = parse_client_hello(cut, h);
    EXPECT_EQ(ok, n == 2 + 32 + 1 + 2 + 30 + 2) << n;
  }
}

TEST(TlsClientHello, MalformedInnerExtensionBodyIsSkippedTypeKept) {
  ClientHelloSpec spec;
  spec.ciphers = {0x1301};
  spec.extensions = {{0x000a, {0x00, 0x05, 0x00}}, ext_sni("a.b")};
  records::TlsClientHello h;
  ASSERT_TRUE(parse_client_hello(client_hello_body(spec), h));
  EXPECT_EQ(h.extensions, (std::vector<uint16_t>{0x000a, 0x0000}));
  EXPECT_TRUE(h.supported_groups.empty());
  EXPECT_EQ(h.server_name, "a.b");
}

TEST(TlsClientHello, DtlsCookieIsSkipped) {
  Bytes b;
  put_u16(b, 0xfefd);
  put_bytes(b, Bytes(32, 1));
  put_bytes(b, u8_prefixed({}));
  put_bytes(b, u8_prefixed({9, 9, 9}));  // cookie
  put_bytes(b, u16_prefixed(u16_values({0xc02b})));
  put_bytes(b, u8_prefixed({0}));
  records::TlsClientHello h;
  ASSERT_TRUE(parse_client_hello(b, h));
  EXPECT_EQ(h.cipher_suites, (std::vector<uint16_t>{0xc02b}));
}

TEST(TlsServerHello, ParsesVersionCipherAlpnAndHrr) {
  ServerHelloSpec spec;
  spec.cipher = 0x1301;
  spec.extensions = {{0x002b, {0x03, 0x04}}, ext_alpn({"h2"}), ext_key_share({0x001d})};
  records::TlsServerHello s;
  ASSERT_TRUE(parse_server_hello(server_hello_body(spec), s));
  EXPECT_EQ(s.legacy_version, 0x0303);
  EXPECT_EQ(s.selected_version, 0x0304);
  EXPECT_EQ(s.cipher_suite, 0x1301);
  EXPECT_EQ(s.alpn, "h2");
  EXPECT_FALSE(s.hello_retry_request);
  EXPECT_EQ(s.extensions, (std::vector<uint16_t>{0x002b, 0x0010, 0x0033}));

  spec.random = hello_retry_random();
  records::TlsServerHello hrr;
  ASSERT_TRUE(parse_server_hello(server_hello_body(spec), hrr));
  EXPECT_TRUE(hrr.hello_retry_request);
}

TEST(TlsServerHello, TruncationsFail) {
  ServerHelloSpec spec;
  spec.extensions = {ext_empty(0xff01)};
  Bytes body = server_hello_body(spec);
  for (size_t n = 0; n < body.size(); ++n) {
    records::TlsServerHello s;
    bool ok = parse_server_hello(ByteView(body.data(), n), s);
    EXPECT_EQ(ok, n == 2 + 32 + 1 + 2 + 1) << n;
  }
}

Bytes sslv2_hello_record() {
  Bytes body;
  put_u8(body, 1);
  put_u16(body, 0x0301);
  Bytes specs = {0x00, 0x00, 0x04, 0x01, 0x00, 0x80, 0x00, 0x00, 0x0a, 0x00, 0x00, 0xff};
  put_u16(body, static_cast<uint32_t>(specs.size()));
  put_u16(body, 0);
  put_u16(body, 16);
  put_bytes(body, specs);
  put_bytes(body, Bytes(16, 0x33));
  Bytes record;
  put_u16(record, 0x8000 | static_cast<uint32_t>(body.size()));
  put_bytes(record, body);
  return record;
}

TEST(TlsSslv2Hello, MapsTlsSuitesAndDropsSslv2Specs) {
  Bytes record = sslv2_hello_record();
  records::TlsClientHello h;
  ASSERT_TRUE(parse_sslv2_client_hello(ByteView(record).subspan(2), h));
  EXPECT_TRUE(h.sslv2_record);
  EXPECT_EQ(h.record_version, 0x0002);
  EXPECT_EQ(h.legacy_version, 0x0301);
  EXPECT_EQ(h.cipher_suites, (std::vector<uint16_t>{0x0004, 0x000a, 0x00ff}));
  fingerprints::fill_client_fingerprints(h);
  EXPECT_EQ(h.ja3_string, "769,4-10-255,,,");  // tshark computes no JA3 here; we do
  EXPECT_EQ(h.ja4.substr(0, 10), "t10i030000");
  EXPECT_TRUE(looks_like_tls_client_start(record));
}

TEST(TlsClientStart, RecognisesHandshakeAndSslv2StartsOnly) {
  ClientHelloSpec spec;
  spec.ciphers = {0x1301};
  Bytes tls = handshake_records(handshake_message(1, client_hello_body(spec)));
  EXPECT_TRUE(looks_like_tls_client_start(tls));
  EXPECT_FALSE(looks_like_tls_client_start(ByteView(tls).first(5)));
  Bytes server = handshake_records(handshake_message(2, server_hello_body({})));
  EXPECT_FALSE(looks_like_tls_client_start(server));
  const std::string http = "GET / HTTP/1.1\r\n";
  EXPECT_FALSE(looks_like_tls_client_start(as_bytes(http)));
  EXPECT_FALSE(looks_like_tls_client_start(Bytes{0x16, 0x03, 0x01, 0x00, 0x00, 0x01}));  // empty record
  EXPECT_FALSE(looks_like_tls_client_start(Bytes{0x16, 0x02, 0x01, 0x00, 0x10, 0x01}));  // not 3.x
  EXPECT_FALSE(looks_like_tls_client_start(Bytes{0x80, 0x2e, 0x04, 0x00, 0x02}));  // SSLv2 SERVER-HELLO
  EXPECT_FALSE(looks_like_tls_client_start(Bytes{}));
}

}  // namespace
}  // namespace c2hunt::tls

namespace c2hunt::tls {
namespace {

using namespace c2hunt::tls::testing;

// An adversary can offer thousands of ALPN names; the parser keeps a bounded number and says so
// (record flag, stream counter) instead of dropping the rest silently.
TEST(TlsClientHello, AlpnListBeyondTheCapIsMarkedAndCounted) {
  ClientHelloSpec s;
  s.ciphers = {0x1301};
  std::vector<std::string> names;
  for (int i = 0; i < 40; ++i) names.push_back("p" + std::to_string(i));
  s.extensions.push_back(ext_alpn(names));
  Bytes body = client_hello_body(s);
  records::TlsClientHello hello;
  ASSERT_TRUE(parse_client_hello(body, hello));
  EXPECT_LT(hello.alpn.size(), names.size());
  EXPECT_EQ(hello.alpn.front(), "p0");
  EXPECT_TRUE(hello.alpn_truncated);

  StreamCounters counters;
  TlsStreamParser parser({}, &counters);
  parser.feed(Direction::client_to_server, handshake_records(handshake_message(1, body)));
  ASSERT_EQ(parser.session().client_hellos.size(), 1u);
  EXPECT_EQ(counters.alpn_lists_truncated, 1u);

  records::TlsClientHello few;
  ClientHelloSpec small = s;
  small.extensions = {ext_alpn({"h2", "http/1.1"})};
  ASSERT_TRUE(parse_client_hello(client_hello_body(small), few));
  EXPECT_FALSE(few.alpn_truncated);
}

}  // namespace
}  // namespace c2hunt::tls

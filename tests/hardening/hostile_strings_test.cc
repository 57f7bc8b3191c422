// Attacker-chosen text (quotes, backslashes, NUL and control characters, invalid UTF-8, HTML and
// JavaScript, terminal escape sequences, very long values) in SNI, ALPN, certificate names, Zeek
// fields and Sysmon process paths, through the parsers to the connection JSON: the output parses
// back, valid UTF-8 comes back exactly, each invalid byte comes back as the text "\xNN", limits
// say that they cut (the "...[truncated]" marker), and terminal output shows control bytes escaped.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <cstdio>

#include "../protocols/tls_test_builders.h"
#include "../sources/pcap/pcap_test_support.h"
#include "../x509/test_certificates.h"
#include "c2hunt/protocols/tls/tls_hello.h"
#include "c2hunt/sources/sysmon/sysmon_source.h"
#include "c2hunt/sources/zeek/zeek_source.h"
#include "c2hunt/util/text_escape.h"
#include "c2hunt/x509/certificate_facts.h"
#include "damage_support.h"

namespace c2hunt::hardening {
namespace {

// The hostile values, each under 255 bytes (the SNI limit) unless noted.
const std::vector<std::string>& hostile_values() {
  static const std::vector<std::string> values = {
      std::string("quote\" back\\slash \"\\\"", 21),
      std::string("nul\0inside\x01\x02\x1f\x7f", 14),
      "\x1b[31mred\x1b[0m \x1b]8;;https://evil.example/\x1b\\link\x1b]8;;\x1b\\",
      "<script>alert(document.cookie)</script><img src=x onerror=alert(1)>",
      "caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x92\x80 valid utf-8",
      "bad \xff\xfe utf8 \xc3 cut \xed\xa0\x80 surrogate \xc0\xaf overlong \xf4\x90\x80\x80",
      "new\nline\r\ttab\b\f",
  };
  return values;
}

// The documented JSON form of arbitrary bytes, decoded: valid UTF-8 kept, each other byte "\xNN".
bool valid_sequence(std::string_view s, size_t i, size_t& n) {
  auto c = static_cast<uint8_t>(s[i]);
  n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
  if (n == 0 || i + n > s.size()) return false;
  uint32_t cp = n == 1 ? c : c & (0x7f >> n);
  for (size_t k = 1; k < n; ++k) {
    auto b = static_cast<uint8_t>(s[i + k]);
    if ((b & 0xc0) != 0x80) return false;
    cp = cp << 6 | (b & 0x3f);
  }
  static const uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  return cp >= kMin[n] && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff);
}

std::string expected_json_text(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    size_t n;
    if (valid_sequence(s, i, n)) {
      out.append(s.substr(i, n));
      i += n;
    } else {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02x", static_cast<uint8_t>(s[i]));
      out += hex;
      ++i;
    }
  }
  return out;
}

// Parses one JSON line and returns the string at a top-level key (dotted keys are flat in c2hunt's output).
std::string json_string(const std::string& line, const char* key) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  auto error = parser.parse(line).get(doc);
  EXPECT_FALSE(error) << "invalid JSON: " << simdjson::error_message(error) << "\n" << line.substr(0, 300);
  if (error) return {};
  std::string_view v;
  if (doc[key].get_string().get(v)) {
    ADD_FAILURE() << "no string " << key;
    return {};
  }
  return std::string(v);
}

std::string first_of_array(const std::string& line, const char* key) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  EXPECT_FALSE(parser.parse(line).get(doc));
  std::string_view v;
  if (doc[key].at(0).get_string().get(v)) {
    ADD_FAILURE() << "no array " << key;
    return {};
  }
  return std::string(v);
}

// A TCP connection whose client sends one ClientHello with this SNI and ALPN, through the pcap pipeline.
records::Connection connection_with_hello(const std::string& sni, const std::string& alpn) {
  using namespace tls::testing;
  ClientHelloSpec spec;
  spec.ciphers = {0x1301, 0xc02f};
  spec.extensions = {ext_sni(sni), ext_alpn({alpn}), ext_supported_versions({0x0304, 0x0303})};
  Bytes hello = handshake_records(handshake_message(1, client_hello_body(spec)));
  using namespace pcap::testing;
  V4 client{{10, 0, 0, 1}}, server{{203, 0, 113, 9}};
  std::vector<Frame> frames = {
      {1000, ethernet(0x0800, ipv4(client, server, 6, tcp(40000, 443, 100, 0, SYN)))},
      {2000, ethernet(0x0800, ipv4(server, client, 6, tcp(443, 40000, 900, 101, SYN | ACK)))},
      {3000, ethernet(0x0800, ipv4(client, server, 6, tcp(40000, 443, 101, 901, ACK | PSH, hello)))},
  };
  PcapRun run;
  EXPECT_TRUE(run.read(write_pcap("hostile_hello", 1, frames)));
  run.finish();
  EXPECT_EQ(run.collector.connections.size(), 1u);
  return run.collector.connections.empty() ? records::Connection() : std::move(run.collector.connections[0]);
}

TEST(HostileStrings, SniAndAlpnThroughThePacketPipelineComeBackExactly) {
  for (const std::string& v : hostile_values()) {
    records::Connection c = connection_with_hello(v, v);
    ASSERT_TRUE(c.tls && !c.tls->client_hellos.empty()) << v;
    std::string line = connection_json(c);
    EXPECT_EQ(json_string(line, "tls.client.server_name"), expected_json_text(v));
    EXPECT_EQ(first_of_array(line, "tls.client.supported_protocols"), expected_json_text(v));
  }
}

TEST(HostileStrings, OverlongSniIsCutWithAMarker) {
  std::string sni(60'000, 'a');
  sni.replace(100, 4, "\x1b[2J");
  records::Connection c;
  tls::testing::ClientHelloSpec spec;
  spec.ciphers = {0x1301};
  spec.extensions = {tls::testing::ext_sni(sni)};
  records::TlsClientHello hello;
  ASSERT_TRUE(tls::parse_client_hello(tls::testing::client_hello_body(spec), hello));
  std::string want = sni.substr(0, tls::kMaxServerNameBytes) + std::string(x509::kTruncationMarker);
  EXPECT_EQ(hello.server_name, want);
  c.tls.emplace().client_hellos.push_back(hello);
  EXPECT_EQ(json_string(connection_json(c), "tls.client.server_name"), expected_json_text(want));
}

TEST(HostileStrings, CertificateNamesAndSanSurviveAndLongOnesSayTheyAreCut) {
  auto key = ::c2hunt::testing::ec_key();
  std::vector<std::string> values = hostile_values();
  values.push_back(std::string(10'000, 'x'));  // 10 KB common name: cut at the 4 KiB string cap
  for (const std::string& v : values) {
    if (expected_json_text(v) != v) continue;  // a UTF8String holds valid UTF-8 only
    ::c2hunt::testing::CertSpec spec;
    spec.subject = {{"CN", v}, {"O", "\"Org\", Inc\\"}};
    spec.issuer = {{"CN", v + " CA"}};
    std::string san = "DNS:" + v;
    bool san_ok = v.find(',') == std::string::npos && v.find('\0') == std::string::npos && v.size() < 1000;
    if (san_ok) spec.extensions = {{NID_subject_alt_name, san}};
    auto cert = ::c2hunt::testing::build_certificate(spec, key.get(), key.get());
    ASSERT_TRUE(cert) << v.substr(0, 40);
    auto facts = std::make_shared<const records::Certificate>(
        x509::describe_certificate(::c2hunt::testing::der_of(cert.get())));
    records::Connection c;
    c.tls.emplace().certificates.push_back({0, facts});
    std::string line = connection_json(c);
    std::string cn = json_string(line, "tls.server.subject");  // the whole DN line parses back
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    ASSERT_FALSE(parser.parse(line).get(doc));
    std::string_view got_cn;
    ASSERT_FALSE(doc["tls.server.x509"]["subject.common_name"].get_string().get(got_cn)) << escape_for_terminal(v.substr(0, 60)) << "\n" << line.substr(0, 600);
    if (v.size() > 4096) {
      EXPECT_LT(got_cn.size(), 4200u);
      EXPECT_TRUE(got_cn.ends_with(x509::kTruncationMarker)) << got_cn.substr(got_cn.size() - 30);
      EXPECT_TRUE(cn.ends_with(x509::kTruncationMarker));
    } else {
      EXPECT_EQ(std::string(got_cn), expected_json_text(v)) << v.substr(0, 40);
    }
    if (san_ok && v.find_first_of("\x1b\n") == std::string::npos) {
      std::string_view first_san;
      ASSERT_FALSE(doc["tls.server.x509"]["alternative_names"].at(0).get_string().get(first_san)) << v;
      EXPECT_NE(std::string(first_san).find(expected_json_text(v).substr(0, 8)), std::string::npos) << first_san;
    }
  }
}

TEST(HostileStrings, CertificateLargerThanTheDerCapIsFlaggedNotSilentlyEmpty) {
  auto key = ::c2hunt::testing::ec_key();
  ::c2hunt::testing::CertSpec spec;
  spec.subject = {{"CN", std::string(100'000, 'y')}};
  auto cert = ::c2hunt::testing::build_certificate(spec, key.get(), key.get());
  ASSERT_TRUE(cert);
  Counters counters;
  std::vector<uint8_t> der = ::c2hunt::testing::der_of(cert.get());
  ASSERT_GT(der.size(), x509::kMaxCertificateDerBytes);
  records::Connection c;
  c.tls.emplace().certificates.push_back(
      {0, std::make_shared<const records::Certificate>(x509::describe_certificate(der, &counters))});
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_FALSE(parser.parse(connection_json(c)).get(doc));
  bool flagged = false;
  ASSERT_FALSE(doc["tls.server.x509"]["parse_error"].get_bool().get(flagged));
  EXPECT_TRUE(flagged);
  EXPECT_EQ(counters.get("x509.der_too_large"), 1u);
}

// Collects connections from a log source.
struct Connections : records::RecordConsumer {
  std::vector<records::Connection> all;
  std::vector<records::Process> processes;
  void on_connection(records::Connection&& c) override { all.push_back(std::move(c)); }
  void on_process(records::Process&& p) override { processes.push_back(std::move(p)); }
};

// JSON string literal of arbitrary bytes, as a log shipper would write it (\u escapes for controls).
std::string json_literal(std::string_view s) {
  sinks::JsonWriter w;
  w.start_array();
  w.string(s);
  w.end_array();
  std::string line = w.take_line();
  while (!line.empty() && line.back() == '\n') line.pop_back();
  return line.substr(1, line.size() - 2);
}

TEST(HostileStrings, ZeekJsonFieldsComeBackExactly) {
  std::vector<std::string> values = hostile_values();
  values.push_back("long:" + std::string(100'000, 'z'));
  for (const std::string& v : values) {
    if (!expected_json_text(v).empty() && expected_json_text(v) != v) continue;  // JSON text in a log is UTF-8
    std::string row = R"({"ts":1517422336.0,"uid":"Chostile1","id.orig_h":"10.0.0.1","id.orig_p":1,)"
                      R"("id.resp_h":"10.0.0.2","id.resp_p":443,"version":"TLSv12","server_name":)" +
                      json_literal(v) + R"(,"established":true})" + "\n";
    Connections out;
    Counters counters;
    DiagnosticsCapture capture;
    Diagnostics diagnostics(capture.stream());
    zeek::ZeekSource source(out, counters, diagnostics);
    source.read_text("ssl.log", row);
    source.finish();
    ASSERT_EQ(out.all.size(), 1u) << v.substr(0, 40);
    std::string sni = json_string(connection_json(out.all[0]), "tls.client.server_name");
    if (v.size() > 4096 && sni.size() < v.size()) {
      EXPECT_TRUE(sni.ends_with(x509::kTruncationMarker)) << "cut without saying so: " << sni.size();
    } else {
      EXPECT_EQ(sni, v);
    }
  }
}

TEST(HostileStrings, SysmonProcessPathsComeBackExactly) {
  std::vector<std::string> values = hostile_values();
  values.push_back("C:\\" + std::string(100'000, 'p') + ".exe");
  for (const std::string& v : values) {
    if (expected_json_text(v) != v) continue;  // JSON input is UTF-8 text
    std::string event = R"({"EventID":1,"SourceName":"Microsoft-Windows-Sysmon","Channel":"Microsoft-Windows-Sysmon/Operational",)"
                        R"("Hostname":"host1","UtcTime":"2024-01-01 00:00:00.000","ProcessGuid":"{11111111-1111-1111-1111-111111111111}",)"
                        R"("ProcessId":42,"Image":)" + json_literal(v) + R"(,"CommandLine":)" + json_literal(v) + "}\n";
    Connections out;
    Counters counters;
    DiagnosticsCapture capture;
    Diagnostics diagnostics(capture.stream());
    sysmon::SysmonSource source(out, counters, diagnostics);
    std::FILE* in = fmemopen(event.data(), event.size(), "r");
    source.read_stream(in, "sysmon.json", sysmon::Format::json);
    std::fclose(in);
    ASSERT_EQ(out.processes.size(), 1u) << v.substr(0, 40) << " diagnostics: " << capture.lines().size();
    // The connection JSON has no process object yet: check the record and the writer's round trip.
    const std::string& image = out.processes[0].executable;
    if (image.size() < v.size()) {
      EXPECT_TRUE(image.ends_with(x509::kTruncationMarker) || counters.get("sysmon.truncated_values") > 0)
          << "process path cut without saying so: " << image.size();
    } else {
      EXPECT_EQ(image, v);
    }
    EXPECT_EQ(json_string("{\"image\":" + json_literal(image) + "}", "image"), image);
  }
}

TEST(HostileStrings, TerminalTextShowsEveryControlByteEscaped) {
  for (const std::string& v : hostile_values()) {
    std::string shown = escape_for_terminal(v);
    for (char ch : shown) {
      auto c = static_cast<uint8_t>(ch);
      EXPECT_TRUE(c >= 0x20 && c != 0x7f) << "raw control byte " << int(c) << " in " << shown;
    }
    if (v.find('\x1b') != std::string::npos) {
      EXPECT_NE(shown.find("\\x1b"), std::string::npos) << shown;
    }
    if (v.find('\0') != std::string::npos) {
      EXPECT_NE(shown.find("\\x00"), std::string::npos) << shown;
    }
    if (v.find('\xff') != std::string::npos) {
      EXPECT_NE(shown.find("\\xff"), std::string::npos) << shown;
    }
  }
}

}  // namespace
}  // namespace c2hunt::hardening

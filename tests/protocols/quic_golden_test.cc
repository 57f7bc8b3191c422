// Golden test on the shared QUIC captures: tshark extracts the UDP datagrams and its own view of
// the ClientHello/ServerHello lengths; our parser must frame the same handshake messages.
#include <gtest/gtest.h>

#include <simdjson.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "c2hunt/protocols/quic/quic_initial.h"
#include "protocols/hex_bytes.h"
#include "protocols/tshark_fields.h"
#include "test_support.h"

namespace c2hunt::quic {
namespace {

struct Datagram {
  std::string source;
  std::vector<uint8_t> payload;
};

struct Stream {
  std::string client;  // the sender of the stream's first QUIC datagram
  std::vector<Datagram> datagrams;
  std::vector<uint32_t> tshark_client_hellos, tshark_server_hellos;
  std::string tshark_sni;
  std::string client_hello_frame, server_hello_frame;  // frame.number of each side's first hello
};

// Other tools' fingerprints of the same capture: the FoxIO Wireshark plugin's ja4/ja4s per frame
// and Suricata's quic.ja4 checks, when the shared data has them.
struct ExpectedFingerprints {
  std::map<std::string, std::string> ja4_by_frame, ja4s_by_frame;
  std::vector<std::string> suricata_quic_ja4;
};

ExpectedFingerprints load_expected(const std::string& pcap_relative) {
  ExpectedFingerprints e;
  const std::string name = std::filesystem::path(pcap_relative).filename().string();
  const std::string stem = std::filesystem::path(pcap_relative).stem().string();
  const std::string plugin = testing::shared_data_path("expected/" + name + ".ja4-wireshark-plugin.json");
  simdjson::dom::parser parser;
  simdjson::dom::array packets;
  if (std::filesystem::exists(plugin) && parser.load(plugin).get_array().get(packets) == simdjson::SUCCESS) {
    auto first_string = [](simdjson::dom::element layers, const char* key, std::string& out) {
      simdjson::dom::array values;
      std::string_view v;
      if (layers[key].get_array().get(values) != simdjson::SUCCESS || values.at(0).get_string().get(v) != simdjson::SUCCESS)
        return false;
      out = std::string(v);
      return true;
    };
    for (simdjson::dom::element packet : packets) {
      simdjson::dom::element layers;
      if (packet["_source"]["layers"].get(layers) != simdjson::SUCCESS) continue;
      std::string frame, value;
      if (!first_string(layers, "frame.number", frame)) continue;
      if (first_string(layers, "ja4.ja4", value)) e.ja4_by_frame[frame] = value;
      if (first_string(layers, "ja4.ja4s", value)) e.ja4s_by_frame[frame] = value;
    }
  }
  const std::string suricata = testing::shared_data_path("expected/" + stem + ".suricata-test.yaml");
  if (std::filesystem::exists(suricata)) {
    for (const YAML::Node& check : YAML::LoadFile(suricata)["checks"]) {
      const YAML::Node ja4 = check["filter"]["match"]["quic.ja4"];
      if (ja4) e.suricata_quic_ja4.push_back(ja4.as<std::string>());
    }
  }
  return e;
}

std::vector<uint32_t> lengths_of_type(const std::string& types, const std::string& lengths, const std::string& want) {
  std::vector<uint32_t> out;
  const std::vector<std::string> t = testing::split_fields(types, ','), l = testing::split_fields(lengths, ',');
  for (size_t i = 0; i < t.size() && i < l.size(); ++i) {
    if (t[i] == want) out.push_back(static_cast<uint32_t>(std::stoul(l[i])));
  }
  return out;
}

std::map<int, Stream> read_quic_streams(const std::string& pcap) {
  std::map<int, Stream> streams;
  for (const std::vector<std::string>& f :
       testing::tshark_fields(pcap, "quic",
                              {"udp.stream", "ip.src", "ipv6.src", "udp.srcport", "tls.handshake.type",
                               "tls.handshake.length", "udp.payload", "tls.handshake.extensions_server_name",
                               "frame.number"})) {
    Stream& s = streams[std::stoi(f[0])];
    const std::string source = f[1] + f[2] + ":" + f[3];
    if (s.client.empty()) s.client = source;
    s.datagrams.push_back({source, testing::hex_bytes(f[6])});
    const bool from_client = source == s.client;
    if (from_client && !f[7].empty()) s.tshark_sni = f[7];
    for (uint32_t n : lengths_of_type(f[4], f[5], from_client ? "1" : "2")) {
      (from_client ? s.tshark_client_hellos : s.tshark_server_hellos).push_back(n);
      std::string& frame = from_client ? s.client_hello_frame : s.server_hello_frame;
      if (frame.empty()) frame = f[8];
    }
  }
  return streams;
}

std::vector<uint32_t> framed_lengths(const QuicInitialParser& p, bool client, uint8_t type) {
  std::vector<uint32_t> out;
  for (const HandshakeMessage& m : p.handshake_messages(client)) {
    if (m.type == type) out.push_back(m.length);
  }
  return out;
}

class QuicGolden : public ::testing::TestWithParam<const char*> {};

TEST_P(QuicGolden, FramesTheSameHellosAsTshark) {
  C2HUNT_REQUIRE_SHARED_DATA();
  if (!testing::tshark_available()) GTEST_SKIP() << "tshark not installed";
  const std::map<int, Stream> streams = read_quic_streams(testing::shared_data_path(GetParam()));
  ASSERT_FALSE(streams.empty());
  const ExpectedFingerprints expected = load_expected(GetParam());
  std::vector<std::string> our_ja4;
  size_t client_hellos = 0, server_hellos = 0, done = 0, fingerprints_compared = 0;
  for (const auto& [id, s] : streams) {
    ASSERT_FALSE(s.tshark_client_hellos.empty()) << "udp.stream " << id;
    QuicInitialParser parser;
    Progress progress = Progress::need_more;
    for (const Datagram& d : s.datagrams) {
      progress = parser.feed_datagram(d.source == s.client, d.payload);
      if (progress != Progress::need_more) break;
    }
    EXPECT_NE(progress, Progress::not_quic) << "udp.stream " << id;
    EXPECT_EQ(parser.version(), kVersion1) << "udp.stream " << id;
    EXPECT_EQ(framed_lengths(parser, true, 1), s.tshark_client_hellos) << "udp.stream " << id;
    EXPECT_EQ(framed_lengths(parser, false, 2), s.tshark_server_hellos) << "udp.stream " << id;
    EXPECT_EQ(parser.stats().decrypt_failures, 0u) << "udp.stream " << id;
    // Every framed hello went to the TLS parser: it is in the session or counted as a parse failure.
    const records::TlsSession& session = parser.session();
    EXPECT_EQ(session.client_hellos.size() + session.server_hellos.size() + parser.stats().hello_parse_failures,
              s.tshark_client_hellos.size() + s.tshark_server_hellos.size());
    EXPECT_TRUE(session.certificates_encrypted);
    for (const records::TlsClientHello& hello : session.client_hellos) {
      EXPECT_TRUE(hello.over_quic);
      EXPECT_EQ(hello.handshake_length, s.tshark_client_hellos.front());
      EXPECT_EQ(hello.server_name, s.tshark_sni);
      EXPECT_EQ(hello.ja4.substr(0, 1), "q");
      our_ja4.push_back(hello.ja4);
      if (auto it = expected.ja4_by_frame.find(s.client_hello_frame); it != expected.ja4_by_frame.end()) {
        EXPECT_EQ(hello.ja4, it->second) << "frame " << it->first;
        ++fingerprints_compared;
      }
    }
    for (const records::TlsServerHello& hello : session.server_hellos) {
      EXPECT_TRUE(hello.over_quic);
#ifdef C2HUNT_JA4PLUS
      if (auto it = expected.ja4s_by_frame.find(s.server_hello_frame); it != expected.ja4s_by_frame.end()) {
        EXPECT_EQ(hello.ja4s, it->second) << "frame " << it->first;
        ++fingerprints_compared;
      }
#endif
    }
    client_hellos += framed_lengths(parser, true, 1).size();
    server_hellos += framed_lengths(parser, false, 2).size();
    done += progress == Progress::done;
  }
  // Suricata's checks name fingerprints the capture must produce; only comparable once hellos parse.
  if (!our_ja4.empty()) {
    for (const std::string& ja4 : expected.suricata_quic_ja4) {
      EXPECT_NE(std::find(our_ja4.begin(), our_ja4.end(), ja4), our_ja4.end()) << "Suricata quic.ja4 " << ja4;
      ++fingerprints_compared;
    }
  }
  std::printf("%s: %zu QUIC connections, %zu ClientHellos, %zu ServerHellos framed, %zu done, %zu hellos parsed, "
              "%zu fingerprints compared with the FoxIO plugin and Suricata\n",
              GetParam(), streams.size(), client_hellos, server_hellos, done, our_ja4.size(), fingerprints_compared);
}

INSTANTIATE_TEST_SUITE_P(SharedCaptures, QuicGolden,
                         ::testing::Values("pcap/ja4__chrome-cloudflare-quic-with-secrets.pcapng",
                                           "pcap/sv__ja4-tls-quic.pcap",
                                           "pcap/zeek__curl-8.1.2-dev-http3-www-google-de.pcap",
                                           "pcap/ja4__tls-handshake.pcapng"));

}  // namespace
}  // namespace c2hunt::quic

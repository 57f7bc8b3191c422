// Golden check on the shared captures: every TCP stream of every pcap is reassembled in arrival
// order (a deliberately small reassembler local to this test: in-order + buffered out-of-order
// segments, no retransmission subtleties), fed to TlsStreamParser, and the fingerprints compared
// with tshark 4.0.17's JA3/JA3S (expected/*.tshark-ja3.tsv) and FoxIO's Python JA4/JA4S
// (expected/*.ja4-python.json). Reads /work/shared/data at run time.
#include <gtest/gtest.h>
#include <pcap/pcap.h>
#include <simdjson.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "c2hunt/protocols/tls/tls_stream.h"
#include "c2hunt/util/ip_address.h"
#include "test_support.h"

namespace c2hunt::tls {
namespace {

// "client_ip client_port server_ip server_port"
using FlowKey = std::string;

struct Segment {
  IpAddress src, dst;
  uint16_t sport = 0, dport = 0;
  uint32_t seq = 0;
  bool syn = false, ack = false;
  ByteView payload;
};

bool decode(ByteView frame, Segment& s) {
  ByteCursor c(frame);
  c.skip(12);
  uint16_t ether_type = c.read_u16();
  while (ether_type == 0x8100 || ether_type == 0x88a8) {
    c.skip(2);
    ether_type = c.read_u16();
  }
  uint8_t protocol = 0;
  ByteCursor ip;
  if (ether_type == 0x0800) {
    ByteView header = c.rest();
    uint8_t ihl = static_cast<uint8_t>((c.peek_u8() & 0x0f) * 4);
    uint16_t total = c.peek_u16(2);
    protocol = c.peek_u8(9);
    if (header.size() < 20 || ihl < 20 || total < ihl || total > header.size()) return false;
    s.src = IpAddress::v4(header.data() + 12);
    s.dst = IpAddress::v4(header.data() + 16);
    ip = ByteCursor(header.subspan(ihl, total - ihl));
  } else if (ether_type == 0x86dd) {
    ByteView header = c.rest();
    if (header.size() < 40) return false;
    uint16_t length = c.peek_u16(4);
    protocol = c.peek_u8(6);
    s.src = IpAddress::v6(header.data() + 8);
    s.dst = IpAddress::v6(header.data() + 24);
    ip = ByteCursor(header.subspan(40, std::min<size_t>(length, header.size() - 40)));
  } else {
    return false;
  }
  if (protocol != 6) return false;
  s.sport = ip.read_u16();
  s.dport = ip.read_u16();
  s.seq = ip.read_u32();
  ip.skip(4);
  uint8_t offset = static_cast<uint8_t>((ip.read_u8() >> 4) * 4);
  uint8_t flags = ip.read_u8();
  ip.skip(6);
  if (!ip.ok() || offset < 20) return false;
  ip.skip(offset - 20u);
  s.syn = flags & 0x02;
  s.ack = flags & 0x10;
  s.payload = ip.rest();
  return ip.ok();
}

struct DirectionBytes {
  bool started = false;
  uint32_t next = 0;
  std::map<uint32_t, std::vector<uint8_t>> pending;  // out-of-order segments by seq
};

struct Flow {
  FlowKey key;
  IpAddress client;
  uint16_t client_port = 0;
  DirectionBytes dirs[2];
  std::unique_ptr<TlsStreamParser> parser;
  bool decided = false;
};

// Feeds the bytes of `data` (starting at `seq`) that extend the contiguous stream.
void deliver(Flow& f, int d, uint32_t seq, ByteView data) {
  DirectionBytes& db = f.dirs[d];
  auto feed = [&](ByteView bytes) {
    if (!f.decided) {
      f.decided = true;
      if (d == 0 && looks_like_tls_client_start(bytes)) f.parser = std::make_unique<TlsStreamParser>();
    }
    if (f.parser) f.parser->feed(d == 0 ? Direction::client_to_server : Direction::server_to_client, bytes);
  };
  auto take = [&](uint32_t at, ByteView bytes) {
    uint32_t skip = db.next - at;  // bytes already delivered (wrap-safe)
    if (skip >= bytes.size() || skip > 0x80000000u) return false;
    feed(bytes.subspan(skip));
    db.next = at + static_cast<uint32_t>(bytes.size());
    return true;
  };
  if (!db.started) {
    db.started = true;
    db.next = seq;
  }
  if (static_cast<int32_t>(seq - db.next) > 0) {
    db.pending[seq].assign(data.begin(), data.end());
    return;
  }
  take(seq, data);
  for (bool progressed = true; progressed;) {
    progressed = false;
    for (auto it = db.pending.begin(); it != db.pending.end();) {
      if (static_cast<int32_t>(it->first - db.next) > 0) {
        ++it;
        continue;
      }
      progressed |= take(it->first, it->second);
      it = db.pending.erase(it);
    }
  }
}

std::map<FlowKey, Flow> read_tcp_flows(const std::string& path) {
  std::map<FlowKey, Flow> flows;
  char err[PCAP_ERRBUF_SIZE];
  pcap_t* pcap = pcap_open_offline(path.c_str(), err);
  if (!pcap) return flows;
  pcap_pkthdr* header = nullptr;
  const u_char* bytes = nullptr;
  std::map<std::string, FlowKey> by_tuple;
  while (pcap_next_ex(pcap, &header, &bytes) == 1) {
    Segment s;
    if (!decode(ByteView(bytes, header->caplen), s)) continue;
    std::string a = s.src.to_string() + " " + std::to_string(s.sport);
    std::string b = s.dst.to_string() + " " + std::to_string(s.dport);
    std::string tuple = a < b ? a + " " + b : b + " " + a;
    auto known = by_tuple.find(tuple);
    if (known == by_tuple.end()) {
      if (!s.syn && s.payload.empty()) continue;
      bool src_is_client = !(s.syn && s.ack);
      FlowKey key = src_is_client ? a + " " + b : b + " " + a;
      known = by_tuple.emplace(tuple, key).first;
      Flow& f = flows[key];
      f.key = key;
      f.client = src_is_client ? s.src : s.dst;
      f.client_port = src_is_client ? s.sport : s.dport;
    }
    Flow& f = flows[known->second];
    int d = (s.src == f.client && s.sport == f.client_port) ? 0 : 1;
    if (s.syn) {
      f.dirs[d].started = true;
      f.dirs[d].next = s.seq + 1;
      continue;
    }
    if (!s.payload.empty()) deliver(f, d, s.seq, s.payload);
  }
  pcap_close(pcap);
  return flows;
}

std::vector<std::string> split(const std::string& line, char sep) {
  std::vector<std::string> out;
  std::stringstream in(line);
  for (std::string field; std::getline(in, field, sep);) out.push_back(field);
  if (!line.empty() && line.back() == sep) out.emplace_back();
  return out;
}

std::vector<std::string> pcaps_with(const std::string& suffix) {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(testing::shared_data_path("expected"))) {
    std::string name = e.path().filename().string();
    if (name.size() > suffix.size() && name.ends_with(suffix)) names.push_back(name.substr(0, name.size() - suffix.size()));
  }
  return names;
}

TEST(TlsGolden, Ja3AndJa3sMatchTshark) {
  C2HUNT_REQUIRE_SHARED_DATA();
  size_t compared = 0, sslv2_without_tshark_ja3 = 0;
  for (const std::string& pcap : pcaps_with(".tshark-ja3.tsv")) {
    auto flows = read_tcp_flows(testing::shared_data_path("pcap/" + pcap));
    std::ifstream tsv(testing::shared_data_path("expected/" + pcap + ".tshark-ja3.tsv"));
    std::map<std::string, bool> seen;
    for (std::string line; std::getline(tsv, line);) {
      if (line.empty() || line[0] == '#' || line.starts_with("frame")) continue;
      std::vector<std::string> f = split(line, '\t');
      if (f.size() < 12 || f[6] != "tcp") continue;
      const std::string client_side = f[2] + " " + f[3] + " " + f[4] + " " + f[5];
      const std::string server_side = f[4] + " " + f[5] + " " + f[2] + " " + f[3];
      bool client_hello = false, server_hello = false;
      for (const std::string& type : split(f[7], '|')) {
        client_hello |= type == "1";
        server_hello |= type == "2";
      }
      if (client_hello && !seen[client_side + "c"]) {
        seen[client_side + "c"] = true;
        auto it = flows.find(client_side);
        ASSERT_TRUE(it != flows.end() && it->second.parser) << pcap << " " << client_side;
        const records::TlsClientHello* h = it->second.parser->session().client_hello();
        ASSERT_NE(h, nullptr) << pcap << " " << client_side;
        std::string expected = split(f[8], '|').empty() ? "" : split(f[8], '|')[0];
        if (expected.empty()) {
          EXPECT_TRUE(h->sslv2_record) << pcap << " " << client_side;  // tshark: no JA3 for SSLv2
          ++sslv2_without_tshark_ja3;
        } else {
          EXPECT_EQ(h->ja3, expected) << pcap << " " << client_side << " " << f[9] << " vs " << h->ja3_string;
          ++compared;
        }
      }
      if (server_hello && !seen[server_side + "s"]) {
        seen[server_side + "s"] = true;
        auto it = flows.find(server_side);
        ASSERT_TRUE(it != flows.end() && it->second.parser) << pcap << " " << server_side;
        const records::TlsServerHello* sh = it->second.parser->session().server_hello();
        ASSERT_NE(sh, nullptr) << pcap << " " << server_side;
        EXPECT_EQ(sh->ja3s, split(f[10], '|')[0]) << pcap << " " << server_side << " " << f[11];
        ++compared;
      }
    }
  }
  EXPECT_GT(compared, 700u);
  EXPECT_EQ(sslv2_without_tshark_ja3, 1u);  // sv__tls-glupteba.pcap (see SOURCES.md)
}

TEST(TlsGolden, Ja4MatchesFoxIoPython) {
  C2HUNT_REQUIRE_SHARED_DATA();
  size_t compared = 0;
  for (const std::string& pcap : pcaps_with(".ja4-python.json")) {
    auto flows = read_tcp_flows(testing::shared_data_path("pcap/" + pcap));
    simdjson::dom::parser json;
    simdjson::dom::element doc = json.load(testing::shared_data_path("expected/" + pcap + ".ja4-python.json"));
    for (simdjson::dom::element e : doc.get_array()) {
      auto field = [&](const char* name) {
        std::string_view v;
        return e[name].get(v) == simdjson::SUCCESS ? std::string(v) : std::string();
      };
      const std::string key = field("src") + " " + field("srcport") + " " + field("dst") + " " + field("dstport");
      auto it = flows.find(key);
      if (it == flows.end()) continue;                                 // a QUIC stream: not TCP
      if (field("JA4.1").empty() && field("JA4S").empty()) continue;  // e.g. plain HTTP (JA4H)
      ASSERT_TRUE(it->second.parser) << pcap << " " << key;
      const records::TlsSession& s = it->second.parser->session();
      if (!field("JA4.1").empty()) {
        ASSERT_NE(s.client_hello(), nullptr) << pcap << " " << key;
        EXPECT_EQ(s.client_hello()->ja4, field("JA4.1")) << pcap << " " << key;
        EXPECT_EQ(s.client_hello()->ja4_r, field("JA4_r.1")) << pcap << " " << key;
        EXPECT_EQ(s.client_hello()->ja4_o, field("JA4_o.1")) << pcap << " " << key;
        EXPECT_EQ(s.client_hello()->ja4_ro, field("JA4_ro.1")) << pcap << " " << key;
        ++compared;
      }
#ifdef C2HUNT_JA4PLUS
      if (!field("JA4S").empty()) {
        ASSERT_NE(s.server_hello(), nullptr) << pcap << " " << key;
        EXPECT_EQ(s.server_hello()->ja4s, field("JA4S")) << pcap << " " << key;
        ++compared;
      }
#endif
    }
  }
  EXPECT_GT(compared, 120u);
}

}  // namespace
}  // namespace c2hunt::tls

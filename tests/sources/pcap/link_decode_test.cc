// Link types, VLAN tags, IPv4 fragments and IPv6 extension headers, on hand-built pcap files.
#include <gtest/gtest.h>

#include "test_support.h"

#include <cstdlib>

#include "sources/pcap/pcap_test_support.h"

namespace c2hunt::pcap::testing {
namespace {

const V4 kClient{{10, 0, 0, 1}}, kServer{{192, 0, 2, 7}};

// SYN, SYN-ACK, ACK of 10.0.0.1:40000 -> 192.0.2.7:443 wrapped by `link`.
template <class Link>
std::vector<Frame> handshake(Link link) {
  return {{1000, link(ipv4(kClient, kServer, 6, tcp(40000, 443, 100, 0, SYN)))},
          {2000, link(ipv4(kServer, kClient, 6, tcp(443, 40000, 900, 101, SYN | ACK)))},
          {3000, link(ipv4(kClient, kServer, 6, tcp(40000, 443, 101, 901, ACK)))}};
}

void expect_one_handshake(const std::string& path, uint16_t vlan = 0) {
  PcapRun run;
  ASSERT_TRUE(run.read(path)) << run.messages();
  run.finish();
  ASSERT_EQ(run.collector.connections.size(), 1u) << run.messages();
  const records::Connection& c = run.collector.connections[0];
  EXPECT_EQ(c.orig.ip.to_string(), "10.0.0.1");
  EXPECT_EQ(c.orig.port, 40000);
  EXPECT_EQ(c.resp.ip.to_string(), "192.0.2.7");
  EXPECT_EQ(c.resp.port, 443);
  EXPECT_EQ(c.conn_state, "S1");
  EXPECT_EQ(c.history, "ShA");
  EXPECT_EQ(c.orig_stats.packets, 2u);
  EXPECT_EQ(c.resp_stats.packets, 1u);
  EXPECT_EQ(c.orig_stats.ip_bytes, 80u);
  EXPECT_EQ(c.vlan, vlan);
  EXPECT_EQ(c.source, "pcap");
  EXPECT_EQ(c.input_file, path);
  EXPECT_EQ(run.counter("packets"), 3u);
  EXPECT_FALSE(run.diagnostics->input_damaged());
}

TEST(PcapLinkTypes, Ethernet) {
  expect_one_handshake(write_pcap("eth", DLT_EN10MB, handshake([](const Bytes& ip) { return ethernet(0x0800, ip); })));
}

TEST(PcapLinkTypes, EthernetVlanAndQinQRecordOuterVlan) {
  expect_one_handshake(
      write_pcap("vlan", DLT_EN10MB, handshake([](const Bytes& ip) { return ethernet(0x0800, ip, {{0x8100, 42}}); })),
      42);
  expect_one_handshake(write_pcap("qinq", DLT_EN10MB, handshake([](const Bytes& ip) {
                                    return ethernet(0x0800, ip, {{0x88a8, 0x2000 | 7}, {0x8100, 99}});
                                  })),
                       7);
  expect_one_handshake(
      write_pcap("qinq9100", DLT_EN10MB, handshake([](const Bytes& ip) { return ethernet(0x0800, ip, {{0x9100, 5}, {0x8100, 6}}); })),
      5);
}

TEST(PcapLinkTypes, LinuxCookedV1AndV2) {
  expect_one_handshake(write_pcap("sll", DLT_LINUX_SLL, handshake([](const Bytes& ip) {
                                    Bytes h = {0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 0, 1, 0, 0x08, 0x00};
                                    return cat({h, ip});
                                  })));
  expect_one_handshake(write_pcap("sll2", DLT_LINUX_SLL2, handshake([](const Bytes& ip) {
                                    Bytes h = {0x08, 0x00, 0, 0, 0, 0, 0, 1, 0, 1, 0, 6, 2, 0, 0, 0, 0, 0, 0, 0};
                                    return cat({h, ip});
                                  })));
}

TEST(PcapLinkTypes, RawIpVariants) {
  auto raw = [](const Bytes& ip) { return ip; };
  expect_one_handshake(write_pcap("raw", DLT_RAW, handshake(raw)));
  expect_one_handshake(write_pcap("ipv4", 228, handshake(raw)));
}

TEST(PcapLinkTypes, BsdNullInBothByteOrdersAndOpenBsdLoop) {
  expect_one_handshake(write_pcap("null_le", DLT_NULL, handshake([](const Bytes& ip) { return cat({{2, 0, 0, 0}, ip}); })));
  expect_one_handshake(write_pcap("null_be", DLT_NULL, handshake([](const Bytes& ip) { return cat({{0, 0, 0, 2}, ip}); })));
  expect_one_handshake(write_pcap("loop", DLT_LOOP, handshake([](const Bytes& ip) { return cat({{0, 0, 0, 2}, ip}); })));
}

TEST(PcapLinkTypes, UnsupportedLinkTypeIsOneErrorNamingIt) {
  std::string path = write_pcap("wifi", DLT_IEEE802_11, {{1000, Bytes(40, 0)}});
  PcapRun run;
  EXPECT_FALSE(run.read(path));
  EXPECT_EQ(run.diagnostics->errors(), 1u);
  std::string m = run.messages();
  EXPECT_NE(m.find(path), std::string::npos) << m;
  EXPECT_NE(m.find("105"), std::string::npos) << m;
  EXPECT_NE(m.find("IEEE802_11"), std::string::npos) << m;
  EXPECT_EQ(run.counter("unsupported_link_type"), 1u);
}

TEST(PcapLinkTypes, NonIpFramesAreCountedNotTracked) {
  std::string path = write_pcap("arp", DLT_EN10MB, {{1000, ethernet(0x0806, Bytes(28, 0))}, {2000, Bytes(6, 0)}});
  PcapRun run;
  ASSERT_TRUE(run.read(path));
  run.finish();
  EXPECT_TRUE(run.collector.connections.empty());
  EXPECT_EQ(run.counter("unknown_ethertype"), 1u);
  EXPECT_EQ(run.counter("truncated_link_header"), 1u);
}

TEST(PcapIpv4, FirstFragmentTrackedLaterFragmentsCountedAndSkipped) {
  Bytes first = ipv4(kClient, kServer, 17, udp(5000, 6000, Bytes(16, 'x')), 0x2000);  // MF, offset 0
  Bytes later = ipv4(kClient, kServer, 17, Bytes(24, 'y'), 0x0003);                   // offset 24
  std::string path = write_pcap("frag4", DLT_RAW, {{1000, first}, {2000, later}});
  PcapRun run;
  ASSERT_TRUE(run.read(path));
  run.finish();
  ASSERT_EQ(run.collector.connections.size(), 1u);
  EXPECT_EQ(run.collector.connections[0].orig_stats.packets, 1u);
  EXPECT_EQ(run.counter("ip_fragments"), 2u);
}

TEST(PcapIpv4, BadAndTruncatedHeadersAreCounted) {
  Bytes bad = ipv4(kClient, kServer, 6, tcp(1, 2, 0, 0, SYN));
  bad[0] = 0x43;  // IHL 3
  Bytes short_tcp = ipv4(kClient, kServer, 6, Bytes(10, 0));
  std::string path = write_pcap("bad4", DLT_RAW, {{1000, bad}, {2000, Bytes{0x45, 0, 0}}, {3000, short_tcp}});
  PcapRun run;
  ASSERT_TRUE(run.read(path));
  run.finish();
  EXPECT_TRUE(run.collector.connections.empty());
  EXPECT_EQ(run.counter("bad_ip_header"), 1u);
  EXPECT_EQ(run.counter("truncated_ip"), 1u);
  EXPECT_EQ(run.counter("truncated_tcp"), 1u);
}

TEST(PcapIpv6, ExtensionHeaderChainIsWalked) {
  // Hop-by-hop -> routing -> destination options -> first fragment -> UDP.
  Bytes chain = cat({ext8(43), ext8(60), ext8(44), frag6(17, 0, true), udp(5353, 5353, Bytes(12, 'q'))});
  Bytes tcp_chain = cat({ext8(6), tcp(40001, 443, 1, 0, SYN)});
  // AH: length field 1 = (1 + 2) * 4 = 12 bytes.
  Bytes ah = {6, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1};
  Bytes later_fragment = cat({frag6(17, 100, false), Bytes(16, 0)});
  std::vector<Frame> frames = {{1000, ipv6(1, 2, 0, chain)},
                               {2000, ipv6(3, 4, 60, tcp_chain)},
                               {3000, ipv6(5, 6, 51, cat({ah, tcp(40002, 443, 1, 0, SYN)}))},
                               {4000, ipv6(1, 2, 44, later_fragment)}};
  std::string path = write_pcap("ext6", DLT_EN10MB, {});
  std::vector<Frame> eth;
  for (const Frame& f : frames) eth.push_back({f.ts_us, ethernet(0x86dd, f.bytes)});
  path = write_pcap("ext6", DLT_EN10MB, eth);
  PcapRun run;
  ASSERT_TRUE(run.read(path));
  run.finish();
  ASSERT_EQ(run.collector.connections.size(), 3u) << run.messages();
  const records::Connection& u = run.collector.connections[0];
  EXPECT_EQ(u.transport, records::Transport::udp);
  EXPECT_EQ(u.orig.port, 5353);
  EXPECT_EQ(u.orig_stats.payload_bytes, 12u);
  EXPECT_EQ(u.orig.ip.to_string(), "2001::1");
  EXPECT_EQ(run.collector.connections[1].resp.port, 443);
  EXPECT_EQ(run.collector.connections[2].orig.port, 40002);
  EXPECT_EQ(run.counter("ip_fragments"), 2u);
}

TEST(PcapIpv6, OverlongExtensionChainIsBounded) {
  Bytes chain;
  for (size_t i = 0; i < kMaxIpv6ExtensionHeaders + 1; ++i) chain = cat({chain, ext8(60)});
  chain = cat({chain, tcp(1, 2, 0, 0, SYN)});
  std::string path = write_pcap("long6", DLT_RAW, {{1000, ipv6(1, 2, 60, chain)}});
  PcapRun run;
  ASSERT_TRUE(run.read(path));
  run.finish();
  EXPECT_TRUE(run.collector.connections.empty());
  EXPECT_EQ(run.counter("ipv6_extension_chain_too_long"), 1u);
}

// Captures made by real tcpdump (scripts/make-link-captures.sh DIR; run with C2HUNT_LINK_CAPTURES=DIR):
// one complete local TLS connection per link type.
TEST(PcapLinkTypes, RealTcpdumpCaptures) {
  const char* dir = std::getenv("C2HUNT_LINK_CAPTURES");
  if (!dir) {
    if (::c2hunt::testing::running_in_ci()) FAIL() << "CI must run scripts/make-link-captures.sh (scripts/test.sh does)";
    GTEST_SKIP() << "set C2HUNT_LINK_CAPTURES to the output of scripts/make-link-captures.sh";
  }
  for (const char* name : {"lo-en10mb.pcap", "any-sll.pcap", "any-sll2.pcap"}) {
    PcapRun run;
    ASSERT_TRUE(run.read(std::string(dir) + "/" + name)) << name;
    run.finish();
    ASSERT_EQ(run.collector.connections.size(), 1u) << name;
    const records::Connection& c = run.collector.connections[0];
    EXPECT_EQ(c.conn_state, "SF") << name;
    EXPECT_EQ(c.orig.ip.to_string(), "127.0.0.1") << name;
    EXPECT_GT(c.orig_stats.payload_bytes, 0u) << name;
    EXPECT_GT(c.resp_stats.payload_bytes, 0u) << name;
    EXPECT_EQ(run.counter("truncated_link_header") + run.counter("unknown_ethertype"), 0u) << name;
    ASSERT_TRUE(c.tls.has_value()) << name;
    ASSERT_NE(c.tls->client_hello(), nullptr) << name;
    EXPECT_EQ(c.tls->client_hello()->ja3.size(), 32u) << name;
    EXPECT_NE(c.tls->server_hello(), nullptr) << name;
  }
}

// Fuzzer regression: a pcapng timestamp of 1.7e13 s overflowed the conversion to microseconds.
TEST(PcapTime, HugeTimestampsAreClamped) {
  EXPECT_EQ(packet_time_micros(17862819641675, 5), kMaxPacketSeconds * 1'000'000 + 5);
  EXPECT_EQ(packet_time_micros(-17862819641675, 0), -kMaxPacketSeconds * 1'000'000);
  EXPECT_EQ(packet_time_micros(1700000000, 123456), 1700000000123456);
}

}  // namespace
}  // namespace c2hunt::pcap::testing

// Connection table: orientation, Zeek conn_state/history, byte accounting, timeouts, eviction, reuse.
#include <gtest/gtest.h>

#include "sources/pcap/pcap_test_support.h"

namespace c2hunt::pcap::testing {
namespace {

const V4 kC{{10, 0, 0, 1}}, kS{{198, 51, 100, 9}};
constexpr int64_t kSec = 1'000'000;

Frame c2s(int64_t ts, uint32_t seq, uint32_t ack, uint8_t flags, const Bytes& payload = {}, uint16_t port = 40000) {
  return {ts, ipv4(kC, kS, 6, tcp(port, 443, seq, ack, flags, payload))};
}
Frame s2c(int64_t ts, uint32_t seq, uint32_t ack, uint8_t flags, const Bytes& payload = {}, uint16_t port = 40000) {
  return {ts, ipv4(kS, kC, 6, tcp(443, port, seq, ack, flags, payload))};
}

std::vector<records::Connection> run_frames(const std::string& name, const std::vector<Frame>& frames,
                                            CaptureOptions options = {}, PcapRun* out_run = nullptr) {
  PcapRun local(options);
  PcapRun& run = out_run ? *out_run : local;
  EXPECT_TRUE(run.read(write_pcap(name, DLT_RAW, frames)));
  run.finish();
  return run.collector.connections;
}

TEST(PcapConnectionTable, FullConnectionIsSfAndClosedAfterLinger) {
  Bytes req = text("hello"), resp = text("world!!");
  auto conns = run_frames("sf", {c2s(1, 100, 0, SYN), s2c(2, 900, 101, SYN | ACK), c2s(3, 101, 901, ACK),
                                 c2s(4, 101, 901, ACK | PSH, req), s2c(5, 901, 106, ACK | PSH, resp),
                                 c2s(6, 106, 908, ACK | FIN), s2c(7, 908, 107, ACK | FIN), c2s(8, 107, 909, ACK),
                                 // a later packet of another flow moves time past the close linger
                                 {20 * kSec, ipv4(kC, kS, 17, udp(1, 2, {}))}});
  ASSERT_EQ(conns.size(), 2u);
  const records::Connection& c = conns[0];
  EXPECT_EQ(c.conn_state, "SF");
  EXPECT_EQ(c.history, "ShADdFf");  // the responder sent no pure ACK, so no "a"
  EXPECT_EQ(c.end_reason, records::EndReason::closed);
  EXPECT_EQ(c.orig_stats.packets, 5u);  // the final ACK is counted
  EXPECT_EQ(c.orig_stats.payload_bytes, 5u);
  EXPECT_EQ(c.resp_stats.payload_bytes, 7u);
  EXPECT_EQ(c.first_seen, 1);
  EXPECT_EQ(c.last_seen, 8);
  EXPECT_EQ(conns[1].end_reason, records::EndReason::input_end);
  EXPECT_EQ(conns[1].conn_state, "S0");
}

TEST(PcapConnectionTable, ZeekStatesForAbnormalConnections) {
  struct Case {
    const char* name;
    std::vector<Frame> frames;
    const char* state;
  };
  std::vector<Case> cases = {
      {"s0", {c2s(1, 1, 0, SYN)}, "S0"},
      {"rej", {c2s(1, 1, 0, SYN), s2c(2, 0, 2, RST | ACK)}, "REJ"},
      {"rsto", {c2s(1, 1, 0, SYN), s2c(2, 5, 2, SYN | ACK), c2s(3, 2, 6, ACK), c2s(4, 2, 6, RST)}, "RSTO"},
      {"rstr", {c2s(1, 1, 0, SYN), s2c(2, 5, 2, SYN | ACK), c2s(3, 2, 6, ACK), s2c(4, 6, 2, RST)}, "RSTR"},
      {"rstos0", {c2s(1, 1, 0, SYN), c2s(2, 2, 0, RST)}, "RSTOS0"},
      {"rstrh", {s2c(1, 5, 2, SYN | ACK), s2c(2, 6, 2, RST)}, "RSTRH"},
      {"sh", {c2s(1, 1, 0, SYN), c2s(2, 2, 0, FIN | ACK)}, "SH"},
      {"shr", {s2c(1, 5, 2, SYN | ACK), s2c(2, 6, 2, FIN | ACK)}, "SHR"},
      {"s2", {c2s(1, 1, 0, SYN), s2c(2, 5, 2, SYN | ACK), c2s(3, 2, 6, ACK), c2s(4, 2, 6, FIN | ACK)}, "S2"},
      {"s3", {c2s(1, 1, 0, SYN), s2c(2, 5, 2, SYN | ACK), c2s(3, 2, 6, ACK), s2c(4, 6, 2, FIN | ACK)}, "S3"},
      {"oth", {c2s(1, 50, 60, ACK | PSH, text("midstream"))}, "OTH"},
  };
  for (const Case& k : cases) {
    auto conns = run_frames(k.name, k.frames);
    ASSERT_EQ(conns.size(), 1u) << k.name;
    EXPECT_EQ(conns[0].conn_state, k.state) << k.name << " history " << conns[0].history;
  }
}

TEST(PcapConnectionTable, SynAckSeenFirstFlipsOrientation) {
  auto conns = run_frames("flip", {s2c(1, 900, 101, SYN | ACK), c2s(2, 101, 901, ACK)});
  ASSERT_EQ(conns.size(), 1u);
  EXPECT_EQ(conns[0].orig.ip.to_string(), "10.0.0.1");
  EXPECT_EQ(conns[0].orig.port, 40000);
  EXPECT_EQ(conns[0].resp.port, 443);
  EXPECT_EQ(conns[0].history, "^hA");
  EXPECT_EQ(conns[0].resp_stats.packets, 1u);
}

TEST(PcapConnectionTable, RetransmittedBytesAreNotCountedTwice) {
  Bytes data(100, 'z');
  auto conns = run_frames("retx", {c2s(1, 1, 0, SYN), s2c(2, 5, 2, SYN | ACK), c2s(3, 2, 6, ACK | PSH, data),
                                   c2s(4, 2, 6, ACK | PSH, data), c2s(5, 102, 6, ACK | PSH, data)});
  ASSERT_EQ(conns.size(), 1u);
  EXPECT_EQ(conns[0].orig_stats.payload_bytes, 200u);
  EXPECT_EQ(conns[0].orig_stats.packets, 4u);
  EXPECT_NE(conns[0].history.find('T'), std::string::npos) << conns[0].history;
}

TEST(PcapConnectionTable, IdleTimeoutsDrivenByPacketTime) {
  CaptureOptions o;
  o.udp_idle_timeout = 60 * kSec;
  PcapRun run(o);
  auto conns = run_frames("idle",
                          {{1 * kSec, ipv4(kC, kS, 17, udp(1000, 53, text("abc")))},
                           {2 * kSec, ipv4(kS, kC, 17, udp(53, 1000, text("defg")))},
                           {30 * kSec, c2s(30 * kSec, 1, 0, SYN).bytes},
                           {100 * kSec, ipv4(kC, kS, 17, udp(1001, 53, text("x")))}},
                          o, &run);
  ASSERT_EQ(conns.size(), 3u);
  EXPECT_EQ(conns[0].end_reason, records::EndReason::idle_timeout);
  EXPECT_EQ(conns[0].conn_state, "SF");
  EXPECT_EQ(conns[0].orig_stats.payload_bytes, 3u);
  EXPECT_EQ(conns[0].resp_stats.payload_bytes, 4u);
  EXPECT_EQ(conns[0].history, "Dd");
  EXPECT_EQ(conns[1].end_reason, records::EndReason::input_end);  // TCP has the longer timeout
  EXPECT_EQ(run.counter("connections_idle_timeout"), 1u);
}

TEST(PcapConnectionTable, HardCapEvictsLeastRecentlyActive) {
  CaptureOptions o;
  o.max_connections = 2;
  PcapRun run(o);
  auto conns = run_frames("evict",
                          {c2s(1, 1, 0, SYN, {}, 1), c2s(2, 1, 0, SYN, {}, 2), c2s(3, 2, 0, ACK, {}, 1),
                           c2s(4, 1, 0, SYN, {}, 3), c2s(5, 1, 0, SYN, {}, 4)},
                          o, &run);
  ASSERT_EQ(conns.size(), 4u);
  EXPECT_EQ(conns[1].orig.port, 2);  // port 2 was idle longest
  EXPECT_EQ(conns[1].end_reason, records::EndReason::evicted);
  EXPECT_EQ(conns[0].end_reason, records::EndReason::evicted);  // then port 1
  EXPECT_EQ(run.counter("connections_evicted"), 2u);
  EXPECT_EQ(run.counter("connections"), 4u);
}

TEST(PcapConnectionTable, PortReuseAfterCloseStartsANewConnection) {
  auto conns = run_frames("reuse", {c2s(1, 1, 0, SYN), s2c(2, 0, 2, RST | ACK), c2s(3, 1000, 0, SYN)});
  ASSERT_EQ(conns.size(), 2u);
  EXPECT_EQ(conns[0].conn_state, "REJ");
  EXPECT_EQ(conns[1].conn_state, "S0");
  EXPECT_LT(conns[0].id, conns[1].id);
}

TEST(PcapConnectionTable, IcmpAndOtherProtocolsAreTracked) {
  auto conns = run_frames("icmp", {{1, ipv4(kC, kS, 1, Bytes{8, 0, 0, 0, 0, 1, 0, 1})},
                                   {2, ipv4(kS, kC, 1, Bytes{0, 0, 0, 0, 0, 1, 0, 1})},
                                   {3, ipv4(kC, kS, 47, Bytes(4, 0))}});
  ASSERT_EQ(conns.size(), 2u);
  EXPECT_EQ(conns[0].transport, records::Transport::icmp);
  EXPECT_EQ(conns[0].conn_state, "SF");
  EXPECT_EQ(conns[1].transport, records::Transport::other);
}

TEST(PcapConnectionTable, BpfFilterCountsWhatItDrops) {
  CaptureOptions o;
  o.bpf_filter = "udp";
  PcapRun run(o);
  auto conns = run_frames("bpf", {c2s(1, 1, 0, SYN), {2, ipv4(kC, kS, 17, udp(1, 2, text("u")))}}, o, &run);
  ASSERT_EQ(conns.size(), 1u);
  EXPECT_EQ(conns[0].transport, records::Transport::udp);
  EXPECT_EQ(run.counter("packets_filtered_out"), 1u);
  EXPECT_EQ(run.counter("packets"), 2u);
}

TEST(PcapConnectionTable, BadFilterIsReportedClearly) {
  EXPECT_NE(CaptureSource::check_filter("tcp and and"), "");
  EXPECT_EQ(CaptureSource::check_filter("tcp port 443"), "");
  CaptureOptions o;
  o.bpf_filter = "tcp and and";
  PcapRun run(o);
  EXPECT_FALSE(run.read(write_pcap("badbpf", DLT_RAW, {c2s(1, 1, 0, SYN)})));
  EXPECT_NE(run.messages().find("invalid BPF filter"), std::string::npos) << run.messages();
}

}  // namespace
}  // namespace c2hunt::pcap::testing

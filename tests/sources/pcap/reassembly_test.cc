// Handshake reassembly (observed through the StreamObserver hook) and content-based dispatch.
#include <gtest/gtest.h>

#include "c2hunt/sources/pcap/app_classifier.h"
#include "sources/pcap/pcap_test_support.h"
#include "test_support.h"

namespace c2hunt::pcap::testing {
namespace {

const V4 kC{{10, 1, 1, 1}}, kS{{203, 0, 113, 5}};

Frame c2s(int64_t ts, uint32_t seq, uint32_t ack, uint8_t flags, const Bytes& payload = {}) {
  return {ts, ipv4(kC, kS, 6, tcp(50000, 8443, seq, ack, flags, payload))};
}
Frame s2c(int64_t ts, uint32_t seq, uint32_t ack, uint8_t flags, const Bytes& payload = {}) {
  return {ts, ipv4(kS, kC, 6, tcp(8443, 50000, seq, ack, flags, payload))};
}
std::vector<Frame> open3() { return {c2s(1, 999, 0, SYN), s2c(2, 4999, 1000, SYN | ACK), c2s(3, 1000, 5000, ACK)}; }
std::vector<Frame> plus(std::vector<Frame> a, const std::vector<Frame>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

struct Observed {
  StreamRecorder recorder;
  std::unique_ptr<PcapRun> run;
  std::vector<records::Connection> conns;
};
std::unique_ptr<Observed> observe(const std::string& name, const std::vector<Frame>& frames, CaptureOptions o = {}) {
  auto out = std::make_unique<Observed>();
  o.stream_observer = &out->recorder;
  out->run = std::make_unique<PcapRun>(o);
  EXPECT_TRUE(out->run->read(write_pcap(name, DLT_RAW, frames)));
  out->run->finish();
  out->conns = out->run->collector.connections;
  return out;
}

TEST(PcapReassembly, OutOfOrderServerFlightIsDeliveredInOrder) {
  auto ob = observe("ooo", plus(open3(), {c2s(4, 1000, 5000, ACK | PSH, text("CLIENT")),
                                          s2c(5, 5010, 1006, ACK, text("0123456789")),  // third
                                          s2c(6, 5000, 1006, ACK, text("ABCDE")),       // first
                                          s2c(7, 5005, 1006, ACK, text("FGHIJ"))}));    // second
  EXPECT_EQ(ob->recorder.stream(1, false), "ABCDEFGHIJ0123456789");
  EXPECT_EQ(ob->recorder.stream(1, true), "CLIENT");
  EXPECT_EQ(ob->run->counter("tcp_out_of_order_segments"), 1u);  // only the third arrived ahead of a hole
  EXPECT_EQ(ob->run->counter("reassembly_gaps"), 0u);
  ASSERT_EQ(ob->conns.size(), 1u);
  EXPECT_EQ(as_chars(ob->conns[0].resp_payload_sample), "ABCDEFGHIJ0123456789");
  EXPECT_EQ(ob->conns[0].resp_stats.payload_bytes, 20u);
}

TEST(PcapReassembly, OverlapsKeepTheFirstCopyAndCountConflicts) {
  auto ob = observe("overlap", plus(open3(), {c2s(4, 1010, 5000, ACK, text("KLMNO")),     // buffered
                                              c2s(5, 1012, 5000, ACK, text("XXXXX")),     // overlaps, differs
                                              c2s(6, 1000, 5000, ACK, text("ABCDEFGHIJ")),
                                              c2s(7, 1000, 5000, ACK, text("ABCDEFGHIJ"))}));  // retransmission
  EXPECT_EQ(ob->recorder.stream(1, true), "ABCDEFGHIJKLMNOXX");
  EXPECT_EQ(ob->run->counter("tcp_overlaps_conflicting"), 1u);
  EXPECT_GE(ob->run->counter("tcp_retransmissions"), 1u);
}

TEST(PcapReassembly, AcknowledgedHoleIsAGap) {
  auto ob = observe("gap", plus(open3(), {s2c(4, 5000, 1000, ACK, text("AAAA")),
                                          s2c(5, 5008, 1000, ACK, text("CCCC")),  // 5004..5008 never captured
                                          c2s(6, 1000, 5012, ACK)}));
  EXPECT_EQ(ob->recorder.stream(1, false), "AAAA");
  EXPECT_EQ(ob->recorder.gap(1, false), 4u);
  ASSERT_EQ(ob->conns.size(), 1u);
  EXPECT_EQ(ob->conns[0].resp_stats.reassembly_gaps, 1u);
  EXPECT_EQ(ob->conns[0].resp_stats.gap_bytes, 4u);
  EXPECT_NE(ob->conns[0].history.find('g'), std::string::npos);
  EXPECT_EQ(ob->run->counter("reassembly_gaps"), 1u);
}

TEST(PcapReassembly, HoleLeftAtTheEndIsAGap) {
  auto ob = observe("endgap", plus(open3(), {c2s(4, 1003, 5000, ACK, text("later"))}));
  EXPECT_EQ(ob->recorder.stream(1, true), "");
  EXPECT_EQ(ob->recorder.gap(1, true), 3u);
}

TEST(PcapReassembly, WindowAndSegmentLimitsBoundBuffering) {
  CaptureOptions o;
  o.reassembly_window_bytes = 8;
  o.max_out_of_order_segments = 1;
  auto ob = observe("limits", plus(open3(), {c2s(4, 1004, 5000, ACK, text("EF")), c2s(5, 1007, 5000, ACK, text("H")),
                                             c2s(6, 1000, 5000, ACK, text("ABCD")),
                                             c2s(7, 1006, 5000, ACK, text("GHIJKLMN"))}),
                    o);
  EXPECT_EQ(ob->recorder.stream(1, true), "ABCDEFGH");  // "H" was dropped, the window stops at 8 bytes
  EXPECT_EQ(ob->run->counter("reassembly_segments_dropped"), 1u);
  ASSERT_EQ(ob->conns.size(), 1u);
  EXPECT_EQ(ob->conns[0].orig_stats.payload_bytes, 14u);
}

TEST(PcapReassembly, PayloadSampleHoldsTheFirstBytesOfEachDirection) {
  Bytes big(300, 'q');
  PcapRun run;
  ASSERT_TRUE(run.read(write_pcap("sample", DLT_RAW, plus(open3(), {c2s(4, 1000, 5000, ACK, big)}))));
  run.finish();
  ASSERT_EQ(run.collector.connections.size(), 1u);
  EXPECT_EQ(run.collector.connections[0].orig_payload_sample.size(), records::kPayloadSampleBytes);
  EXPECT_TRUE(run.collector.connections[0].resp_payload_sample.empty());
}

records::AppProtocol app_of(const std::string& name, const Bytes& client, const Bytes& server = {}) {
  std::vector<Frame> frames = open3();
  if (!server.empty()) frames.push_back(s2c(4, 5000, 1000, ACK | PSH, server));
  if (!client.empty()) frames.push_back(c2s(5, 1000, 5000 + static_cast<uint32_t>(server.size()), ACK | PSH, client));
  PcapRun run;
  EXPECT_TRUE(run.read(write_pcap(name, DLT_RAW, frames)));
  run.finish();
  EXPECT_EQ(run.collector.connections.size(), 1u);
  return run.collector.connections.empty() ? records::AppProtocol::unknown : run.collector.connections[0].app_protocol;
}

TEST(PcapDispatch, ApplicationProtocolFromContentNotPort) {
  using records::AppProtocol;
  EXPECT_EQ(app_of("http", text("GET / HTTP/1.1\r\nHost: a\r\n\r\n")), AppProtocol::http);
  EXPECT_EQ(app_of("ssh_client", text("SSH-2.0-OpenSSH_9.2\r\n")), AppProtocol::ssh);
  EXPECT_EQ(app_of("ssh_server", {}, text("SSH-2.0-OpenSSH_9.2\r\n")), AppProtocol::ssh);
  EXPECT_EQ(app_of("smb2", cat({{0, 0, 0, 0x44}, text("\xfeSMB"), Bytes(60, 0)})), AppProtocol::smb);
  EXPECT_EQ(app_of("rdp", {3, 0, 0, 19, 14, 0xe0, 0, 0, 0, 0, 0, 1, 0, 8, 0, 3, 0, 0, 0}), AppProtocol::rdp);
  EXPECT_EQ(app_of("noise", text("\x01\x02random bytes")), AppProtocol::unknown);
}

TEST(PcapDispatch, HttpConnectRecordsTheTarget) {
  Bytes request = text("CONNECT c2.example.net:8443 HTTP/1.1\r\nHost: c2.example.net:8443\r\n\r\n");
  Bytes response = text("HTTP/1.1 200 Connection established\r\n\r\n");
  auto seq_c = static_cast<uint32_t>(request.size());
  PcapRun run;
  ASSERT_TRUE(run.read(write_pcap("connect", DLT_RAW,
                                  plus(open3(), {c2s(4, 1000, 5000, ACK | PSH, request),
                                                 s2c(5, 5000, 1000 + seq_c, ACK | PSH, response)}))));
  run.finish();
  ASSERT_EQ(run.collector.connections.size(), 1u);
  const records::Connection& c = run.collector.connections[0];
  EXPECT_EQ(c.app_protocol, records::AppProtocol::http);
  ASSERT_TRUE(c.connect_host.has_value());
  EXPECT_EQ(*c.connect_host, "c2.example.net");
  EXPECT_EQ(c.connect_port, 8443);
}

TEST(PcapDispatch, ConnectLineParsing) {
  auto v6 = parse_connect_request_line("CONNECT [2001:db8::1]:443 HTTP/1.0\r");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "2001:db8::1");
  EXPECT_EQ(v6->port, 443);
  EXPECT_FALSE(parse_connect_request_line("CONNECT host HTTP/1.1"));
  EXPECT_FALSE(parse_connect_request_line("CONNECT host:99999 HTTP/1.1"));
  EXPECT_FALSE(parse_connect_request_line("GET host:1 HTTP/1.1"));
  EXPECT_TRUE(is_success_status_line("HTTP/1.1 200 OK"));
  EXPECT_FALSE(is_success_status_line("HTTP/1.1 407 Proxy Authentication Required"));
}

// Real capture: the server flight arrives out of order (segments 1, 3, 2); reassembly must still
// hand the whole flight over in order and without a gap.
TEST(PcapReassemblyGolden, ChromeOutOfOrderServerFlight) {
  C2HUNT_REQUIRE_SHARED_DATA();
  StreamRecorder recorder;
  CaptureOptions o;
  o.stream_observer = &recorder;
  PcapRun run(o);
  ASSERT_TRUE(run.read(c2hunt::testing::shared_data_path("pcap/ja3__ssl-chrome.pcap")));
  run.finish();
  ASSERT_EQ(run.collector.connections.size(), 1u);
  EXPECT_GE(run.counter("tcp_out_of_order_segments"), 1u);
  EXPECT_EQ(run.counter("reassembly_gaps"), 0u);
  std::string server = recorder.stream(1, false);
  ASSERT_GE(server.size(), 5u);
  EXPECT_EQ(static_cast<uint8_t>(server[0]), 0x16);  // a TLS handshake record starts the stream
  // Walk the TLS records: every record header must line up, which fails if segments were misordered.
  size_t pos = 0, records_seen = 0;
  while (pos + 5 <= server.size()) {
    uint8_t type = static_cast<uint8_t>(server[pos]);
    EXPECT_TRUE(type >= 0x14 && type <= 0x17) << "record at " << pos;
    EXPECT_EQ(static_cast<uint8_t>(server[pos + 1]), 3) << "record at " << pos;
    pos += 5 + (static_cast<uint8_t>(server[pos + 3]) << 8 | static_cast<uint8_t>(server[pos + 4]));
    ++records_seen;
  }
  EXPECT_EQ(pos, server.size());
  EXPECT_GE(records_seen, 3u);
}

}  // namespace
}  // namespace c2hunt::pcap::testing

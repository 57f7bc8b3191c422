// Small versions of the resource-bound benchmark captures (bench/gen_hostile_pcap.py): a SYN flood,
// out-of-order overlapping segments with holes over many connections, tiny UDP flows. Checks that the
// caps hold while reading (never more connections open than --max-connections, never more
// reassembly buffers than the memory budget allows) and that the counters add up: every connection
// created is emitted, every eviction and dropped segment counted.
#include <gtest/gtest.h>

#include <random>

#include "../sources/pcap/pcap_test_support.h"

namespace c2hunt::hardening {
namespace {

using namespace pcap::testing;

// Checks at each emitted record that connections created minus emitted never exceed the cap.
class CapWatcher : public records::RecordConsumer {
 public:
  CapWatcher(const Counters& counters, size_t cap) : counters_(counters), cap_(cap) {}
  void on_connection(records::Connection&& c) override {
    ++emitted;
    if (c.end_reason == records::EndReason::evicted) ++evicted_records;
    // Emission happens just before the new connection is inserted: created - emitted is what is open.
    uint64_t open = counters_.get("pcap.connections") - (emitted - 1);
    max_open = std::max(max_open, open);
    EXPECT_LE(open, cap_);
  }
  uint64_t emitted = 0, evicted_records = 0, max_open = 0;

 private:
  const Counters& counters_;
  size_t cap_;
};

struct CapRun {
  Counters counters;
  uint64_t emitted = 0, evicted_records = 0, max_open = 0;
  uint64_t errors = 0;
};

CapRun run_with_caps(const std::string& path, pcap::CaptureOptions options) {
  CapRun r;
  CapWatcher watcher(r.counters, options.max_connections);
  Diagnostics diagnostics(stderr);
  {
    pcap::CaptureSource source(options, watcher, r.counters, diagnostics);
    EXPECT_TRUE(source.read_file(path));
    source.finish();
  }
  r.emitted = watcher.emitted;
  r.evicted_records = watcher.evicted_records;
  r.max_open = watcher.max_open;
  r.errors = diagnostics.errors();
  return r;
}

V4 random_v4(std::mt19937& rng) {
  uint32_t v = rng() | 0x01000000u;
  return V4{{static_cast<uint8_t>(v >> 24), static_cast<uint8_t>(v >> 16), static_cast<uint8_t>(v >> 8),
             static_cast<uint8_t>(v)}};
}

constexpr int64_t kStart = 1'700'000'000'000'000;

TEST(ResourceCaps, SynFloodIsBoundedByMaxConnectionsAndEveryConnectionIsEmitted) {
  std::mt19937 rng(1);
  std::vector<Frame> frames;
  const int kSyns = 20'000;
  for (int i = 0; i < kSyns; ++i) {
    uint16_t sport = static_cast<uint16_t>(1024 + rng() % 64000);
    frames.push_back({kStart + i * 10, ethernet(0x0800, ipv4(random_v4(rng), {{192, 0, 2, 1}}, 6,
                                                            tcp(sport, 443, rng(), 0, SYN)))});
  }
  std::string path = write_pcap("synflood", 1, frames);
  pcap::CaptureOptions options;
  options.max_connections = 1000;
  CapRun r = run_with_caps(path, options);
  uint64_t created = r.counters.get("pcap.connections");
  EXPECT_EQ(r.counters.get("pcap.packets"), static_cast<uint64_t>(kSyns));
  EXPECT_GE(created, static_cast<uint64_t>(kSyns) - 10);  // random tuples may repeat, rarely
  EXPECT_EQ(r.emitted, created);                          // nothing silently dropped
  EXPECT_EQ(r.counters.get("pcap.connections_evicted"), created - options.max_connections);
  EXPECT_EQ(r.evicted_records, r.counters.get("pcap.connections_evicted"));
  EXPECT_EQ(r.max_open, options.max_connections);  // the cap was reached and held
}

TEST(ResourceCaps, OutOfOrderFloodIsBoundedByTheReassemblyBudget) {
  std::mt19937 rng(2);
  std::vector<Frame> frames;
  const int kConnections = 400;
  int64_t t = kStart;
  struct Segment {
    int conn;
    uint32_t offset;
    Bytes data;
  };
  std::vector<Segment> segments;
  for (int c = 0; c < kConnections; ++c) {
    V4 client{{10, 2, static_cast<uint8_t>(c >> 8), static_cast<uint8_t>(c)}};
    frames.push_back({t += 10, ethernet(0x0800, ipv4(client, {{192, 0, 2, 80}}, 6,
                                                     tcp(static_cast<uint16_t>(20000 + c), 443, 0, 0, SYN)))});
    // Segments 2..8 of 500-800 bytes overlapping their predecessor; segment 1 never comes (a hole).
    for (uint32_t k = 1; k < 9; ++k)
      segments.push_back({c, static_cast<uint32_t>(k * 500 - rng() % 200), Bytes(500 + rng() % 300, static_cast<uint8_t>(k))});
  }
  std::shuffle(segments.begin(), segments.end(), rng);
  for (const Segment& s : segments) {
    V4 client{{10, 2, static_cast<uint8_t>(s.conn >> 8), static_cast<uint8_t>(s.conn)}};
    frames.push_back({t += 10, ethernet(0x0800, ipv4(client, {{192, 0, 2, 80}}, 6,
                                                     tcp(static_cast<uint16_t>(20000 + s.conn), 443, 1 + s.offset, 1,
                                                         ACK | PSH, s.data)))});
  }
  std::string path = write_pcap("ooo_flood", 1, frames);
  pcap::CaptureOptions options;
  options.max_connections = 100'000;
  options.max_reassembly_memory = 64 * options.reassembly_window_bytes;  // room for 64 buffers only
  CapRun r = run_with_caps(path, options);
  EXPECT_EQ(r.emitted, r.counters.get("pcap.connections"));
  EXPECT_EQ(r.emitted, static_cast<uint64_t>(kConnections));
  // 64 connections get a buffer: all their segments are kept (out of order or overlapping);
  // every segment of the other 336 is refused and counted.
  uint64_t dropped = r.counters.get("pcap.reassembly_segments_dropped");
  uint64_t buffered = r.counters.get("pcap.tcp_out_of_order_segments");
  EXPECT_EQ(dropped, static_cast<uint64_t>(kConnections - 64) * 8);
  EXPECT_GT(buffered, 0u);
  EXPECT_LE(buffered, 64u * 8);
  EXPECT_EQ(r.counters.get("pcap.reassembly_gaps"), 64u);  // each buffered connection ends with its hole
}

TEST(ResourceCaps, TinyUdpFlowsExpireOrAreEvictedAndAllAreEmitted) {
  std::vector<Frame> frames;
  const int kFlows = 20'000;
  for (int i = 0; i < kFlows; ++i) {
    V4 src{{10, 1, static_cast<uint8_t>(i >> 8), static_cast<uint8_t>(i)}};
    frames.push_back({kStart + i * 10'000, ethernet(0x0800, ipv4(src, {{192, 0, 2, 53}}, 17,
                                                                udp(static_cast<uint16_t>(1024 + i % 60000), 9999,
                                                                    {static_cast<uint8_t>(i)})))});
  }
  std::string path = write_pcap("udp_flood", 1, frames);
  pcap::CaptureOptions options;
  options.max_connections = 2000;
  options.udp_idle_timeout = 5 * kMicrosPerSecond;  // 500 flows arrive per 5 s: expiry keeps the table below the cap
  CapRun r = run_with_caps(path, options);
  uint64_t created = r.counters.get("pcap.connections");
  EXPECT_EQ(created, static_cast<uint64_t>(kFlows));
  EXPECT_EQ(r.emitted, created);
  EXPECT_EQ(r.counters.get("pcap.connections_evicted"), 0u);
  EXPECT_GT(r.counters.get("pcap.connections_idle_timeout"), static_cast<uint64_t>(kFlows) - 1000);
  options.max_connections = 100;  // now the cap bites before the timeout
  CapRun capped = run_with_caps(path, options);
  EXPECT_EQ(capped.emitted, created);
  EXPECT_EQ(capped.counters.get("pcap.connections_evicted") + capped.counters.get("pcap.connections_idle_timeout") +
                options.max_connections,
            created);
}

}  // namespace
}  // namespace c2hunt::hardening

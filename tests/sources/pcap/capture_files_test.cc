// Reading files: gzip, pcapng, damaged and truncated captures, offsets in the error lines.
#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <random>

#include "sources/pcap/pcap_test_support.h"
#include "test_support.h"

namespace c2hunt::pcap::testing {
namespace {

const V4 kA{{10, 9, 9, 9}}, kB{{10, 8, 8, 8}};

std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}
std::string spit(const std::string& name, const std::string& bytes) {
  std::string path = ::testing::TempDir() + "c2hunt_" + name;
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}
std::string gzip_file(const std::string& name, const std::string& bytes) {
  std::string path = ::testing::TempDir() + "c2hunt_" + name;
  gzFile gz = gzopen(path.c_str(), "wb");
  gzwrite(gz, bytes.data(), static_cast<unsigned>(bytes.size()));
  gzclose(gz);
  return path;
}
// Three UDP flows, one packet each; pcap records are 16 + 28 + payload bytes.
std::string three_flows(const std::string& name) {
  return write_pcap(name, DLT_RAW,
                    {{1, ipv4(kA, kB, 17, udp(1, 9, text("one")))},
                     {2, ipv4(kA, kB, 17, udp(2, 9, text("two")))},
                     {3, ipv4(kA, kB, 17, udp(3, 9, text("three")))}});
}

TEST(PcapFiles, GzipCompressedCaptureIsReadDirectly) {
  std::string gz = gzip_file("three.pcap.gz", slurp(three_flows("three_plain")));
  PcapRun run;
  ASSERT_TRUE(run.read(gz)) << run.messages();
  run.finish();
  EXPECT_EQ(run.collector.connections.size(), 3u);
  EXPECT_FALSE(run.diagnostics->input_damaged());
  EXPECT_TRUE(CaptureSource::looks_like_capture(gz));
}

TEST(PcapFiles, NotACaptureIsOneErrorAtOffsetZero) {
  std::string path = spit("notes.txt", "this is not a capture file at all\n");
  PcapRun run;
  EXPECT_FALSE(run.read(path));
  EXPECT_EQ(run.diagnostics->errors(), 1u);
  std::string m = run.messages();
  EXPECT_NE(m.find(path), std::string::npos);
  EXPECT_NE(m.find("offset 0"), std::string::npos) << m;
  EXPECT_FALSE(CaptureSource::looks_like_capture(path));
}

TEST(PcapFiles, MissingFileIsAnError) {
  PcapRun run;
  EXPECT_FALSE(run.read(::testing::TempDir() + "c2hunt_does_not_exist.pcap"));
  EXPECT_EQ(run.diagnostics->errors(), 1u);
}

TEST(PcapFiles, TruncatedLastPacketIsOnlyAWarning) {
  std::string bytes = slurp(three_flows("trunc_src"));
  std::string path = spit("trunc.pcap", bytes.substr(0, bytes.size() - 4));
  PcapRun run;
  ASSERT_TRUE(run.read(path));
  run.finish();
  EXPECT_EQ(run.collector.connections.size(), 2u);
  EXPECT_EQ(run.diagnostics->errors(), 0u);
  EXPECT_EQ(run.diagnostics->warnings(), 1u);
  // The cut record starts after the file header and two records of 16 + 31 bytes.
  EXPECT_NE(run.messages().find("offset " + std::to_string(24 + 2 * (16 + 31))), std::string::npos) << run.messages();
  EXPECT_EQ(run.counter("truncated_last_packet"), 1u);
}

TEST(PcapFiles, TruncatedGzipCaptureKeepsWhatWasRead) {
  std::string gz = slurp(gzip_file("gz_src.pcap.gz", slurp(three_flows("gz_plain"))));
  std::string path = spit("cut.pcap.gz", gz.substr(0, gz.size() - 12));
  PcapRun run;
  ASSERT_TRUE(run.read(path));
  run.finish();
  EXPECT_GE(run.collector.connections.size(), 2u);
  EXPECT_EQ(run.diagnostics->errors(), 0u) << run.messages();
  EXPECT_EQ(run.diagnostics->warnings(), 1u) << run.messages();
  EXPECT_NE(run.messages().find("gzip"), std::string::npos) << run.messages();
}

TEST(PcapFiles, GzipCutAtARecordBoundaryIsStillReported) {
  std::string plain = slurp(three_flows("gzb_plain"));
  // Compress everything, then drop the 8-byte trailer (CRC32, length) plus the final deflate block end.
  std::string gz = slurp(gzip_file("gzb_src.pcap.gz", plain));
  std::string path = spit("gzb_cut.pcap.gz", gz.substr(0, gz.size() - 8));
  PcapRun run;
  ASSERT_TRUE(run.read(path));
  run.finish();
  EXPECT_EQ(run.collector.connections.size(), 3u);
  EXPECT_EQ(run.diagnostics->errors(), 0u) << run.messages();
  EXPECT_EQ(run.diagnostics->warnings(), 1u) << run.messages();
}

TEST(PcapFiles, CorruptRecordInTheMiddleIsAnErrorNamingItsOffset) {
  std::string bytes = slurp(three_flows("corrupt_src"));
  size_t second = 24 + 16 + 31;
  bytes[second + 8] = '\x7f';  // caplen of the second record becomes huge
  bytes[second + 11] = '\x7f';
  std::string path = spit("corrupt.pcap", bytes);
  PcapRun run;
  ASSERT_TRUE(run.read(path));
  run.finish();
  EXPECT_EQ(run.collector.connections.size(), 1u);  // the record before the damage is kept
  EXPECT_EQ(run.diagnostics->errors(), 1u);
  EXPECT_NE(run.messages().find("offset " + std::to_string(second)), std::string::npos) << run.messages();
}

TEST(PcapFiles, PcapngAndGzippedPcapngFromSharedData) {
  C2HUNT_REQUIRE_SHARED_DATA();
  std::string src = c2hunt::testing::shared_data_path("pcap/ja4__latest.pcapng");
  PcapRun plain, zipped;
  ASSERT_TRUE(plain.read(src));
  plain.finish();
  ASSERT_TRUE(zipped.read(gzip_file("latest.pcapng.gz", slurp(src))));
  zipped.finish();
  EXPECT_GT(plain.collector.connections.size(), 0u);
  EXPECT_EQ(plain.collector.connections.size(), zipped.collector.connections.size());
  EXPECT_EQ(plain.counter("packets"), 209u);  // SOURCES.md: 209 packets
  EXPECT_EQ(zipped.counter("packets"), 209u);
  EXPECT_FALSE(zipped.diagnostics->input_damaged());
}

TEST(PcapFiles, CorruptPcapngBlockKeepsEarlierPackets) {
  C2HUNT_REQUIRE_SHARED_DATA();
  std::string bytes = slurp(c2hunt::testing::shared_data_path("pcap/ja4__latest.pcapng"));
  size_t middle = bytes.size() / 2;
  std::string damaged = bytes.substr(0, middle) + std::string(64, '\xee') + bytes.substr(middle + 64);
  PcapRun run;
  ASSERT_TRUE(run.read(spit("damaged.pcapng", damaged)));
  run.finish();
  EXPECT_GT(run.counter("packets"), 0u);
  EXPECT_LT(run.counter("packets"), 209u);
  EXPECT_EQ(run.diagnostics->errors(), 1u) << run.messages();
  EXPECT_NE(run.messages().find("offset "), std::string::npos);
}

// A capture on interfaces of different kinds (Wireshark on a raw-IP tunnel and an Ethernet card) is
// valid pcapng that libpcap stops reading at the second kind (and at a second raw-IP interface).
// c2hunt reads it once per interface: every packet of every interface is tracked, none twice, and a
// note says what the file holds.
Bytes mixed_link_type_capture() {
  auto flow = [](uint16_t port, const char* word) { return ipv4(kA, kB, 17, udp(port, 9, text(word))); };
  return cat({pcapng_section(), pcapng_interface(101 /* raw IP */),
              pcapng_packet(0, 1, flow(1, "one")), pcapng_interface(1 /* Ethernet */),
              pcapng_packet(1, 2, ethernet(0x0800, flow(2, "two"))), pcapng_interface(101),
              pcapng_packet(2, 3, flow(3, "three")), pcapng_block(4 /* name resolution */, Bytes(4, 0)),
              pcapng_packet(0, 4, flow(4, "four")), pcapng_packet(1, 5, ethernet(0x0800, flow(5, "five")))});
}

std::vector<uint16_t> source_ports(const PcapRun& run) {
  std::vector<uint16_t> ports;
  for (const auto& c : run.collector.connections) ports.push_back(c.orig.port);
  std::sort(ports.begin(), ports.end());
  return ports;
}

TEST(PcapFiles, PcapngMixingLinkTypesIsReadOncePerInterface) {
  Bytes file = mixed_link_type_capture();
  PcapRun run;
  EXPECT_TRUE(run.read(spit("mixed.pcapng", std::string(file.begin(), file.end()))));
  run.finish();
  EXPECT_EQ(source_ports(run), (std::vector<uint16_t>{1, 2, 3, 4, 5})) << run.messages();
  EXPECT_EQ(run.diagnostics->errors(), 0u) << run.messages();
  EXPECT_FALSE(run.diagnostics->input_damaged());
  EXPECT_EQ(run.counter("pcapng_interface_passes"), 3u);
  EXPECT_EQ(run.counter("packets"), 1u + 4u) << "the first packet, read before libpcap stopped, is not read twice";
  EXPECT_NE(run.messages().find("3 interfaces (link types 101, 1, 101)"), std::string::npos) << run.messages();
}

TEST(PcapFiles, PcapngMixingLinkTypesCutShortIsAWarningInItsPass) {
  Bytes file = mixed_link_type_capture();
  file.resize(file.size() - 20);  // inside the last (Ethernet) packet
  PcapRun run;
  EXPECT_TRUE(run.read(spit("mixed-cut.pcapng", std::string(file.begin(), file.end()))));
  run.finish();
  EXPECT_EQ(source_ports(run), (std::vector<uint16_t>{1, 2, 3, 4})) << run.messages();
  EXPECT_EQ(run.diagnostics->errors(), 0u) << run.messages();
  EXPECT_NE(run.messages().find("in the pass for interface 1"), std::string::npos) << run.messages();
}

// Cut at every byte and with random bit flips, the file still reads without a crash: at most the
// complete packets' connections (each partial one at most once more), every line naming the file.
TEST(PcapFiles, PcapngMixingLinkTypesDamagedAnywhere) {
  Bytes file = mixed_link_type_capture();
  std::string path = ::testing::TempDir() + "c2hunt_mixed-damaged.pcapng";
  auto check = [&](const Bytes& damaged, const std::string& what) {
    PcapRun run;
    run.read(spit("mixed-damaged.pcapng", std::string(damaged.begin(), damaged.end())));
    run.finish();
    EXPECT_LE(run.collector.connections.size(), 5u) << what;
    EXPECT_LE(run.counter("pcapng_interface_passes"), 64u) << what;
    std::string messages = run.messages();
    for (size_t at = 0, end; at < messages.size(); at = end + 1) {
      end = messages.find('\n', at);
      if (end == std::string::npos) end = messages.size();
      if (end > at) {
        EXPECT_NE(messages.substr(at, end - at).find(path), std::string::npos) << what << ": " << messages;
      }
    }
  };
  for (size_t cut = 0; cut < file.size(); ++cut) check(Bytes(file.begin(), file.begin() + cut), "cut at " + std::to_string(cut));
  std::mt19937 rng(5);
  for (int trial = 0; trial < 300; ++trial) {
    Bytes damaged = file;
    for (int flips = 1 + trial % 4; flips > 0; --flips) damaged[rng() % damaged.size()] ^= static_cast<uint8_t>(1u << (rng() % 8));
    check(damaged, "flip trial " + std::to_string(trial));
  }
}

TEST(PcapFiles, PcapngMixingLinkTypesGzippedToo) {
  Bytes file = mixed_link_type_capture();
  PcapRun run;
  EXPECT_TRUE(run.read(gzip_file("mixed.pcapng.gz", std::string(file.begin(), file.end()))));
  run.finish();
  EXPECT_EQ(source_ports(run), (std::vector<uint16_t>{1, 2, 3, 4, 5})) << run.messages();
}

// Zeek's ssl.log names each TLS connection by its 4-tuple with Zeek's orientation: the pcap source
// must find the same connections, oriented the same way.
TEST(PcapGolden, ConnectionsMatchZeekSslLogTuples) {
  C2HUNT_REQUIRE_SHARED_DATA();
  const std::pair<const char*, const char*> pairs[] = {
      {"pcap/ja3__ssl-chrome.pcap", "expected/ja3__ssl-chrome.zeek-ssl.log"},
      {"pcap/ja3__ssl-curl.pcap", "expected/ja3__ssl-curl.zeek-ssl.log"},
      {"pcap/zeek__tls1.2.pcap", "expected/zeek__tls1.2.zeek-ssl.log"},
      {"pcap/zeek__curl-8.1.2-dev-http3-www-google-de.pcap", "expected/zeek__curl-8.1.2-dev-http3-www-google-de.zeek-ssl.log"},
  };
  for (auto [pcap_file, log_file] : pairs) {
    PcapRun run;
    ASSERT_TRUE(run.read(c2hunt::testing::shared_data_path(pcap_file)));
    run.finish();
    std::set<std::string> ours;
    for (const auto& c : run.collector.connections)
      ours.insert(c.orig.ip.to_string() + " " + std::to_string(c.orig.port) + " " + c.resp.ip.to_string() + " " +
                  std::to_string(c.resp.port));
    std::ifstream log(c2hunt::testing::shared_data_path(log_file));
    std::string line;
    size_t checked = 0;
    while (std::getline(log, line)) {
      if (line.empty() || line[0] == '#') continue;
      std::vector<std::string> f;
      for (size_t start = 0, tab;; start = tab + 1) {
        tab = line.find('\t', start);
        f.push_back(line.substr(start, tab - start));
        if (tab == std::string::npos) break;
      }
      ASSERT_GE(f.size(), 6u);
      EXPECT_TRUE(ours.count(f[2] + " " + f[3] + " " + f[4] + " " + f[5])) << pcap_file << ": " << line;
      ++checked;
    }
    EXPECT_GT(checked, 0u) << log_file;
  }
}

}  // namespace
}  // namespace c2hunt::pcap::testing

// Real captures cut at every record boundary, cut inside records, and bit-flipped, through the whole
// packet pipeline: no crash, one diagnostic line naming the file and the offset, and every
// connection that lies wholly before the damage reported exactly as from the undamaged prefix.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <random>
#include <set>

#include "../sources/pcap/pcap_test_support.h"
#include "../test_support.h"
#include "c2hunt/util/byte_cursor.h"
#include "damage_support.h"

namespace c2hunt::hardening {
namespace {

using pcap::testing::PcapRun;

// Offsets and timestamps of the records of a classic little-endian pcap.
struct ClassicLayout {
  std::vector<size_t> record_offsets;  // where each record header starts; back() + 1 = file size
  std::vector<TimeMicros> record_times;
  bool ok = false;
};

ClassicLayout classic_layout(const std::string& bytes) {
  ClassicLayout layout;
  ByteCursor c(ByteView(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
  auto le32 = [&c]() { return c.read_u32_le(); };
  uint32_t magic = le32();
  if (magic != 0xa1b2c3d4 && magic != 0xa1b23c4d) return layout;
  bool nano = magic == 0xa1b23c4d;
  c.take(20);
  while (c.ok() && !c.done()) {
    size_t at = bytes.size() - c.remaining();
    uint32_t sec = le32(), frac = le32(), caplen = le32();
    le32();
    c.take(caplen);
    if (!c.ok()) return layout;
    layout.record_offsets.push_back(at);
    layout.record_times.push_back(static_cast<TimeMicros>(sec) * kMicrosPerSecond + (nano ? frac / 1000 : frac));
  }
  layout.record_offsets.push_back(bytes.size());
  layout.ok = c.ok();
  return layout;
}

struct RunOutput {
  std::vector<records::Connection> connections;
  std::vector<std::string> diagnostics;
  bool opened = false;
};

RunOutput run_bytes(const std::string& path, std::string_view bytes) {
  write_bytes(path, bytes);
  PcapRun run;
  RunOutput out;
  out.opened = run.read(path);
  run.finish();
  out.connections = std::move(run.collector.connections);
  out.diagnostics = lines_of(run.messages());
  return out;
}

std::multiset<std::string> as_json_set(const std::vector<records::Connection>& connections) {
  std::multiset<std::string> out;
  for (const auto& c : connections) out.insert(connection_json(c));
  return out;
}

std::string endpoints_of(const records::Connection& c) {
  return c.orig.ip.to_string() + ":" + std::to_string(c.orig.port) + ">" + c.resp.ip.to_string() + ":" +
         std::to_string(c.resp.port) + "@" + std::to_string(c.first_seen);
}

std::vector<std::string> client_ja3s(const records::Connection& c) {
  std::vector<std::string> out;
  if (c.tls)
    for (const auto& h : c.tls->client_hellos) out.push_back(h.ja3);
  return out;
}

// Every connection of `full` whose last packet is before `damage_time` is in `damaged` with the
// same endpoints, start and handshakes, and at least its packets (later damaged packets may add some).
void expect_complete_before(const std::vector<records::Connection>& full, const RunOutput& damaged,
                            TimeMicros damage_time, const std::string& what) {
  std::map<std::string, const records::Connection*> by_endpoints;
  for (const auto& c : damaged.connections) by_endpoints.emplace(endpoints_of(c), &c);
  for (const auto& c : full) {
    if (c.last_seen >= damage_time) continue;
    auto it = by_endpoints.find(endpoints_of(c));
    ASSERT_NE(it, by_endpoints.end()) << what << ": lost connection " << endpoints_of(c);
    EXPECT_GE(it->second->orig_stats.packets, c.orig_stats.packets) << what << " " << endpoints_of(c);
    EXPECT_GE(it->second->resp_stats.packets, c.resp_stats.packets) << what << " " << endpoints_of(c);
    std::vector<std::string> got = client_ja3s(*it->second), want = client_ja3s(c);
    got.resize(std::min(got.size(), want.size()));
    EXPECT_EQ(got, want) << what << " " << endpoints_of(c);
  }
}

// A diagnostic about this file: "c2hunt: <severity>: <file>: offset <n>: <problem>".
void expect_one_line_at(const RunOutput& r, const std::string& path, size_t offset, const std::string& what) {
  ASSERT_EQ(r.diagnostics.size(), 1u) << what;
  EXPECT_NE(r.diagnostics[0].find(path + ": offset " + std::to_string(offset) + ": "), std::string::npos)
      << what << ": " << r.diagnostics[0];
}

std::vector<std::string> test_captures() {
  std::vector<std::string> out = {::c2hunt::testing::source_dir() + "/samples/loopback-tls.pcap"};
  std::string shared = ::c2hunt::testing::shared_data_dir();
  if (!shared.empty())
    for (const auto& e : std::filesystem::directory_iterator(shared + "/pcap"))
      if (e.file_size() < 300'000) out.push_back(e.path().string());
  std::sort(out.begin() + 1, out.end());
  return out;
}

// Boundaries examined per capture: all of them for small captures, an even spread for larger ones.
constexpr size_t kMaxBoundariesPerCapture = 150;

TEST(PcapDamage, CutAtEveryRecordBoundaryAndInsideRecords) {
  std::mt19937_64 rng(20261204);
  size_t captures = 0;
  for (const std::string& input : test_captures()) {
    std::string bytes = read_bytes(input);
    ClassicLayout layout = classic_layout(bytes);
    if (!layout.ok) continue;  // pcapng: covered by the random cuts below
    ++captures;
    std::string path = ::testing::TempDir() + "c2hunt_cut.pcap";
    RunOutput full = run_bytes(path, bytes);
    ASSERT_TRUE(full.diagnostics.empty()) << input << ": " << full.diagnostics[0];
    size_t records = layout.record_offsets.size() - 1;
    std::vector<TimeMicros> later_min(records + 1, INT64_MAX);  // earliest time at or after record k
    for (size_t k = records; k-- > 0;) later_min[k] = std::min(later_min[k + 1], layout.record_times[k]);
    size_t stride = std::max<size_t>(1, records / kMaxBoundariesPerCapture);
    for (size_t k = 0; k < records; k += stride) {
      std::string what = input + " cut at record " + std::to_string(k);
      size_t boundary = layout.record_offsets[k];
      RunOutput prefix = run_bytes(path, std::string_view(bytes).substr(0, boundary));
      EXPECT_TRUE(prefix.opened) << what;
      EXPECT_TRUE(prefix.diagnostics.empty()) << what;
      expect_complete_before(full.connections, prefix, later_min[k], what);
      // The same prefix with part of record k after it: the same records, plus one line naming the offset.
      size_t record_size = layout.record_offsets[k + 1] - boundary;
      size_t partial = std::uniform_int_distribution<size_t>(1, record_size - 1)(rng);
      RunOutput cut = run_bytes(path, std::string_view(bytes).substr(0, boundary + partial));
      expect_one_line_at(cut, path, boundary, what + "+" + std::to_string(partial));
      EXPECT_EQ(as_json_set(cut.connections), as_json_set(prefix.connections)) << what << "+" << partial;
    }
  }
  EXPECT_GE(captures, 1u);
}

TEST(PcapDamage, RandomCutsOfEveryCaptureFormat) {
  std::mt19937_64 rng(7);
  for (const std::string& input : test_captures()) {
    std::string bytes = read_bytes(input);
    std::string path = ::testing::TempDir() + "c2hunt_randcut" + std::filesystem::path(input).extension().string();
    RunOutput full = run_bytes(path, bytes);
    std::uniform_int_distribution<size_t> where(0, bytes.size() - 1);
    for (int i = 0; i < 25; ++i) {
      size_t at = where(rng);
      RunOutput cut = run_bytes(path, std::string_view(bytes).substr(0, at));
      std::string what = input + " cut at byte " + std::to_string(at);
      EXPECT_LE(cut.diagnostics.size(), 1u) << what;
      for (const std::string& line : cut.diagnostics) {
        EXPECT_NE(line.find(path + ": offset "), std::string::npos) << what << ": " << line;
      }
      EXPECT_LE(cut.connections.size(), full.connections.size() + 1) << what;
    }
  }
}

TEST(PcapDamage, BitFlipsKeepEverythingBeforeTheFirstDamagedRecord) {
  std::mt19937_64 rng(99);
  for (const std::string& input : test_captures()) {
    std::string bytes = read_bytes(input);
    ClassicLayout layout = classic_layout(bytes);
    std::string path = ::testing::TempDir() + "c2hunt_flip" + std::filesystem::path(input).extension().string();
    RunOutput full = run_bytes(path, bytes);
    for (int trial = 0; trial < 20; ++trial) {
      int flips = 1 << (trial % 5);
      std::string damaged = flip_bits(bytes, 24, flips, rng);
      RunOutput r = run_bytes(path, damaged);
      std::string what = input + " trial " + std::to_string(trial);
      for (const std::string& line : r.diagnostics) EXPECT_NE(line.find(path + ": "), std::string::npos) << line;
      if (!layout.ok) continue;
      size_t first_diff = 0;
      while (first_diff < bytes.size() && bytes[first_diff] == damaged[first_diff]) ++first_diff;
      auto rec = std::upper_bound(layout.record_offsets.begin(), layout.record_offsets.end(), first_diff);
      size_t k = static_cast<size_t>(rec - layout.record_offsets.begin()) - 1;  // record holding the first flip
      TimeMicros damage_time = INT64_MAX;
      for (size_t j = k; j < layout.record_times.size(); ++j) damage_time = std::min(damage_time, layout.record_times[j]);
      expect_complete_before(full.connections, r, damage_time, what);
    }
  }
}

TEST(PcapDamage, CorruptRecordHeaderIsAnErrorNamingItsOffset) {
  std::string input = ::c2hunt::testing::source_dir() + "/samples/loopback-tls.pcap";
  std::string bytes = read_bytes(input);
  ClassicLayout layout = classic_layout(bytes);
  ASSERT_TRUE(layout.ok);
  size_t k = layout.record_offsets.size() / 2, at = layout.record_offsets[k];
  std::string damaged = bytes;
  damaged[at + 11] = '\x7f';  // caplen's top byte: far beyond the snapshot length
  std::string path = ::testing::TempDir() + "c2hunt_badcaplen.pcap";
  RunOutput prefix = run_bytes(path, std::string_view(bytes).substr(0, at));
  RunOutput r = run_bytes(path, damaged);
  expect_one_line_at(r, path, at, "bad caplen");
  EXPECT_NE(r.diagnostics[0].find("error"), std::string::npos) << r.diagnostics[0];
  EXPECT_EQ(as_json_set(r.connections), as_json_set(prefix.connections));
}

}  // namespace
}  // namespace c2hunt::hardening

// JA3 and JA3S from every shared capture, compared with tshark 4.0.17's values
// (../shared/data/expected/<pcap>.tshark-ja3.tsv), handshake by handshake, keyed by 5-tuple.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "capture_runner.h"
#include "test_support.h"

namespace c2hunt::testing {
namespace {

using Key = std::string;  // "client ip|client port|server ip|server port"

std::string key_of(const std::string& cip, const std::string& cport, const std::string& sip, const std::string& sport) {
  return cip + "|" + cport + "|" + sip + "|" + sport;
}

std::set<std::string> split_values(const std::string& field) {
  std::set<std::string> out;
  std::stringstream ss(field);
  std::string v;
  while (std::getline(ss, v, '|'))
    if (!v.empty()) out.insert(v);
  return out;
}

struct Expected {
  std::map<Key, std::set<std::string>> ja3, ja3s;
  std::set<Key> client_hello_without_ja3;  // tshark saw a ClientHello but computed no JA3 (SSLv2 format)
};

Expected read_tshark_tsv(const std::string& path) {
  Expected e;
  std::ifstream in(path);
  std::string line;
  std::vector<std::string> header;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    auto cols = split_tabs(line);
    if (header.empty()) {
      header = cols;
      continue;
    }
    std::map<std::string, std::string> row;
    for (size_t i = 0; i < header.size() && i < cols.size(); ++i) row[header[i]] = cols[i];
    auto hs = split_values(row["hs_type"]);
    if (hs.count("1")) {
      Key k = key_of(row["src"], row["sport"], row["dst"], row["dport"]);
      auto v = split_values(row["ja3"]);
      if (v.empty())
        e.client_hello_without_ja3.insert(k);
      else
        e.ja3[k].insert(v.begin(), v.end());
    }
    if (hs.count("2")) {
      Key k = key_of(row["dst"], row["dport"], row["src"], row["sport"]);
      auto v = split_values(row["ja3s"]);
      e.ja3s[k].insert(v.begin(), v.end());
    }
  }
  return e;
}

TEST(ConformanceJa3, EverySharedCaptureMatchesTshark) {
  C2HUNT_REQUIRE_SHARED_DATA();
  namespace fs = std::filesystem;
  size_t compared_ja3 = 0, compared_ja3s = 0, mismatches = 0, extra = 0, sslv2_seen = 0, files = 0;
  for (const auto& entry : fs::directory_iterator(shared_data_path("pcap"))) {
    std::string name = entry.path().filename().string();
    std::string tsv = shared_data_path("expected/" + name + ".tshark-ja3.tsv");
    if (!fs::exists(tsv)) continue;
    ++files;
    Expected expected = read_tshark_tsv(tsv);
    CaptureResult got = run_capture(entry.path().string());
    std::map<Key, std::set<std::string>> ja3, ja3s;
    std::set<Key> sslv2;
    for (const auto& c : got.connections) {
      if (!c.tls) continue;
      Key k = key_of(c.orig.ip.to_string(), std::to_string(c.orig.port), c.resp.ip.to_string(),
                     std::to_string(c.resp.port));
      for (const auto& h : c.tls->client_hellos) {
        if (h.sslv2_record) sslv2.insert(k);
        else ja3[k].insert(h.ja3);
      }
      for (const auto& h : c.tls->server_hellos) ja3s[k].insert(h.ja3s);
    }
    for (const auto& [k, want] : expected.ja3) {
      ++compared_ja3;
      if (ja3[k] != want) {
        ++mismatches;
        ADD_FAILURE() << name << " " << k << ": JA3 tshark=" << *want.begin()
                      << " c2hunt=" << (ja3[k].empty() ? "(none)" : *ja3[k].begin());
      }
    }
    for (const auto& [k, want] : expected.ja3s) {
      ++compared_ja3s;
      if (ja3s[k] != want) {
        ++mismatches;
        ADD_FAILURE() << name << " " << k << ": JA3S tshark=" << *want.begin()
                      << " c2hunt=" << (ja3s[k].empty() ? "(none)" : *ja3s[k].begin());
      }
    }
    // Where c2hunt sees more than tshark: SSLv2-format ClientHellos, for which tshark computes no JA3.
    for (const auto& k : expected.client_hello_without_ja3) {
      EXPECT_TRUE(sslv2.count(k)) << name << " " << k << ": tshark saw a ClientHello without JA3; c2hunt saw no SSLv2 hello";
      sslv2_seen += sslv2.count(k);
    }
    for (const auto& [k, v] : ja3)
      if (!expected.ja3.count(k)) {
        ++extra;
        std::printf("  note: %s %s: c2hunt has a ClientHello tshark did not decode\n", name.c_str(), k.c_str());
      }
  }
  std::printf("JA3 conformance: %zu files, %zu JA3 and %zu JA3S handshakes compared, %zu mismatches; "
              "%zu SSLv2-format hellos c2hunt parses (tshark: no JA3); %zu extra hellos\n",
              files, compared_ja3, compared_ja3s, mismatches, sslv2_seen, extra);
  EXPECT_GT(compared_ja3, 400u);
  EXPECT_EQ(mismatches, 0u);
  EXPECT_EQ(extra, 0u);
}

}  // namespace
}  // namespace c2hunt::testing

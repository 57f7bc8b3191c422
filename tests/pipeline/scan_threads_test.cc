// `c2hunt scan --threads 2` (reading beside aggregation, channels scored on both threads) writes
// exactly what `--threads 1` writes, alerts and counters alike, on every kind of shared input; so
// does `c2hunt connections --threads 2` (JSON written on a second thread) on every capture.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <unistd.h>

#include "test_support.h"

namespace c2hunt::testing {
namespace {

struct Output {
  std::string lines, stats;  // the JSON written, and --stats
};

Output run(const std::string& command, const std::string& inputs, unsigned threads) {
  std::string stem = ::testing::TempDir() + "c2hunt_threads." + std::to_string(::getpid()) + "." + std::to_string(threads);
  std::string cmd = std::string(C2HUNT_BINARY) + " " + command + " --stats --threads " + std::to_string(threads) +
                    " -o '" + stem + ".jsonl' " + inputs + " 2>'" + stem + ".err'";
  int rc = std::system(cmd.c_str());
  EXPECT_TRUE(WIFEXITED(rc)) << cmd;
  auto slurp = [](const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    std::filesystem::remove(path);
    return s.str();
  };
  return {slurp(stem + ".jsonl"), slurp(stem + ".err")};
}

Output scan(const std::string& inputs, unsigned threads) { return run("scan --min-level informational", inputs, threads); }

void expect_same_for_any_thread_count(const std::string& inputs) {
  Output one = scan(inputs, 1), two = scan(inputs, 2), three = scan(inputs, 3);
  EXPECT_FALSE(one.lines.empty()) << inputs;
  EXPECT_NE(one.stats.find("scan.connections"), std::string::npos) << one.stats;
  EXPECT_EQ(one.lines, two.lines) << inputs;
  EXPECT_EQ(one.stats, two.stats) << inputs;
  EXPECT_EQ(one.lines, three.lines) << inputs;
  EXPECT_EQ(one.stats, three.stats) << inputs;
}

std::string quoted(const std::string& relative) { return "'" + shared_data_path(relative) + "'"; }

TEST(ScanThreads, ZeekLogsGiveTheSameAlertsAndCounters) {
  C2HUNT_REQUIRE_SHARED_DATA();
  expect_same_for_any_thread_count(quoted("zeek/otrf-apt29-day1-nashua") + " " + quoted("zeek/otrf-msf-lsass01"));
}

TEST(ScanThreads, CapturesSuricataAndSysmonGiveTheSameAlertsAndCounters) {
  C2HUNT_REQUIRE_SHARED_DATA();
  std::string inputs;
  for (const char* p : {"pcap/otrf__msf-lsass01-metasploit_logonpasswords.pcapng", "pcap/async__dcrat_30a385ed-171e-4f15-ac3f-08c96be7bfd1.pcap",
                        "suricata/slips__test-cc-capture-1.pcap.eve.json", "sysmon/otrf__msf-lsass01_sysmon-1-3-22.json"})
    inputs += quoted(p) + " ";
  expect_same_for_any_thread_count(inputs);
}

TEST(ConnectionsThreads, EveryCaptureGivesTheSameRecordsAndCounters) {
  C2HUNT_REQUIRE_SHARED_DATA();
  std::string inputs = "'" + source_dir() + "/samples/loopback-tls.pcap'";
  for (const auto& entry : std::filesystem::directory_iterator(shared_data_path("pcap")))
    if (entry.is_regular_file()) inputs += " '" + entry.path().string() + "'";
  for (const char* command : {"connections", "connections --sort"}) {
    Output one = run(command, inputs, 1), two = run(command, inputs, 2);
    EXPECT_GT(std::count(one.lines.begin(), one.lines.end(), '\n'), 1000) << command;
    EXPECT_NE(one.stats.find("pcap.tls_handshakes"), std::string::npos) << one.stats;
    EXPECT_EQ(one.lines, two.lines) << command;
    EXPECT_EQ(one.stats, two.stats) << command;
  }
}

}  // namespace
}  // namespace c2hunt::testing

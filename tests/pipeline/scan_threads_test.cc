// `c2hunt scan --threads 2` (reading beside aggregation, channels scored on both threads) writes
// exactly what `--threads 1` writes, alerts and counters alike, on every kind of shared input.
#include <gtest/gtest.h>

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
  std::string alerts, stats;
};

Output scan(const std::string& inputs, unsigned threads) {
  std::string stem = ::testing::TempDir() + "c2hunt_threads." + std::to_string(::getpid()) + "." + std::to_string(threads);
  std::string cmd = std::string(C2HUNT_BINARY) + " scan --min-level informational --stats --threads " +
                    std::to_string(threads) + " -o '" + stem + ".jsonl' " + inputs + " 2>'" + stem + ".err'";
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

void expect_same_for_any_thread_count(const std::string& inputs) {
  Output one = scan(inputs, 1), two = scan(inputs, 2), three = scan(inputs, 3);
  EXPECT_FALSE(one.alerts.empty()) << inputs;
  EXPECT_NE(one.stats.find("scan.connections"), std::string::npos) << one.stats;
  EXPECT_EQ(one.alerts, two.alerts) << inputs;
  EXPECT_EQ(one.stats, two.stats) << inputs;
  EXPECT_EQ(one.alerts, three.alerts) << inputs;
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

}  // namespace
}  // namespace c2hunt::testing

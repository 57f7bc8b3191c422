// The documented exit codes (docs/cli.md), through the real binary.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "test_support.h"

namespace c2hunt::testing {
namespace {

std::string sample() { return source_dir() + "/samples/loopback-tls.pcap"; }

TEST(CliExitCodes, CleanInputIsZero) { EXPECT_EQ(run_c2hunt("connections " + sample()).status, 0); }

TEST(CliExitCodes, UsageErrorsAreOne) {
  EXPECT_EQ(run_c2hunt("connections").status, 1);
  EXPECT_EQ(run_c2hunt("connections --no-such-option " + sample()).status, 1);
  CliRun bad_filter = run_c2hunt("connections --filter 'tcp port nonsense' " + sample());
  EXPECT_EQ(bad_filter.status, 1);
  EXPECT_NE(bad_filter.err.find("--filter"), std::string::npos) << bad_filter.err;
}

TEST(CliExitCodes, DamagedInputIsTwoAndNamesTheFile) {
  auto path = std::filesystem::temp_directory_path() / "c2hunt-not-a-capture.pcap";
  std::ofstream(path) << "this is not a capture\n";
  CliRun r = run_c2hunt("connections " + path.string() + " " + sample());
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find(path.string()), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("offset"), std::string::npos) << r.err;
}

TEST(CliExitCodes, CaptureCutInItsLastPacketIsOnlyAWarning) {
  std::ifstream in(sample(), std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), {});
  auto path = std::filesystem::temp_directory_path() / "c2hunt-cut.pcap";
  std::ofstream(path, std::ios::binary) << bytes.substr(0, bytes.size() - 7);
  CliRun r = run_c2hunt("connections " + path.string());
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find("warning"), std::string::npos) << r.err;
}

TEST(CliExitCodes, VersionAndHelp) {
  EXPECT_EQ(run_c2hunt("--version").status, 0);
  EXPECT_EQ(run_c2hunt("--help").status, 0);
  EXPECT_EQ(run_c2hunt("connections --help").status, 0);
}

}  // namespace
}  // namespace c2hunt::testing

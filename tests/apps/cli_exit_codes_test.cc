// The documented exit codes (docs/cli.md), through the real binary.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "test_support.h"

namespace c2hunt::testing {
namespace {

struct CliRun {
  int status = -1;
  std::string err;
};

CliRun run(const std::string& args) {
  auto dir = std::filesystem::temp_directory_path() / ("c2hunt-cli-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string err_file = (dir / "stderr").string();
  std::string cmd = std::string(C2HUNT_BINARY) + " " + args + " >/dev/null 2>" + err_file;
  int raw = std::system(cmd.c_str());
  CliRun r;
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  std::ifstream in(err_file);
  r.err.assign(std::istreambuf_iterator<char>(in), {});
  return r;
}

std::string sample() { return source_dir() + "/samples/loopback-tls.pcap"; }

TEST(CliExitCodes, CleanInputIsZero) { EXPECT_EQ(run("connections " + sample()).status, 0); }

TEST(CliExitCodes, UsageErrorsAreOne) {
  EXPECT_EQ(run("connections").status, 1);
  EXPECT_EQ(run("connections --no-such-option " + sample()).status, 1);
  CliRun bad_filter = run("connections --filter 'tcp port nonsense' " + sample());
  EXPECT_EQ(bad_filter.status, 1);
  EXPECT_NE(bad_filter.err.find("--filter"), std::string::npos) << bad_filter.err;
}

TEST(CliExitCodes, DamagedInputIsTwoAndNamesTheFile) {
  auto path = std::filesystem::temp_directory_path() / "c2hunt-not-a-capture.pcap";
  std::ofstream(path) << "this is not a capture\n";
  CliRun r = run("connections " + path.string() + " " + sample());
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find(path.string()), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("offset"), std::string::npos) << r.err;
}

TEST(CliExitCodes, CaptureCutInItsLastPacketIsOnlyAWarning) {
  std::ifstream in(sample(), std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), {});
  auto path = std::filesystem::temp_directory_path() / "c2hunt-cut.pcap";
  std::ofstream(path, std::ios::binary) << bytes.substr(0, bytes.size() - 7);
  CliRun r = run("connections " + path.string());
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find("warning"), std::string::npos) << r.err;
}

TEST(CliExitCodes, VersionAndHelp) {
  EXPECT_EQ(run("--version").status, 0);
  EXPECT_EQ(run("--help").status, 0);
  EXPECT_EQ(run("connections --help").status, 0);
}

}  // namespace
}  // namespace c2hunt::testing

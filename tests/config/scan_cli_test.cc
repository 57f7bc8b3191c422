// Exit codes of `c2hunt scan` for configuration and input problems (the binary, end to end).
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "test_support.h"

using c2hunt::testing::CliRun;
using c2hunt::testing::run_c2hunt;

namespace {

std::string write_temp(const std::string& name, const std::string& text) {
  std::string path = ::testing::TempDir() + name;
  std::ofstream(path) << text;
  return path;
}

TEST(ScanCli, BadConfigIsExit1NamingKeyAndLine) {
  std::string cfg = write_temp("bad.yaml", "signals:\n  tls.no_sni:\n    weight: heavy\n");
  std::string input = write_temp("empty.bin", "not a capture");
  CliRun r = run_c2hunt("scan --config " + cfg + " " + input);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("signals.tls.no_sni.weight"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("bad.yaml:3"), std::string::npos) << r.err;
}

TEST(ScanCli, UnknownInputIsExit2) {
  std::string input = write_temp("notes.txt", "hello, this is not a capture\n");
  CliRun r = run_c2hunt("scan " + input);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("not a recognised input"), std::string::npos) << r.err;
}

TEST(ScanCli, UnusableIntelFileIsExit1) {
  std::string intel = write_temp("intel.csv", "foo,bar\n");
  std::string input = write_temp("notes2.txt", "x");
  CliRun r = run_c2hunt("scan --intel " + intel + " " + input);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("intel header"), std::string::npos) << r.err;
}

}  // namespace

namespace {

TEST(ScanCli, RepeatedIntelDoesNotSwallowInputs) {
  std::string a = write_temp("intel_a.csv", "type,value,name,source\nja3,6734f37431670b3ab4292b8f60f29984,T,https://x\n");
  std::string b = write_temp("intel_b.csv", "# Listingdate,SHA1,Listingreason\n");
  std::string input = write_temp("notes3.txt", "not a capture");
  CliRun r = run_c2hunt("scan --stats --intel " + a + " --intel " + b + " " + input);
  EXPECT_EQ(r.status, 2) << r.err;  // the input was read as an input (and refused), not as intel
}

}  // namespace

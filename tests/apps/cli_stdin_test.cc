// "-" reads a capture from standard input (tcpdump -w - | c2hunt ..., zcat | c2hunt ...): the same
// records as reading the file, plain or gzip-compressed, through the real binary.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>

#include "test_support.h"

namespace c2hunt::testing {
namespace {

CliRun shell(const std::string& args) { return run_c2hunt(args, /*keep_output=*/true); }

std::string with_input_named(std::string jsonl, const std::string& from, const std::string& to) {
  const std::string a = "\"c2hunt.input\":\"" + from + "\"", b = "\"c2hunt.input\":\"" + to + "\"";
  for (size_t at = jsonl.find(a); at != std::string::npos; at = jsonl.find(a, at + b.size())) jsonl.replace(at, a.size(), b);
  return jsonl;
}

TEST(CliStdin, DashReadsTheSameRecordsAsTheFile) {
  std::string sample = source_dir() + "/samples/loopback-tls.pcap";
  CliRun file = shell("connections '" + sample + "'");
  CliRun piped = shell("connections - < '" + sample + "'");
  CliRun empty = shell("connections - < /dev/null");  // nothing on standard input: an error, not a hang
  ASSERT_EQ(file.status, 0) << file.err;
  EXPECT_EQ(piped.status, 0) << piped.err;
  EXPECT_GT(file.out.size(), 1000u);
  EXPECT_EQ(piped.out, with_input_named(file.out, sample, "-"));
  EXPECT_EQ(empty.status, 2);
  EXPECT_NE(empty.err.find("-: offset 0"), std::string::npos) << empty.err;

  std::string gz = ::testing::TempDir() + "c2hunt_stdin_sample.pcap.gz";
  ASSERT_EQ(std::system(("gzip -c '" + sample + "' > '" + gz + "'").c_str()), 0);
  CliRun decompressed = shell("connections - < '" + gz + "'");
  std::filesystem::remove(gz);
  EXPECT_EQ(decompressed.status, 0) << decompressed.err;
  EXPECT_EQ(decompressed.out, piped.out);
}

TEST(CliStdin, ScanTakesDashAsACapture) {
  std::string sample = source_dir() + "/samples/loopback-tls.pcap";
  CliRun file = shell("scan '" + sample + "'");
  CliRun piped = shell("scan - < '" + sample + "'");
  EXPECT_EQ(piped.status, 0) << piped.err;
  EXPECT_NE(piped.out.find("cert.self_signed"), std::string::npos);
  ASSERT_FALSE(file.out.empty());
  EXPECT_EQ(std::count(piped.out.begin(), piped.out.end(), '\n'), std::count(file.out.begin(), file.out.end(), '\n'));
}

}  // namespace
}  // namespace c2hunt::testing

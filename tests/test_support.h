// Shared helpers for tests: where ../shared/data is, and skipping when it is absent outside CI.
#pragma once

#include <string>

namespace c2hunt::testing {

// Absolute path of ../shared/data (or $C2HUNT_SHARED_DATA), empty when absent.
std::string shared_data_dir();
// Path of a file under shared data; calls GTEST_SKIP-compatible logic through the macro below.
std::string shared_data_path(const std::string& relative);
std::string source_dir();
bool running_in_ci();

// Runs the built c2hunt binary with `args` (a shell fragment: it may redirect standard input),
// standard output discarded unless `keep_output`.
struct CliRun {
  int status = -1;  // exit status, -1 when it did not exit normally
  std::string out;  // what it wrote to standard output, with keep_output
  std::string err;  // what it wrote to standard error
};
CliRun run_c2hunt(const std::string& args, bool keep_output = false);

}  // namespace c2hunt::testing

// Skips the test with a visible message when ../shared/data is missing, unless CI is set (then fails).
#define C2HUNT_REQUIRE_SHARED_DATA()                                                          \
  do {                                                                                        \
    if (::c2hunt::testing::shared_data_dir().empty()) {                                       \
      if (::c2hunt::testing::running_in_ci()) FAIL() << "../shared/data is missing in CI";    \
      GTEST_SKIP() << "../shared/data not found: skipping test that needs the shared data";   \
    }                                                                                         \
  } while (0)

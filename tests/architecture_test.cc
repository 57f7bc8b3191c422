// The one-way data flow, checked: a file in a lower stage never includes a header from a higher
// stage (docs/architecture.md). Stages of equal rank may not include each other either, except
// within the same folder.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>

#include "test_support.h"

namespace c2hunt::testing {
namespace {

int rank_of(const std::string& top) {
  static const std::map<std::string, int> kRank = {
      {"util", 0},     {"records", 1},   {"fingerprints", 2}, {"x509", 3},   {"protocols", 4},
      {"sources", 5},  {"correlate", 6}, {"channels", 7},     {"signals", 8}, {"scoring", 9},
      {"config", 10},  {"sinks", 10},    {"pipeline", 11},
  };
  auto it = kRank.find(top);
  return it == kRank.end() ? -1 : it->second;
}

TEST(Architecture, LowerStagesNeverIncludeHigherOnes) {
  namespace fs = std::filesystem;
  fs::path root = fs::path(source_dir()) / "src" / "c2hunt";
  std::regex include_re(R"re(#include\s+"c2hunt/([a-z0-9_]+)/)re");
  size_t files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file()) continue;
    auto ext = entry.path().extension();
    if (ext != ".h" && ext != ".cc") continue;
    ++files;
    std::string top = fs::relative(entry.path(), root).begin()->string();
    int own = rank_of(top);
    ASSERT_GE(own, 0) << "folder " << top << " has no place in the pipeline: add it to docs/architecture.md and here";
    std::ifstream in(entry.path());
    std::string line;
    while (std::getline(in, line)) {
      std::smatch m;
      if (!std::regex_search(line, m, include_re)) continue;
      std::string target = m[1];
      int other = rank_of(target);
      EXPECT_GE(other, 0) << entry.path() << " includes unknown stage " << target;
      EXPECT_TRUE(other < own || target == top)
          << fs::relative(entry.path(), root) << " (" << top << ") includes " << target << ": against the data flow";
    }
  }
  EXPECT_GT(files, 10u);
}

}  // namespace
}  // namespace c2hunt::testing

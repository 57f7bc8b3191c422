#include "test_support.h"

#include <cstdlib>
#include <filesystem>

namespace c2hunt::testing {

std::string source_dir() {
  const char* env = std::getenv("C2HUNT_SOURCE_DIR");
  return env ? env : C2HUNT_SOURCE_DIR;
}

std::string shared_data_dir() {
  namespace fs = std::filesystem;
  if (const char* env = std::getenv("C2HUNT_SHARED_DATA"); env && fs::is_directory(env)) return env;
  fs::path p = fs::path(source_dir()) / ".." / "shared" / "data";
  if (fs::is_directory(p)) return fs::canonical(p).string();
  return "";
}

std::string shared_data_path(const std::string& relative) { return shared_data_dir() + "/" + relative; }

bool running_in_ci() {
  const char* ci = std::getenv("CI");
  return ci && *ci && std::string(ci) != "0" && std::string(ci) != "false";
}

}  // namespace c2hunt::testing

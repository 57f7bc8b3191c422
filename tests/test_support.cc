#include "test_support.h"

#include <cstdlib>
#include <stdlib.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>

namespace c2hunt::testing {
namespace {

// ctest runs every test in its own process, two at a time: give each process its own temporary
// folder (gtest's TempDir() reads TEST_TMPDIR, std::filesystem and mkstemp read TMPDIR), so tests
// that write fixed file names cannot overwrite each other's files.
struct PerProcessTempDir {
  std::string path;
  PerProcessTempDir() {
    std::string tmpl = "/tmp/c2hunt-test-XXXXXX";
    if (!mkdtemp(tmpl.data())) return;
    path = tmpl;
    setenv("TMPDIR", path.c_str(), 1);
    setenv("TEST_TMPDIR", path.c_str(), 1);
  }
  ~PerProcessTempDir() {
    std::error_code ec;
    if (!path.empty()) std::filesystem::remove_all(path, ec);
  }
} per_process_temp_dir;

}  // namespace


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

CliRun run_c2hunt(const std::string& args, bool keep_output) {
  auto temp = std::filesystem::temp_directory_path();
  std::string err_path = (temp / "c2hunt_cli_stderr.txt").string();
  std::string out_path = keep_output ? (temp / "c2hunt_cli_stdout.txt").string() : "/dev/null";
  std::string cmd = std::string(C2HUNT_BINARY) + " " + args + " >'" + out_path + "' 2>'" + err_path + "'";
  int raw = std::system(cmd.c_str());
  CliRun r;
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  auto slurp = [](const std::string& path) {
    std::ifstream in(path);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  r.err = slurp(err_path);
  if (keep_output) {
    r.out = slurp(out_path);
    std::filesystem::remove(out_path);
  }
  return r;
}

}  // namespace c2hunt::testing

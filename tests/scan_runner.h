// Runs the real `c2hunt scan` binary on inputs and parses its ECS JSON alerts, for end-to-end tests.
// Header-only so that every test file can use it without a CMake change.
#pragma once

#include <gtest/gtest.h>

#include <simdjson.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace c2hunt::testing {

struct ScanAlert {
  std::string destination;  // ip:port
  int64_t severity = 0;
  std::string level;
  std::set<std::string> signals;
  std::map<std::string, std::string> details;  // signal -> detail
};

struct ScanRun {
  int exit_code = -1;
  std::vector<ScanAlert> alerts;
  std::string stderr_text;

  const ScanAlert* find(const std::string& destination) const {
    for (const auto& a : alerts)
      if (a.destination == destination) return &a;
    return nullptr;
  }
};

inline bool medium_or_above(const ScanAlert& a) {
  return a.level == "medium" || a.level == "high" || a.level == "critical";
}

inline std::string read_text_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// `inputs` are passed quoted; `extra` is inserted verbatim before them.
inline ScanRun run_scan_binary(const std::vector<std::string>& inputs, const std::string& extra = "") {
  // Per process and per call: ctest runs tests in parallel processes.
  static std::atomic<int> sequence{0};
  std::string stem = ::testing::TempDir() + "c2hunt_scan_run." + std::to_string(::getpid()) + "." +
                     std::to_string(sequence++);
  std::string out = stem + ".jsonl", err = stem + ".stderr";
  std::string cmd = std::string(C2HUNT_BINARY) + " scan --min-level informational " + extra;
  for (const auto& i : inputs) cmd += " '" + i + "'";
  cmd += " > '" + out + "' 2> '" + err + "'";
  ScanRun run;
  int rc = std::system(cmd.c_str());
  run.exit_code = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  run.stderr_text = read_text_file(err);
  std::ifstream in(out);
  std::string line;
  simdjson::dom::parser parser;
  while (std::getline(in, line)) {
    simdjson::dom::element doc = parser.parse(line);
    ScanAlert a;
    std::string_view ip;
    if (doc["destination.ip"].get_string().get(ip) != simdjson::SUCCESS) ip = "?";
    a.destination = std::string(ip) + ":" + std::to_string(int64_t(doc["destination.port"]));
    a.severity = doc["event.severity"];
    a.level = std::string(std::string_view(doc["log.level"]));
    for (auto e : doc["c2hunt.evidence"].get_array()) {
      std::string signal{std::string_view(e["signal"])};
      a.signals.insert(signal);
      a.details[signal] = std::string(std::string_view(e["detail"]));
    }
    run.alerts.push_back(std::move(a));
  }
  std::remove(out.c_str());
  std::remove(err.c_str());
  return run;
}

}  // namespace c2hunt::testing

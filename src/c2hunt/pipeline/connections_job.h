// `c2hunt connections FILE...`: every connection as one ECS JSON line.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "c2hunt/sources/pcap/capture_source.h"
#include "c2hunt/util/counters.h"
#include "c2hunt/util/diagnostics.h"

namespace c2hunt::pipeline {

struct ConnectionsOptions {
  std::vector<std::string> inputs;
  std::string output_path;  // empty or "-" = stdout
  bool sort_by_start = false;
  bool print_stats = false;
  pcap::CaptureOptions capture;
};

int run_connections(const ConnectionsOptions& options, Diagnostics& diagnostics);

// Prints every counter, one "name value" line each, sorted by name.
void print_counters(const Counters& counters, std::FILE* out);

}  // namespace c2hunt::pipeline

// Runs the pcap source over one capture and collects what it produced, for tests.
#pragma once

#include <string>
#include <vector>

#include "c2hunt/records/consumer.h"
#include "c2hunt/sources/pcap/capture_source.h"
#include "c2hunt/util/counters.h"

namespace c2hunt::testing {

struct CaptureResult {
  std::vector<records::Connection> connections;
  std::vector<records::DnsResolution> dns;
  Counters counters;
  uint64_t errors = 0, warnings = 0;
  bool opened = false;
};

CaptureResult run_capture(const std::string& path, pcap::CaptureOptions options = {});

// Splits a tab-separated line.
std::vector<std::string> split_tabs(const std::string& line);

}  // namespace c2hunt::testing

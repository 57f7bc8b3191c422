#include "capture_runner.h"

#include <cstdio>

#include "c2hunt/util/diagnostics.h"

namespace c2hunt::testing {
namespace {

class Collector : public records::RecordConsumer {
 public:
  explicit Collector(CaptureResult& r) : r_(r) {}
  void on_connection(records::Connection&& c) override { r_.connections.push_back(std::move(c)); }
  void on_dns(records::DnsResolution&& d) override { r_.dns.push_back(std::move(d)); }

 private:
  CaptureResult& r_;
};

}  // namespace

CaptureResult run_capture(const std::string& path, pcap::CaptureOptions options) {
  CaptureResult result;
  Collector collector(result);
  Diagnostics diagnostics(stderr);
  {
    pcap::CaptureSource source(options, collector, result.counters, diagnostics);
    result.opened = source.read_file(path);
    source.finish();
  }
  result.errors = diagnostics.errors();
  result.warnings = diagnostics.warnings();
  return result;
}

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t tab = line.find('\t', start);
    out.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
    if (tab == std::string::npos) break;
    start = tab + 1;
  }
  return out;
}

}  // namespace c2hunt::testing

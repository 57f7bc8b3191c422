#include "c2hunt/pipeline/connections_job.h"

#include <algorithm>
#include <memory>

#include "c2hunt/pipeline/exit_codes.h"
#include "c2hunt/sinks/connection_json.h"

namespace c2hunt::pipeline {
namespace {

class ConnectionWriter : public records::RecordConsumer {
 public:
  ConnectionWriter(std::FILE* out, bool sort) : sink_(out), sort_(sort) {}
  void on_connection(records::Connection&& c) override {
    if (sort_)
      held_.push_back(std::move(c));
    else
      sink_.write(c);
  }
  void flush() {
    std::stable_sort(held_.begin(), held_.end(), [](const auto& a, const auto& b) {
      return a.first_seen != b.first_seen ? a.first_seen < b.first_seen : a.id < b.id;
    });
    for (const auto& c : held_) sink_.write(c);
    held_.clear();
  }

 private:
  sinks::ConnectionJsonSink sink_;
  bool sort_;
  std::vector<records::Connection> held_;
};

}  // namespace

void print_counters(const Counters& counters, std::FILE* out) {
  for (const auto& [name, value] : counters.all())
    std::fprintf(out, "%s %llu\n", name.c_str(), static_cast<unsigned long long>(value));
}

int run_connections(const ConnectionsOptions& options, Diagnostics& diagnostics) {
  if (!options.capture.bpf_filter.empty()) {
    std::string problem = pcap::CaptureSource::check_filter(options.capture.bpf_filter);
    if (!problem.empty()) {
      std::fprintf(stderr, "c2hunt: error: --filter: %s\n", problem.c_str());
      return kExitUsage;
    }
  }
  std::FILE* out = stdout;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> owned(nullptr, &std::fclose);
  if (!options.output_path.empty() && options.output_path != "-") {
    owned.reset(std::fopen(options.output_path.c_str(), "wb"));
    if (!owned) {
      diagnostics.error(options.output_path, "open", "cannot open output file for writing");
      return kExitUsage;
    }
    out = owned.get();
  }
  static char out_buffer[1 << 20];  // records are written line by line: batch the syscalls
  std::setvbuf(out, out_buffer, _IOFBF, sizeof out_buffer);
  Counters counters;
  ConnectionWriter writer(out, options.sort_by_start);
  pcap::CaptureSource source(options.capture, writer, counters, diagnostics);
  for (const auto& input : options.inputs) source.read_file(input);
  source.finish();
  writer.flush();
  std::fflush(out);
  diagnostics.flush_suppressed();
  if (options.print_stats) print_counters(counters, stderr);
  return diagnostics.input_damaged() ? kExitInputDamaged : kExitOk;
}

}  // namespace c2hunt::pipeline

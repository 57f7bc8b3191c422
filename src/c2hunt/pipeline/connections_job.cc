#include "c2hunt/pipeline/connections_job.h"

#include <algorithm>
#include <memory>

#include "c2hunt/pipeline/exit_codes.h"
#include "c2hunt/pipeline/job_io.h"
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
  if (!capture_filter_is_usable(options.capture.bpf_filter)) return kExitUsage;
  OutputFile output;
  if (!output.open(options.output_path, diagnostics)) return kExitUsage;
  std::FILE* out = output.get();
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

// Parsing throughput of the Zeek reader: runs ZeekSource over the given paths with a consumer
// that only counts, and prints lines, connections, elapsed time and lines per second.
#include <chrono>
#include <cstdio>
#include <ctime>

#include "c2hunt/sources/zeek/zeek_source.h"

namespace {
struct CountingConsumer : c2hunt::records::RecordConsumer {
  uint64_t connections = 0, with_tls = 0, dns = 0;
  void on_connection(c2hunt::records::Connection&& c) override {
    ++connections;
    with_tls += c.tls.has_value();
  }
  void on_dns(c2hunt::records::DnsResolution&&) override { ++dns; }
};
}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: zeek_parse_bench PATH...\n");
    return 2;
  }
  CountingConsumer consumer;
  c2hunt::Counters counters;
  c2hunt::Diagnostics diagnostics;
  auto start = std::chrono::steady_clock::now();
  std::clock_t cpu_start = std::clock();
  c2hunt::zeek::ZeekSource source(consumer, counters, diagnostics);
  for (int i = 1; i < argc; ++i) source.read_path(argv[i]);
  source.finish();
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  double cpu = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  uint64_t lines = counters.get("zeek.lines");
  // lines per CPU second is the per-core figure (the wall clock includes waiting for a shared CPU).
  std::printf("lines %llu connections %llu with_tls %llu errors %llu elapsed_s %.3f cpu_s %.3f "
              "lines_per_s %.0f lines_per_cpu_s %.0f\n",
              static_cast<unsigned long long>(lines), static_cast<unsigned long long>(consumer.connections),
              static_cast<unsigned long long>(consumer.with_tls), static_cast<unsigned long long>(diagnostics.errors()),
              secs, cpu, lines / secs, lines / cpu);
  return diagnostics.errors() ? 1 : 0;
}

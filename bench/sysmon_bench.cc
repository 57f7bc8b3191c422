// Throughput and peak memory of the Sysmon readers: every file given is read (--repeat times) into a
// live process table, the way `scan` consumes host telemetry; prints events/s (wall and per CPU-second,
// user + system) and peak RSS.
//   sysmon_bench [--repeat N] FILE...
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "c2hunt/correlate/process_table.h"
#include "c2hunt/sources/sysmon/sysmon_source.h"

namespace {

struct TableConsumer : c2hunt::records::RecordConsumer {
  explicit TableConsumer(c2hunt::Counters& c) : table(c) {}
  c2hunt::correlate::ProcessTable table;
  uint64_t connections = 0, dns = 0;
  void on_connection(c2hunt::records::Connection&&) override {}
  void on_process(c2hunt::records::Process&& p) override { table.add(std::move(p)); }
  void on_process_end(const std::string& id, c2hunt::TimeMicros t) override { table.end(id, t); }
  void on_host_connection(c2hunt::records::HostConnection&&) override { ++connections; }
  void on_dns(c2hunt::records::DnsResolution&&) override { ++dns; }
};

struct Usage {
  double cpu_seconds;  // user + system
  long peak_rss_kib;
};

Usage usage() {
  struct rusage u {};
  getrusage(RUSAGE_SELF, &u);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return {seconds(u.ru_utime) + seconds(u.ru_stime), u.ru_maxrss};
}

}  // namespace

int main(int argc, char** argv) {
  int repeat = 1;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--repeat") == 0 && i + 1 < argc) repeat = std::atoi(argv[++i]);
    else files.push_back(argv[i]);
  }
  if (files.empty()) {
    std::fprintf(stderr, "usage: sysmon_bench [--repeat N] FILE...\n");
    return 2;
  }
  c2hunt::Counters counters;
  c2hunt::Diagnostics diagnostics;
  TableConsumer consumer(counters);
  c2hunt::sysmon::SysmonSource source(consumer, counters, diagnostics);
  const double cpu_before = usage().cpu_seconds;
  auto start = std::chrono::steady_clock::now();
  for (int r = 0; r < repeat; ++r)
    for (const auto& f : files) source.read_file(f);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const Usage end = usage();
  const double cpu = end.cpu_seconds - cpu_before;
  uint64_t events = counters.get("sysmon.events") + counters.get("sysmon.non_sysmon_events");
  std::printf("events %llu in %.3f s: %.0f events/s; CPU %.2f s: %.0f events per CPU-second; bad %llu; "
              "host connections %llu, dns %llu, live processes at end %zu; peak RSS %ld KiB\n",
              static_cast<unsigned long long>(events), seconds, events / seconds, cpu, events / cpu,
              static_cast<unsigned long long>(counters.get("sysmon.bad_events")),
              static_cast<unsigned long long>(consumer.connections), static_cast<unsigned long long>(consumer.dns),
              consumer.table.size(), end.peak_rss_kib);
  return 0;
}

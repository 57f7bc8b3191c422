// Throughput of the packet layer alone (records discarded) against a bare libpcap read loop, on the
// capture named by $C2HUNT_BENCH_PCAP (e.g. one made with openssl s_time while tcpdump -i lo runs).
#include <benchmark/benchmark.h>
#include <pcap/pcap.h>
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "c2hunt/sources/pcap/capture_source.h"

namespace {

class Discard : public c2hunt::records::RecordConsumer {
 public:
  void on_connection(c2hunt::records::Connection&& c) override { benchmark::DoNotOptimize(c.id); }
};

std::string bench_file() {
  const char* p = std::getenv("C2HUNT_BENCH_PCAP");
  return p ? p : "";
}

int64_t file_size(const std::string& path) {
  struct stat st{};
  return stat(path.c_str(), &st) == 0 ? st.st_size : 0;
}

void BM_BareLibpcapLoop(benchmark::State& state) {
  std::string path = bench_file();
  if (path.empty()) return state.SkipWithError("set C2HUNT_BENCH_PCAP");
  for (auto _ : state) {
    char err[PCAP_ERRBUF_SIZE];
    pcap_t* p = pcap_open_offline(path.c_str(), err);
    pcap_pkthdr* h;
    const u_char* d;
    uint64_t n = 0;
    while (pcap_next_ex(p, &h, &d) == 1) n += h->caplen;
    benchmark::DoNotOptimize(n);
    pcap_close(p);
  }
  state.SetBytesProcessed(state.iterations() * file_size(path));
}
BENCHMARK(BM_BareLibpcapLoop)->Unit(benchmark::kMillisecond);

void BM_CaptureSource(benchmark::State& state) {
  std::string path = bench_file();
  if (path.empty()) return state.SkipWithError("set C2HUNT_BENCH_PCAP");
  for (auto _ : state) {
    c2hunt::Counters counters;
    c2hunt::Diagnostics diagnostics;
    Discard discard;
    c2hunt::pcap::CaptureSource source({}, discard, counters, diagnostics);
    source.read_file(path);
    source.finish();
  }
  state.SetBytesProcessed(state.iterations() * file_size(path));
}
BENCHMARK(BM_CaptureSource)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();

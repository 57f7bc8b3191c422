// Fuzzes the whole packet pipeline: the input is a capture file image (pcap, pcapng or gzip),
// read through CaptureSource with small limits so eviction, expiry and reassembly bounds are hit.
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string>

#include "c2hunt/sources/pcap/capture_source.h"

namespace {

class Discard : public c2hunt::records::RecordConsumer {
 public:
  void on_connection(c2hunt::records::Connection&&) override {}
  void on_dns(c2hunt::records::DnsResolution&&) override {}
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  int fd = memfd_create("pcap_fuzz", MFD_CLOEXEC);
  if (fd < 0) return 0;
  for (size_t done = 0; done < size;) {
    ssize_t n = write(fd, data + done, size - done);
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  static std::FILE* devnull = std::fopen("/dev/null", "w");
  c2hunt::Counters counters;
  c2hunt::Diagnostics diagnostics(devnull);
  Discard discard;
  c2hunt::pcap::CaptureOptions options;
  options.max_connections = 16;
  options.reassembly_window_bytes = 2048;
  options.max_out_of_order_segments = 4;
  options.tcp_idle_timeout = 5 * c2hunt::kMicrosPerSecond;
  options.udp_idle_timeout = 2 * c2hunt::kMicrosPerSecond;
  {
    c2hunt::pcap::CaptureSource source(options, discard, counters, diagnostics);
    source.read_file("/proc/self/fd/" + std::to_string(fd));
    source.finish();
  }
  close(fd);
  return 0;
}

// Placeholder until the packet pipeline lands: opens the capture with libpcap and counts packets.
#include "c2hunt/sources/pcap/capture_source.h"

#include <pcap/pcap.h>

#include <fstream>

namespace c2hunt::pcap {

struct CaptureSource::Impl {
  CaptureOptions options;
  records::RecordConsumer& consumer;
  Counters& counters;
  Diagnostics& diagnostics;
};

CaptureSource::CaptureSource(CaptureOptions options, records::RecordConsumer& consumer, Counters& counters,
                             Diagnostics& diagnostics)
    : impl_(new Impl{std::move(options), consumer, counters, diagnostics}) {}
CaptureSource::~CaptureSource() = default;

bool CaptureSource::read_file(const std::string& path) {
  char err[PCAP_ERRBUF_SIZE];
  pcap_t* p = pcap_open_offline(path.c_str(), err);
  if (!p) {
    impl_->diagnostics.error(path, "offset 0", err);
    return false;
  }
  uint64_t& packets = impl_->counters.counter("pcap.packets");
  pcap_pkthdr* h;
  const u_char* d;
  while (pcap_next_ex(p, &h, &d) == 1) ++packets;
  pcap_close(p);
  return true;
}

void CaptureSource::finish() {}

bool CaptureSource::looks_like_capture(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  unsigned char m[4] = {};
  f.read(reinterpret_cast<char*>(m), 4);
  uint32_t magic = m[0] << 24 | m[1] << 16 | m[2] << 8 | m[3];
  return magic == 0xa1b2c3d4 || magic == 0xd4c3b2a1 || magic == 0xa1b23c4d || magic == 0x4d3cb2a1 ||
         magic == 0x0a0d0d0a || (m[0] == 0x1f && m[1] == 0x8b);
}

}  // namespace c2hunt::pcap

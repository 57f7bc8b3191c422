#include "c2hunt/pipeline/job_io.h"

#include "c2hunt/sources/pcap/capture_source.h"

namespace c2hunt::pipeline {

bool OutputFile::open(const std::string& path, Diagnostics& diagnostics) {
  if (!path.empty() && path != "-") {
    owned_.reset(std::fopen(path.c_str(), "wb"));
    if (!owned_) {
      diagnostics.error(path, "open", "cannot open output file for writing");
      return false;
    }
    out_ = owned_.get();
  }
  constexpr size_t kBufferBytes = 1 << 20;
  buffer_ = std::make_unique<char[]>(kBufferBytes);
  std::setvbuf(out_, buffer_.get(), _IOFBF, kBufferBytes);
  return true;
}

bool capture_filter_is_usable(const std::string& bpf_filter) {
  if (bpf_filter.empty()) return true;
  std::string problem = pcap::CaptureSource::check_filter(bpf_filter);
  if (problem.empty()) return true;
  std::fprintf(stderr, "c2hunt: error: --filter: %s\n", problem.c_str());
  return false;
}

}  // namespace c2hunt::pipeline

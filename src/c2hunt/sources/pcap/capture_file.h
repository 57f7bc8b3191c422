// Opens a capture file as a FILE* that libpcap can read, decompressing gzip on the fly (zlib gzread
// behind a glibc fopencookie stream) and counting the bytes read so errors can name an offset.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "c2hunt/sources/pcap/pcapng_interface_filter.h"

namespace c2hunt::pcap {

struct CaptureFileState {
  uint64_t bytes_read = 0;   // decompressed bytes handed to the stdio buffer
  bool gzip = false;
  std::string read_error;    // set when the underlying read or gzip inflate failed
  bool gzip_cut_short = false;  // the gzip stream ended before its trailer (an interrupted capture)
};

// The path that names standard input (a pipe from tcpdump -w - or zcat, say).
inline constexpr std::string_view kStandardInput = "-";

// Returns a FILE* (fclose releases everything) or null with `error` set. `state` must outlive the FILE*.
std::FILE* open_capture_file(const std::string& path, CaptureFileState& state, std::string& error);

// The same file as open_capture_file gives it, passed block by block through `filter` (a pcapng
// narrowed to one interface). `filter` and `state` must outlive the FILE*.
std::FILE* open_pcapng_interface_pass(const std::string& path, PcapngInterfaceFilter& filter, CaptureFileState& state,
                                 std::string& error);

}  // namespace c2hunt::pcap

// Reads packet captures (pcap, pcapng, gzip-compressed) and turns them into connection and DNS
// records: link/IP/transport decode, a bounded bidirectional connection table, handshake
// reassembly and the TLS/QUIC/DNS analyzers. Records are pushed to a RecordConsumer as each
// connection ends, is evicted, or the input ends.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "c2hunt/records/consumer.h"
#include "c2hunt/util/byte_cursor.h"
#include "c2hunt/util/counters.h"
#include "c2hunt/util/diagnostics.h"
#include "c2hunt/util/time_format.h"

namespace c2hunt::pcap {

// Test and tooling hook: sees the in-order bytes that handshake reassembly delivers for each TCP
// direction (only while the stream is still being examined). Called per delivered chunk, never per byte.
class StreamObserver {
 public:
  virtual ~StreamObserver() = default;
  virtual void on_stream_bytes(uint64_t connection_id, bool from_orig, ByteView bytes) = 0;
  virtual void on_stream_gap(uint64_t connection_id, bool from_orig, uint64_t missing_bytes) = 0;
};

struct CaptureOptions {
  std::string bpf_filter;                                   // empty = every packet
  size_t max_connections = 1'000'000;                       // hard cap; the least recently active is evicted
  TimeMicros tcp_idle_timeout = 300 * kMicrosPerSecond;     // Zeek's tcp_inactivity_timeout
  TimeMicros udp_idle_timeout = 60 * kMicrosPerSecond;
  size_t reassembly_window_bytes = 16 * 1024;               // first N bytes per direction delivered in order
  size_t max_out_of_order_segments = 64;                    // buffered per direction
  TimeMicros tcp_close_linger = 2 * kMicrosPerSecond;       // after FIN/RST completion, so the last ACK is counted
  size_t max_reassembly_memory = 256u << 20;                // all out-of-order buffers together
  StreamObserver* stream_observer = nullptr;                // not owned; null in normal runs
};

class CaptureSource {
 public:
  CaptureSource(CaptureOptions options, records::RecordConsumer& consumer, Counters& counters,
                Diagnostics& diagnostics);
  ~CaptureSource();
  CaptureSource(const CaptureSource&) = delete;
  CaptureSource& operator=(const CaptureSource&) = delete;

  // Reads one file through to its end, or to the first unrecoverable damage (reported through
  // Diagnostics; what was read before it is kept). Returns false when the file could not be opened
  // as a capture at all. Connections stay open across files, so a capture split in parts joins up.
  bool read_file(const std::string& path);
  // Ends every open connection (EndReason::input_end) and pushes it to the consumer.
  void finish();

  // True when the bytes start like a pcap or pcapng file (or a gzip stream); used to auto-detect inputs.
  static bool looks_like_capture(const std::string& path);
  // Compiles a BPF filter without a capture; returns the libpcap message when it is invalid, empty when
  // it is fine. Callers use it to turn a bad --filter into a usage error before reading anything.
  static std::string check_filter(const std::string& filter);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace c2hunt::pcap

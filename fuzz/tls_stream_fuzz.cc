// Fuzzes TlsStreamParser: the input is cut into client/server chunks by a small header per chunk
// (1 byte: direction bit + 7-bit length scale), so the fuzzer explores interleaving and splits.
#include <cstddef>
#include <cstdint>

#include "c2hunt/protocols/tls/tls_stream.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  c2hunt::ByteCursor in(data, size);
  c2hunt::tls::StreamLimits limits;
  limits.max_handshake_bytes = 8 * 1024;
  c2hunt::tls::StreamCounters counters;
  c2hunt::tls::TlsStreamParser parser(limits, &counters);
  while (!in.empty()) {
    uint8_t control = in.read_u8();
    auto d = (control & 0x80) ? c2hunt::tls::Direction::server_to_client : c2hunt::tls::Direction::client_to_server;
    size_t n = static_cast<size_t>(control & 0x7f) * 8 + 1;
    if (n > in.remaining()) n = in.remaining();
    if ((control & 0x7f) == 0x7f) {
      parser.gap(d);
      continue;
    }
    parser.feed(d, in.take(n));
  }
  parser.progress();
  parser.finish();
  return 0;
}

// Feeds arbitrary bytes to QuicInitialParsers, three ways:
//  1. the whole input as one client datagram (what scripts/fuzz-corpus.sh seeds: raw UDP payloads);
//  2. the input split into datagrams by a 2-byte length prefix whose top bit says the direction
//     (set: server), so the fuzzer can build multi-datagram connections;
//  3. when the input starts with 'S', as 2. but each client datagram's bytes become the plaintext
//     frames of a v1 client Initial sealed with fixed keys: the fuzzer cannot forge GCM tags, and
//     this is how it reaches frame parsing, CRYPTO reassembly and handshake framing.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "c2hunt/protocols/quic/quic_initial.h"
// The test suite's Initial sealer (checked there against RFC 9001 A.3).
#include "../tests/protocols/quic_test_sealer.h"

namespace {

using c2hunt::ByteView;
namespace quic = c2hunt::quic;

constexpr size_t kMaxSealedFrames = 1400;

std::vector<uint8_t> seal_client_initial(ByteView frames, uint64_t pn, const quic::PacketKeys& keys, ByteView dcid) {
  c2hunt::testing::SealSpec spec;
  spec.dcid.assign(dcid.begin(), dcid.end());
  spec.packet_number = pn & 0xffff;
  const ByteView kept = frames.first(std::min(frames.size(), kMaxSealedFrames));
  return c2hunt::testing::seal_initial(spec, keys, std::vector<uint8_t>(kept.begin(), kept.end()));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ByteView input(data, size);
  quic::looks_like_quic_initial(input);
  {
    quic::QuicInitialParser whole;
    whole.feed_datagram(true, input);
  }
  quic::Limits limits;
  limits.max_crypto_bytes = 4096;
  limits.max_packets = 16;
  quic::QuicInitialParser parser(limits);
  c2hunt::ByteCursor c(input);
  const bool sealed_mode = c.peek_u8() == 'S';
  if (sealed_mode) c.skip(1);
  static const uint8_t kDcid[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  static quic::InitialSecrets keys = [] {
    quic::InitialSecrets s;
    quic::derive_initial_secrets(quic::kVersion1, ByteView(kDcid, 8), s);
    return s;
  }();
  uint64_t pn = 0;
  while (c.ok() && !c.empty()) {
    const uint16_t prefix = c.read_u16();
    const ByteView datagram = c.take(std::min<size_t>(prefix & 0x7fff, c.remaining()));
    const bool from_client = !(prefix & 0x8000);
    if (sealed_mode && from_client) {
      // Client datagrams become sealed Initials carrying the fuzzer's bytes as frames.
      const std::vector<uint8_t> packet = seal_client_initial(datagram, pn++, keys.client, ByteView(kDcid, 8));
      if (parser.feed_datagram(true, packet) != quic::Progress::need_more) break;
    } else if (parser.feed_datagram(from_client, datagram) != quic::Progress::need_more) {
      break;
    }
  }
  if (parser.crypto_stream(true).size() > limits.max_crypto_bytes) __builtin_trap();
  return 0;
}

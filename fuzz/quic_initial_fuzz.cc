// Feeds arbitrary bytes to QuicInitialParsers, three ways:
//  1. the whole input as one client datagram (what scripts/fuzz-corpus.sh seeds: raw UDP payloads);
//  2. the input split into datagrams by a 2-byte length prefix whose top bit says the direction
//     (set: server), so the fuzzer can build multi-datagram connections;
//  3. when the input starts with 'S', as 2. but each client datagram's bytes become the plaintext
//     frames of a v1 client Initial sealed with fixed keys: the fuzzer cannot forge GCM tags, and
//     this is how it reaches frame parsing, CRYPTO reassembly and handshake framing.
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "c2hunt/protocols/quic/quic_initial.h"

namespace {

using c2hunt::ByteView;
namespace quic = c2hunt::quic;

// The same packet layout decrypt_initial_packet expects: v1, 8-byte DCID, empty SCID and token,
// 2-byte length, 2-byte packet number.
std::vector<uint8_t> seal_client_initial(ByteView frames_in, uint64_t pn, const quic::PacketKeys& k,
                                         ByteView dcid) {
  std::vector<uint8_t> frames(frames_in.begin(), frames_in.end());
  if (frames.size() < 4) frames.resize(4, 0);
  if (frames.size() > 1400) frames.resize(1400);
  std::vector<uint8_t> p = {0xc1, 0, 0, 0, 1, static_cast<uint8_t>(dcid.size())};
  p.insert(p.end(), dcid.begin(), dcid.end());
  const size_t length = 2 + frames.size() + 16;
  p.insert(p.end(), {0x00, 0x00, static_cast<uint8_t>(0x40 | length >> 8), static_cast<uint8_t>(length),
                     static_cast<uint8_t>(pn >> 8), static_cast<uint8_t>(pn)});
  const size_t pn_offset = p.size() - 2;
  std::array<uint8_t, 12> nonce = k.iv;
  for (size_t i = 0; i < 8; ++i) nonce[11 - i] ^= static_cast<uint8_t>(pn >> (8 * i));
  std::vector<uint8_t> sealed(frames.size() + 16);
  int len = 0;
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  EVP_EncryptInit_ex(ctx, EVP_aes_128_gcm(), nullptr, k.key.data(), nonce.data());
  EVP_EncryptUpdate(ctx, nullptr, &len, p.data(), static_cast<int>(p.size()));
  EVP_EncryptUpdate(ctx, sealed.data(), &len, frames.data(), static_cast<int>(frames.size()));
  EVP_EncryptFinal_ex(ctx, sealed.data() + len, &len);
  EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, sealed.data() + frames.size());
  EVP_CIPHER_CTX_free(ctx);
  p.insert(p.end(), sealed.begin(), sealed.end());
  std::array<uint8_t, 16> mask{};
  ctx = EVP_CIPHER_CTX_new();
  EVP_EncryptInit_ex(ctx, EVP_aes_128_ecb(), nullptr, k.hp.data(), nullptr);
  EVP_EncryptUpdate(ctx, mask.data(), &len, p.data() + pn_offset + 4, 16);
  EVP_CIPHER_CTX_free(ctx);
  p[0] ^= mask[0] & 0x0f;
  p[pn_offset] ^= mask[1];
  p[pn_offset + 1] ^= mask[2];
  return p;
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

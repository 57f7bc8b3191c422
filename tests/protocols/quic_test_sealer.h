// Builds protected QUIC Initial packets for tests (the inverse of decrypt_initial_packet), so that
// reassembly cases beyond the RFC vectors can be hand-built. Checked against RFC 9001 A.3.
#pragma once

#include <openssl/evp.h>

#include <cstdint>
#include <stdexcept>
#include <vector>

#include "c2hunt/protocols/quic/quic_initial.h"

namespace c2hunt::testing {

struct SealSpec {
  uint32_t version = quic::kVersion1;
  std::vector<uint8_t> dcid, scid, token;
  uint64_t packet_number = 0;
  size_t pn_length = 2;
};

inline std::vector<uint8_t> seal_initial(const SealSpec& s, const quic::PacketKeys& k, std::vector<uint8_t> frames) {
  while (frames.size() + s.pn_length < 4) frames.push_back(0);  // room for the header protection sample
  const unsigned type_bits = s.version == quic::kVersion2 ? 1 : 0;
  std::vector<uint8_t> p;
  p.push_back(static_cast<uint8_t>(0xc0 | type_bits << 4 | (s.pn_length - 1)));
  for (int i = 3; i >= 0; --i) p.push_back(static_cast<uint8_t>(s.version >> (8 * i)));
  p.push_back(static_cast<uint8_t>(s.dcid.size()));
  p.insert(p.end(), s.dcid.begin(), s.dcid.end());
  p.push_back(static_cast<uint8_t>(s.scid.size()));
  p.insert(p.end(), s.scid.begin(), s.scid.end());
  p.push_back(static_cast<uint8_t>(s.token.size()));  // tokens under 64 bytes: one-byte varint
  p.insert(p.end(), s.token.begin(), s.token.end());
  const size_t length = s.pn_length + frames.size() + quic::kAeadTagLength;
  p.push_back(static_cast<uint8_t>(0x40 | length >> 8));
  p.push_back(static_cast<uint8_t>(length));
  const size_t pn_offset = p.size();
  for (size_t i = s.pn_length; i-- > 0;) p.push_back(static_cast<uint8_t>(s.packet_number >> (8 * i)));

  std::array<uint8_t, 12> nonce = k.iv;
  for (size_t i = 0; i < 8; ++i) nonce[11 - i] ^= static_cast<uint8_t>(s.packet_number >> (8 * i));
  std::vector<uint8_t> sealed(frames.size() + quic::kAeadTagLength);
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  int len = 0;
  bool ok = EVP_EncryptInit_ex(ctx, EVP_aes_128_gcm(), nullptr, k.key.data(), nonce.data()) == 1 &&
            EVP_EncryptUpdate(ctx, nullptr, &len, p.data(), static_cast<int>(p.size())) == 1 &&
            EVP_EncryptUpdate(ctx, sealed.data(), &len, frames.data(), static_cast<int>(frames.size())) == 1 &&
            EVP_EncryptFinal_ex(ctx, sealed.data() + len, &len) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, sealed.data() + frames.size()) == 1;
  EVP_CIPHER_CTX_free(ctx);
  p.insert(p.end(), sealed.begin(), sealed.end());

  std::array<uint8_t, 16> mask{};
  ctx = EVP_CIPHER_CTX_new();
  ok = ok && EVP_EncryptInit_ex(ctx, EVP_aes_128_ecb(), nullptr, k.hp.data(), nullptr) == 1 &&
       EVP_EncryptUpdate(ctx, mask.data(), &len, p.data() + pn_offset + 4, 16) == 1;
  EVP_CIPHER_CTX_free(ctx);
  if (!ok) throw std::runtime_error("seal_initial: OpenSSL failed");
  p[0] ^= mask[0] & 0x0f;
  for (size_t i = 0; i < s.pn_length; ++i) p[pn_offset + i] ^= mask[1 + i];
  return p;
}

// A CRYPTO frame with a 4-byte offset varint (offset < 2^30) and a 2-byte length varint.
inline std::vector<uint8_t> crypto_frame(uint32_t offset, const std::vector<uint8_t>& data) {
  if (offset >= (1u << 30) || data.size() >= (1u << 14)) throw std::invalid_argument("crypto_frame: too large");
  std::vector<uint8_t> f = {0x06, static_cast<uint8_t>(0x80 | offset >> 24), static_cast<uint8_t>(offset >> 16),
                            static_cast<uint8_t>(offset >> 8), static_cast<uint8_t>(offset),
                            static_cast<uint8_t>(0x40 | data.size() >> 8), static_cast<uint8_t>(data.size())};
  f.insert(f.end(), data.begin(), data.end());
  return f;
}

// A handshake message (4-byte header) whose body is a byte pattern; the QUIC layer only frames it.
inline std::vector<uint8_t> handshake_message(uint8_t type, size_t body_length) {
  std::vector<uint8_t> m = {type, static_cast<uint8_t>(body_length >> 16), static_cast<uint8_t>(body_length >> 8),
                            static_cast<uint8_t>(body_length)};
  for (size_t i = 0; i < body_length; ++i) m.push_back(static_cast<uint8_t>(i * 7 + 3));
  return m;
}

}  // namespace c2hunt::testing

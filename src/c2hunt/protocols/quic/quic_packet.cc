// QUIC long headers, Initial key derivation and Initial packet decryption (OpenSSL 3).
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>

#include <algorithm>
#include <memory>
#include <string_view>

#include "c2hunt/protocols/quic/quic_initial.h"

namespace c2hunt::quic {

namespace {

// RFC 9001 section 5.2 and RFC 9369 section 3.3.1.
constexpr std::array<uint8_t, 20> kSaltV1 = {0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d, 0x17,
                                             0x9a, 0xe6, 0xa4, 0xc8, 0x0c, 0xad, 0xcc, 0xbb, 0x7f, 0x0a};
constexpr std::array<uint8_t, 20> kSaltV2 = {0x0d, 0xed, 0xe3, 0xde, 0xf7, 0x00, 0xa6, 0xdb, 0x81, 0x93,
                                             0x81, 0xbe, 0x6e, 0x26, 0x9d, 0xcb, 0xf9, 0xbd, 0x2e, 0xd9};

struct KdfDeleter {
  void operator()(EVP_KDF_CTX* c) const { EVP_KDF_CTX_free(c); }
};
struct CipherCtxDeleter {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxDeleter>;

EVP_KDF* hkdf() {
  static EVP_KDF* kdf = EVP_KDF_fetch(nullptr, "HKDF", nullptr);
  return kdf;
}

bool hkdf_run(int mode, ByteView key, ByteView salt, ByteView info, uint8_t* out, size_t out_len) {
  if (!hkdf()) return false;
  std::unique_ptr<EVP_KDF_CTX, KdfDeleter> ctx(EVP_KDF_CTX_new(hkdf()));
  if (!ctx) return false;
  char digest[] = "SHA256";
  OSSL_PARAM params[5];
  size_t n = 0;
  params[n++] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0);
  params[n++] = OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode);
  params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, const_cast<uint8_t*>(key.data()), key.size());
  if (mode == EVP_KDF_HKDF_MODE_EXTRACT_ONLY) {
    params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, const_cast<uint8_t*>(salt.data()), salt.size());
  } else {
    params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, const_cast<uint8_t*>(info.data()), info.size());
  }
  params[n] = OSSL_PARAM_construct_end();
  return EVP_KDF_derive(ctx.get(), out, out_len, params) == 1;
}

// TLS 1.3 HKDF-Expand-Label with an empty context (RFC 8446 section 7.1).
template <size_t N>
bool expand_label(ByteView secret, std::string_view label, std::array<uint8_t, N>& out) {
  constexpr std::string_view kPrefix = "tls13 ";
  std::array<uint8_t, 2 + 1 + 255 + 1> info{};
  const size_t label_len = kPrefix.size() + label.size();
  if (label_len > 255) return false;
  size_t n = 0;
  info[n++] = static_cast<uint8_t>(N >> 8);
  info[n++] = static_cast<uint8_t>(N);
  info[n++] = static_cast<uint8_t>(label_len);
  n = std::copy(kPrefix.begin(), kPrefix.end(), info.begin() + n) - info.begin();
  n = std::copy(label.begin(), label.end(), info.begin() + n) - info.begin();
  info[n++] = 0;
  return hkdf_run(EVP_KDF_HKDF_MODE_EXPAND_ONLY, secret, {}, ByteView(info.data(), n), out.data(), N);
}

bool derive_packet_keys(uint32_t version, ByteView initial_secret, std::string_view side_label, PacketKeys& k) {
  const bool v2 = version == kVersion2;
  return expand_label(initial_secret, side_label, k.secret) &&
         expand_label(k.secret, v2 ? "quicv2 key" : "quic key", k.key) &&
         expand_label(k.secret, v2 ? "quicv2 iv" : "quic iv", k.iv) &&
         expand_label(k.secret, v2 ? "quicv2 hp" : "quic hp", k.hp);
}

bool header_protection_mask(const std::array<uint8_t, 16>& hp, ByteView sample, std::array<uint8_t, 16>& mask) {
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  return ctx && EVP_EncryptInit_ex(ctx.get(), EVP_aes_128_ecb(), nullptr, hp.data(), nullptr) == 1 &&
         EVP_CIPHER_CTX_set_padding(ctx.get(), 0) == 1 &&
         EVP_EncryptUpdate(ctx.get(), mask.data(), &len, sample.data(), static_cast<int>(sample.size())) == 1 &&
         len == 16;
}

// AES-128-GCM open in place: `data` holds ciphertext followed by the tag; on success the first
// data.size() - 16 bytes are plaintext.
bool aead_open(const PacketKeys& k, uint64_t packet_number, ByteView aad, std::span<uint8_t> data) {
  if (data.size() < kAeadTagLength) return false;
  std::array<uint8_t, 12> nonce = k.iv;
  for (size_t i = 0; i < 8; ++i) nonce[nonce.size() - 1 - i] ^= static_cast<uint8_t>(packet_number >> (8 * i));
  const size_t text_len = data.size() - kAeadTagLength;
  std::span<uint8_t> tag = data.subspan(text_len);
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_128_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(nonce.size()), nullptr) != 1 ||
      EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, k.key.data(), nonce.data()) != 1 ||
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, aad.data(), static_cast<int>(aad.size())) != 1 ||
      EVP_DecryptUpdate(ctx.get(), data.data(), &len, data.data(), static_cast<int>(text_len)) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kAeadTagLength), tag.data()) != 1) {
    return false;
  }
  int final_len = 0;
  return EVP_DecryptFinal_ex(ctx.get(), data.data() + len, &final_len) == 1;
}

}  // namespace

bool is_supported_version(uint32_t version) { return version == kVersion1 || version == kVersion2; }

uint64_t read_varint(ByteCursor& c) {
  const uint8_t first = c.read_u8();
  const unsigned extra = (1u << (first >> 6)) - 1;
  uint64_t v = first & 0x3f;
  for (unsigned i = 0; i < extra; ++i) v = (v << 8) | c.read_u8();
  return c.ok() ? v : 0;
}

LongPacketType long_packet_type(uint32_t version, uint8_t first_byte) {
  const unsigned bits = (first_byte >> 4) & 0x03;
  if (version == kVersion2) {
    static constexpr LongPacketType kV2[] = {LongPacketType::retry, LongPacketType::initial,
                                             LongPacketType::zero_rtt, LongPacketType::handshake};
    return kV2[bits];
  }
  return static_cast<LongPacketType>(bits);
}

bool parse_long_header(ByteView bytes, LongHeader& out) {
  out = LongHeader{};
  ByteCursor c(bytes);
  out.first_byte = c.read_u8();
  out.version = c.read_u32();
  if (!c.ok() || !(out.first_byte & 0x80) || !is_supported_version(out.version)) return false;
  const uint8_t dcid_len = c.read_u8();
  if (dcid_len > kMaxConnectionIdLength) return false;
  out.dcid = c.take(dcid_len);
  const uint8_t scid_len = c.read_u8();
  if (scid_len > kMaxConnectionIdLength) return false;
  out.scid = c.take(scid_len);
  out.type = long_packet_type(out.version, out.first_byte);
  if (out.type == LongPacketType::retry) {
    out.packet_size = bytes.size();
    return c.ok();
  }
  if (out.type == LongPacketType::initial) out.token = c.take(read_varint(c));
  const uint64_t length = read_varint(c);
  if (!c.ok() || length > c.remaining()) return false;
  out.pn_offset = bytes.size() - c.remaining();
  out.packet_size = out.pn_offset + length;
  return true;
}

bool derive_initial_secrets(uint32_t version, ByteView original_dcid, InitialSecrets& out) {
  if (!is_supported_version(version)) return false;
  const auto& salt = version == kVersion2 ? kSaltV2 : kSaltV1;
  std::array<uint8_t, 32> initial_secret{};
  return hkdf_run(EVP_KDF_HKDF_MODE_EXTRACT_ONLY, original_dcid, salt, {}, initial_secret.data(),
                  initial_secret.size()) &&
         derive_packet_keys(version, initial_secret, "client in", out.client) &&
         derive_packet_keys(version, initial_secret, "server in", out.server);
}

uint64_t decode_packet_number(int64_t largest_pn, uint64_t truncated_pn, unsigned pn_bits) {
  const int64_t expected = largest_pn + 1;
  const int64_t win = int64_t{1} << pn_bits;
  const int64_t hwin = win / 2;
  const int64_t mask = win - 1;
  const int64_t candidate = (expected & ~mask) | static_cast<int64_t>(truncated_pn);
  if (candidate <= expected - hwin && candidate < (int64_t{1} << 62) - win) return static_cast<uint64_t>(candidate + win);
  if (candidate > expected + hwin && candidate >= win) return static_cast<uint64_t>(candidate - win);
  return static_cast<uint64_t>(candidate);
}

bool decrypt_initial_packet(ByteView bytes, const PacketKeys& keys, int64_t largest_pn,
                            std::vector<uint8_t>& scratch, DecryptedPacket& out) {
  out = DecryptedPacket{};
  LongHeader& h = out.header;
  if (!parse_long_header(bytes, h) || h.type != LongPacketType::initial) return false;
  // The sample is taken as if the packet number were 4 bytes long (RFC 9001 section 5.4.2).
  if (h.packet_size < h.pn_offset + 4 + kHeaderProtectionSampleLength) return false;
  scratch.assign(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(h.packet_size));
  std::span<uint8_t> packet(scratch);

  std::array<uint8_t, 16> mask{};
  if (!header_protection_mask(keys.hp, packet.subspan(h.pn_offset + 4, kHeaderProtectionSampleLength), mask)) {
    return false;
  }
  packet[0] ^= mask[0] & 0x0f;
  const size_t pn_len = (packet[0] & 0x03) + 1;
  uint64_t truncated = 0;
  for (size_t i = 0; i < pn_len; ++i) {
    packet[h.pn_offset + i] ^= mask[1 + i];
    truncated = (truncated << 8) | packet[h.pn_offset + i];
  }
  const size_t header_len = h.pn_offset + pn_len;
  if (h.packet_size < header_len + kAeadTagLength) return false;
  out.packet_number = decode_packet_number(largest_pn, truncated, static_cast<unsigned>(8 * pn_len));
  std::span<uint8_t> sealed = packet.subspan(header_len);
  if (!aead_open(keys, out.packet_number, packet.first(header_len), sealed)) return false;
  h.first_byte = packet[0];  // unprotected; dcid/scid/token still view `bytes`
  out.payload = ByteView(sealed.data(), sealed.size() - kAeadTagLength);
  return true;
}

bool looks_like_quic_initial(ByteView udp_payload) {
  LongHeader h;
  // The fixed bit is required here (RFC 9287 greasing is negotiated, never in a first Initial).
  return parse_long_header(udp_payload, h) && (h.first_byte & 0x40) && h.type == LongPacketType::initial &&
         h.packet_size >= h.pn_offset + 4 + kHeaderProtectionSampleLength && h.dcid.size() >= 1;
}

}  // namespace c2hunt::quic

#include "c2hunt/signals/payload_analysis.h"

#include <algorithm>
#include <array>
#include <utility>
#include <cmath>
#include <cstring>

namespace c2hunt::signals {
namespace {

bool starts_with(std::span<const uint8_t> b, const char* text) {
  size_t n = std::strlen(text);
  return b.size() >= n && std::memcmp(b.data(), text, n) == 0;
}

}  // namespace

const char* known_protocol_prefix(std::span<const uint8_t> b) {
  if (b.size() < 3) return nullptr;
  // TLS record: content type 20..23, version 3.x.
  if (b[0] >= 0x14 && b[0] <= 0x17 && b[1] == 0x03 && b[2] <= 0x04) return "tls";
  // SSLv2-compatible ClientHello: 2-byte length with the high bit, message type 1.
  if ((b[0] & 0x80) && b[2] == 0x01) return "sslv2";
  if (starts_with(b, "SSH-")) return "ssh";
  static const std::pair<const char*, const char*> kText[] = {
      {"GET ", "http"},      {"POST ", "http"},         {"PUT ", "http"},     {"HEAD ", "http"},
      {"DELETE ", "http"},   {"OPTIONS ", "http"},      {"CONNECT ", "http"}, {"PATCH ", "http"},
      {"TRACE ", "http"},    {"HTTP/1.", "http"},       {"PRI * HTTP/2", "http2"}, {"220 ", "smtp/ftp"},
      {"220-", "smtp/ftp"},  {"+OK", "pop3"},           {"* OK", "imap"},     {"EHLO", "smtp"},
      {"HELO", "smtp"},      {"USER ", "ftp"},          {"RFB ", "rfb"}};
  for (const auto& [text, name] : kText)
    if (starts_with(b, text)) return name;
  if (b.size() >= 8 && b[0] == 0x00 && (std::memcmp(b.data() + 4, "\xffSMB", 4) == 0 ||
                                        std::memcmp(b.data() + 4, "\xfeSMB", 4) == 0 ||
                                        std::memcmp(b.data() + 4, "\xfdSMB", 4) == 0))
    return "smb";
  if (b[0] == 0x03 && b[1] == 0x00) return "rdp";       // TPKT version 3
  if (b[0] == 0x05 && b.size() >= 3 && b[1] >= 1 && b[1] <= 8 && b[2] <= 0x03) return "socks5";
  if (b[0] == 0x04 && (b[1] == 0x01 || b[1] == 0x02)) return "socks4";
  if (b[0] == 0x1f && b[1] == 0x8b) return "gzip";
  if (b[0] == 0x78 && (b[1] == 0x01 || b[1] == 0x9c || b[1] == 0xda)) return "zlib";
  if (b[0] == 0x12 && b[1] == 0x01) return "tds";       // MS SQL prelogin
  if (b.size() >= 8 && b[4] == 0x00 && b[5] == 0x03 && b[6] == 0x00 && b[7] == 0x00) return "postgresql";
  // DNS over TCP: 2-byte length equal to the rest, then a header with QDCOUNT 1.
  if (b.size() >= 14) {
    size_t len = (size_t(b[0]) << 8) | b[1];
    if (len >= 12 && len + 2 >= b.size() && b[6] == 0x00 && b[7] == 0x01) return "dns";
  }
  return nullptr;
}

Randomness measure_randomness(std::span<const uint8_t> bytes) {
  Randomness r;
  r.bytes = bytes.size();
  if (bytes.empty()) return r;
  std::array<uint32_t, 256> counts{};
  for (uint8_t b : bytes) ++counts[b];
  double n = static_cast<double>(bytes.size());
  double expected = n / 256.0;
  for (uint32_t c : counts) {
    if (c) {
      double p = c / n;
      r.entropy_bits -= p * std::log2(p);
    }
    double d = c - expected;
    r.chi_square += d * d / expected;
  }
  r.max_entropy_bits = std::log2(std::min(n, 256.0));
  // Under uniform bytes the statistic has mean k-1 and variance 2(k-1)(n-1)/n exactly (k = 256 bins),
  // so the z-score is meaningful even for samples smaller than the bin count.
  double mean = 255.0;
  double sd = std::sqrt(2.0 * 255.0 * (n - 1.0) / n);
  r.chi_square_sigma = sd > 0 ? (r.chi_square - mean) / sd : 0;
  return r;
}

bool looks_random(const Randomness& r, size_t min_bytes, double max_sigma, double min_entropy_ratio) {
  if (r.bytes < min_bytes || r.bytes < 2) return false;
  // A random sample of n < 256 bytes still repeats a few values: compare with the expected entropy
  // (about log2(n) minus the collision loss), taken here as the ratio to log2(min(n, 256)).
  return r.chi_square_sigma <= max_sigma && r.entropy_bits >= min_entropy_ratio * r.max_entropy_bits;
}

}  // namespace c2hunt::signals

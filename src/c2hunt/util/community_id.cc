#include "c2hunt/util/community_id.h"

#include <openssl/evp.h>

#include <cstring>

#include "c2hunt/util/digest.h"

namespace c2hunt {
namespace {

std::string base64(const unsigned char* data, size_t n) {
  std::string out(4 * ((n + 2) / 3) + 1, '\0');
  int len = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(n));
  out.resize(static_cast<size_t>(len));
  return out;
}

}  // namespace

std::string community_id_v1(const IpAddress& src, uint16_t src_port, const IpAddress& dst, uint16_t dst_port,
                            uint8_t ip_proto, uint16_t seed) {
  // The spec orders the endpoints so both directions hash alike: the smaller (ip, port) goes first.
  bool swap = false;
  int cmp = std::memcmp(src.bytes.data(), dst.bytes.data(), src.length());
  if (cmp > 0 || (cmp == 0 && src_port > dst_port)) swap = true;
  const IpAddress& a = swap ? dst : src;
  const IpAddress& b = swap ? src : dst;
  uint16_t pa = swap ? dst_port : src_port, pb = swap ? src_port : dst_port;
  // seed(2) a b proto(1) pad(1) ports(4): at most 2 + 16 + 16 + 2 + 4 bytes.
  uint8_t buf[40];
  size_t n = 0;
  buf[n++] = static_cast<uint8_t>(seed >> 8);
  buf[n++] = static_cast<uint8_t>(seed);
  std::memcpy(buf + n, a.bytes.data(), a.length());
  n += a.length();
  std::memcpy(buf + n, b.bytes.data(), b.length());
  n += b.length();
  buf[n++] = ip_proto;
  buf[n++] = 0;
  bool has_ports = ip_proto == 6 || ip_proto == 17 || ip_proto == 132;
  if (has_ports) {
    buf[n++] = static_cast<uint8_t>(pa >> 8);
    buf[n++] = static_cast<uint8_t>(pa);
    buf[n++] = static_cast<uint8_t>(pb >> 8);
    buf[n++] = static_cast<uint8_t>(pb);
  }
  uint8_t sha1[kMaxDigestBytes];
  size_t size = digest(DigestAlgorithm::sha1, ByteView(buf, n), sha1);
  return "1:" + base64(sha1, size);
}

}  // namespace c2hunt

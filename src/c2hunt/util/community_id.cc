#include "c2hunt/util/community_id.h"

#include <openssl/evp.h>

#include <cstring>
#include <vector>

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
  std::vector<unsigned char> buf;
  buf.reserve(40);
  buf.push_back(static_cast<unsigned char>(seed >> 8));
  buf.push_back(static_cast<unsigned char>(seed));
  buf.insert(buf.end(), a.bytes.begin(), a.bytes.begin() + static_cast<long>(a.length()));
  buf.insert(buf.end(), b.bytes.begin(), b.bytes.begin() + static_cast<long>(b.length()));
  buf.push_back(ip_proto);
  buf.push_back(0);
  bool has_ports = ip_proto == 6 || ip_proto == 17 || ip_proto == 132;
  if (has_ports) {
    buf.push_back(static_cast<unsigned char>(pa >> 8));
    buf.push_back(static_cast<unsigned char>(pa));
    buf.push_back(static_cast<unsigned char>(pb >> 8));
    buf.push_back(static_cast<unsigned char>(pb));
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int dlen = 0;
  EVP_Digest(buf.data(), buf.size(), digest, &dlen, EVP_sha1(), nullptr);
  return "1:" + base64(digest, dlen);
}

}  // namespace c2hunt

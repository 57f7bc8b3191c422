// IPv4/IPv6 addresses as one value type (IPv4 kept in its own 4 bytes, not mapped), and CIDR networks.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace c2hunt {

struct IpAddress {
  std::array<uint8_t, 16> bytes{};
  uint8_t family = 0;  // 4, 6, or 0 for "none"

  static IpAddress v4(const uint8_t* b4);
  static IpAddress v4(uint32_t host_order);
  static IpAddress v6(const uint8_t* b16);
  static std::optional<IpAddress> parse(std::string_view text);

  bool is_v4() const { return family == 4; }
  bool is_v6() const { return family == 6; }
  bool valid() const { return family != 0; }
  size_t length() const { return family == 4 ? 4 : 16; }
  std::string to_string() const;

  // Local-scope addresses: RFC 1918, loopback, link-local, ULA, CGNAT.
  bool is_private_or_local() const;
  // Group or broadcast addresses (224.0.0.0/4, 255.255.255.255, ff00::/8): no DNS answer names them.
  bool is_multicast_or_broadcast() const {
    if (family == 4) return (bytes[0] & 0xf0) == 0xe0 || (bytes[0] == 255 && bytes[1] == 255 && bytes[2] == 255 && bytes[3] == 255);
    return family == 6 && bytes[0] == 0xff;
  }

  friend auto operator<=>(const IpAddress&, const IpAddress&) = default;
  // Two 8-byte compares: channel and flow lookups compare addresses on every record.
  friend bool operator==(const IpAddress& a, const IpAddress& b) {
    uint64_t x[2], y[2];
    std::memcpy(x, a.bytes.data(), 16);
    std::memcpy(y, b.bytes.data(), 16);
    return a.family == b.family && x[0] == y[0] && x[1] == y[1];
  }
};

struct IpNetwork {
  IpAddress base;
  uint8_t prefix = 0;
  static std::optional<IpNetwork> parse(std::string_view cidr);  // "10.0.0.0/8", "fd00::/8", or a bare address
  bool contains(const IpAddress& ip) const;
  std::string to_string() const;
};

struct IpAddressHash {
  size_t operator()(const IpAddress& ip) const noexcept;
};

}  // namespace c2hunt

// Hand-built TLS wire bytes for tests: handshake bodies, handshake messages and records.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace c2hunt::tls::testing {

using Bytes = std::vector<uint8_t>;

inline void put_u8(Bytes& b, uint32_t v) { b.push_back(static_cast<uint8_t>(v)); }
inline void put_u16(Bytes& b, uint32_t v) {
  put_u8(b, v >> 8);
  put_u8(b, v);
}
inline void put_u24(Bytes& b, uint32_t v) {
  put_u8(b, v >> 16);
  put_u16(b, v);
}
inline void put_bytes(Bytes& b, const Bytes& more) { b.insert(b.end(), more.begin(), more.end()); }
inline Bytes u8_prefixed(const Bytes& body) {
  Bytes b;
  put_u8(b, static_cast<uint32_t>(body.size()));
  put_bytes(b, body);
  return b;
}
inline Bytes u16_prefixed(const Bytes& body) {
  Bytes b;
  put_u16(b, static_cast<uint32_t>(body.size()));
  put_bytes(b, body);
  return b;
}
inline Bytes u24_prefixed(const Bytes& body) {
  Bytes b;
  put_u24(b, static_cast<uint32_t>(body.size()));
  put_bytes(b, body);
  return b;
}
inline Bytes u16_values(const std::vector<uint16_t>& values) {
  Bytes b;
  for (uint16_t v : values) put_u16(b, v);
  return b;
}

using Extension = std::pair<uint16_t, Bytes>;

inline Extension ext_sni(const std::string& host) {
  Bytes entry;
  put_u8(entry, 0);
  put_bytes(entry, u16_prefixed(Bytes(host.begin(), host.end())));
  return {0x0000, u16_prefixed(entry)};
}
inline Extension ext_alpn(const std::vector<std::string>& names) {
  Bytes list;
  for (const std::string& n : names) put_bytes(list, u8_prefixed(Bytes(n.begin(), n.end())));
  return {0x0010, u16_prefixed(list)};
}
inline Extension ext_u16_list(uint16_t type, const std::vector<uint16_t>& values) {
  return {type, u16_prefixed(u16_values(values))};
}
inline Extension ext_supported_versions(const std::vector<uint16_t>& values) {
  return {0x002b, u8_prefixed(u16_values(values))};
}
inline Extension ext_point_formats(const Bytes& formats) { return {0x000b, u8_prefixed(formats)}; }
inline Extension ext_key_share(const std::vector<uint16_t>& groups) {
  Bytes shares;
  for (uint16_t g : groups) {
    put_u16(shares, g);
    put_bytes(shares, u16_prefixed(Bytes(32, 0x42)));
  }
  return {0x0033, u16_prefixed(shares)};
}
inline Extension ext_empty(uint16_t type) { return {type, {}}; }

inline Bytes extensions_block(const std::vector<Extension>& extensions) {
  Bytes block;
  for (const auto& [type, data] : extensions) {
    put_u16(block, type);
    put_bytes(block, u16_prefixed(data));
  }
  return u16_prefixed(block);
}

struct ClientHelloSpec {
  uint16_t legacy_version = 0x0303;
  Bytes session_id;
  std::vector<uint16_t> ciphers;
  std::vector<Extension> extensions;
  bool omit_extensions = false;
};

inline Bytes client_hello_body(const ClientHelloSpec& s) {
  Bytes b;
  put_u16(b, s.legacy_version);
  put_bytes(b, Bytes(32, 0x11));
  put_bytes(b, u8_prefixed(s.session_id));
  put_bytes(b, u16_prefixed(u16_values(s.ciphers)));
  put_bytes(b, u8_prefixed({0}));
  if (!s.omit_extensions) put_bytes(b, extensions_block(s.extensions));
  return b;
}

struct ServerHelloSpec {
  uint16_t legacy_version = 0x0303;
  Bytes random = Bytes(32, 0x22);
  Bytes session_id;
  uint16_t cipher = 0xc030;
  std::vector<Extension> extensions;
};

inline Bytes server_hello_body(const ServerHelloSpec& s) {
  Bytes b;
  put_u16(b, s.legacy_version);
  put_bytes(b, s.random);
  put_bytes(b, u8_prefixed(s.session_id));
  put_u16(b, s.cipher);
  put_u8(b, 0);
  put_bytes(b, extensions_block(s.extensions));
  return b;
}

inline Bytes hello_retry_random() {
  return {0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
          0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c};
}

inline Bytes handshake_message(uint8_t type, const Bytes& body) {
  Bytes b;
  put_u8(b, type);
  put_bytes(b, u24_prefixed(body));
  return b;
}

// `payload` cut into records of at most `max_fragment` bytes.
inline Bytes records(uint8_t content_type, const Bytes& payload, size_t max_fragment = 16384,
                     uint16_t version = 0x0301) {
  Bytes out;
  size_t at = 0;
  do {
    size_t n = std::min(max_fragment, payload.size() - at);
    put_u8(out, content_type);
    put_u16(out, version);
    put_u16(out, static_cast<uint32_t>(n));
    out.insert(out.end(), payload.begin() + static_cast<std::ptrdiff_t>(at),
               payload.begin() + static_cast<std::ptrdiff_t>(at + n));
    at += n;
  } while (at < payload.size());
  return out;
}

inline Bytes handshake_records(const Bytes& messages, size_t max_fragment = 16384) {
  return records(22, messages, max_fragment);
}
inline Bytes change_cipher_spec() { return records(20, {1}, 16384, 0x0303); }
inline Bytes application_data(size_t n = 40) { return records(23, Bytes(n, 0xee), 16384, 0x0303); }

// The spec's worked JA4 example (FoxIO JA4.md): wire order as in its JA4_ro.
inline ClientHelloSpec spec_example_client_hello() {
  ClientHelloSpec s;
  s.ciphers = {0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9,
               0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035};
  const std::vector<uint16_t> sigalgs = {0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601};
  for (uint16_t type : {0x001b, 0x0000, 0x0033, 0x0010, 0x4469, 0x0017, 0x002d, 0x000d, 0x0005, 0x0023,
                        0x0012, 0x002b, 0xff01, 0x000b, 0x000a, 0x0015}) {
    switch (type) {
      case 0x0000: s.extensions.push_back(ext_sni("example.com")); break;
      case 0x0010: s.extensions.push_back(ext_alpn({"h2", "http/1.1"})); break;
      case 0x0033: s.extensions.push_back(ext_key_share({0x001d})); break;
      case 0x000d: s.extensions.push_back(ext_u16_list(0x000d, sigalgs)); break;
      case 0x002b: s.extensions.push_back(ext_supported_versions({0x0304, 0x0303})); break;
      case 0x000a: s.extensions.push_back(ext_u16_list(0x000a, {0x001d, 0x0017, 0x0018})); break;
      case 0x000b: s.extensions.push_back(ext_point_formats({0})); break;
      default: s.extensions.push_back(ext_empty(type)); break;
    }
  }
  return s;
}

}  // namespace c2hunt::tls::testing

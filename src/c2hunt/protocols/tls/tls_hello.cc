#include "c2hunt/protocols/tls/tls_hello.h"

#include <algorithm>
#include <array>

#include "c2hunt/x509/certificate_facts.h"

namespace c2hunt::tls {
namespace {

constexpr std::array<uint8_t, 32> kHelloRetryRandom = {
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
    0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c};

bool is_dtls(uint16_t version) { return (version >> 8) == 0xfe; }

// A list of 2-byte values; an odd length makes the list malformed.
bool read_u16_list(ByteCursor list, std::vector<uint16_t>& out) {
  if (list.remaining() % 2 != 0) return false;
  out.reserve(out.size() + list.remaining() / 2);
  while (list.has(2)) out.push_back(list.read_u16());
  return list.done();
}

void parse_server_name(ByteCursor data, records::TlsClientHello& out) {
  ByteCursor names = data.sub_u16_prefixed();
  while (names.has(3)) {
    uint8_t type = names.read_u8();
    ByteView name = names.sub_u16_prefixed().rest();
    if (!names.ok()) return;
    if (type == 0) {
      out.server_name.assign(as_chars(name.first(std::min(name.size(), kMaxServerNameBytes))));
      // A longer name is no DNS name: keep its start and say that it was cut, as certificates do.
      if (name.size() > kMaxServerNameBytes) out.server_name += x509::kTruncationMarker;
      return;
    }
  }
}

// Returns true when names were left over after kMaxAlpnNames.
bool parse_alpn_list(ByteCursor data, std::vector<std::string>& out) {
  ByteCursor names = data.sub_u16_prefixed();
  while (names.has(1) && out.size() < kMaxAlpnNames) {
    ByteCursor name = names.sub_u8_prefixed();
    if (!names.ok()) return false;
    out.emplace_back(as_chars(name.rest()));
  }
  return names.has(1);
}

void parse_client_extension(uint16_t type, ByteCursor data, records::TlsClientHello& out) {
  switch (type) {
    case ext::server_name:
      out.has_sni_extension = true;
      parse_server_name(data, out);
      break;
    case ext::supported_groups:
      read_u16_list(data.sub_u16_prefixed(), out.supported_groups);
      break;
    case ext::ec_point_formats: {
      ByteView formats = data.sub_u8_prefixed().rest();
      out.ec_point_formats.assign(formats.begin(), formats.end());
      break;
    }
    case ext::signature_algorithms:
      read_u16_list(data.sub_u16_prefixed(), out.signature_algorithms);
      break;
    case ext::alpn:
      out.alpn_truncated = parse_alpn_list(data, out.alpn);
      break;
    case ext::supported_versions:
      read_u16_list(data.sub_u8_prefixed(), out.supported_versions);
      break;
    case ext::key_share: {
      ByteCursor shares = data.sub_u16_prefixed();
      while (shares.has(4)) {
        uint16_t group = shares.read_u16();
        shares.sub_u16_prefixed();
        if (!shares.ok()) break;
        out.key_share_groups.push_back(group);
      }
      break;
    }
    default:
      break;
  }
}

void parse_server_extension(uint16_t type, ByteCursor data, records::TlsServerHello& out) {
  if (type == ext::supported_versions) {
    uint16_t v = data.read_u16();
    if (data.ok()) out.selected_version = v;
  } else if (type == ext::alpn) {
    std::vector<std::string> names;
    parse_alpn_list(data, names);
    if (!names.empty()) out.alpn = std::move(names.front());
  }
}

// Walks an extensions block (u16 length, then type/len/data items), calling `on` for each.
template <typename OnExtension>
bool walk_extensions(ByteCursor& c, std::vector<uint16_t>& types, OnExtension on) {
  if (c.empty()) return c.ok();  // extensions are optional before TLS 1.2
  ByteCursor block = c.sub_u16_prefixed();
  types.reserve(block.remaining() / 4);
  while (block.has(4)) {
    uint16_t type = block.read_u16();
    ByteCursor data = block.sub_u16_prefixed();
    if (!block.ok()) break;
    types.push_back(type);
    on(type, data);
  }
  return block.done() && c.done();
}

}  // namespace

bool is_hello_retry_random(ByteView random32) {
  return random32.size() == kHelloRetryRandom.size() &&
         std::equal(random32.begin(), random32.end(), kHelloRetryRandom.begin());
}

ByteView hello_session_id(ByteView body) {
  ByteCursor c(body);
  c.skip(2 + 32);
  return c.sub_u8_prefixed().rest();
}

bool parse_client_hello(ByteView body, records::TlsClientHello& out) {
  ByteCursor c(body);
  out.handshake_length = static_cast<uint32_t>(body.size());
  out.legacy_version = c.read_u16();
  c.skip(32);               // random
  c.sub_u8_prefixed();      // legacy_session_id
  if (is_dtls(out.legacy_version)) c.sub_u8_prefixed();  // cookie
  if (!read_u16_list(c.sub_u16_prefixed(), out.cipher_suites) || !c.ok()) return false;
  c.sub_u8_prefixed();      // compression methods
  if (!c.ok()) return false;
  return walk_extensions(c, out.extensions,
                         [&](uint16_t type, ByteCursor data) { parse_client_extension(type, data, out); });
}

bool parse_server_hello(ByteView body, records::TlsServerHello& out) {
  ByteCursor c(body);
  out.legacy_version = c.read_u16();
  out.hello_retry_request = is_hello_retry_random(c.take(32));
  c.sub_u8_prefixed();      // legacy_session_id_echo
  out.cipher_suite = c.read_u16();
  out.compression_method = c.read_u8();
  if (!c.ok()) return false;
  return walk_extensions(c, out.extensions,
                         [&](uint16_t type, ByteCursor data) { parse_server_extension(type, data, out); });
}

bool parse_sslv2_client_hello(ByteView record_body, records::TlsClientHello& out) {
  ByteCursor c(record_body);
  if (c.read_u8() != 1) return false;
  out.sslv2_record = true;
  out.record_version = 0x0002;
  out.handshake_length = static_cast<uint32_t>(record_body.size());
  out.legacy_version = c.read_u16();
  uint16_t cipher_specs_length = c.read_u16();
  uint16_t session_id_length = c.read_u16();
  uint16_t challenge_length = c.read_u16();
  ByteCursor specs = c.sub(cipher_specs_length);
  c.skip(session_id_length);
  c.skip(challenge_length);
  if (!c.ok() || cipher_specs_length % 3 != 0) return false;
  out.cipher_suites.reserve(cipher_specs_length / 3);
  while (specs.has(3)) {
    uint8_t kind = specs.read_u8();
    uint16_t suite = specs.read_u16();
    if (kind == 0) out.cipher_suites.push_back(suite);
  }
  return true;  // trailing bytes after the challenge are padding in some stacks: tolerated
}

}  // namespace c2hunt::tls

// DNS messages (UDP payloads, or TCP messages without their 2-byte length prefix): the question
// and the A/AAAA/CNAME answers, with bounded name decompression.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "c2hunt/util/byte_cursor.h"
#include "c2hunt/util/ip_address.h"

namespace c2hunt::dns {

struct Answer {
  std::string name;
  uint16_t type = 0;
  uint32_t ttl = 0;
  IpAddress address;   // for A/AAAA
  std::string target;  // for CNAME
};

struct Message {
  uint16_t id = 0;
  bool is_response = false;
  uint8_t opcode = 0, rcode = 0;
  std::string query;   // lower-cased, no trailing dot
  uint16_t qtype = 0;
  std::vector<Answer> answers;  // bounded by kMaxAnswers
  // The answer section was cut short: a malformed or truncated record, or more than kMaxAnswers
  // A/AAAA/CNAME records. The answers before that point are kept.
  bool answers_truncated = false;
};

constexpr size_t kMaxAnswers = 64;
constexpr size_t kMaxNameLength = 255;      // wire length, RFC 1035 section 2.3.4
constexpr size_t kMaxLabels = 127;          // what fits in 255 bytes of wire format
constexpr size_t kMaxCompressionJumps = 16;

constexpr uint16_t kTypeA = 1, kTypeCname = 5, kTypeAaaa = 28;

// Header and first question must parse (false otherwise); the answers are parsed as far as they go.
bool parse_message(ByteView bytes, Message& out);
// Reads the possibly compressed name at `offset` of `message` into `out` (lower-cased, dots between
// labels, no trailing dot; empty for the root). Compression pointers must point backwards, at most
// kMaxCompressionJumps of them. `end` receives the offset just past the name's bytes at `offset`.
bool read_name(ByteView message, size_t offset, std::string& out, size_t& end);
// Header sanity test used before treating a UDP flow as DNS.
bool looks_like_dns(ByteView bytes);

}  // namespace c2hunt::dns

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
  std::vector<Answer> answers;  // bounded
};

bool parse_message(ByteView bytes, Message& out);
// Header sanity test used before treating a UDP flow as DNS.
bool looks_like_dns(ByteView bytes);

}  // namespace c2hunt::dns

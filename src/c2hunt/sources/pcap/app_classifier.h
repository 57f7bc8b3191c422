// Guesses a TCP stream's application protocol from its first bytes (content, never the port).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "c2hunt/util/byte_cursor.h"

namespace c2hunt::pcap {

enum class StreamGuess : uint8_t { need_more, tls, http_connect, http, ssh, smb, rdp, dns, unknown };

// Bytes looked at before a stream is called unknown.
constexpr size_t kClassifyBytes = 8;

StreamGuess classify_client_stream(ByteView first_bytes);
// Protocols where the server speaks first (SSH banner); need_more when it says nothing decisive.
StreamGuess classify_server_stream(ByteView first_bytes);

struct ConnectTarget {
  std::string host;
  uint16_t port = 0;
};
// "CONNECT host:port HTTP/1.x" (with or without the trailing CR); IPv6 hosts in brackets.
std::optional<ConnectTarget> parse_connect_request_line(std::string_view line);
// "HTTP/1.x 2xx ..." status line prefix.
bool is_success_status_line(std::string_view start);

}  // namespace c2hunt::pcap

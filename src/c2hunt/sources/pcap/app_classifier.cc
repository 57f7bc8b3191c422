#include "c2hunt/sources/pcap/app_classifier.h"

#include <charconv>

#include "c2hunt/protocols/dns/dns_message.h"
#include "c2hunt/protocols/tls/tls_stream.h"

namespace c2hunt::pcap {
namespace {

bool starts_with(ByteView bytes, std::string_view prefix) { return as_chars(bytes).starts_with(prefix); }

bool is_smb_after_netbios(ByteView b) {
  // NetBIOS session message (type 0, 3-byte length) then the SMB1, SMB2 or SMB3-transform magic.
  ByteCursor c(b);
  uint8_t type = c.read_u8();
  c.skip(3);
  ByteView magic = c.take(4);
  if (!c.ok() || type != 0) return false;
  std::string_view m = as_chars(magic);
  return m == "\xffSMB" || m == "\xfeSMB" || m == "\xfdSMB";
}

bool is_rdp_tpkt(ByteView b) {
  // TPKT version 3, then an X.224 Connection Request (0xE0) or Confirm (0xD0).
  ByteCursor c(b);
  uint8_t version = c.read_u8(), reserved = c.read_u8();
  uint16_t length = c.read_u16();
  c.skip(1);  // X.224 length indicator
  uint8_t code = c.read_u8() & 0xf0;
  return c.ok() && version == 3 && reserved == 0 && length >= 11 && (code == 0xe0 || code == 0xd0);
}

bool is_dns_over_tcp(ByteView b) {
  ByteCursor c(b);
  uint16_t length = c.read_u16();
  return c.ok() && length >= 12 && dns::looks_like_dns(c.rest());
}

}  // namespace

StreamGuess classify_client_stream(ByteView b) {
  if (tls::looks_like_tls_client_start(b)) return StreamGuess::tls;
  if (b.size() < kClassifyBytes) return StreamGuess::need_more;
  if (starts_with(b, "CONNECT ")) return StreamGuess::http_connect;
  for (std::string_view method : {"GET ", "POST ", "HEAD ", "PUT ", "DELETE ", "OPTIONS ", "PATCH ", "HTTP/1."})
    if (starts_with(b, method)) return StreamGuess::http;
  if (starts_with(b, "SSH-")) return StreamGuess::ssh;
  if (is_smb_after_netbios(b)) return StreamGuess::smb;
  if (is_rdp_tpkt(b)) return StreamGuess::rdp;
  if (is_dns_over_tcp(b)) return StreamGuess::dns;
  return StreamGuess::unknown;
}

StreamGuess classify_server_stream(ByteView b) {
  if (b.size() < 4) return StreamGuess::need_more;
  if (starts_with(b, "SSH-")) return StreamGuess::ssh;
  return StreamGuess::need_more;
}

std::optional<ConnectTarget> parse_connect_request_line(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (!line.starts_with("CONNECT ")) return std::nullopt;
  line.remove_prefix(8);
  size_t space = line.find(' ');
  if (space == std::string_view::npos || !line.substr(space + 1).starts_with("HTTP/1.")) return std::nullopt;
  std::string_view target = line.substr(0, space);
  std::string_view host, port;
  if (target.starts_with('[')) {
    size_t close = target.find(']');
    if (close == std::string_view::npos || close + 1 >= target.size() || target[close + 1] != ':') return std::nullopt;
    host = target.substr(1, close - 1);
    port = target.substr(close + 2);
  } else {
    size_t colon = target.rfind(':');
    if (colon == std::string_view::npos) return std::nullopt;
    host = target.substr(0, colon);
    port = target.substr(colon + 1);
  }
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (host.empty() || ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535)
    return std::nullopt;
  return ConnectTarget{std::string(host), static_cast<uint16_t>(value)};
}

bool is_success_status_line(std::string_view s) {
  return s.size() >= 12 && s.starts_with("HTTP/1.") && s[8] == ' ' && s[9] == '2' && s[10] >= '0' && s[10] <= '9' &&
         s[11] >= '0' && s[11] <= '9';
}

}  // namespace c2hunt::pcap

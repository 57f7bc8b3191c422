#include "c2hunt/records/connection.h"

namespace c2hunt::records {

const char* transport_name(Transport t) {
  switch (t) {
    case Transport::tcp: return "tcp";
    case Transport::udp: return "udp";
    case Transport::icmp: return "icmp";
    default: return "other";
  }
}

const char* end_reason_name(EndReason r) {
  switch (r) {
    case EndReason::input_end: return "input_end";
    case EndReason::closed: return "closed";
    case EndReason::idle_timeout: return "idle_timeout";
    case EndReason::evicted: return "evicted";
    case EndReason::logged: return "logged";
  }
  return "input_end";
}

const char* app_protocol_name(AppProtocol p) {
  switch (p) {
    case AppProtocol::tls: return "tls";
    case AppProtocol::quic: return "quic";
    case AppProtocol::http: return "http";
    case AppProtocol::ssh: return "ssh";
    case AppProtocol::dns: return "dns";
    case AppProtocol::smb: return "smb";
    case AppProtocol::rdp: return "rdp";
    case AppProtocol::other_known: return "other";
    default: return "unknown";
  }
}

}  // namespace c2hunt::records

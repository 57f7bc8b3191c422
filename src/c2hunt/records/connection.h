// One transport connection (TCP, UDP or other), from whichever source saw it.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "c2hunt/records/process.h"
#include "c2hunt/records/tls.h"
#include "c2hunt/util/ip_address.h"
#include "c2hunt/util/time_format.h"

namespace c2hunt::records {

enum class Transport : uint8_t { other = 0, icmp = 1, tcp = 6, udp = 17 };
const char* transport_name(Transport t);  // "tcp", "udp", "icmp", "other"

enum class EndReason : uint8_t { input_end, closed, idle_timeout, evicted, logged };
const char* end_reason_name(EndReason r);

// Application protocol recognised from the payload (not from the port).
enum class AppProtocol : uint8_t { unknown, tls, quic, http, ssh, dns, smb, rdp, other_known };
const char* app_protocol_name(AppProtocol p);

struct Endpoint {
  IpAddress ip;
  uint16_t port = 0;
};

struct DirectionStats {
  uint64_t packets = 0;
  uint64_t ip_bytes = 0;        // IP header and payload, as Zeek's orig_ip_bytes
  uint64_t payload_bytes = 0;   // transport payload, as Zeek's orig_bytes (for TCP: sequence-space bytes)
  uint32_t reassembly_gaps = 0; // holes left in the handshake reassembly window
  uint64_t gap_bytes = 0;       // bytes missing from the stream, as Zeek's missed_bytes
};

// First bytes of payload per direction, kept for content classification and entropy tests.
constexpr size_t kPayloadSampleBytes = 256;

struct Connection {
  uint64_t id = 0;                  // unique within a run
  std::string uid;                  // source's own id (Zeek uid, Suricata flow_id) when it has one
  std::string source;               // "pcap", "zeek", "suricata", "sysmon"
  std::string input_file;
  Transport transport = Transport::other;
  Endpoint orig, resp;              // originator (who sent the first packet / the SYN) and responder
  TimeMicros first_seen = 0, last_seen = 0;
  DirectionStats orig_stats, resp_stats;
  std::string conn_state;           // Zeek conn_state: S0, S1, SF, REJ, S2, S3, RSTO, RSTR, RSTOS0, RSTRH, SH, SHR, OTH
  std::string history;              // Zeek-style history letters, when known
  EndReason end_reason = EndReason::input_end;
  uint16_t vlan = 0;
  std::string community_id;         // Community ID v1 ("1:...")

  AppProtocol app_protocol = AppProtocol::unknown;
  std::optional<TlsSession> tls;
  // Explicit proxy: the target of an HTTP CONNECT that preceded TLS on this connection.
  std::optional<std::string> connect_host;
  std::optional<uint16_t> connect_port;

  std::vector<uint8_t> orig_payload_sample, resp_payload_sample;  // up to kPayloadSampleBytes each

  // Host context: the process that made this connection, when host telemetry attributed it
  // (a network connection joined with a Sysmon EID 3, or a Sysmon-only connection).
  std::optional<Process> process;
  std::vector<Process> lineage;     // parent first, then its parent, ... up to the configured depth

  TimeMicros duration() const { return last_seen - first_seen; }
};

}  // namespace c2hunt::records

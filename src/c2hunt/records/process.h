// Host telemetry: a process and a host-side network connection event (Sysmon EID 1/3/5/7/22).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "c2hunt/util/ip_address.h"
#include "c2hunt/util/time_format.h"

namespace c2hunt::records {

struct Process {
  std::string entity_id;            // Sysmon ProcessGuid (normalised: lowercase, braces stripped)
  std::string parent_entity_id;
  std::string host;
  uint32_t pid = 0, parent_pid = 0;
  std::string executable;           // full image path
  std::string command_line;
  std::string parent_executable;
  std::string parent_command_line;
  std::string user;
  std::string hashes;               // Sysmon "SHA256=...,MD5=..."
  std::string integrity_level;
  std::string signer;               // from EID 7 of the main image, when present
  std::optional<bool> signed_valid;
  TimeMicros start = 0;
  std::optional<TimeMicros> end;
};

struct HostConnection {             // Sysmon Event ID 3
  TimeMicros time = 0;
  std::string host;
  std::string process_entity_id;
  uint32_t pid = 0;
  std::string executable;
  std::string user;
  std::string protocol;             // "tcp" / "udp"
  bool initiated = true;
  IpAddress source_ip, destination_ip;
  uint16_t source_port = 0, destination_port = 0;
  std::string destination_hostname; // reverse lookup by Sysmon, NOT the SNI
  std::string source_file;
  uint64_t record_number = 0;
};

}  // namespace c2hunt::records

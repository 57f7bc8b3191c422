// A DNS answer: which name resolved to which addresses, for whom, and when.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "c2hunt/util/ip_address.h"
#include "c2hunt/util/time_format.h"

namespace c2hunt::records {

struct DnsResolution {
  TimeMicros time = 0;
  IpAddress client;                 // who asked (the resolver's client)
  std::string query;                // lower-cased name, no trailing dot
  uint16_t qtype = 0;
  uint8_t rcode = 0;
  std::vector<IpAddress> addresses; // A/AAAA answers
  std::vector<std::string> cnames;
  uint32_t min_ttl = 0;
  std::string source;               // "pcap", "zeek", "suricata", "sysmon"
  std::string process_entity_id;    // Sysmon EID 22: the asking process, when known
};

}  // namespace c2hunt::records

// What sources push records into. The `connections` command writes them out; `scan` aggregates them.
#pragma once

#include <optional>
#include <string>

#include "c2hunt/records/connection.h"
#include "c2hunt/records/dns.h"
#include "c2hunt/records/process.h"

namespace c2hunt::records {

class RecordConsumer {
 public:
  virtual ~RecordConsumer() = default;
  virtual void on_connection(Connection&& c) = 0;
  virtual void on_dns(DnsResolution&& d) {}
  virtual void on_process(Process&& p) {}
  virtual void on_process_end(const std::string& entity_id, TimeMicros when) {}
  virtual void on_host_connection(HostConnection&& h) {}
  // Sysmon EID 7 of a process's own image: who signed it and whether the signature is valid.
  virtual void on_process_signer(const std::string& entity_id, const std::string& signer,
                                 std::optional<bool> valid) {}
};

}  // namespace c2hunt::records

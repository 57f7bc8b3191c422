// What sources push records into. The `connections` command writes them out; `scan` aggregates them.
#pragma once

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
};

}  // namespace c2hunt::records

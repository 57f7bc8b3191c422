// Joins host telemetry (Sysmon EID 3 and the process table) with network connections (pcap, Zeek,
// Suricata). Host events are few: they are indexed first, by 5-tuple. Network connections then
// stream through attach(): the clock offset between each host source and each network source is
// estimated from unique 5-tuple matches (median of the time differences, outliers rejected), and a
// connection joins the host event whose offset-corrected time is closest, within a tolerance.
// Without network data, every EID 3 becomes a Connection of its own (host-only detection).
// See docs/correlation.md for the algorithm.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "c2hunt/correlate/process_table.h"
#include "c2hunt/records/connection.h"
#include "c2hunt/records/consumer.h"
#include "c2hunt/util/counters.h"

namespace c2hunt::correlate {

struct HostNetworkJoinOptions {
  ProcessTableOptions processes;
  TimeMicros tolerance = 5 * kMicrosPerSecond;          // after offset correction
  TimeMicros outlier_limit = 120 * kMicrosPerSecond;    // a unique match this far from the estimate is rejected
  size_t min_samples_for_estimate = 3;                  // below this, unique matches are accepted at any offset
  size_t max_offset_samples = 4096;                     // per host/network source pair
  size_t max_host_connections = 2'000'000;              // indexed EID 3 events
  uint64_t first_connection_id = 1ULL << 40;            // ids of host-only Connections (kept clear of sources')
};

struct JoinOffset {
  std::string host_source;     // the Sysmon file
  std::string network_source;  // the capture or log file
  TimeMicros offset = 0;       // network time minus host time
  size_t samples = 0;          // unique 5-tuple matches the estimate was built from
  size_t outliers = 0;         // samples ignored as too far from the median
};

struct JoinSummary {
  uint64_t host_connections = 0;
  uint64_t network_connections = 0;
  uint64_t joined = 0;
  uint64_t network_unjoined = 0;
  uint64_t host_unjoined = 0;
  std::vector<JoinOffset> offsets;
};

class HostNetworkJoin : public records::RecordConsumer {
 public:
  // `downstream` (optional) receives DNS answers and, through on_connection, attached connections.
  HostNetworkJoin(Counters& counters, HostNetworkJoinOptions options = {},
                  records::RecordConsumer* downstream = nullptr);

  // Host side (a SysmonSource writes here).
  void on_process(records::Process&& p) override { processes_.add(std::move(p)); }
  void on_process_end(const std::string& entity_id, TimeMicros when) override { processes_.end(entity_id, when); }
  void on_process_signer(const std::string& entity_id, const std::string& signer,
                         std::optional<bool> valid) override {
    processes_.set_signer(entity_id, signer, valid);
  }
  void on_host_connection(records::HostConnection&& h) override;
  void on_dns(records::DnsResolution&& d) override {
    if (downstream_) downstream_->on_dns(std::move(d));
  }
  // Network side: attaches and forwards to downstream.
  void on_connection(records::Connection&& c) override;

  // Fills c.process/c.lineage when a host event matches (c is left as it was otherwise).
  void attach(records::Connection& c);
  // EID 3 events no network connection matched, as Connections (all of them when no network data came).
  std::vector<records::Connection> unmatched_host_connections();
  // A host event as a Connection on its own (source "sysmon").
  records::Connection to_connection(const records::HostConnection& h);

  JoinSummary summary() const;
  const ProcessTable& processes() const { return processes_; }
  ProcessTable& processes() { return processes_; }

 private:
  struct TupleKey {
    records::Transport transport;
    IpAddress orig_ip, resp_ip;
    uint16_t orig_port, resp_port;
    bool operator==(const TupleKey&) const = default;
  };
  struct TupleHash {
    size_t operator()(const TupleKey& k) const noexcept;
  };
  struct HostEntry {
    records::HostConnection event;
    uint32_t host_source = 0;
    std::vector<uint32_t> joined_by;  // network sources that matched it
  };
  struct OffsetEstimate {
    std::vector<TimeMicros> samples;
    size_t outliers = 0;
    std::optional<TimeMicros> cached;
    std::optional<TimeMicros> value();  // median of the samples, once there are enough
  };

  static TupleKey key_of(const records::HostConnection& h);
  static TupleKey key_of(const records::Connection& c);
  uint32_t intern(std::map<std::string, uint32_t>& ids, std::vector<std::string>& names, const std::string& s);
  void fill(records::Connection& c, const records::HostConnection& h) const;
  OffsetEstimate& estimate(uint32_t host_source, uint32_t network_source);

  HostNetworkJoinOptions options_;
  ProcessTable processes_;
  records::RecordConsumer* downstream_;
  std::vector<HostEntry> host_;
  std::unordered_multimap<TupleKey, size_t, TupleHash> by_tuple_;
  std::map<std::string, uint32_t> host_source_ids_, network_source_ids_;
  std::vector<std::string> host_source_names_, network_source_names_;
  std::map<std::pair<uint32_t, uint32_t>, OffsetEstimate> offsets_;
  uint64_t next_id_;
  uint64_t& host_connections_;
  uint64_t& network_connections_;
  uint64_t& joined_;
  uint64_t& unjoined_;
  uint64_t& ambiguous_;
  uint64_t& rejected_outlier_;
  uint64_t& outside_tolerance_;
  uint64_t& host_index_full_;
  uint64_t& no_estimate_;
};

}  // namespace c2hunt::correlate

// The live process table built from host telemetry (Sysmon EID 1/5/7): processes keyed by their
// entity id (ProcessGuid), with a fallback by host + pid + time for events that lack GUIDs, lineage
// up to a configurable depth, lifetime and signer. Bounded: over the cap, ended processes are
// evicted first (oldest end first), then the oldest live ones; every eviction is counted.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string_view>
#include <string>
#include <unordered_map>
#include <vector>

#include "c2hunt/records/connection.h"
#include "c2hunt/records/process.h"
#include "c2hunt/util/counters.h"

namespace c2hunt::correlate {

struct ProcessTableOptions {
  size_t max_processes = 200'000;
  size_t lineage_depth = 8;
  // Without GUIDs a pid matches the newest process with that pid started at most this long before.
  TimeMicros pid_match_window = 24LL * 3600 * kMicrosPerSecond;
};

class ProcessTable {
 public:
  explicit ProcessTable(Counters& counters, ProcessTableOptions options = {});

  void add(records::Process&& p);
  void end(const std::string& entity_id, TimeMicros when);
  void set_signer(const std::string& entity_id, const std::string& signer, std::optional<bool> valid);

  const records::Process* find(const std::string& entity_id) const;
  // Newest process of that host and pid started before `when` (within the window), alive at `when`.
  const records::Process* find_by_pid(const std::string& host, uint32_t pid, TimeMicros when) const;
  // Parent first, then its parent, ..., up to lineage_depth. A parent missing from the table is
  // described from the child's ParentImage/ParentCommandLine/ParentProcessId fields.
  std::vector<records::Process> lineage(const records::Process& p) const;
  // The process behind a host connection: from the table when known, else built from the event itself.
  records::Process process_for(const records::HostConnection& h) const;

  size_t size() const { return by_id_.size(); }
  size_t pid_index_size() const { return by_pid_.size(); }  // host|pid keys held for GUID-less lookups
  const ProcessTableOptions& options() const { return options_; }

 private:
  void evict_one();
  void compact();
  void erase(std::unordered_map<std::string, records::Process>::iterator it);
  static std::string pid_key(const std::string& host, uint32_t pid);

  ProcessTableOptions options_;
  std::unordered_map<std::string, records::Process> by_id_;
  std::unordered_map<std::string, std::vector<std::string>> by_pid_;  // host|pid -> entity ids, oldest first
  std::deque<std::string> insertion_order_, end_order_;                // lazily cleaned
  uint64_t& evicted_ended_;
  uint64_t& evicted_live_;
  uint64_t& synthetic_ids_;
  uint64_t& unknown_end_;
  uint64_t& compactions_;
};

}  // namespace c2hunt::correlate

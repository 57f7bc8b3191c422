// One Sysmon event as read from any of the formats (EVTX, event XML, JSON lines), before it becomes
// records. Values are views into the reader's buffer: valid only while the reader handles the event.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "c2hunt/records/consumer.h"
#include "c2hunt/util/counters.h"
#include "c2hunt/util/time_format.h"

namespace c2hunt::sysmon {

// Limits on what one event may grow to (an adversary controls these files).
constexpr size_t kMaxFieldsPerEvent = 256;
constexpr size_t kMaxEventBytes = 1 << 20;      // one XML event, one JSON line, one rendered EVTX record
constexpr size_t kMaxFieldBytes = 32 * 1024;    // longer values are truncated (counted)
constexpr size_t kMaxDnsAnswers = 64;

struct SysmonEvent {
  int event_id = -1;
  std::string_view provider;  // "Microsoft-Windows-Sysmon"
  std::string_view channel;   // "Microsoft-Windows-Sysmon/Operational"
  std::string_view computer;
  uint64_t record_number = 0;
  std::string_view system_time;  // TimeCreated/@timestamp, used when UtcTime is absent
  // EventData fields by their Sysmon names; `fallback` holds ECS-derived values (process.executable ->
  // Image ...) that are only used when the Sysmon name itself is absent.
  std::vector<std::pair<std::string_view, std::string_view>> fields, fallback;

  void clear();
  std::string_view get(std::string_view name) const;
  bool is_sysmon() const;
};

// Normalises a Sysmon GUID: braces stripped, lowercase.
std::string normalize_guid(std::string_view guid);

// Turns SysmonEvents into records and counts what it skips. Shared by the three readers.
class EventDispatcher {
 public:
  EventDispatcher(records::RecordConsumer& consumer, Counters& counters);
  // Returns false when the event was not usable (the caller reports it).
  bool dispatch(const SysmonEvent& e, const std::string& file, std::string* problem);

 private:
  records::RecordConsumer& consumer_;
  Counters& counters_;
  uint64_t& events_;
  uint64_t& non_sysmon_;
  uint64_t& truncated_;
  uint64_t& bad_time_;
  std::vector<uint64_t*> by_eid_;  // cached counters "sysmon.eid.<n>" for small ids
  uint64_t& eid_counter(int eid);
  std::string take(std::string_view v);
};

}  // namespace c2hunt::sysmon

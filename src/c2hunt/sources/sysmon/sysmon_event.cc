#include "c2hunt/sources/sysmon/sysmon_event.h"

#include <charconv>

#include "c2hunt/util/ip_address.h"

namespace c2hunt::sysmon {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

bool istarts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

template <typename T>
T parse_uint(std::string_view s, T fallback = 0) {
  s = trim(s);
  T v{};
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && p == s.data() + s.size() ? v : fallback;
}

// Sysmon writes IPv4 peers of dual-stack sockets as "::ffff:a.b.c.d"; keep them as IPv4.
std::optional<IpAddress> parse_ip(std::string_view s) {
  s = trim(s);
  if (istarts_with(s, "::ffff:") && s.find('.') != std::string_view::npos) s.remove_prefix(7);
  return IpAddress::parse(s);
}

bool parse_bool(std::string_view s) {
  s = trim(s);
  return iequals(s, "true") || s == "1";
}

std::string lower_name(std::string_view s) {
  std::string out(trim(s));
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  while (!out.empty() && out.back() == '.') out.pop_back();
  return out;
}

// Windows DNS status codes as Sysmon reports them in QueryStatus, mapped to DNS rcodes.
uint8_t rcode_from_query_status(std::string_view status) {
  uint32_t s = parse_uint<uint32_t>(status, 0);
  if (s == 0) return 0;
  if (s == 9003) return 3;  // DNS_ERROR_RCODE_NAME_ERROR
  if (s == 9002) return 2;  // DNS_ERROR_RCODE_SERVER_FAILURE
  if (s == 9005) return 5;  // DNS_ERROR_RCODE_REFUSED
  return 2;
}

}  // namespace

void SysmonEvent::clear() {
  event_id = -1;
  provider = channel = computer = system_time = {};
  record_number = 0;
  fields.clear();
  fallback.clear();
}

std::string_view SysmonEvent::get(std::string_view name) const {
  for (const auto& [k, v] : fields)
    if (k == name) return v;
  for (const auto& [k, v] : fallback)
    if (k == name) return v;
  return {};
}

bool SysmonEvent::is_sysmon() const {
  static constexpr std::string_view kChannel = "Microsoft-Windows-Sysmon/Operational";
  if (channel == kChannel) return true;  // the usual spelling, before the case-insensitive tests
  return iequals(provider, "Microsoft-Windows-Sysmon") || istarts_with(channel, "Microsoft-Windows-Sysmon/");
}

std::string normalize_guid(std::string_view guid) {
  guid = trim(guid);
  if (!guid.empty() && guid.front() == '{') guid.remove_prefix(1);
  if (!guid.empty() && guid.back() == '}') guid.remove_suffix(1);
  std::string out(guid.substr(0, 64));
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

EventDispatcher::EventDispatcher(records::RecordConsumer& consumer, Counters& counters)
    : consumer_(consumer),
      counters_(counters),
      events_(counters.counter("sysmon.events")),
      non_sysmon_(counters.counter("sysmon.non_sysmon_events")),
      truncated_(counters.counter("sysmon.truncated_values")),
      bad_time_(counters.counter("sysmon.bad_time")),
      by_eid_(256, nullptr) {}

uint64_t& EventDispatcher::eid_counter(int eid) {
  if (eid >= 0 && eid < static_cast<int>(by_eid_.size())) {
    uint64_t*& slot = by_eid_[static_cast<size_t>(eid)];
    if (!slot) slot = &counters_.counter("sysmon.eid." + std::to_string(eid));
    return *slot;
  }
  return counters_.counter("sysmon.eid.other");
}

std::string EventDispatcher::take(std::string_view v) {
  v = trim(v);
  if (v == "-") return {};
  if (v.size() > kMaxFieldBytes) {
    ++truncated_;
    v = v.substr(0, kMaxFieldBytes);
  }
  return std::string(v);
}

bool EventDispatcher::dispatch(const SysmonEvent& e, const std::string& file, std::string* problem) {
  if (!e.is_sysmon()) {
    ++non_sysmon_;
    return true;
  }
  ++events_;
  ++eid_counter(e.event_id);
  const int eid = e.event_id;
  if (eid != 1 && eid != 3 && eid != 5 && eid != 7 && eid != 22) {
    ++counters_.counter("sysmon.skipped_events");
    return true;
  }
  std::string_view when_text = e.get("UtcTime");
  if (when_text.empty()) when_text = e.system_time;
  std::optional<TimeMicros> when = parse_iso8601(trim(when_text));
  if (!when) {
    ++bad_time_;
    if (problem) *problem = "event " + std::to_string(eid) + " has no usable UtcTime '" + std::string(when_text.substr(0, 64)) + "'";
    return false;
  }
  const std::string guid = normalize_guid(e.get("ProcessGuid"));
  switch (eid) {
    case 1: {
      records::Process p;
      p.entity_id = guid;
      p.parent_entity_id = normalize_guid(e.get("ParentProcessGuid"));
      p.host = take(e.computer);
      p.pid = parse_uint<uint32_t>(e.get("ProcessId"));
      p.parent_pid = parse_uint<uint32_t>(e.get("ParentProcessId"));
      p.executable = take(e.get("Image"));
      p.command_line = take(e.get("CommandLine"));
      p.parent_executable = take(e.get("ParentImage"));
      p.parent_command_line = take(e.get("ParentCommandLine"));
      p.user = take(e.get("User"));
      p.hashes = take(e.get("Hashes"));
      p.integrity_level = take(e.get("IntegrityLevel"));
      p.start = *when;
      consumer_.on_process(std::move(p));
      return true;
    }
    case 3: {
      records::HostConnection h;
      h.time = *when;
      h.host = take(e.computer);
      h.process_entity_id = guid;
      h.pid = parse_uint<uint32_t>(e.get("ProcessId"));
      h.executable = take(e.get("Image"));
      h.user = take(e.get("User"));
      h.protocol = lower_name(e.get("Protocol"));
      std::string_view initiated = e.get("Initiated");
      h.initiated = initiated.empty() || parse_bool(initiated);
      auto src = parse_ip(e.get("SourceIp"));
      auto dst = parse_ip(e.get("DestinationIp"));
      if (!src || !dst) {
        if (problem) *problem = "network connection event without valid SourceIp/DestinationIp";
        return false;
      }
      h.source_ip = *src;
      h.destination_ip = *dst;
      h.source_port = parse_uint<uint16_t>(e.get("SourcePort"));
      h.destination_port = parse_uint<uint16_t>(e.get("DestinationPort"));
      h.destination_hostname = take(e.get("DestinationHostname"));
      h.source_file = file;
      h.record_number = e.record_number;
      consumer_.on_host_connection(std::move(h));
      return true;
    }
    case 5:
      consumer_.on_process_end(guid, *when);
      return true;
    case 7: {
      // Only the load of the process's own image says who signed the process.
      std::string_view image = trim(e.get("Image")), loaded = trim(e.get("ImageLoaded"));
      if (image.empty() || !iequals(image, loaded)) {
        ++counters_.counter("sysmon.image_loads_not_main_image");
        return true;
      }
      std::string_view status = e.get("SignatureStatus");
      std::optional<bool> valid;
      if (!status.empty()) valid = iequals(trim(status), "Valid");
      else if (!e.get("Signed").empty()) valid = parse_bool(e.get("Signed"));
      consumer_.on_process_signer(guid, take(e.get("Signature")), valid);
      return true;
    }
    case 22: {
      records::DnsResolution d;
      d.time = *when;
      d.query = lower_name(e.get("QueryName"));
      d.rcode = rcode_from_query_status(e.get("QueryStatus"));
      d.source = "sysmon";
      d.process_entity_id = guid;
      // QueryResults: "type:  5 cname.example;::ffff:1.2.3.4;2001:db8::1;" ("-" when empty).
      std::string_view rest = e.get("QueryResults");
      size_t answers = 0;
      while (!rest.empty() && answers < kMaxDnsAnswers) {
        size_t semi = rest.find(';');
        std::string_view item = trim(rest.substr(0, semi));
        rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
        if (item.empty() || item == "-") continue;
        ++answers;
        if (istarts_with(item, "type:")) {
          item = trim(item.substr(5));
          size_t sp = item.find(' ');
          if (sp != std::string_view::npos && parse_uint<uint32_t>(item.substr(0, sp)) == 5)
            d.cnames.push_back(lower_name(item.substr(sp + 1)));
          continue;
        }
        if (auto ip = parse_ip(item)) d.addresses.push_back(*ip);
      }
      if (answers == kMaxDnsAnswers && !rest.empty()) ++counters_.counter("sysmon.dns_answers_truncated");
      consumer_.on_dns(std::move(d));
      return true;
    }
  }
  return true;
}

}  // namespace c2hunt::sysmon

// Test helper: a consumer that keeps every host record a SysmonSource emits.
#pragma once

#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include "c2hunt/records/consumer.h"
#include "c2hunt/sources/sysmon/sysmon_source.h"
#include "c2hunt/util/counters.h"
#include "c2hunt/util/diagnostics.h"
#include "c2hunt/util/time_format.h"

namespace c2hunt::sysmon::testing {

struct Signer {
  std::string entity_id, signer;
  std::optional<bool> valid;
};

struct Collected : records::RecordConsumer {
  std::vector<records::Process> processes;
  std::vector<records::HostConnection> connections;
  std::vector<records::DnsResolution> dns;
  std::vector<std::pair<std::string, TimeMicros>> ends;
  std::vector<Signer> signers;
  void on_connection(records::Connection&&) override {}
  void on_process(records::Process&& p) override { processes.push_back(std::move(p)); }
  void on_host_connection(records::HostConnection&& h) override { connections.push_back(std::move(h)); }
  void on_dns(records::DnsResolution&& d) override { dns.push_back(std::move(d)); }
  void on_process_end(const std::string& id, TimeMicros t) override { ends.emplace_back(id, t); }
  void on_process_signer(const std::string& id, const std::string& s, std::optional<bool> v) override {
    signers.push_back({id, s, v});
  }
};

// Reads a file or an in-memory text through a fresh source; diagnostics go to a scratch stream.
struct Reader {
  Collected out;
  Counters counters;
  std::FILE* sink = std::tmpfile();
  Diagnostics diagnostics{sink};
  bool ok = false;
  uint64_t evtx_whole_file_limit = 64ull << 20;  // SysmonSource's default
  uint64_t evtx_corrupt_record_limit = 10000;    // SysmonSource's default
  ~Reader() {
    if (sink) std::fclose(sink);
  }
  Reader& file(const std::string& path, bool strict = false) {
    SysmonSource source(out, counters, diagnostics, strict);
    source.set_evtx_whole_file_limit(evtx_whole_file_limit);
    source.set_evtx_corrupt_record_limit(evtx_corrupt_record_limit);
    ok = source.read_file(path);
    return *this;
  }
  Reader& text(const std::string& data, Format format, bool strict = false) {
    SysmonSource source(out, counters, diagnostics, strict);
    std::FILE* in = fmemopen(const_cast<char*>(data.data()), data.size(), "rb");
    ok = source.read_stream(in, "test-input", format);
    std::fclose(in);
    return *this;
  }
  std::string messages() {
    std::fflush(sink);
    std::rewind(sink);
    std::string all;
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, sink)) > 0) all.append(buf, n);
    return all;
  }
};

inline std::string micros(TimeMicros t) { return format_iso8601(t); }

// A canonical text of everything a file yields, for comparing two renderings of the same events.
inline std::string canonical(const Collected& c) {
  std::ostringstream o;
  for (const auto& p : c.processes)
    o << "P " << p.entity_id << ' ' << p.parent_entity_id << ' ' << p.host << ' ' << p.pid << ' ' << p.parent_pid
      << ' ' << p.executable << ' ' << p.command_line << ' ' << p.parent_executable << ' ' << p.parent_command_line
      << ' ' << p.user << ' ' << p.hashes << ' ' << p.integrity_level << ' ' << micros(p.start) << '\n';
  for (const auto& h : c.connections)
    o << "C " << micros(h.time) << ' ' << h.host << ' ' << h.process_entity_id << ' ' << h.pid << ' '
      << h.executable << ' ' << h.user << ' ' << h.protocol << ' ' << h.initiated << ' ' << h.source_ip.to_string()
      << ':' << h.source_port << ' ' << h.destination_ip.to_string() << ':' << h.destination_port << ' '
      << h.destination_hostname << ' ' << h.record_number << '\n';
  for (const auto& d : c.dns) {
    o << "D " << micros(d.time) << ' ' << d.process_entity_id << ' ' << d.query << ' ' << int(d.rcode);
    for (const auto& cname : d.cnames) o << " cname " << cname;
    for (const auto& address : d.addresses) o << ' ' << address.to_string();
    o << '\n';
  }
  for (const auto& [id, t] : c.ends) o << "E " << id << ' ' << micros(t) << '\n';
  for (const auto& s : c.signers) o << "S " << s.entity_id << ' ' << s.signer << '\n';
  return o.str();
}

}  // namespace c2hunt::sysmon::testing

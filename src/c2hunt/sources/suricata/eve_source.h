// Reads Suricata eve.json (JSON Lines, plain or gzip; files or directories of *.json) and pushes
// records::Connection (source "suricata", uid = flow_id) from `flow` events with the facts of
// the `tls` event of the same flow_id joined in, and records::DnsResolution from `dns` answers.
//
// Join order and memory: Suricata writes a flow's tls event before its flow event, but files can
// be split anywhere, so every queued file is read twice at finish(): first for tls and dns events
// (tls events wait in a map keyed by flow_id, capped by EveOptions), then for flow events, each
// emitted at once with its tls event. tls events no flow claimed are emitted as TLS-only
// connections at the end. Nothing is emitted before finish().
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "c2hunt/records/consumer.h"
#include "c2hunt/util/counters.h"
#include "c2hunt/util/diagnostics.h"

namespace c2hunt::suricata {

struct EveOptions {
  size_t max_pending_tls = 2'000'000;  // tls events waiting for their flow event
};

class EveSource {
 public:
  EveSource(records::RecordConsumer& consumer, Counters& counters, Diagnostics& diagnostics, EveOptions options = {});
  ~EveSource();
  EveSource(const EveSource&) = delete;
  EveSource& operator=(const EveSource&) = delete;

  // Queues an eve.json file, or every *.json / *.json.gz in a directory that looks like eve.
  // Returns false when nothing readable was found (reported).
  bool read_path(const std::string& file_or_directory);
  // Eve text in memory (tests, fuzzing); queued like a file.
  bool read_text(const std::string& name, std::string_view text);
  void finish();

  // True when the first line is a JSON object with "event_type" (and, for a directory, when a
  // *.json file in it is such a file).
  static bool looks_like_eve(const std::string& path);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Suricata prints names most significant RDN first with ", " ("C=US, O=Org, CN=host"); c2hunt
// keeps RFC 4514 order as OpenSSL and Zeek print it ("CN=host,O=Org,C=US").
std::string rfc4514_from_suricata_dn(std::string_view dn);
// "00:99:FA:A8" -> "99FAA8", "01" -> "01" (Zeek's form: uppercase, no separators, whole bytes
// without the DER sign byte).
std::string serial_from_suricata(std::string_view serial);

}  // namespace c2hunt::suricata

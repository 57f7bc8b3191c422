// Reads Zeek logs (conn, ssl, x509, dns; TSV or JSON Lines; plain or gzip; files or directories)
// and pushes records::Connection (source "zeek", uid = Zeek uid) with the TLS facts of ssl.log and
// the certificates of x509.log joined in, and records::DnsResolution from dns.log.
//
// Join order and memory: ssl.log, x509.log and dns.log are read as soon as read_path() sees them;
// ssl rows wait in a map keyed by uid, certificates in maps keyed by fingerprint (Zeek 6+
// cert_chain_fps) or file id (older cert_chain_fuids). conn.log files are read at finish(): each
// conn row is emitted at once with its ssl row (and certificates) joined, so conn.log is streamed
// and never held. A directory is read one rotation at a time (the ssl/x509/dns logs of a rotation,
// then its conn logs), so pending rows follow one rotation rather than the whole directory; rows a
// rotation leaves unclaimed keep waiting for later rotations. ssl rows no conn row claimed are
// emitted at finish() as TLS-only connections.
// Both maps are capped (ZeekOptions); what a cap refuses is counted and reported once.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "c2hunt/records/consumer.h"
#include "c2hunt/util/counters.h"
#include "c2hunt/util/diagnostics.h"

namespace c2hunt::zeek {

struct ZeekOptions {
  size_t max_pending_ssl = 4'000'000;        // ssl rows waiting for their conn row
  size_t max_certificates = 1'000'000;       // x509 rows waiting to be joined
  size_t max_pooled_strings = 4'000'000;     // distinct SNI/JA3/JA4/subject/... values kept for pending rows
};

class ZeekSource {
 public:
  ZeekSource(records::RecordConsumer& consumer, Counters& counters, Diagnostics& diagnostics,
             ZeekOptions options = {});
  ~ZeekSource();
  ZeekSource(const ZeekSource&) = delete;
  ZeekSource& operator=(const ZeekSource&) = delete;

  // A log file, or a directory whose conn/ssl/x509/dns logs (rotated and .gz names included) are
  // read. Returns false when the path cannot be read or holds no log c2hunt reads (reported).
  bool read_path(const std::string& file_or_directory);
  // Log text in memory under a file name (which decides the kind when the text does not); for
  // tests and fuzzing. conn rows are held until finish() like conn files.
  bool read_text(const std::string& file_name, std::string_view text);
  // Reads the conn logs, joins, and emits everything still pending.
  void finish();

  // True for a directory holding a conn.log/ssl.log (any rotation, .gz), or a file whose first
  // line is a Zeek TSV header or a Zeek JSON object.
  static bool looks_like_zeek_log(const std::string& path);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace c2hunt::zeek

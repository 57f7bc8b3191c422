// Known-bad values (JA3, JA3S, JA4, JA4S, JA4X, certificate SHA-1 and serial) loaded from intel files.
// Formats (detected from the header, which may itself be commented out with '#'):
//   abuse.ch SSLBL JA3 CSV:          # ja3_md5,Firstseen,Lastseen,Listingreason
//   abuse.ch SSLBL certificate CSV:  # Listingdate,SHA1,Listingreason
//   re-formatted certificate CSV:    SHA1,ListingReason,ListingDate  (UTF-8 BOM and CRLF tolerated)
//   c2hunt's own:                    type,value,name,source  (type: ja3 ja3s ja4 ja4s ja4x cert_sha1 cert_serial)
// Bad lines are reported through Diagnostics and counted; the rest is loaded.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "c2hunt/util/string_map.h"

#include "c2hunt/util/counters.h"
#include "c2hunt/util/diagnostics.h"

namespace c2hunt::signals {

enum class IntelKind { ja3, ja3s, ja4, ja4s, ja4x, cert_sha1, cert_serial };
const char* intel_kind_name(IntelKind k);

struct IntelHit {
  std::string name;     // listing reason / malware family
  std::string source;   // file (and source URL for the curated list)
};

struct IntelLoadResult {
  bool recognised = false;   // a known header was found
  size_t loaded = 0, bad_lines = 0;
};

class IntelDb {
 public:
  explicit IntelDb(size_t max_entries = 1'000'000) : max_entries_(max_entries) {}

  // `origin` names the file in messages.
  IntelLoadResult load_text(std::string_view text, std::string_view origin, Diagnostics& diagnostics, Counters& counters);
  IntelLoadResult load_file(const std::string& path, Diagnostics& diagnostics, Counters& counters);

  std::optional<IntelHit> find(IntelKind kind, std::string_view value) const;
  size_t size() const;

 private:
  bool add(IntelKind kind, std::string value, IntelHit hit);
  size_t max_entries_;
  size_t entries_ = 0;
  StringMap<IntelHit> by_kind_[7];
};

}  // namespace c2hunt::signals

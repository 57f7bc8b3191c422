// The two Zeek log encodings, TSV (with its # header directives) and JSON Lines (dotted or
// underscore names, with or without a shipper envelope), parsed into one Row of the fields
// c2hunt reads. Field names are canonical in underscore form ("id.orig_h" -> "id_orig_h").
// A Row holds views into the current line (or the JSON parser's string buffer): valid until the
// next line is parsed. No allocation per field on the TSV path.
#pragma once

#include <simdjson.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "c2hunt/util/ip_address.h"
#include "c2hunt/util/string_map.h"
#include "c2hunt/util/time_format.h"

namespace c2hunt::zeek {

enum class LogKind : uint8_t { unknown, conn, ssl, x509, dns, other };
const char* log_kind_name(LogKind k);

// conn.log, conn.2024-01-01-00-00-00.log.gz, conn_20240101.log, ... -> conn; "http.log" -> other;
// a name that does not look like a Zeek log at all -> unknown.
LogKind kind_from_file_name(std::string_view file_name);
// The value of #path / _path / @stream.
LogKind kind_from_stream_name(std::string_view name);

namespace conn_field {
enum : uint8_t { ts, uid, orig_h, orig_p, resp_h, resp_p, proto, service, duration, orig_bytes, resp_bytes,
                 conn_state, missed_bytes, history, orig_pkts, orig_ip_bytes, resp_pkts, resp_ip_bytes,
                 community_id, vlan, count };
}
namespace ssl_field {
enum : uint8_t { ts, uid, orig_h, orig_p, resp_h, resp_p, version, cipher, server_name, resumed, established,
                 next_protocol, ssl_history, cert_chain_fps, cert_chain_fuids, subject, issuer, ja3, ja3s, ja4,
                 ja4s, resp_certificate_sha1, client_cert_chain_fps, client_cert_chain_fuids, count };
}
namespace x509_field {
enum : uint8_t { ts, id, fingerprint, version, serial, subject, issuer, not_before, not_after, key_type,
                 key_length, sig_alg, san_dns, san_ip, is_ca, host_cert, ja4x, count };
}
namespace dns_field {
enum : uint8_t { ts, uid, orig_h, query, qtype, rcode, answers, ttls, count };
}

constexpr size_t kMaxRowFields = 32;
constexpr size_t kMaxListItems = 64;  // elements kept per set/vector field; more are counted as dropped

// Index of a canonical field name for a kind, or -1 when c2hunt does not read that field.
int field_index(LogKind kind, std::string_view canonical_name);
size_t field_count(LogKind kind);
std::string_view field_name(LogKind kind, int f);
// Field names that must be present (in the header, or in a JSON line) for a row to be usable.
bool has_required_fields(LogKind kind, const std::vector<bool>& present, std::string& missing);

class Row {
 public:
  void reset(size_t fields, size_t line_bytes);
  void set(int f, std::string_view text) { values_[f] = {text, 0, 0, kScalar}; }
  void begin_list(int f) { values_[f] = {{}, static_cast<uint32_t>(items_.size()), 0, kList}; }
  void add_item(int f, std::string_view item);
  bool has(int f) const { return values_[f].state != kAbsent; }
  std::string_view text(int f) const { return values_[f].text; }
  size_t item_count(int f) const { return values_[f].state == kList ? values_[f].count : 0; }
  std::string_view item(int f, size_t i) const { return items_[values_[f].begin + i]; }
  uint64_t dropped_items() const { return dropped_items_; }
  // Stable storage for text unescaped from a TSV field (never reallocates within one line).
  std::string_view store_unescaped(std::string_view raw);

 private:
  enum State : uint8_t { kAbsent, kScalar, kList };
  struct Value {
    std::string_view text;
    uint32_t begin = 0, count = 0;
    State state = kAbsent;
  };
  std::array<Value, kMaxRowFields> values_{};
  size_t fields_ = 0;
  std::vector<std::string_view> items_;
  std::string scratch_;
  uint64_t dropped_items_ = 0;
};

enum class LineType : uint8_t {
  row,         // a data row was parsed into the Row
  directive,   // a TSV header or #close line, or a blank line
  bad_line,    // malformed: problem says why; the line is skipped
  bad_header,  // the header (or the first line under it) is unusable: problem says why
  skipped,     // a line under a bad header (counted by the caller, reported once per header)
  other_kind,  // a JSON line of another stream (e.g. _path "http" in a conn file)
};

// TSV: the header state of one file; several headers in a file each reset it.
class TsvParser {
 public:
  explicit TsvParser(LogKind kind_from_name) : name_kind_(kind_from_name), kind_(kind_from_name) {}
  LineType parse(std::string_view line, Row& row, std::string& problem);
  LogKind kind() const { return kind_; }
  bool header_seen() const { return !columns_.empty(); }

 private:
  LineType directive(std::string_view line, std::string& problem);
  LineType fields_defined(std::string& problem);
  std::string_view unescape(std::string_view raw, Row& row) const;

  LogKind name_kind_, kind_;
  char separator_ = '\t';
  char set_separator_ = ',';
  std::string empty_field_ = "(empty)";
  std::string unset_field_ = "-";
  std::vector<std::string> field_names_;
  std::vector<int> columns_;     // column -> field index or -1
  std::vector<bool> list_column_;
  size_t types_count_ = 0;
  bool bad_ = false;             // lines are skipped until the next header
  bool first_row_checked_ = false;
  uint32_t mismatches_before_first_row_ = 0;
  static constexpr uint32_t kHeaderMismatchRows = 2;
};

// JSON Lines: one object per line, parsed with simdjson On-Demand.
class JsonParser {
 public:
  explicit JsonParser(LogKind kind) : kind_(kind) {}
  // `readable` is how many bytes may be read from line.data() (line plus padding).
  LineType parse(std::string_view line, size_t readable, Row& row, std::string& problem);
  LogKind kind() const { return kind_; }

 private:
  bool take_value(int f, std::string_view key, simdjson::ondemand::value v, Row& row, std::string& problem);
  int top_level_field(std::string_view key);  // field index of a top-level key, -1 when not read
  bool take_object(std::string_view prefix, simdjson::ondemand::object obj, Row& row, std::string& problem,
                   int depth);
  LogKind kind_;
  simdjson::ondemand::parser parser_;
  // Top-level keys seen, each with its field and the key that followed it last time: lines of one
  // log repeat their keys in the same order (Zeek leaves unset fields out), so the next key is
  // usually predicted and compared instead of hashed.
  struct KnownKey {
    std::string text;
    int field = -1;
    int next = -1;  // index into known_keys_ of the key that followed it, -1 when none yet
  };
  static constexpr size_t kMaxCachedKeys = 256;
  std::vector<KnownKey> known_keys_;
  StringMap<int> known_key_index_;
  int first_key_ = -1;     // the key lines started with last time
  int previous_key_ = -1;  // the key before the current one in this line, -1 at the line's start
  std::array<std::string, 3> names_;  // canonical key being built, per nesting depth
  std::string_view stream_;
};

// Values, as Zeek writes them in TSV and JSON.
std::optional<TimeMicros> parse_time(std::string_view s);   // epoch seconds or ISO 8601
std::optional<TimeMicros> parse_interval(std::string_view s);
std::optional<uint64_t> parse_count(std::string_view s);    // also accepts "123.0" as JSON may print
std::optional<uint16_t> parse_port(std::string_view s);
std::optional<bool> parse_bool(std::string_view s);         // T/F, true/false
std::optional<IpAddress> parse_address(std::string_view s); // fast path for dotted IPv4

// Sniffs a file's kind and encoding from its first line.
struct LogFormat {
  LogKind kind = LogKind::unknown;
  bool json = false;
};
LogFormat sniff_format(std::string_view first_line, LogKind kind_from_name);

}  // namespace c2hunt::zeek

#include "c2hunt/sources/zeek/zeek_log.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <span>

#include "c2hunt/util/byte_scan.h"

namespace c2hunt::zeek {
namespace {

// Where the field that starts at `start` ends (the next separator, or the end of the line), and
// whether it holds a backslash (an escape to undo). One pass over the line, eight bytes at a time:
// the separator and escape searches were two library calls per field, most of the parse.
struct FieldEnd {
  size_t end;
  bool has_backslash;
};
FieldEnd scan_field(std::string_view line, size_t start, char separator) {
  bool backslash = false;
  size_t i = start;
  if constexpr (byte_scan::kWordScan) {
    for (; i + 8 <= line.size(); i += 8) {
      const uint64_t word = byte_scan::load8(line.data() + i);
      const uint64_t sep_hits = byte_scan::equal_to(word, static_cast<uint8_t>(separator));
      const uint64_t esc_hits = byte_scan::equal_to(word, '\\');
      if (sep_hits) {
        // Only backslashes below the separator count; those flagged above it may be borrows.
        const uint64_t first = sep_hits & (~sep_hits + 1);
        return {i + byte_scan::first_flagged(sep_hits), backslash || (esc_hits & (first - 1)) != 0};
      }
      backslash |= esc_hits != 0;
    }
  }
  for (; i < line.size(); ++i) {
    if (line[i] == separator) return {i, backslash};
    backslash |= line[i] == '\\';
  }
  return {line.size(), backslash};
}

constexpr std::string_view kConnNames[] = {
    "ts",           "uid",         "id_orig_h",     "id_orig_p", "id_resp_h",     "id_resp_p",  "proto",
    "service",      "duration",    "orig_bytes",    "resp_bytes", "conn_state",   "missed_bytes", "history",
    "orig_pkts",    "orig_ip_bytes", "resp_pkts",   "resp_ip_bytes", "community_id", "vlan"};
constexpr std::string_view kSslNames[] = {
    "ts",          "uid",        "id_orig_h",      "id_orig_p",        "id_resp_h",  "id_resp_p",
    "version",     "cipher",     "server_name",    "resumed",          "established", "next_protocol",
    "ssl_history", "cert_chain_fps", "cert_chain_fuids", "subject",    "issuer",     "ja3",
    "ja3s",        "ja4",        "ja4s",           "resp_certificate_sha1", "client_cert_chain_fps",
    "client_cert_chain_fuids"};
constexpr std::string_view kX509Names[] = {
    "ts", "id", "fingerprint", "certificate_version", "certificate_serial", "certificate_subject",
    "certificate_issuer", "certificate_not_valid_before", "certificate_not_valid_after", "certificate_key_type",
    "certificate_key_length", "certificate_sig_alg", "san_dns", "san_ip", "basic_constraints_ca", "host_cert",
    "ja4x"};
constexpr std::string_view kDnsNames[] = {"ts", "uid", "id_orig_h", "query", "qtype", "rcode", "answers", "TTLs"};

static_assert(std::size(kConnNames) == conn_field::count);
static_assert(std::size(kSslNames) == ssl_field::count);
static_assert(std::size(kX509Names) == x509_field::count);
static_assert(std::size(kDnsNames) == dns_field::count);

std::span<const std::string_view> names_of(LogKind kind) {
  switch (kind) {
    case LogKind::conn: return kConnNames;
    case LogKind::ssl: return kSslNames;
    case LogKind::x509: return kX509Names;
    case LogKind::dns: return kDnsNames;
    default: return {};
  }
}

// Set and vector fields: Zeek writes them joined by #set_separator (TSV) or as arrays (JSON).
bool is_list_field(LogKind kind, int f) {
  switch (kind) {
    case LogKind::ssl:
      return f == ssl_field::cert_chain_fps || f == ssl_field::cert_chain_fuids ||
             f == ssl_field::client_cert_chain_fps || f == ssl_field::client_cert_chain_fuids;
    case LogKind::x509: return f == x509_field::san_dns || f == x509_field::san_ip;
    case LogKind::dns: return f == dns_field::answers || f == dns_field::ttls;
    default: return false;
  }
}

void canonicalise(std::string_view name, std::string& out) {
  out.assign(name);
  std::replace(out.begin(), out.end(), '.', '_');
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Zeek's TSV escapes: \xHH for separators and unprintable bytes, \\ for a backslash.
void unescape_into(std::string_view raw, std::string& out) {
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '\\' && i + 3 < raw.size() + 0 && raw[i + 1] == 'x' && hex_digit(raw[i + 2]) >= 0 &&
        hex_digit(raw[i + 3]) >= 0) {
      out.push_back(static_cast<char>(hex_digit(raw[i + 2]) * 16 + hex_digit(raw[i + 3])));
      i += 3;
    } else if (c == '\\' && i + 1 < raw.size() && raw[i + 1] == '\\') {
      out.push_back('\\');
      i += 1;
    } else {
      out.push_back(c);
    }
  }
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
    s.remove_suffix(1);
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  return s;
}

bool stem_matches(std::string_view stem, std::string_view kind) {
  if (stem == kind) return true;
  if (stem.size() > kind.size() && stem.ends_with(kind)) {
    char sep = stem[stem.size() - kind.size() - 1];
    return sep == '_' || sep == '-';
  }
  return false;
}

// The string value of "key": "value" in a JSON text, without parsing it (for sniffing only).
std::string_view json_string_after(std::string_view text, std::string_view quoted_key) {
  size_t k = text.find(quoted_key);
  if (k == std::string_view::npos) return {};
  size_t p = k + quoted_key.size();
  while (p < text.size() && (text[p] == ' ' || text[p] == ':')) ++p;
  if (p >= text.size() || text[p] != '"') return {};
  size_t e = text.find('"', p + 1);
  if (e == std::string_view::npos) return {};
  return text.substr(p + 1, e - p - 1);
}

}  // namespace

const char* log_kind_name(LogKind k) {
  switch (k) {
    case LogKind::conn: return "conn";
    case LogKind::ssl: return "ssl";
    case LogKind::x509: return "x509";
    case LogKind::dns: return "dns";
    case LogKind::other: return "other";
    default: return "unknown";
  }
}

LogKind kind_from_stream_name(std::string_view name) {
  if (name == "conn") return LogKind::conn;
  if (name == "ssl") return LogKind::ssl;
  if (name == "x509") return LogKind::x509;
  if (name == "dns") return LogKind::dns;
  return name.empty() ? LogKind::unknown : LogKind::other;
}

LogKind kind_from_file_name(std::string_view file_name) {
  size_t slash = file_name.find_last_of('/');
  if (slash != std::string_view::npos) file_name.remove_prefix(slash + 1);
  size_t dot = file_name.find('.');
  if (dot == std::string_view::npos) return LogKind::unknown;
  std::string_view stem = file_name.substr(0, dot), rest = file_name.substr(dot);
  if (rest.ends_with(".gz")) rest.remove_suffix(3);
  if (!rest.ends_with(".log") && !rest.ends_with(".json")) return LogKind::unknown;
  for (LogKind k : {LogKind::conn, LogKind::ssl, LogKind::x509, LogKind::dns})
    if (stem_matches(stem, log_kind_name(k))) return k;
  return LogKind::other;
}

int field_index(LogKind kind, std::string_view name) {
  auto names = names_of(kind);
  for (size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return static_cast<int>(i);
  return -1;
}

size_t field_count(LogKind kind) { return names_of(kind).size(); }

std::string_view field_name(LogKind kind, int f) {
  auto names = names_of(kind);
  return f >= 0 && static_cast<size_t>(f) < names.size() ? names[f] : std::string_view();
}

bool has_required_fields(LogKind kind, const std::vector<bool>& present, std::string& missing) {
  auto need = [&](std::initializer_list<int> fields) {
    for (int f : fields)
      if (!present[f]) {
        missing = std::string(names_of(kind)[f]);
        return false;
      }
    return true;
  };
  switch (kind) {
    case LogKind::conn:
      return need({conn_field::ts, conn_field::uid, conn_field::orig_h, conn_field::orig_p, conn_field::resp_h,
                   conn_field::resp_p, conn_field::proto});
    case LogKind::ssl:
      return need({ssl_field::ts, ssl_field::uid, ssl_field::orig_h, ssl_field::orig_p, ssl_field::resp_h,
                   ssl_field::resp_p});
    case LogKind::x509:
      if (!present[x509_field::id] && !present[x509_field::fingerprint]) {
        missing = "id or fingerprint";
        return false;
      }
      return need({x509_field::ts});
    case LogKind::dns: return need({dns_field::ts, dns_field::orig_h});
    default: return true;
  }
}

// ---- Row ----

void Row::reset(size_t fields, size_t line_bytes) {
  fields_ = std::max(fields_, fields);
  for (size_t i = 0; i < fields_; ++i) values_[i] = Value{};
  fields_ = fields;
  items_.clear();
  scratch_.clear();
  if (scratch_.capacity() < line_bytes) scratch_.reserve(line_bytes);
}

void Row::add_item(int f, std::string_view item) {
  if (values_[f].count >= kMaxListItems) {
    ++dropped_items_;
    return;
  }
  items_.push_back(item);
  ++values_[f].count;
}

std::string_view Row::store_unescaped(std::string_view raw) {
  // Unescaped text is never longer than the escaped text, and reset() reserved a line's worth.
  size_t start = scratch_.size();
  if (start + raw.size() > scratch_.capacity()) return raw;
  unescape_into(raw, scratch_);
  return std::string_view(scratch_.data() + start, scratch_.size() - start);
}

// ---- TSV ----

std::string_view TsvParser::unescape(std::string_view raw, Row& row) const {
  if (raw.find('\\') == std::string_view::npos) return raw;
  return row.store_unescaped(raw);
}

LineType TsvParser::fields_defined(std::string& problem) {
  columns_.assign(field_names_.size(), -1);
  list_column_.assign(field_names_.size(), false);
  if (kind_ == LogKind::unknown || kind_ == LogKind::other) return LineType::directive;
  std::vector<bool> present(field_count(kind_), false);
  for (size_t i = 0; i < field_names_.size(); ++i) {
    int f = field_index(kind_, field_names_[i]);
    if (f < 0) continue;
    if (present[f]) {
      bad_ = true;
      problem = "#fields names \"" + field_names_[i] + "\" twice";
      return LineType::bad_header;
    }
    present[f] = true;
    columns_[i] = f;
    list_column_[i] = is_list_field(kind_, f);
  }
  std::string missing;
  if (!has_required_fields(kind_, present, missing)) {
    bad_ = true;
    problem = std::string("#fields of this ") + log_kind_name(kind_) + " log lacks the required field \"" +
              missing + "\"";
    return LineType::bad_header;
  }
  return LineType::directive;
}

LineType TsvParser::directive(std::string_view line, std::string& problem) {
  constexpr std::string_view kSeparator = "#separator ";
  if (line.starts_with(kSeparator)) {
    std::string value;
    unescape_into(line.substr(kSeparator.size()), value);
    // A new header starts: everything it does not redefine returns to Zeek's defaults.
    field_names_.clear();
    columns_.clear();
    list_column_.clear();
    types_count_ = 0;
    set_separator_ = ',';
    // Copied from std::string defaults: assigning the literals here trips a -Wrestrict false
    // positive in GCC 12 at -O3 (inlined char_traits::copy).
    static const std::string kEmptyDefault = "(empty)", kUnsetDefault = "-";
    empty_field_ = kEmptyDefault;
    unset_field_ = kUnsetDefault;
    kind_ = name_kind_;
    first_row_checked_ = false;
    mismatches_before_first_row_ = 0;
    bad_ = false;
    if (value.size() != 1) {
      bad_ = true;
      problem = "#separator must be one character";
      return LineType::bad_header;
    }
    separator_ = value[0];
    return LineType::directive;
  }
  size_t sep = line.find(separator_);
  std::string_view name = line.substr(0, sep);
  std::string_view value = sep == std::string_view::npos ? std::string_view() : line.substr(sep + 1);
  std::string unescaped;
  if (name == "#set_separator") {
    unescape_into(value, unescaped);
    if (unescaped.size() != 1) {
      bad_ = true;
      problem = "#set_separator must be one character";
      return LineType::bad_header;
    }
    set_separator_ = unescaped[0];
  } else if (name == "#empty_field") {
    unescape_into(value, empty_field_ = std::string());
  } else if (name == "#unset_field") {
    unescape_into(value, unset_field_ = std::string());
  } else if (name == "#path") {
    LogKind k = kind_from_stream_name(value);
    if (k != LogKind::unknown) kind_ = k;
  } else if (name == "#fields") {
    field_names_.clear();
    size_t start = 0;
    while (start <= value.size()) {
      size_t end = value.find(separator_, start);
      if (end == std::string_view::npos) end = value.size();
      std::string canonical;
      canonicalise(value.substr(start, end - start), canonical);
      field_names_.push_back(std::move(canonical));
      start = end + 1;
    }
    if (field_names_.size() > 4096) {
      bad_ = true;
      problem = "#fields names more than 4096 columns";
      return LineType::bad_header;
    }
    first_row_checked_ = false;
    mismatches_before_first_row_ = 0;
    LineType t = fields_defined(problem);
    if (t == LineType::directive && types_count_ && types_count_ != field_names_.size()) {
      bad_ = true;
      problem = "#types lists " + std::to_string(types_count_) + " types for " +
                std::to_string(field_names_.size()) + " #fields";
      return LineType::bad_header;
    }
    return t;
  } else if (name == "#types") {
    types_count_ = static_cast<size_t>(std::count(value.begin(), value.end(), separator_)) + 1;
    if (!field_names_.empty() && types_count_ != field_names_.size()) {
      bad_ = true;
      problem = "#types lists " + std::to_string(types_count_) + " types for " +
                std::to_string(field_names_.size()) + " #fields";
      return LineType::bad_header;
    }
  }
  return LineType::directive;
}

LineType TsvParser::parse(std::string_view line, Row& row, std::string& problem) {
  if (line.empty()) return LineType::directive;
  if (line[0] == '#') return directive(line, problem);
  if (bad_) return LineType::skipped;
  if (columns_.empty()) {
    bad_ = true;
    problem = "data line before any #fields header";
    return LineType::bad_header;
  }
  if (kind_ == LogKind::unknown || kind_ == LogKind::other) return LineType::other_kind;
  row.reset(field_count(kind_), line.size());
  size_t column = 0, start = 0;
  const size_t ncols = columns_.size();
  for (;;) {
    const FieldEnd field = scan_field(line, start, separator_);
    const size_t end = field.end;
    if (column < ncols) {
      int f = columns_[column];
      if (f >= 0) {
        std::string_view raw = line.substr(start, end - start);
        auto text = [&](std::string_view v) { return field.has_backslash ? unescape(v, row) : v; };
        if (raw == unset_field_) {
          // unset: the field stays absent
        } else if (list_column_[column]) {
          row.begin_list(f);
          if (raw != empty_field_) {
            size_t s = 0;
            for (;;) {
              size_t e = raw.find(set_separator_, s);
              if (e == std::string_view::npos) e = raw.size();
              row.add_item(f, text(raw.substr(s, e - s)));
              if (e == raw.size()) break;
              s = e + 1;
            }
          }
        } else {
          row.set(f, raw == empty_field_ ? std::string_view() : text(raw));
        }
      }
    }
    ++column;
    if (end == line.size()) break;
    start = end + 1;
  }
  if (column != ncols) {
    std::string what = "#fields names " + std::to_string(ncols) + " columns, the line has " + std::to_string(column);
    // One damaged first row must not cost the whole file: only two mismatching rows before any
    // matching one say that the header, not the row, is wrong.
    if (!first_row_checked_ && ++mismatches_before_first_row_ >= kHeaderMismatchRows) {
      bad_ = true;
      problem = "header does not match its lines: " + what;
      return LineType::bad_header;
    }
    problem = "malformed line: " + what;
    return LineType::bad_line;
  }
  first_row_checked_ = true;
  return LineType::row;
}

// ---- JSON ----

bool JsonParser::take_value(int f, std::string_view key, simdjson::ondemand::value v, Row& row, std::string& problem) {
  using simdjson::ondemand::json_type;
  json_type type;
  if (v.type().get(type)) {
    problem = "malformed JSON value";
    return false;
  }
  std::string_view text;
  switch (type) {
    case json_type::string:
      if (v.get_string().get(text)) break;
      row.set(f, text);
      return true;
    case json_type::number:
    case json_type::boolean:
      row.set(f, trim(v.raw_json_token()));
      return true;
    case json_type::null: return true;
    case json_type::array: {
      simdjson::ondemand::array arr;
      if (v.get_array().get(arr)) break;
      row.begin_list(f);
      for (auto element : arr) {
        simdjson::ondemand::value e;
        if (std::move(element).get(e)) {
          problem = "malformed JSON array";
          return false;
        }
        json_type et;
        if (e.type().get(et)) break;
        std::string_view item;
        if (et == json_type::string) {
          if (e.get_string().get(item)) break;
        } else if (et == json_type::number || et == json_type::boolean) {
          item = trim(e.raw_json_token());
        } else {
          continue;  // nested containers in a list carry nothing c2hunt reads
        }
        row.add_item(f, item);
      }
      return true;
    }
    case json_type::object: return true;
  }
  problem = "malformed JSON value for \"" + std::string(key) + "\"";
  return false;
}

int JsonParser::top_level_field(std::string_view key) {
  // Every line repeats the same keys: each is turned into its field once (a canonical name built,
  // dots replaced, the names searched), then recognised by comparing it with the predicted key, or
  // by its hash. Bounded against hostile key sets: past the cap a new key is resolved every time.
  int predicted = previous_key_ < 0 ? first_key_ : known_keys_[previous_key_].next;
  int k = -1;
  if (predicted >= 0 && known_keys_[predicted].text == key) {
    k = predicted;
  } else if (auto it = known_key_index_.find(key); it != known_key_index_.end()) {
    k = it->second;
  } else {
    std::string name(key);
    std::replace(name.begin(), name.end(), '.', '_');
    const int f = field_index(kind_, name);
    if (known_keys_.size() >= kMaxCachedKeys) {
      previous_key_ = -1;
      return f;
    }
    k = static_cast<int>(known_keys_.size());
    known_keys_.push_back({std::string(key), f, -1});
    known_key_index_.emplace(key, k);
  }
  if (previous_key_ < 0)
    first_key_ = k;
  else
    known_keys_[previous_key_].next = k;
  previous_key_ = k;
  return known_keys_[k].field;
}

bool JsonParser::take_object(std::string_view prefix, simdjson::ondemand::object obj, Row& row, std::string& problem,
                             int depth) {
  for (auto field_result : obj) {
    simdjson::ondemand::field field;
    if (std::move(field_result).get(field)) {
      problem = "malformed JSON object";
      return false;
    }
    std::string_view key;
    if (field.unescaped_key().get(key)) {
      problem = "malformed JSON key";
      return false;
    }
    simdjson::ondemand::value value = field.value();
    if (depth == 0 && (key == "_path" || key == "@stream")) {
      std::string_view s;
      if (!value.get_string().get(s)) stream_ = s;
      continue;
    }
    simdjson::ondemand::json_type type;
    if (value.type().get(type)) {
      problem = "malformed JSON value";
      return false;
    }
    if (type == simdjson::ondemand::json_type::object) {
      // Nested records ({"id": {"orig_h": ...}}) as some shippers write them.
      simdjson::ondemand::object inner;
      if (depth < 2 && !value.get_object().get(inner)) {
        std::string& name = names_[depth];  // one buffer per depth: no allocation per key
        name.assign(prefix);
        name += key;
        std::replace(name.begin(), name.end(), '.', '_');
        name.push_back('_');
        if (!take_object(name, inner, row, problem, depth + 1)) return false;
      }
      continue;
    }
    int f;
    if (depth == 0) {
      f = top_level_field(key);
    } else {
      std::string& name = names_[depth];
      name.assign(prefix);
      name += key;
      std::replace(name.begin(), name.end(), '.', '_');
      f = field_index(kind_, name);
    }
    if (f < 0) continue;
    if (!take_value(f, key, value, row, problem)) return false;
  }
  return true;
}

LineType JsonParser::parse(std::string_view line, size_t readable, Row& row, std::string& problem) {
  std::string_view body = trim(line);
  if (body.empty()) return LineType::directive;
  row.reset(field_count(kind_), 0);
  stream_ = {};
  simdjson::ondemand::document doc;
  if (readable < line.size() + simdjson::SIMDJSON_PADDING) {
    problem = "internal: line buffer without padding";
    return LineType::bad_line;
  }
  auto err = parser_.iterate(line.data(), line.size(), readable).get(doc);
  if (err) {
    problem = std::string("malformed JSON: ") + simdjson::error_message(err);
    return LineType::bad_line;
  }
  simdjson::ondemand::object obj;
  if (doc.get_object().get(obj)) {
    problem = "malformed JSON: the line is not a JSON object";
    return LineType::bad_line;
  }
  previous_key_ = -1;
  if (!take_object("", obj, row, problem, 0)) return LineType::bad_line;
  if (!doc.current_location().error()) {
    problem = "malformed JSON: content after the object";
    return LineType::bad_line;
  }
  if (!stream_.empty() && kind_from_stream_name(stream_) != kind_) return LineType::other_kind;
  return LineType::row;
}

// ---- values ----

std::optional<TimeMicros> parse_time(std::string_view s) {
  if (auto t = parse_epoch_seconds(s)) return t;
  if (auto t = parse_iso8601(s)) return t;
  double d = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
  if (ec != std::errc() || p != s.data() + s.size() || !(d > -9.2e12 && d < 9.2e12)) return std::nullopt;
  return static_cast<TimeMicros>(d * 1e6);
}

std::optional<TimeMicros> parse_interval(std::string_view s) {
  if (auto t = parse_epoch_seconds(s)) return t;
  double d = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
  if (ec != std::errc() || p != s.data() + s.size() || !(d > -9.2e12 && d < 9.2e12)) return std::nullopt;
  return static_cast<TimeMicros>(d * 1e6);
}

std::optional<uint64_t> parse_count(std::string_view s) {
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p == s.data()) return std::nullopt;
  std::string_view rest(p, static_cast<size_t>(s.data() + s.size() - p));
  if (!rest.empty()) {
    if (rest[0] != '.') return std::nullopt;
    for (char c : rest.substr(1))
      if (c != '0') return std::nullopt;
  }
  return v;
}

std::optional<uint16_t> parse_port(std::string_view s) {
  auto v = parse_count(s);
  if (!v || *v > 65535) return std::nullopt;
  return static_cast<uint16_t>(*v);
}

std::optional<bool> parse_bool(std::string_view s) {
  if (s == "T" || s == "true") return true;
  if (s == "F" || s == "false") return false;
  return std::nullopt;
}

std::optional<IpAddress> parse_address(std::string_view s) {
  uint8_t b[4];
  size_t i = 0;
  int part = 0;
  bool ok = !s.empty() && s.size() <= 15;
  while (ok && part < 4) {
    unsigned v = 0, digits = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9' && digits < 4) {
      v = v * 10 + static_cast<unsigned>(s[i] - '0');
      ++i;
      ++digits;
    }
    if (digits == 0 || digits > 3 || v > 255 || (digits > 1 && s[i - digits] == '0')) {
      ok = false;
      break;
    }
    b[part++] = static_cast<uint8_t>(v);
    if (part < 4) {
      if (i >= s.size() || s[i] != '.') ok = false;
      ++i;
    }
  }
  if (ok && part == 4 && i == s.size()) return IpAddress::v4(b);
  return IpAddress::parse(s);
}

LogFormat sniff_format(std::string_view head, LogKind kind_from_name) {
  LogFormat f;
  f.kind = kind_from_name;
  size_t p = 0;
  while (p < head.size() && (head[p] == ' ' || head[p] == '\n' || head[p] == '\r' || head[p] == '\t')) ++p;
  head.remove_prefix(p);
  if (head.starts_with("#separator")) {
    size_t k = head.find("\n#path");
    if (k != std::string_view::npos) {
      std::string_view rest = head.substr(k + 6);
      if (!rest.empty()) rest.remove_prefix(1);
      rest = rest.substr(0, rest.find_first_of("\r\n"));
      LogKind pk = kind_from_stream_name(rest);
      if (pk != LogKind::unknown) f.kind = pk;
    }
    return f;
  }
  if (!head.starts_with("{")) {
    // A damaged first line of a file named like a Zeek log must not hide the rest of it: sniff the
    // next line that looks like a row (the damaged one is then reported as malformed).
    size_t next = kind_from_name == LogKind::unknown ? std::string_view::npos : head.find("\n{");
    if (next == std::string_view::npos) {
      f.kind = LogKind::unknown;
      return f;
    }
    head.remove_prefix(next + 1);
  }
  f.json = true;
  std::string_view line = head.substr(0, head.find('\n'));
  if (line.find("\"event_type\"") != std::string_view::npos) {  // Suricata eve, not Zeek
    f.kind = LogKind::unknown;
    return f;
  }
  std::string_view stream = json_string_after(line, "\"_path\"");
  if (stream.empty()) stream = json_string_after(line, "\"@stream\"");
  if (!stream.empty()) {
    f.kind = kind_from_stream_name(stream);
    return f;
  }
  if (f.kind != LogKind::unknown) return f;
  auto has = [&](std::string_view k) { return line.find(k) != std::string_view::npos; };
  if (has("\"conn_state\"")) f.kind = LogKind::conn;
  else if (has("\"cert_chain_fuids\"") || has("\"cert_chain_fps\"") || has("\"cipher\""))
    f.kind = LogKind::ssl;
  else if (has("certificate.serial\"") || has("certificate_serial\""))
    f.kind = LogKind::x509;
  else if (has("\"qtype\"") && has("\"query\""))
    f.kind = LogKind::dns;
  return f;
}

}  // namespace c2hunt::zeek

#include "c2hunt/signals/intel_db.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>
#include <vector>

#include <fmt/format.h>

#include "c2hunt/util/ascii.h"

namespace c2hunt::signals {
namespace {

constexpr size_t kMaxLineBytes = 4096;

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split_csv(std::string_view line) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t comma = line.find(',', start);
    std::string_view field = line.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    field = trim(field);
    if (field.size() >= 2 && field.front() == '"' && field.back() == '"') field = field.substr(1, field.size() - 2);
    out.push_back(field);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

bool is_hex(std::string_view s, size_t len) {
  return s.size() == len && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isxdigit(c); });
}

bool valid_ja4_like(std::string_view s) {
  return !s.empty() && s.size() <= 128 && std::all_of(s.begin(), s.end(), [](unsigned char c) {
           return std::isalnum(c) || c == '_';
         });
}

// A recognised layout: which column holds the value and the reason, and what kind of value.
struct Layout {
  enum class Type { none, ja3_sslbl, cert_sslbl, cert_reformatted, own } type = Type::none;
  size_t value_col = 0, reason_col = 0, columns = 0;
};

Layout recognise(std::string_view header) {
  std::vector<std::string_view> cols = split_csv(header);
  std::vector<std::string> lc;
  for (auto c : cols) lc.push_back(lower_ascii(c));
  auto is = [&](std::initializer_list<const char*> names) {
    if (lc.size() != names.size()) return false;
    size_t i = 0;
    for (const char* n : names)
      if (lc[i++] != n) return false;
    return true;
  };
  if (is({"ja3_md5", "firstseen", "lastseen", "listingreason"})) return {Layout::Type::ja3_sslbl, 0, 3, 4};
  if (is({"listingdate", "sha1", "listingreason"})) return {Layout::Type::cert_sslbl, 1, 2, 3};
  if (is({"sha1", "listingreason", "listingdate"})) return {Layout::Type::cert_reformatted, 0, 1, 3};
  if (is({"type", "value", "name", "source"})) return {Layout::Type::own, 1, 2, 4};
  return {};
}

std::optional<IntelKind> own_kind(std::string_view t) {
  static const std::pair<const char*, IntelKind> kKinds[] = {
      {"ja3", IntelKind::ja3},   {"ja3s", IntelKind::ja3s},           {"ja4", IntelKind::ja4},
      {"ja4s", IntelKind::ja4s}, {"ja4x", IntelKind::ja4x},           {"cert_sha1", IntelKind::cert_sha1},
      {"cert_serial", IntelKind::cert_serial}};
  std::string l = lower_ascii(t);
  for (const auto& [name, kind] : kKinds)
    if (l == name) return kind;
  return std::nullopt;
}

}  // namespace

const char* intel_kind_name(IntelKind k) {
  switch (k) {
    case IntelKind::ja3: return "ja3";
    case IntelKind::ja3s: return "ja3s";
    case IntelKind::ja4: return "ja4";
    case IntelKind::ja4s: return "ja4s";
    case IntelKind::ja4x: return "ja4x";
    case IntelKind::cert_sha1: return "cert_sha1";
    case IntelKind::cert_serial: return "cert_serial";
  }
  return "?";
}

bool IntelDb::add(IntelKind kind, std::string value, IntelHit hit) {
  auto& map = by_kind_[static_cast<int>(kind)];
  if (map.count(value)) return true;  // first listing wins; duplicates are not errors
  if (entries_ >= max_entries_) return false;
  map.emplace(std::move(value), std::move(hit));
  ++entries_;
  return true;
}

IntelLoadResult IntelDb::load_text(std::string_view text, std::string_view origin, Diagnostics& diagnostics,
                                   Counters& counters) {
  IntelLoadResult result;
  uint64_t& bad = counters.counter("intel.bad_lines");
  uint64_t& over = counters.counter("intel.dropped_over_cap");
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  Layout layout;
  size_t line_no = 0;
  std::string origin_s(origin);
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::string_view t = trim(line);
    if (t.empty()) continue;
    std::string position = fmt::format("line {}", line_no);
    if (layout.type == Layout::Type::none) {
      // Before the header: comments; the header may be commented too ("# ja3_md5,...").
      std::string_view candidate = t;
      if (candidate.front() == '#') candidate = trim(candidate.substr(1));
      layout = recognise(candidate);
      if (layout.type == Layout::Type::none && t.front() != '#') {
        diagnostics.error(origin_s, position, "not a recognised intel header (see docs/detections.md, Intel files)");
        return result;
      }
      continue;
    }
    if (t.front() == '#') continue;
    if (line.size() > kMaxLineBytes) {
      ++bad, ++result.bad_lines;
      diagnostics.warning(origin_s, position, "line too long; skipped");
      continue;
    }
    std::vector<std::string_view> cols = split_csv(t);
    auto bad_line = [&](const std::string& why) {
      ++bad, ++result.bad_lines;
      diagnostics.warning(origin_s, position, why);
    };
    if (cols.size() < layout.columns) {
      bad_line(fmt::format("expected {} columns, found {}", layout.columns, cols.size()));
      continue;
    }
    std::string value = lower_ascii(cols[layout.value_col]);
    std::string reason(cols[layout.reason_col]);
    IntelKind kind = IntelKind::cert_sha1;
    IntelHit hit{reason, origin_s};
    switch (layout.type) {
      case Layout::Type::ja3_sslbl:
        kind = IntelKind::ja3;
        if (!is_hex(value, 32)) { bad_line("JA3 is not 32 hex digits"); continue; }
        break;
      case Layout::Type::cert_sslbl:
      case Layout::Type::cert_reformatted:
        if (!is_hex(value, 40)) { bad_line("certificate SHA-1 is not 40 hex digits"); continue; }
        break;
      case Layout::Type::own: {
        auto k = own_kind(cols[0]);
        if (!k) { bad_line(fmt::format("unknown type '{}'", cols[0])); continue; }
        kind = *k;
        hit.source = fmt::format("{} ({})", origin_s, cols[3]);
        bool ok = true;
        if (kind == IntelKind::ja3 || kind == IntelKind::ja3s) ok = is_hex(value, 32);
        else if (kind == IntelKind::cert_sha1) ok = is_hex(value, 40);
        else if (kind == IntelKind::cert_serial) {
          value = std::string(cols[1]);
          std::transform(value.begin(), value.end(), value.begin(), [](unsigned char c) { return std::toupper(c); });
          value.erase(0, std::min(value.find_first_not_of('0'), value.size() - 1));
          ok = !value.empty() && value.size() <= 64 &&
               std::all_of(value.begin(), value.end(), [](unsigned char c) { return std::isxdigit(c); });
        } else ok = valid_ja4_like(value);
        if (!ok) { bad_line(fmt::format("malformed {} value", intel_kind_name(kind))); continue; }
        break;
      }
      case Layout::Type::none: break;
    }
    if (add(kind, std::move(value), std::move(hit)))
      ++result.loaded;
    else
      ++over;
  }
  result.recognised = layout.type != Layout::Type::none;
  if (!result.recognised) diagnostics.error(origin_s, "end", "no intel header found");
  counters.counter("intel.loaded") += result.loaded;
  return result;
}

IntelLoadResult IntelDb::load_file(const std::string& path, Diagnostics& diagnostics, Counters& counters) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    diagnostics.error(path, "open", "cannot open intel file");
    return {};
  }
  std::ostringstream text;
  text << in.rdbuf();
  return load_text(text.str(), path, diagnostics, counters);
}

std::optional<IntelHit> IntelDb::find(IntelKind kind, std::string_view value) const {
  if (value.empty()) return std::nullopt;
  const auto& map = by_kind_[static_cast<int>(kind)];
  // Values are stored lower-cased (serials as given); most looked-up values already are.
  auto it = kind == IntelKind::cert_serial || !has_ascii_upper(value) ? map.find(value) : map.find(lower_ascii(value));
  if (it == map.end()) return std::nullopt;
  return it->second;
}

size_t IntelDb::size() const { return entries_; }

}  // namespace c2hunt::signals

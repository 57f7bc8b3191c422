#include "c2hunt/sinks/json_writer.h"

#include "c2hunt/util/byte_scan.h"
#include "c2hunt/util/text_escape.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>

namespace c2hunt::sinks {
namespace {

constexpr char kHex[] = "0123456789abcdef";

inline bool plain(uint8_t c) { return c >= 0x20 && c != '"' && c != '\\' && c < 0x80; }

// The end of the run of plain bytes that starts at i: eight bytes a step (certificate subjects,
// SNI and hello lists are long runs of plain ASCII), the byte loop for the tail.
size_t plain_run_end(std::string_view s, size_t i) {
  if constexpr (byte_scan::kWordScan) {
    for (; i + 8 <= s.size(); i += 8) {
      const uint64_t word = byte_scan::load8(s.data() + i);
      const uint64_t hits = byte_scan::below(word, 0x20) | byte_scan::high_bit(word) |
                            byte_scan::equal_to(word, '"') | byte_scan::equal_to(word, '\\');
      if (hits) return i + byte_scan::first_flagged(hits);
    }
  }
  while (i < s.size() && plain(static_cast<uint8_t>(s[i]))) ++i;
  return i;
}

}  // namespace

void JsonWriter::put_escaped(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    size_t run = plain_run_end(s, i);
    put(s.substr(i, run - i));
    i = run;
    if (i == s.size()) break;
    auto c = static_cast<uint8_t>(s[i]);
    if (c >= 0x80) {
      size_t n = utf8_sequence_length(s, i);
      if (n) {
        put(s.substr(i, n));
        i += n;
      } else {  // the text \xNN, its backslash escaped for JSON
        put("\\\\x");
        put(kHex[c >> 4]);
        put(kHex[c & 0xf]);
        ++i;
      }
      continue;
    }
    switch (c) {
      case '"': put("\\\""); break;
      case '\\': put("\\\\"); break;
      case '\n': put("\\n"); break;
      case '\r': put("\\r"); break;
      case '\t': put("\\t"); break;
      case '\b': put("\\b"); break;
      case '\f': put("\\f"); break;
      default:
        put("\\u00");
        put(kHex[c >> 4]);
        put(kHex[c & 0xf]);
    }
    ++i;
  }
}

void JsonWriter::grow(size_t n) {
  size_t capacity = std::max<size_t>({capacity_ * 2, size_ + n, 4096});
  auto data = std::make_unique<char[]>(capacity);
  if (size_) std::memcpy(data.get(), data_.get(), size_);
  data_ = std::move(data);
  capacity_ = capacity;
}

void JsonWriter::string(std::string_view s) {
  value_prefix();
  put('"');
  put_escaped(s);
  put('"');
}

void JsonWriter::integer(int64_t v) {
  value_prefix();
  char tmp[24];
  auto r = std::to_chars(tmp, tmp + sizeof tmp, v);
  put(std::string_view(tmp, static_cast<size_t>(r.ptr - tmp)));
}

void JsonWriter::unsigned_integer(uint64_t v) {
  value_prefix();
  char tmp[24];
  auto r = std::to_chars(tmp, tmp + sizeof tmp, v);
  put(std::string_view(tmp, static_cast<size_t>(r.ptr - tmp)));
}

void JsonWriter::number(double v) {
  value_prefix();
  if (!std::isfinite(v)) {
    put("null");
    return;
  }
  char tmp[32];
  auto r = std::to_chars(tmp, tmp + sizeof tmp, v);
  std::string_view text(tmp, static_cast<size_t>(r.ptr - tmp));
  put(text);
  // Keep numbers that are whole recognisably floating point, as RapidJSON did ("2.0", not "2").
  if (text.find_first_of(".e") == std::string_view::npos) put(".0");
}

void JsonWriter::string_array(std::string_view k, const std::vector<std::string>& values) {
  key(k);
  start_array();
  for (const auto& v : values) string(v);
  end_array();
}

void JsonWriter::write_line(std::FILE* out) {
  put('\n');
  std::fwrite(data_.get(), 1, size_, out);
  size_ = 0;
  reset();
}

std::string JsonWriter::take_line() {
  std::string line(data_.get(), size_);
  size_ = 0;
  reset();
  return line;
}

}  // namespace c2hunt::sinks

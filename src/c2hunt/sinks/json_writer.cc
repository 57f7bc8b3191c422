#include "c2hunt/sinks/json_writer.h"

#include "c2hunt/util/text_escape.h"

#include <charconv>
#include <cmath>
#include <cstring>

namespace c2hunt::sinks {
namespace {

constexpr char kHex[] = "0123456789abcdef";

inline bool plain(uint8_t c) { return c >= 0x20 && c != '"' && c != '\\' && c < 0x80; }

void append_escaped(std::string& out, std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    size_t run = i;
    while (run < s.size() && plain(static_cast<uint8_t>(s[run]))) ++run;
    out.append(s.data() + i, run - i);
    i = run;
    if (i == s.size()) break;
    auto c = static_cast<uint8_t>(s[i]);
    if (c >= 0x80) {
      size_t n = utf8_sequence_length(s, i);
      if (n) {
        out.append(s.data() + i, n);
        i += n;
      } else {  // the text \xNN, its backslash escaped for JSON
        out += "\\\\x";
        out += kHex[c >> 4];
        out += kHex[c & 0xf];
        ++i;
      }
      continue;
    }
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 0xf];
    }
    ++i;
  }
}

}  // namespace

void JsonWriter::string(std::string_view s) {
  value_prefix();
  buf_ += '"';
  append_escaped(buf_, s);
  buf_ += '"';
}

void JsonWriter::integer(int64_t v) {
  value_prefix();
  char tmp[24];
  auto r = std::to_chars(tmp, tmp + sizeof tmp, v);
  buf_.append(tmp, r.ptr);
}

void JsonWriter::unsigned_integer(uint64_t v) {
  value_prefix();
  char tmp[24];
  auto r = std::to_chars(tmp, tmp + sizeof tmp, v);
  buf_.append(tmp, r.ptr);
}

void JsonWriter::number(double v) {
  value_prefix();
  if (!std::isfinite(v)) {
    buf_ += "null";
    return;
  }
  char tmp[32];
  auto r = std::to_chars(tmp, tmp + sizeof tmp, v);
  std::string_view text(tmp, static_cast<size_t>(r.ptr - tmp));
  buf_.append(text);
  // Keep numbers that are whole recognisably floating point, as RapidJSON did ("2.0", not "2").
  if (text.find_first_of(".e") == std::string_view::npos) buf_ += ".0";
}

void JsonWriter::string_array(std::string_view k, const std::vector<std::string>& values) {
  key(k);
  start_array();
  for (const auto& v : values) string(v);
  end_array();
}

void JsonWriter::write_line(std::FILE* out) {
  buf_ += '\n';
  std::fwrite(buf_.data(), 1, buf_.size(), out);
  buf_.clear();
  reset();
}

std::string JsonWriter::take_line() {
  std::string line;
  line.swap(buf_);
  reset();
  return line;
}

}  // namespace c2hunt::sinks

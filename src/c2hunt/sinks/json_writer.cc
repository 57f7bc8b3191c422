#include "c2hunt/sinks/json_writer.h"

namespace c2hunt::sinks {
namespace {

size_t valid_utf8_length(std::string_view s, size_t i) {
  auto b = [&](size_t k) { return static_cast<uint8_t>(s[k]); };
  uint8_t c = b(i);
  size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k)
    if ((b(i + k) & 0xc0) != 0x80) return 0;
  if (n == 2 && c < 0xc2) return 0;
  if (n == 3) {
    uint32_t cp = (c & 0x0f) << 12 | (b(i + 1) & 0x3f) << 6 | (b(i + 2) & 0x3f);
    if (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  }
  if (n == 4) {
    uint32_t cp = (c & 0x07) << 18 | (b(i + 1) & 0x3f) << 12 | (b(i + 2) & 0x3f) << 6 | (b(i + 3) & 0x3f);
    if (cp < 0x10000 || cp > 0x10ffff) return 0;
  }
  return n;
}

}  // namespace

void JsonWriter::string(std::string_view s) {
  bool ascii = true;
  for (char c : s)
    if (static_cast<uint8_t>(c) >= 0x80) {
      ascii = false;
      break;
    }
  if (ascii) {
    writer_.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
    return;
  }
  static const char* kHex = "0123456789abcdef";
  scratch_.clear();
  for (size_t i = 0; i < s.size();) {
    size_t n = valid_utf8_length(s, i);
    if (n == 0) {
      auto c = static_cast<uint8_t>(s[i]);
      scratch_ += "\\x";
      scratch_ += kHex[c >> 4];
      scratch_ += kHex[c & 0xf];
      ++i;
    } else {
      scratch_.append(s.substr(i, n));
      i += n;
    }
  }
  writer_.String(scratch_.data(), static_cast<rapidjson::SizeType>(scratch_.size()));
}

void JsonWriter::string_array(const char* k, const std::vector<std::string>& values) {
  key(k);
  start_array();
  for (const auto& v : values) string(v);
  end_array();
}

void JsonWriter::write_line(std::FILE* out) {
  buffer_.Put('\n');
  std::fwrite(buffer_.GetString(), 1, buffer_.GetSize(), out);
  buffer_.Clear();
  writer_.Reset(buffer_);
}

std::string JsonWriter::take_line() {
  std::string line(buffer_.GetString(), buffer_.GetSize());
  buffer_.Clear();
  writer_.Reset(buffer_);
  return line;
}

}  // namespace c2hunt::sinks

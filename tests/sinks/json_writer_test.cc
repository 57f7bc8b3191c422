// JsonWriter's string escaping, which scans eight bytes at a time, against a byte-by-byte reading
// of the same rules, on generated strings where every special byte lands at every position of a
// word; and its buffer, grown across many lines.
#include <gtest/gtest.h>

#include <simdjson.h>

#include <random>
#include <string>

#include "c2hunt/sinks/json_writer.h"
#include "c2hunt/util/text_escape.h"

namespace c2hunt::testing {
namespace {

std::string escape_byte_by_byte(std::string_view s) {
  static const char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<uint8_t>(s[i]);
    if (c >= 0x80) {
      if (size_t n = utf8_sequence_length(s, i)) {
        out.append(s.substr(i, n));
        i += n;
      } else {
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
        if (c < 0x20) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 0xf];
        } else {
          out += static_cast<char>(c);
        }
    }
    ++i;
  }
  return out + "\"";
}

std::string written(std::string_view s) {
  sinks::JsonWriter w;
  w.string(s);
  return w.take_line();
}

TEST(JsonWriter, EscapingAgreesWithAByteByByteReading) {
  // The bytes where the word scan's borrow tricks could go wrong: each side of 0x20 and 0x80, the
  // two escaped printables, NUL, 0xff, and the lead and continuation bytes of UTF-8.
  const uint8_t kSpecial[] = {0x00, 0x01, 0x1f, 0x20, 0x21, '"', '\\', 0x7f, 0x80, 0xbf, 0xc3, 0xe2, 0xf0, 0xff};
  std::mt19937 rng(11);
  for (int trial = 0; trial < 20000; ++trial) {
    std::string s(rng() % 40, 'a');
    for (char& c : s) c = static_cast<char>(rng() % 4 ? 0x20 + rng() % 0x5f : kSpecial[rng() % sizeof kSpecial]);
    ASSERT_EQ(written(s), escape_byte_by_byte(s)) << "trial " << trial;
  }
  // One special byte at each offset of a long plain run.
  for (uint8_t special : kSpecial) {
    for (size_t at = 0; at < 24; ++at) {
      std::string s(24, 'x');
      s[at] = static_cast<char>(special);
      ASSERT_EQ(written(s), escape_byte_by_byte(s)) << int(special) << " at " << at;
    }
  }
}

TEST(JsonWriter, LinesLongerThanTheFirstBufferStayWholeAndValid) {
  sinks::JsonWriter w;
  simdjson::dom::parser parser;
  for (size_t length : {0u, 1u, 4095u, 4096u, 70000u, 3u}) {
    w.start_object();
    w.field("text", std::string(length, 'q'));
    w.generated_field("hex", std::string(length % 64, 'f'));
    w.end_object();
    std::string line = w.take_line();
    simdjson::dom::element doc;
    ASSERT_FALSE(parser.parse(line).get(doc)) << length;
    std::string_view text;
    ASSERT_FALSE(doc["text"].get(text));
    EXPECT_EQ(text.size(), length);
  }
}

}  // namespace
}  // namespace c2hunt::testing

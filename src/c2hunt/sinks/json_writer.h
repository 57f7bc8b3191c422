// A JSON Lines writer over RapidJSON's Writer that accepts any bytes as string values: valid UTF-8
// is written as is (RapidJSON escapes quotes and control characters), and each byte of an invalid
// UTF-8 sequence is written as the text "\xNN", as Zeek does in its logs.
#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace c2hunt::sinks {

class JsonWriter {
 public:
  JsonWriter() : writer_(buffer_) {}

  void start_object() { writer_.StartObject(); }
  void end_object() { writer_.EndObject(); }
  void start_array() { writer_.StartArray(); }
  void end_array() { writer_.EndArray(); }
  void key(const char* k) { writer_.Key(k); }
  void string(std::string_view s);
  void integer(int64_t v) { writer_.Int64(v); }
  void unsigned_integer(uint64_t v) { writer_.Uint64(v); }
  void number(double v) { writer_.Double(v); }
  void boolean(bool v) { writer_.Bool(v); }
  void null() { writer_.Null(); }

  void field(const char* k, std::string_view v) { key(k); string(v); }
  void field(const char* k, const char* v) { key(k); string(v); }
  void field(const char* k, const std::string& v) { key(k); string(v); }
  void field(const char* k, bool v) { key(k); boolean(v); }
  void field(const char* k, int v) { key(k); integer(v); }
  void field(const char* k, int64_t v) { key(k); integer(v); }
  void field(const char* k, uint64_t v) { key(k); unsigned_integer(v); }
  void field(const char* k, uint32_t v) { key(k); unsigned_integer(v); }
  void field(const char* k, double v) { key(k); number(v); }
  void string_array(const char* k, const std::vector<std::string>& values);

  // Ends the current line and writes it to `out`; the writer is ready for the next object.
  void write_line(std::FILE* out);
  std::string take_line();

 private:
  rapidjson::StringBuffer buffer_;
  rapidjson::Writer<rapidjson::StringBuffer> writer_;
  std::string scratch_;
};

}  // namespace c2hunt::sinks

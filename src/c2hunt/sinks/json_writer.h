// A JSON Lines writer that accepts any bytes as string values: valid UTF-8 is written as is (quotes,
// backslashes and control characters escaped), and each byte of an invalid UTF-8 sequence is written
// as the text "\xNN", as Zeek does in its logs, so the output is valid JSON for any input.
//
// Why not RapidJSON's Writer: `bench/tls_throughput.sh` showed it spending ~25 % of a
// `c2hunt connections` run escaping keys and values byte by byte; this writer appends literal keys
// unescaped and scans values for the few bytes that need escaping before copying them in bulk.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace c2hunt::sinks {

class JsonWriter {
 public:
  void start_object() { open('{'); }
  void end_object() { close('}'); }
  void start_array() { open('['); }
  void end_array() { close(']'); }
  // Keys are the program's own literals, never input bytes: they are written without escaping.
  void key(const char* k);
  void string(std::string_view s);
  void integer(int64_t v);
  void unsigned_integer(uint64_t v);
  void number(double v);  // NaN and infinities are written as null (JSON has no such numbers)
  void boolean(bool v) { value_prefix(); buf_ += v ? "true" : "false"; }
  void null() { value_prefix(); buf_ += "null"; }

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
  // For values c2hunt itself generates from a fixed safe alphabet (hex, digits, fingerprints,
  // timestamps, addresses, base64): appended without the escape scan. Never for input bytes.
  void generated_field(const char* k, std::string_view v) {
    key(k);
    value_prefix();
    buf_ += '"';
    buf_.append(v);
    buf_ += '"';
  }

  // Ends the current line and writes it to `out`; the writer is ready for the next object.
  void write_line(std::FILE* out);
  std::string take_line();

 private:
  void value_prefix();
  void open(char c);
  void close(char c);

  std::string buf_;
  std::vector<bool> has_items_;  // per open container: a comma is due before the next item
  bool after_key_ = false;
};

}  // namespace c2hunt::sinks

// A JSON Lines writer that accepts any bytes as string values: valid UTF-8 is written as is (quotes,
// backslashes and control characters escaped), and each byte of an invalid UTF-8 sequence is written
// as the text "\xNN", as Zeek does in its logs, so the output is valid JSON for any input.
//
// Why not RapidJSON's Writer: `bench/tls_throughput.sh` showed it spending ~25 % of a
// `c2hunt connections` run escaping keys and values byte by byte; this writer appends literal keys
// unescaped and scans values for the few bytes that need escaping before copying them in bulk.
#pragma once

#include <cassert>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
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
  void key(std::string_view k) {
    value_prefix();
    char* p = extend(k.size() + 3);
    *p++ = '"';
    std::memcpy(p, k.data(), k.size());
    p[k.size()] = '"';
    p[k.size() + 1] = ':';
    after_key_ = true;
  }
  void string(std::string_view s);
  void integer(int64_t v);
  void unsigned_integer(uint64_t v);
  void number(double v);  // NaN and infinities are written as null (JSON has no such numbers)
  void boolean(bool v) { value_prefix(); put(v ? std::string_view("true") : std::string_view("false")); }
  void null() { value_prefix(); put("null"); }

  void field(std::string_view k, std::string_view v) { key(k); string(v); }
  void field(std::string_view k, const char* v) { key(k); string(v); }
  void field(std::string_view k, const std::string& v) { key(k); string(v); }
  void field(std::string_view k, bool v) { key(k); boolean(v); }
  void field(std::string_view k, int v) { key(k); integer(v); }
  void field(std::string_view k, int64_t v) { key(k); integer(v); }
  void field(std::string_view k, uint64_t v) { key(k); unsigned_integer(v); }
  void field(std::string_view k, uint32_t v) { key(k); unsigned_integer(v); }
  void field(std::string_view k, double v) { key(k); number(v); }
  void string_array(std::string_view k, const std::vector<std::string>& values);
  // For values c2hunt itself generates from a fixed safe alphabet (hex, digits, fingerprints,
  // timestamps, addresses, base64): appended without the escape scan. Never for input bytes.
  void generated_field(std::string_view k, std::string_view v) {
    key(k);
    char* p = extend(v.size() + 2);
    *p = '"';
    if (!v.empty()) std::memcpy(p + 1, v.data(), v.size());  // a default view's data() is null
    p[v.size() + 1] = '"';
    after_key_ = false;
  }

  // Appends members this writer produced earlier (`"k":v,"k2":v2`, cut from between an object's
  // braces) to the open object: output c2hunt cached itself, never input bytes.
  void members(std::string_view written) {
    if (written.empty()) return;
    value_prefix();
    put(written);
  }

  // Ends the current line and writes it to `out`; the writer is ready for the next object.
  void write_line(std::FILE* out);
  std::string take_line();

 private:
  // One bit per open container. c2hunt's records nest at most four levels; deeper is a program error.
  static constexpr int kMaxDepth = 64;

  // The line being built is a plain growable byte buffer: each key or value reserves its bytes once
  // and copies them in, where std::string checked capacity on every append (a fifth of the JSON
  // writing in `bench/tls_throughput.sh`).
  char* extend(size_t n) {
    if (capacity_ - size_ < n) grow(n);
    char* p = data_.get() + size_;
    size_ += n;
    return p;
  }
  void grow(size_t n);
  void put(char c) { *extend(1) = c; }
  void put(std::string_view s) {
    if (!s.empty()) std::memcpy(extend(s.size()), s.data(), s.size());
  }
  void put_escaped(std::string_view s);

  void value_prefix() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (depth_ > 0 && depth_ <= kMaxDepth) {
      uint64_t bit = uint64_t{1} << (depth_ - 1);
      if (has_items_ & bit) put(',');
      has_items_ |= bit;
    }
  }
  void open(char c) {
    value_prefix();
    put(c);
    ++depth_;
    assert(depth_ <= kMaxDepth);
    if (depth_ <= kMaxDepth) has_items_ &= ~(uint64_t{1} << (depth_ - 1));
  }
  void close(char c) {
    put(c);
    if (depth_ > 0) --depth_;
  }
  void reset() {
    depth_ = 0;
    has_items_ = 0;
    after_key_ = false;
  }

  std::unique_ptr<char[]> data_;
  size_t size_ = 0, capacity_ = 0;
  uint64_t has_items_ = 0;  // bit d-1: the container at depth d has an item (a comma is due)
  int depth_ = 0;
  bool after_key_ = false;
};

}  // namespace c2hunt::sinks

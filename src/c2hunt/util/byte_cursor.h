// The one bounds-checked reader for untrusted bytes. Every parser of packet, file or log bytes
// reads through a ByteCursor: a failed read poisons the cursor, later reads return zero/empty,
// and the parser checks ok() once at the end, so parsing code reads straight down.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>

namespace c2hunt {

using ByteView = std::span<const uint8_t>;

inline std::string_view as_chars(ByteView v) {
  return std::string_view(reinterpret_cast<const char*>(v.data()), v.size());
}
inline ByteView as_bytes(std::string_view s) {
  return ByteView(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

class ByteCursor {
 public:
  ByteCursor() = default;
  explicit ByteCursor(ByteView bytes) : view_(bytes) {}
  ByteCursor(const uint8_t* data, size_t size) : view_(data, size) {}

  bool ok() const { return ok_; }
  bool empty() const { return view_.empty(); }
  // Readable and fully consumed: what a parser of a length-delimited structure wants at its end.
  bool done() const { return ok_ && view_.empty(); }
  size_t remaining() const { return ok_ ? view_.size() : 0; }
  ByteView rest() const { return ok_ ? view_ : ByteView{}; }
  void poison() { ok_ = false; view_ = {}; }

  uint8_t read_u8() { return static_cast<uint8_t>(read_be(1)); }
  uint16_t read_u16() { return static_cast<uint16_t>(read_be(2)); }
  uint32_t read_u24() { return static_cast<uint32_t>(read_be(3)); }
  uint32_t read_u32() { return static_cast<uint32_t>(read_be(4)); }
  uint64_t read_u64() { return read_be(8); }
  uint16_t read_u16_le() { return static_cast<uint16_t>(read_le(2)); }
  uint32_t read_u32_le() { return static_cast<uint32_t>(read_le(4)); }

  // Next n bytes as a view; poisons (and returns empty) when fewer remain.
  ByteView take(size_t n) {
    if (!ok_ || n > view_.size()) {
      poison();
      return {};
    }
    ByteView out = view_.first(n);
    view_ = view_.subspan(n);
    return out;
  }
  // A sub-cursor over the next n bytes: the usual way into a length-prefixed structure.
  ByteCursor sub(size_t n) {
    ByteView v = take(n);
    ByteCursor c(v);
    if (!ok_) c.poison();
    return c;
  }
  ByteCursor sub_u8_prefixed() { return sub(read_u8()); }
  ByteCursor sub_u16_prefixed() { return sub(read_u16()); }
  ByteCursor sub_u24_prefixed() { return sub(read_u24()); }
  void skip(size_t n) { take(n); }

  // Look at a byte without consuming it; returns 0 and leaves the cursor valid when out of range.
  uint8_t peek_u8(size_t at = 0) const { return (ok_ && at < view_.size()) ? view_[at] : 0; }
  uint16_t peek_u16(size_t at = 0) const {
    return (ok_ && at + 1 < view_.size()) ? static_cast<uint16_t>(view_[at] << 8 | view_[at + 1]) : 0;
  }
  bool has(size_t n) const { return ok_ && view_.size() >= n; }

 private:
  uint64_t read_be(size_t n) {
    ByteView b = take(n);
    uint64_t v = 0;
    for (uint8_t x : b) v = (v << 8) | x;
    return v;
  }
  uint64_t read_le(size_t n) {
    ByteView b = take(n);
    uint64_t v = 0;
    for (size_t i = b.size(); i-- > 0;) v = (v << 8) | b[i];
    return v;
  }

  ByteView view_{};
  bool ok_ = true;
};

}  // namespace c2hunt

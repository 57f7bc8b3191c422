// Lines of a text log, plain or gzip-compressed (zlib reads both), or of a buffer in memory.
// Each line is a view into one large read buffer: no allocation per line. A line longer than
// kMaxLineBytes is skipped and counted, never truncated silently. The bytes after each returned
// line stay readable for at least kLinePadding bytes, as simdjson needs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace c2hunt::logs {

constexpr size_t kMaxLineBytes = 1 << 20;     // longest line accepted (Zeek rows are far shorter)
constexpr size_t kReadChunkBytes = 4 << 20;   // one gzread/read call
constexpr size_t kLinePadding = 64;           // >= SIMDJSON_PADDING

class LineReader {
 public:
  LineReader() = default;
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // Opens a file (gzip or plain). On failure returns false and sets error().
  bool open(const std::string& path);
  // Reads lines from memory (the bytes are copied once).
  void open_memory(std::string_view bytes);

  // The next line without its '\n' (and without a trailing '\r'); false at the end or after a
  // read error (then error() says why; the lines before it were delivered).
  bool next(std::string_view& line);
  // 1-based number of the line last returned.
  uint64_t line_number() const { return line_number_; }
  // Lines skipped so far for being longer than kMaxLineBytes.
  uint64_t overlong_lines() const { return overlong_lines_; }
  // True when the line just returned (as an empty view) was skipped for being too long.
  bool last_overlong() const { return last_overlong_; }
  // Read error (e.g. "truncated gzip stream: unexpected end of file"); empty when none.
  const std::string& error() const { return error_; }
  // Bytes readable from line.data(): the line, what follows it in the buffer, and the padding.
  size_t readable_from(std::string_view line) const;

 private:
  bool fill();  // reads more bytes after the unconsumed ones; false at the end of input

  void* gz_ = nullptr;  // gzFile
  bool memory_ = false;
  bool eof_ = false;
  std::vector<char> buf_;
  size_t begin_ = 0, end_ = 0;  // unconsumed bytes are buf_[begin_, end_)
  uint64_t line_number_ = 0;
  uint64_t overlong_lines_ = 0;
  bool last_overlong_ = false;
  std::string error_;
};

// True when the first bytes of the file are a gzip header.
bool is_gzip_file(const std::string& path);
// The first bytes of a file (decompressed), at most max_bytes; empty when unreadable.
std::string read_head(const std::string& path, size_t max_bytes = 16 * 1024);

}  // namespace c2hunt::logs

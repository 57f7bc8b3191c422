// Helpers for the damaged-input tests: file bytes in and out, seeded bit flips, and a one-line
// text form of a connection (its JSON output) so that two runs can be compared record by record.
#pragma once

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "c2hunt/records/connection.h"
#include "c2hunt/sinks/connection_json.h"
#include "c2hunt/sinks/json_writer.h"

namespace c2hunt::hardening {

inline std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline void write_bytes(const std::string& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// Flips `flips` random bits at or after `from` (fixed generator: reproducible).
inline std::string flip_bits(std::string bytes, size_t from, int flips, std::mt19937_64& rng) {
  if (bytes.size() <= from) return bytes;
  std::uniform_int_distribution<size_t> pos(from, bytes.size() - 1);
  std::uniform_int_distribution<int> bit(0, 7);
  for (int i = 0; i < flips; ++i) bytes[pos(rng)] ^= static_cast<char>(1 << bit(rng));
  return bytes;
}

inline std::string connection_json(const records::Connection& c) {
  sinks::JsonWriter w;
  sinks::write_connection(w, c);
  return w.take_line();
}

// Lines of a diagnostics stream.
inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    if (nl > start) out.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return out;
}

// Captures what a Diagnostics writes, in memory.
class DiagnosticsCapture {
 public:
  DiagnosticsCapture() : stream_(open_memstream(&buffer_, &size_)) {}
  ~DiagnosticsCapture() {
    std::fclose(stream_);
    std::free(buffer_);
  }
  DiagnosticsCapture(const DiagnosticsCapture&) = delete;
  DiagnosticsCapture& operator=(const DiagnosticsCapture&) = delete;
  std::FILE* stream() { return stream_; }
  std::vector<std::string> lines() {
    std::fflush(stream_);
    return lines_of(std::string(buffer_, size_));
  }

 private:
  char* buffer_ = nullptr;
  size_t size_ = 0;
  std::FILE* stream_;
};

}  // namespace c2hunt::hardening

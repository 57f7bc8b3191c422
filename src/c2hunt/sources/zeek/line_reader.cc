#include "c2hunt/sources/zeek/line_reader.h"

#include <zlib.h>

#include <cstdio>
#include <cstring>

namespace c2hunt::logs {

LineReader::~LineReader() {
  if (gz_) gzclose(static_cast<gzFile>(gz_));
}

bool LineReader::open(const std::string& path) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) {
    error_ = std::string("cannot open: ") + std::strerror(errno);
    return false;
  }
  gzbuffer(f, 1 << 20);
  gz_ = f;
  buf_.assign(kReadChunkBytes + kMaxLineBytes + kLinePadding, 0);
  return true;
}

void LineReader::open_memory(std::string_view bytes) {
  memory_ = true;
  eof_ = true;
  buf_.assign(bytes.size() + kLinePadding, 0);
  if (!bytes.empty()) std::memcpy(buf_.data(), bytes.data(), bytes.size());
  end_ = bytes.size();
}

bool LineReader::fill() {
  if (eof_) return false;
  if (begin_ > 0) {
    std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  size_t room = buf_.size() - kLinePadding - end_;
  if (room == 0) return true;  // caller handles an overlong line
  int n = gzread(static_cast<gzFile>(gz_), buf_.data() + end_, static_cast<unsigned>(room));
  if (n < 0) {
    int code = 0;
    const char* msg = gzerror(static_cast<gzFile>(gz_), &code);
    error_ = std::string("read error: ") + (msg ? msg : "unknown");
    eof_ = true;
    return false;
  }
  if (n == 0) {
    eof_ = true;
    int code = 0;
    const char* msg = gzerror(static_cast<gzFile>(gz_), &code);
    if (code != Z_OK && code != Z_STREAM_END)
      error_ = std::string("truncated or damaged gzip stream: ") + (msg ? msg : "unknown");
    return false;
  }
  end_ += static_cast<size_t>(n);
  std::memset(buf_.data() + end_, 0, kLinePadding);
  return true;
}

bool LineReader::next(std::string_view& line) {
  last_overlong_ = false;
  bool skipping = false;  // inside a line longer than kMaxLineBytes
  size_t scan_from = begin_;
  for (;;) {
    const char* base = buf_.data();
    const void* nl = scan_from < end_ ? std::memchr(base + scan_from, '\n', end_ - scan_from) : nullptr;
    if (nl) {
      size_t pos = static_cast<size_t>(static_cast<const char*>(nl) - base);
      size_t start = begin_;
      begin_ = pos + 1;
      ++line_number_;
      if (skipping) {
        ++overlong_lines_;
        last_overlong_ = true;
        line = std::string_view();
        return true;
      }
      size_t len = pos - start;
      if (len > 0 && base[start + len - 1] == '\r') --len;
      line = std::string_view(base + start, len);
      return true;
    }
    if (end_ - begin_ >= kMaxLineBytes) {  // no newline within the limit: drop what we have
      skipping = true;
      begin_ = end_ = 0;
    }
    scan_from = end_ - begin_;
    bool more = !memory_ && fill();
    if (!more) {
      if (begin_ == end_ && !skipping) return false;
      ++line_number_;
      if (!error_.empty()) {  // a partial last line of a damaged stream is not a line
        begin_ = end_;
        return false;
      }
      if (skipping) {
        ++overlong_lines_;
        last_overlong_ = true;
        begin_ = end_;
        line = std::string_view();
        return true;
      }
      size_t len = end_ - begin_;
      if (len > 0 && buf_[begin_ + len - 1] == '\r') --len;
      line = std::string_view(buf_.data() + begin_, len);
      begin_ = end_;
      return true;
    }
    scan_from += begin_;
  }
}

size_t LineReader::readable_from(std::string_view line) const {
  const char* base = buf_.data();
  if (line.data() < base || line.data() > base + buf_.size()) return line.size();
  return static_cast<size_t>(base + buf_.size() - line.data());
}

bool is_gzip_file(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return false;
  unsigned char m[2] = {};
  size_t n = std::fread(m, 1, 2, f);
  std::fclose(f);
  return n == 2 && m[0] == 0x1f && m[1] == 0x8b;
}

std::string read_head(const std::string& path, size_t max_bytes) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) return {};
  std::string out(max_bytes, '\0');
  int n = gzread(f, out.data(), static_cast<unsigned>(max_bytes));
  gzclose(f);
  if (n <= 0) return {};
  out.resize(static_cast<size_t>(n));
  return out;
}

}  // namespace c2hunt::logs

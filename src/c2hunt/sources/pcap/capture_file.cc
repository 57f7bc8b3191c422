#include "c2hunt/sources/pcap/capture_file.h"

#include <fcntl.h>
#include <stdio_ext.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <vector>

namespace c2hunt::pcap {
namespace {

// Large enough that libpcap's record reads rarely reach the cookie; small enough to stay in cache.
constexpr size_t kStdioBufferBytes = 256 * 1024;

struct Cookie {
  CaptureFileState* state;
  int fd = -1;
  gzFile gz = nullptr;
};

ssize_t cookie_read(void* c, char* buf, size_t size) {
  auto* k = static_cast<Cookie*>(c);
  ssize_t n;
  if (k->gz) {
    int r = gzread(k->gz, buf, static_cast<unsigned>(size > (1u << 30) ? (1u << 30) : size));
    if (r < 0) {
      int errnum = 0;
      const char* msg = gzerror(k->gz, &errnum);
      k->state->read_error = std::string("gzip: ") + (msg ? msg : "inflate failed");
      return -1;
    }
    if (r == 0) {
      int errnum = Z_OK;
      gzerror(k->gz, &errnum);
      if (errnum == Z_BUF_ERROR) k->state->gzip_cut_short = true;
    }
    n = r;
  } else {
    do n = ::read(k->fd, buf, size);
    while (n < 0 && errno == EINTR);
    if (n < 0) {
      k->state->read_error = std::strerror(errno);
      return -1;
    }
  }
  k->state->bytes_read += static_cast<uint64_t>(n);
  return n;
}

// Only "where am I" is supported, `position` being the bytes handed to stdio so far: enough for
// ftell, which subtracts what stdio still buffers.
int seek_in_place(uint64_t position, off64_t* offset, int whence) {
  auto pos = static_cast<off64_t>(position);
  if ((whence == SEEK_CUR && *offset == 0) || (whence == SEEK_SET && *offset == pos)) {
    *offset = pos;
    return 0;
  }
  return -1;
}

int cookie_seek(void* c, off64_t* offset, int whence) {
  return seek_in_place(static_cast<Cookie*>(c)->state->bytes_read, offset, whence);
}

int cookie_close(void* c) {
  auto* k = static_cast<Cookie*>(c);
  int rc = 0;
  if (k->gz)
    rc = gzclose(k->gz) == Z_OK ? 0 : -1;  // also closes the fd
  else if (k->fd >= 0)
    rc = ::close(k->fd);
  delete k;
  return rc;
}

// An interface pass: blocks read whole from the capture stream, filtered, handed on. What cannot be
// read as a block (a cut-short tail, an absurd length) is handed on raw from there to the end, so
// libpcap meets the same damage it would have met in the file.
struct InterfacePass {
  std::FILE* inner;
  PcapngInterfaceFilter* filter;
  std::vector<uint8_t> pending, block;
  size_t pending_at = 0;
  bool raw = false;
  uint64_t bytes_out = 0;

  // Refills `pending`; false at the end of the stream.
  bool refill() {
    pending.clear();
    pending_at = 0;
    if (raw) {
      pending.resize(64 * 1024);
      pending.resize(std::fread(pending.data(), 1, pending.size(), inner));
      return !pending.empty();
    }
    std::array<uint8_t, 12> head{};
    size_t got = std::fread(head.data(), 1, 8, inner);
    if (got == 0) return false;
    if (got == 8 && ByteCursor(ByteView(head)).read_u32() == kPcapngSectionHeader)
      got += std::fread(&head[8], 1, 4, inner);
    ByteView header = ByteView(head).first(got);
    uint32_t length = got >= 8 ? filter->block_length(header) : 0;
    if (length <= got) {  // not a usable block header: from here on the bytes go on unfiltered
      pending.assign(header.begin(), header.end());
      raw = true;
      return true;
    }
    block.assign(header.begin(), header.end());
    block.resize(length);
    size_t body = std::fread(&block[got], 1, length - got, inner);
    if (body < length - got) {  // cut short: hand on what there is, libpcap reports the truncation
      block.resize(got + body);
      pending.swap(block);
      raw = true;
      return true;
    }
    filter->filter(block, pending);
    return true;
  }
};

ssize_t interface_pass_read(void* c, char* buf, size_t size) {
  auto* k = static_cast<InterfacePass*>(c);
  while (k->pending_at == k->pending.size()) {
    if (!k->refill()) return std::ferror(k->inner) ? -1 : 0;
  }
  size_t n = std::min(size, k->pending.size() - k->pending_at);
  std::memcpy(buf, &k->pending[k->pending_at], n);
  k->pending_at += n;
  k->bytes_out += n;
  return static_cast<ssize_t>(n);
}

// Only "where am I", in bytes handed on (not bytes of the file).
int interface_pass_seek(void* c, off64_t* offset, int whence) {
  return seek_in_place(static_cast<InterfacePass*>(c)->bytes_out, offset, whence);
}

int interface_pass_close(void* c) {
  auto* k = static_cast<InterfacePass*>(c);
  int rc = std::fclose(k->inner);
  delete k;
  return rc;
}

// A stdio stream over `cookie` (closed with it when the stream cannot be made).
std::FILE* cookie_stream(void* cookie, cookie_io_functions_t io, std::string& error) {
  std::FILE* f = fopencookie(cookie, "rb", io);
  if (!f) {
    error = std::string("cannot open stream: ") + std::strerror(errno);
    io.close(cookie);
    return nullptr;
  }
  std::setvbuf(f, nullptr, _IOFBF, kStdioBufferBytes);
  // One thread reads a capture: libpcap's two freads a packet need not take the stream lock.
  __fsetlocking(f, FSETLOCKING_BYCALLER);
  return f;
}

}  // namespace

std::FILE* open_capture_file(const std::string& path, CaptureFileState& state, std::string& error) {
  const bool standard_input = path == kStandardInput;
  int fd = standard_input ? ::fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 0) : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error = std::string("cannot open: ") + std::strerror(errno);
    return nullptr;
  }
  unsigned char magic[2] = {};
  ssize_t got = standard_input ? 0 : ::pread(fd, magic, 2, 0);
  auto* cookie = new Cookie{&state, fd, nullptr};
  state.gzip = got == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
  // A pipe cannot be peeked at: zlib reads it either way (plain bytes pass through unchanged).
  if (state.gzip || standard_input) {
    cookie->gz = gzdopen(fd, "rb");
    if (!cookie->gz) {
      ::close(fd);
      delete cookie;
      error = "cannot start gzip decompression";
      return nullptr;
    }
    gzbuffer(cookie->gz, 128 * 1024);
  }
  return cookie_stream(cookie, {cookie_read, nullptr, cookie_seek, cookie_close}, error);
}

std::FILE* open_pcapng_interface_pass(const std::string& path, PcapngInterfaceFilter& filter,
                                      CaptureFileState& state, std::string& error) {
  std::FILE* inner = open_capture_file(path, state, error);
  if (!inner) return nullptr;
  auto* pass = new InterfacePass{inner, &filter, {}, {}};
  return cookie_stream(pass, {interface_pass_read, nullptr, interface_pass_seek, interface_pass_close}, error);
}

}  // namespace c2hunt::pcap

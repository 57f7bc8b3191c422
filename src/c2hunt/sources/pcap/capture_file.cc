#include "c2hunt/sources/pcap/capture_file.h"

#include <fcntl.h>
#include <stdio_ext.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstring>

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

// Only "where am I" is supported: enough for ftell, which subtracts what stdio still buffers.
int cookie_seek(void* c, off64_t* offset, int whence) {
  auto* k = static_cast<Cookie*>(c);
  auto pos = static_cast<off64_t>(k->state->bytes_read);
  if ((whence == SEEK_CUR && *offset == 0) || (whence == SEEK_SET && *offset == pos)) {
    *offset = pos;
    return 0;
  }
  return -1;
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
  cookie_io_functions_t io{cookie_read, nullptr, cookie_seek, cookie_close};
  std::FILE* f = fopencookie(cookie, "rb", io);
  if (!f) {
    error = std::string("cannot open stream: ") + std::strerror(errno);
    cookie_close(cookie);
    return nullptr;
  }
  std::setvbuf(f, nullptr, _IOFBF, kStdioBufferBytes);
  // One thread reads a capture: libpcap's two freads a packet need not take the stream lock.
  __fsetlocking(f, FSETLOCKING_BYCALLER);
  return f;
}

}  // namespace c2hunt::pcap

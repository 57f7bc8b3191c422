// Looks at the first payload bytes of a connection: does a known protocol start this way, and are
// the bytes indistinguishable from random (encrypted) data?
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace c2hunt::signals {

// Name of the known protocol these first bytes begin, or nullptr: TLS/SSL (incl. SSLv2 hello), SSH,
// HTTP (request or response), HTTP/2 preface, SMB1/2/3 over NetBIOS session, RDP (TPKT), DNS over TCP,
// SOCKS4/5, RFB (VNC), TDS/PostgreSQL/MySQL greetings, SMTP/FTP/POP/IMAP banners, gzip, zlib.
const char* known_protocol_prefix(std::span<const uint8_t> bytes);

struct Randomness {
  size_t bytes = 0;
  double entropy_bits = 0;       // Shannon entropy of the byte frequencies (bits per byte)
  double max_entropy_bits = 0;   // the most a sample of this size can reach: log2(min(n, 256))
  double chi_square = 0;         // Pearson chi-square of the 256 byte counts against uniform
  double chi_square_sigma = 0;   // (chi_square - mean) / sd under the uniform hypothesis
};

Randomness measure_randomness(std::span<const uint8_t> bytes);
// True when the sample is large enough and both tests agree with uniform random bytes.
bool looks_random(const Randomness& r, size_t min_bytes, double max_sigma, double min_entropy_ratio);

}  // namespace c2hunt::signals

// Turns one DER certificate into records::Certificate using OpenSSL. Never throws; undecodable
// DER gives a record with parse_error set and the hashes of the bytes. Field derivations and the
// self-signed rule: docs/certificates.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "c2hunt/records/certificate.h"
#include "c2hunt/util/byte_cursor.h"
#include "c2hunt/util/counters.h"

namespace c2hunt::x509 {

// DER larger than this is not decoded (real certificates are a few KiB; TLS caps a chain at 16 MiB).
inline constexpr size_t kMaxCertificateDerBytes = 64 * 1024;
// subjectAltName entries kept per certificate (DNS and IP together); the rest are counted and dropped.
inline constexpr size_t kMaxSanEntries = 64;
// Longest subject, issuer, CN, serial or SAN string kept; longer ones end in kTruncationMarker.
inline constexpr size_t kMaxCertificateStringBytes = 4096;
inline constexpr std::string_view kTruncationMarker = "...[truncated]";

// Counters (when given): x509.parse_error, x509.der_too_large, x509.san_dropped,
// x509.san_ip_bad_length, x509.string_truncated.
records::Certificate describe_certificate(ByteView der, Counters* counters = nullptr);

}  // namespace c2hunt::x509

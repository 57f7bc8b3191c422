// The TLS 1.2-and-older Certificate handshake message (RFC 5246 §7.4.2): a u24 list of u24-prefixed
// DER certificates, each described through c2hunt::x509.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "c2hunt/records/tls.h"
#include "c2hunt/util/byte_cursor.h"
#include "c2hunt/x509/certificate_cache.h"

namespace c2hunt::tls {

// Appends up to `max_certificates` (in total in `out`) certificates; `dropped` counts the others.
// False when the message is malformed (certificates read before the fault are kept). With a cache,
// certificates seen before are not described again.
bool parse_certificate_message(ByteView body, size_t max_certificates, x509::CertificateCache* cache,
                               std::vector<records::ChainCertificate>& out, uint64_t& dropped);

}  // namespace c2hunt::tls

// Turns one DER certificate into records::Certificate using OpenSSL. Never throws; undecodable
// DER gives a record with parse_error set and the hashes of the bytes.
#pragma once

#include <cstdint>

#include "c2hunt/records/certificate.h"
#include "c2hunt/util/byte_cursor.h"

namespace c2hunt::x509 {

records::Certificate describe_certificate(ByteView der, uint32_t chain_index);

}  // namespace c2hunt::x509

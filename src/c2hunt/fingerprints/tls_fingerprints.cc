// Placeholder until the fingerprint implementations land.
#include "c2hunt/fingerprints/tls_fingerprints.h"

namespace c2hunt::fingerprints {

bool is_grease(uint16_t x) { return (x & 0x0f0f) == 0x0a0a && (x & 0xff) == (x >> 8); }
void fill_client_fingerprints(records::TlsClientHello&) {}
void fill_server_fingerprints(records::TlsServerHello&) {}

}  // namespace c2hunt::fingerprints

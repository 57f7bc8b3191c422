// Client and server TLS fingerprints from the raw lists of a parsed hello.
#pragma once

#include <string>

#include "c2hunt/records/tls.h"

namespace c2hunt::fingerprints {

// JA3 (string and MD5) and JA4 (JA4, JA4_r, JA4_o, JA4_ro). `over_quic` selects JA4's 'q' prefix.
void fill_client_fingerprints(records::TlsClientHello& hello);
// JA3S and (with C2HUNT_JA4PLUS) JA4S.
void fill_server_fingerprints(records::TlsServerHello& hello);

bool is_grease(uint16_t value);

}  // namespace c2hunt::fingerprints

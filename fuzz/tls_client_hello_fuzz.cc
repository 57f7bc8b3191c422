// Fuzzes the hello parsers and the fingerprints computed from whatever they managed to read.
#include <cstddef>
#include <cstdint>

#include "c2hunt/fingerprints/tls_fingerprints.h"
#include "c2hunt/protocols/tls/tls_hello.h"
#include "c2hunt/protocols/tls/tls_stream.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  c2hunt::ByteView bytes(data, size);
  c2hunt::records::TlsClientHello client;
  c2hunt::tls::parse_client_hello(bytes, client);
  client.over_quic = size % 2 == 1;
  c2hunt::fingerprints::fill_client_fingerprints(client);

  c2hunt::records::TlsClientHello sslv2;
  c2hunt::tls::parse_sslv2_client_hello(bytes, sslv2);
  c2hunt::fingerprints::fill_client_fingerprints(sslv2);

  c2hunt::records::TlsServerHello server;
  c2hunt::tls::parse_server_hello(bytes, server);
  c2hunt::fingerprints::fill_server_fingerprints(server);

  c2hunt::tls::looks_like_tls_client_start(bytes);
  c2hunt::tls::hello_session_id(bytes);
  return 0;
}

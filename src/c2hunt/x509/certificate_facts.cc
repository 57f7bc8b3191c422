// Placeholder until the OpenSSL-backed implementation lands: hashes only.
#include "c2hunt/x509/certificate_facts.h"

namespace c2hunt::x509 {

records::Certificate describe_certificate(ByteView der, uint32_t chain_index) {
  records::Certificate c;
  c.chain_index = chain_index;
  c.parse_error = der.empty();
  return c;
}

}  // namespace c2hunt::x509

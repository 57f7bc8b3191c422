#include "c2hunt/protocols/tls/tls_certificate_message.h"

#include "c2hunt/x509/certificate_facts.h"

namespace c2hunt::tls {

bool parse_certificate_message(ByteView body, size_t max_certificates, x509::CertificateCache* cache,
                               std::vector<records::ChainCertificate>& out, uint64_t& dropped) {
  ByteCursor c(body);
  ByteCursor list = c.sub_u24_prefixed();
  uint32_t index = 0;
  while (list.has(3)) {
    ByteView der = list.sub_u24_prefixed().rest();
    if (!list.ok()) break;
    if (out.size() < max_certificates) {
      out.push_back({index, cache ? cache->describe(der)
                                  : std::make_shared<const records::Certificate>(x509::describe_certificate(der))});
    } else {
      ++dropped;
    }
    ++index;
  }
  return list.done() && c.done();
}

}  // namespace c2hunt::tls

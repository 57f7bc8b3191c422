// libFuzzer target: describe_certificate over arbitrary bytes must never crash, leak or hang.
#include <cstddef>
#include <cstdint>

#include "c2hunt/x509/certificate_facts.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  c2hunt::Counters counters;
  auto cert = c2hunt::x509::describe_certificate(c2hunt::ByteView(data, size), &counters);
  // Cheap invariants: hashes always present, strings and lists always capped.
  if (cert.sha256.size() != 64 || cert.sha1.size() != 40) __builtin_trap();
  if (cert.subject.size() > c2hunt::x509::kMaxCertificateStringBytes ||
      cert.issuer.size() > c2hunt::x509::kMaxCertificateStringBytes)
    __builtin_trap();
  if (cert.san_dns.size() + cert.san_ip.size() > c2hunt::x509::kMaxSanEntries) __builtin_trap();
  return 0;
}

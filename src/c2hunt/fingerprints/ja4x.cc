#include "c2hunt/fingerprints/ja4x.h"

#ifdef C2HUNT_JA4PLUS

#include "c2hunt/util/digest.h"
#include "c2hunt/util/text_escape.h"

namespace c2hunt::fingerprints {

std::string ja4x_raw_part(std::span<const ByteView> oids) {
  std::string out;
  for (ByteView oid : oids) {
    if (!out.empty()) out += ',';
    out += to_hex(as_chars(oid));
  }
  return out;
}

std::string ja4x_hash_part(std::span<const ByteView> oids) {
  if (oids.empty()) return "000000000000";
  return digest_hex(DigestAlgorithm::sha256, as_bytes(ja4x_raw_part(oids)), 12);
}

std::string ja4x(const Ja4xShape& shape) {
  return ja4x_hash_part(shape.issuer_attribute_types) + '_' + ja4x_hash_part(shape.subject_attribute_types) +
         '_' + ja4x_hash_part(shape.extension_oids);
}

std::string ja4x_raw(const Ja4xShape& shape) {
  return ja4x_raw_part(shape.issuer_attribute_types) + '_' + ja4x_raw_part(shape.subject_attribute_types) +
         '_' + ja4x_raw_part(shape.extension_oids);
}

}  // namespace c2hunt::fingerprints

#endif  // C2HUNT_JA4PLUS

// JA4X: the shape of a certificate (which attribute types its issuer and subject names hold and
// which extensions it carries, in certificate order), independent of the values. FoxIO License 1.1,
// so only built with C2HUNT_JA4PLUS. Algorithm: docs/certificates.md and
// shared/reference/tls-fingerprints.md section 1.4.
#pragma once

#ifdef C2HUNT_JA4PLUS

#include <span>
#include <string>

#include "c2hunt/util/byte_cursor.h"

namespace c2hunt::fingerprints {

// Each list holds the DER content octets of one OID (no tag, no length), in certificate order.
struct Ja4xShape {
  std::span<const ByteView> issuer_attribute_types;
  std::span<const ByteView> subject_attribute_types;
  std::span<const ByteView> extension_oids;
};

// "550406,55040a,550403": lowercase hex of each OID, comma-joined.
std::string ja4x_raw_part(std::span<const ByteView> oids);
// First 12 hex characters of SHA-256 of the raw part; "000000000000" for an empty list.
std::string ja4x_hash_part(std::span<const ByteView> oids);
// "issuer_subject_extensions", each part hashed.
std::string ja4x(const Ja4xShape& shape);
// The same with the raw parts (what FoxIO prints as ja4x_r).
std::string ja4x_raw(const Ja4xShape& shape);

}  // namespace c2hunt::fingerprints

#endif  // C2HUNT_JA4PLUS

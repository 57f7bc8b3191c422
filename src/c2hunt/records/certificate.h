// Facts about one X.509 certificate as seen in a handshake or a log. Where it sat in a chain is the
// handshake's fact, not the certificate's (records::ChainCertificate).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "c2hunt/util/time_format.h"

namespace c2hunt::records {

struct Certificate {
  std::string sha1;                  // lowercase hex of the DER
  std::string sha256;                // lowercase hex of the DER
  std::string subject;               // RFC 4514 (most significant RDN last, as OpenSSL/Zeek print it)
  std::string issuer;                // RFC 4514
  std::string subject_cn;            // first commonName, if any
  std::string serial_hex;            // uppercase hex, two digits per magnitude byte (1 -> "01", no DER sign byte), as Zeek logs it
  std::optional<TimeMicros> not_before;
  std::optional<TimeMicros> not_after;
  std::optional<double> validity_days;
  std::vector<std::string> san_dns;
  std::vector<std::string> san_ip;
  std::string key_type;              // "rsa", "ecdsa", "dsa", "ed25519", ...
  int key_bits = 0;
  std::string signature_algorithm;   // OpenSSL long name, e.g. "sha256WithRSAEncryption"
  std::optional<bool> is_ca;         // basicConstraints CA flag; unset when the extension is absent
  std::optional<bool> self_signed;   // decided by verifying the signature with the certificate's own key;
                                     // unset when the source cannot tell (logs with subject/issuer only)
  std::string ja4x;                  // empty when JA4+ is disabled or not computable
  int version = 0;                   // X.509 version (1..3)
  bool parse_error = false;          // DER was present but OpenSSL could not decode it
};

}  // namespace c2hunt::records

// Builds real certificates with the OpenSSL API for the x509 tests: fresh keys, chosen names,
// validity, serial and extensions, signed by whichever key the test names.
#pragma once

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdint>
#include <ctime>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace c2hunt::testing {

struct KeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, KeyFree>;
struct CertFree {
  void operator()(X509* c) const { X509_free(c); }
};
using CertPtr = std::unique_ptr<X509, CertFree>;

inline KeyPtr ec_key(const char* curve = "P-256") { return KeyPtr(EVP_EC_gen(curve)); }
inline KeyPtr rsa_key(unsigned bits = 1024) { return KeyPtr(EVP_RSA_gen(bits)); }

// Attribute short name ("C", "CN", "street" ...) and value, in the order they are encoded.
using NameParts = std::vector<std::pair<std::string, std::string>>;

struct CertSpec {
  NameParts subject;
  NameParts issuer;  // empty means "same as subject" unless empty_issuer is set
  bool empty_issuer = false;
  long serial = 1;
  std::vector<uint8_t> serial_bytes;  // overrides serial when set (big-endian magnitude)
  time_t not_before = 1700000000;
  time_t not_after = 1700000000 + 365 * 86400;
  // Extensions in the order to add them: OpenSSL NID and its config value, e.g.
  // {NID_subject_alt_name, "DNS:a.example,IP:10.0.0.1"}.
  std::vector<std::pair<int, std::string>> extensions;
  const EVP_MD* digest = nullptr;  // nullptr = SHA-256 (must stay null for Ed25519)
};

inline X509_NAME* build_name(const NameParts& parts) {
  X509_NAME* name = X509_NAME_new();
  for (const auto& [field, value] : parts) {
    // V_ASN1_UTF8STRING (not MBSTRING_UTF8) skips OpenSSL's per-attribute length limits, so tests
    // can build oversized values.
    X509_NAME_add_entry_by_txt(name, field.c_str(), V_ASN1_UTF8STRING,
                               reinterpret_cast<const unsigned char*>(value.data()), static_cast<int>(value.size()),
                               -1, 0);
  }
  return name;
}

// Signs with signer_key; issuer_cert (when given) supplies the authorityKeyIdentifier source.
inline CertPtr build_certificate(const CertSpec& spec, EVP_PKEY* subject_key, EVP_PKEY* signer_key,
                                 X509* issuer_cert = nullptr) {
  CertPtr cert(X509_new());
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER* serial = X509_get_serialNumber(cert.get());
  if (!spec.serial_bytes.empty())
    ASN1_STRING_set(serial, spec.serial_bytes.data(), static_cast<int>(spec.serial_bytes.size()));
  else
    ASN1_INTEGER_set(serial, spec.serial);
  ASN1_TIME_set(X509_getm_notBefore(cert.get()), spec.not_before);
  ASN1_TIME_set(X509_getm_notAfter(cert.get()), spec.not_after);
  X509_NAME* subject = build_name(spec.subject);
  X509_set_subject_name(cert.get(), subject);
  X509_NAME* issuer = spec.empty_issuer ? X509_NAME_new() : build_name(spec.issuer.empty() ? spec.subject : spec.issuer);
  X509_set_issuer_name(cert.get(), issuer);
  X509_NAME_free(subject);
  X509_NAME_free(issuer);
  X509_set_pubkey(cert.get(), subject_key);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer_cert ? issuer_cert : cert.get(), cert.get(), nullptr, nullptr, 0);
  for (const auto& [nid, value] : spec.extensions) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
    if (ext != nullptr) {
      X509_add_ext(cert.get(), ext, -1);
      X509_EXTENSION_free(ext);
    }
  }
  const EVP_MD* md = spec.digest;
  if (md == nullptr && EVP_PKEY_get_base_id(signer_key) != EVP_PKEY_ED25519) md = EVP_sha256();
  if (X509_sign(cert.get(), signer_key, md) <= 0) return nullptr;
  return cert;
}

inline std::vector<uint8_t> der_of(X509* cert) {
  unsigned char* buf = nullptr;
  int n = i2d_X509(cert, &buf);
  std::vector<uint8_t> out;
  if (n > 0) out.assign(buf, buf + n);
  OPENSSL_free(buf);
  return out;
}

}  // namespace c2hunt::testing

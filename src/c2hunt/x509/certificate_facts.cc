#include "c2hunt/x509/certificate_facts.h"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <memory>
#include <vector>

#include "c2hunt/util/ascii.h"
#include "c2hunt/util/digest.h"
#include "c2hunt/util/ip_address.h"

#ifdef C2HUNT_JA4PLUS
#include "c2hunt/fingerprints/ja4x.h"
#endif

namespace c2hunt::x509 {
namespace {

template <auto Free>
struct OpenSslDeleter {
  template <typename T>
  void operator()(T* p) const {
    Free(p);
  }
};
using X509Ptr = std::unique_ptr<X509, OpenSslDeleter<X509_free>>;
using BioPtr = std::unique_ptr<BIO, OpenSslDeleter<BIO_free>>;
using GeneralNamesPtr = std::unique_ptr<GENERAL_NAMES, OpenSslDeleter<GENERAL_NAMES_free>>;
using BasicConstraintsPtr = std::unique_ptr<BASIC_CONSTRAINTS, OpenSslDeleter<BASIC_CONSTRAINTS_free>>;

void bump(Counters* counters, std::string_view name) {
  if (counters) ++counters->counter(name);
}

// Copies at most kMaxCertificateStringBytes; longer input keeps its head and gets the marker.
std::string capped(std::string_view s, Counters* counters) {
  if (s.size() <= kMaxCertificateStringBytes) return std::string(s);
  bump(counters, "x509.string_truncated");
  std::string out(s.substr(0, kMaxCertificateStringBytes - kTruncationMarker.size()));
  out += kTruncationMarker;
  return out;
}

std::string_view asn1_view(const ASN1_STRING* s) {
  if (s == nullptr) return {};
  return std::string_view(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                          static_cast<size_t>(ASN1_STRING_length(s)));
}

// RFC 4514 via XN_FLAG_RFC2253: most significant RDN last, short names, RFC 2253 escaping. This
// is exactly what Zeek's x509.log prints for certificate.subject/issuer.
std::string rfc4514(const X509_NAME* name, BIO* bio, Counters* counters) {
  if (name == nullptr || bio == nullptr) return {};
  BIO_reset(bio);
  if (X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253) < 0) return {};
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  if (n <= 0 || data == nullptr) return {};
  return capped(std::string_view(data, static_cast<size_t>(n)), counters);
}

std::string first_common_name(const X509_NAME* name, Counters* counters) {
  int at = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
  if (at < 0) return {};
  const ASN1_STRING* value = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, at));
  unsigned char* utf8 = nullptr;
  int n = ASN1_STRING_to_UTF8(&utf8, value);
  if (n < 0 || utf8 == nullptr) return {};
  std::string out = capped(std::string_view(reinterpret_cast<const char*>(utf8), static_cast<size_t>(n)), counters);
  OPENSSL_free(utf8);
  return out;
}

// Zeek logs the serial as i2a_ASN1_INTEGER prints it: two uppercase hex digits per magnitude byte
// (so 1 is "01" and a DER sign byte 0x00 does not appear), '-' first when negative.
std::string serial_hex(const ASN1_INTEGER* serial, Counters* counters) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  if (serial == nullptr) return {};
  std::string_view bytes = asn1_view(serial);
  if (bytes.empty()) return "00";
  std::string out;
  out.reserve(bytes.size() * 2 + 1);
  if (ASN1_STRING_type(serial) == V_ASN1_NEG_INTEGER) out += '-';
  for (char c : bytes) {
    auto b = static_cast<uint8_t>(c);
    out += kHex[b >> 4];
    out += kHex[b & 0xf];
  }
  return out.size() <= kMaxCertificateStringBytes ? out : capped(out, counters);
}

std::optional<TimeMicros> asn1_time_micros(const ASN1_TIME* t) {
  // ASN1_TIME_to_tm reads the current time for a null argument, so refuse that explicitly.
  if (t == nullptr) return std::nullopt;
  struct tm tm {};
  if (ASN1_TIME_to_tm(t, &tm) != 1) return std::nullopt;
  return static_cast<TimeMicros>(timegm(&tm)) * kMicrosPerSecond;
}

// Zeek's key_type names for the types it knows; lowercase OpenSSL short names otherwise.
std::string key_type_name(const X509* cert, const EVP_PKEY* key) {
  if (key != nullptr) {
    switch (EVP_PKEY_get_base_id(key)) {
      case EVP_PKEY_RSA:
      case EVP_PKEY_RSA_PSS: return "rsa";
      case EVP_PKEY_EC: return "ecdsa";
      case EVP_PKEY_DSA: return "dsa";
      case EVP_PKEY_ED25519: return "ed25519";
      case EVP_PKEY_ED448: return "ed448";
      case EVP_PKEY_X25519: return "x25519";
      case EVP_PKEY_X448: return "x448";
      case EVP_PKEY_DH:
      case EVP_PKEY_DHX: return "dh";
      default: break;
    }
  }
  // Unknown or undecodable key: name the algorithm OID itself.
  ASN1_OBJECT* algorithm = nullptr;
  if (X509_PUBKEY_get0_param(&algorithm, nullptr, nullptr, nullptr, X509_get_X509_PUBKEY(cert)) != 1 ||
      algorithm == nullptr)
    return {};
  char buf[128];
  int n = OBJ_obj2txt(buf, sizeof buf, algorithm, 0);
  if (n <= 0) return {};
  std::string out(buf, std::min<size_t>(static_cast<size_t>(n), sizeof buf - 1));
  lower_ascii_in_place(out);
  return out;
}

// Long name of the outer signatureAlgorithm (dotted OID when OpenSSL has no name), which is what
// Zeek's sig_alg column holds (i2a_ASN1_OBJECT).
std::string signature_algorithm_name(const X509* cert) {
  const X509_ALGOR* alg = nullptr;
  X509_get0_signature(nullptr, &alg, cert);
  if (alg == nullptr) return {};
  const ASN1_OBJECT* oid = nullptr;
  X509_ALGOR_get0(&oid, nullptr, nullptr, alg);
  if (oid == nullptr) return {};
  char buf[128];
  int n = OBJ_obj2txt(buf, sizeof buf, oid, 0);
  if (n <= 0) return {};
  return std::string(buf, std::min<size_t>(static_cast<size_t>(n), sizeof buf - 1));
}

void add_subject_alt_names(const X509* cert, records::Certificate& out, Counters* counters) {
  GeneralNamesPtr names(static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr)));
  if (!names) return;
  int count = sk_GENERAL_NAME_num(names.get());
  size_t kept = 0;
  for (int i = 0; i < count; ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names.get(), i);
    if (name == nullptr || (name->type != GEN_DNS && name->type != GEN_IPADD)) continue;
    if (kept == kMaxSanEntries) {
      bump(counters, "x509.san_dropped");
      continue;
    }
    if (name->type == GEN_DNS) {
      out.san_dns.push_back(capped(asn1_view(name->d.dNSName), counters));
      ++kept;
      continue;
    }
    std::string_view ip = asn1_view(name->d.iPAddress);
    const auto* b = reinterpret_cast<const uint8_t*>(ip.data());
    if (ip.size() == 4) {
      out.san_ip.push_back(IpAddress::v4(b).to_string());
    } else if (ip.size() == 16) {
      out.san_ip.push_back(IpAddress::v6(b).to_string());
    } else {
      bump(counters, "x509.san_ip_bad_length");
      continue;
    }
    ++kept;
  }
}

// basicConstraints cA flag; unset when the extension is absent, repeated or undecodable.
std::optional<bool> ca_flag(const X509* cert) {
  int critical = 0;
  BasicConstraintsPtr bc(
      static_cast<BASIC_CONSTRAINTS*>(X509_get_ext_d2i(cert, NID_basic_constraints, &critical, nullptr)));
  if (!bc) return std::nullopt;
  return bc->ca != 0;
}

#ifdef C2HUNT_JA4PLUS
void append_attribute_types(const X509_NAME* name, std::vector<ByteView>& out) {
  int count = X509_NAME_entry_count(name);
  for (int i = 0; i < count; ++i) {
    const ASN1_OBJECT* oid = X509_NAME_ENTRY_get_object(X509_NAME_get_entry(name, i));
    if (oid != nullptr) out.emplace_back(OBJ_get0_data(oid), OBJ_length(oid));
  }
}

std::string certificate_ja4x(const X509* cert) {
  std::vector<ByteView> issuer, subject, extensions;
  append_attribute_types(X509_get_issuer_name(cert), issuer);
  append_attribute_types(X509_get_subject_name(cert), subject);
  int count = X509_get_ext_count(cert);
  for (int i = 0; i < count; ++i) {
    const ASN1_OBJECT* oid = X509_EXTENSION_get_object(X509_get_ext(cert, i));
    if (oid != nullptr) extensions.emplace_back(OBJ_get0_data(oid), OBJ_length(oid));
  }
  return fingerprints::ja4x({issuer, subject, extensions});
}
#endif

void describe_decoded(X509* cert, records::Certificate& out, Counters* counters) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  const X509_NAME* subject = X509_get_subject_name(cert);
  out.subject = rfc4514(subject, bio.get(), counters);
  out.issuer = rfc4514(X509_get_issuer_name(cert), bio.get(), counters);
  out.subject_cn = first_common_name(subject, counters);
  out.serial_hex = serial_hex(X509_get0_serialNumber(cert), counters);
  out.not_before = asn1_time_micros(X509_get0_notBefore(cert));
  out.not_after = asn1_time_micros(X509_get0_notAfter(cert));
  if (out.not_before && out.not_after)
    out.validity_days = static_cast<double>(*out.not_after - *out.not_before) / (86400.0 * kMicrosPerSecond);
  add_subject_alt_names(cert, out, counters);
  EVP_PKEY* key = X509_get0_pubkey(cert);  // owned by cert
  out.key_type = key_type_name(cert, key);
  if (key != nullptr) out.key_bits = EVP_PKEY_get_bits(key);
  out.signature_algorithm = signature_algorithm_name(cert);
  out.version = static_cast<int>(X509_get_version(cert)) + 1;
  out.is_ca = ca_flag(cert);
  // Self-signed means "its own key verifies its signature", not issuer == subject: generators
  // such as Metasploit's rex fallback write an issuer that differs from the subject and still
  // sign with the certificate's key. Without a decodable key the question stays open.
  if (key != nullptr) out.self_signed = X509_verify(cert, key) == 1;
#ifdef C2HUNT_JA4PLUS
  out.ja4x = certificate_ja4x(cert);
#endif
}

}  // namespace

records::Certificate describe_certificate(ByteView der, Counters* counters) {
  records::Certificate out;
  out.sha1 = sha1_hex(der);
  out.sha256 = sha256_hex(der);
  if (der.size() > kMaxCertificateDerBytes) {
    bump(counters, "x509.der_too_large");
    bump(counters, "x509.parse_error");
    out.parse_error = true;
    return out;
  }
  const unsigned char* p = der.data();
  X509Ptr cert(der.empty() ? nullptr : d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (!cert) {
    bump(counters, "x509.parse_error");
    out.parse_error = true;
  } else {
    describe_decoded(cert.get(), out, counters);
  }
  // Failed decodes and verifications leave entries on this thread's error queue; nobody reads them.
  ERR_clear_error();
  return out;
}

}  // namespace c2hunt::x509

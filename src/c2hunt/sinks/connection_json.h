// Writes connection records as ECS JSON Lines (the `connections` command's output).
#pragma once

#include <cstdio>
#include <memory>
#include <string>
#include <unordered_map>

#include "c2hunt/records/connection.h"
#include "c2hunt/sinks/json_writer.h"

namespace c2hunt::sinks {

constexpr int kConnectionSchemaVersion = 2;

// "1.2" / "1.3" / "1.0" / "3.0" (SSLv3) / "2.0"; empty when unknown.
std::string tls_version_text(uint16_t wire_version);
// The x509 object shared by connection records and alerts (ECS tls.server.x509.* plus c2hunt extras).
void write_certificate(JsonWriter& w, uint32_t chain_index, const records::Certificate& c);

// The JSON of certificate facts, written once per distinct facts object and copied into every record
// that refers to it: a server presents the same chain on every connection, and its certificates'
// JSON was a fifth of a record's writing. Keyed by the facts' address, which is unique while the
// cache holds a reference to them. Bounded by bytes: cleared whole when full (kMaxBytes).
class CertificateJsonCache {
 public:
  static constexpr size_t kMaxBytes = 8u << 20;
  struct Fragments {
    std::shared_ptr<const records::Certificate> facts;  // keeps the key's address unique
    std::string server_leaf;  // tls.server.subject ... tls.server.hash.sha256, as a chain's first certificate
    std::string object;       // the x509 object's members after chain_index
  };
  const Fragments& get(const std::shared_ptr<const records::Certificate>& facts);

 private:
  std::unordered_map<const records::Certificate*, Fragments> entries_;
  size_t bytes_ = 0;
  JsonWriter scratch_;
};

// With a cache, certificate JSON is copied from it (the output is the same either way).
void write_connection(JsonWriter& w, const records::Connection& c, CertificateJsonCache* cache = nullptr);

class ConnectionJsonSink {
 public:
  explicit ConnectionJsonSink(std::FILE* out) : out_(out) {}
  void write(const records::Connection& c);

 private:
  std::FILE* out_;
  JsonWriter writer_;
  CertificateJsonCache certificates_;
};

}  // namespace c2hunt::sinks

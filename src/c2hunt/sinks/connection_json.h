// Writes connection records as ECS JSON Lines (the `connections` command's output).
#pragma once

#include <cstdio>
#include <string>

#include "c2hunt/records/connection.h"
#include "c2hunt/sinks/json_writer.h"

namespace c2hunt::sinks {

constexpr int kConnectionSchemaVersion = 2;

// "1.2" / "1.3" / "1.0" / "3.0" (SSLv3) / "2.0"; empty when unknown.
std::string tls_version_text(uint16_t wire_version);
// The x509 object shared by connection records and alerts (ECS tls.server.x509.* plus c2hunt extras).
void write_certificate(JsonWriter& w, const records::Certificate& c);
void write_connection(JsonWriter& w, const records::Connection& c);

class ConnectionJsonSink {
 public:
  explicit ConnectionJsonSink(std::FILE* out) : out_(out) {}
  void write(const records::Connection& c);

 private:
  std::FILE* out_;
  JsonWriter writer_;
};

}  // namespace c2hunt::sinks

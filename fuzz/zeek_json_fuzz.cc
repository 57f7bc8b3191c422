// Fuzzes the Zeek JSON Lines reader: the first byte picks the log kind, the rest are the lines.
// An ssl and an x509 line are read first so that the conn-phase join runs on fuzzed rows too.
#include <cstddef>
#include <cstdint>
#include <string>

#include "c2hunt/sources/zeek/zeek_source.h"

namespace {
struct NullConsumer : c2hunt::records::RecordConsumer {
  void on_connection(c2hunt::records::Connection&&) override {}
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  static const char* kNames[] = {"conn.log", "ssl.log", "x509.log", "dns.log"};
  std::string body = "{\"_path\":\"" + std::string(kNames[data[0] % 4]).substr(0, std::string(kNames[data[0] % 4]).find('.')) +
                     "\",\"ts\":1}\n";
  body.append(reinterpret_cast<const char*>(data + 1), size - 1);
  NullConsumer consumer;
  c2hunt::Counters counters;
  c2hunt::Diagnostics diagnostics;
  diagnostics.set_quiet(true);
  c2hunt::zeek::ZeekSource source(consumer, counters, diagnostics);
  source.read_text("ssl.log",
                   "{\"ts\":1,\"uid\":\"C1\",\"id.orig_h\":\"10.0.0.1\",\"id.orig_p\":1,\"id.resp_h\":\"10.0.0.2\","
                   "\"id.resp_p\":2,\"cert_chain_fuids\":[\"F1\",\"F2\"],\"cert_chain_fps\":[\"ab\"]}\n");
  source.read_text("x509.log", "{\"ts\":1,\"id\":\"F1\",\"fingerprint\":\"ab\"}\n");
  source.read_text(kNames[data[0] % 4], body);
  source.finish();
  return 0;
}

// Fuzzes the Zeek TSV reader: the input is a log file body; the first byte picks the log kind
// the file name claims (conn, ssl, x509, dns), so headers and rows of every kind are exercised.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "c2hunt/sources/zeek/zeek_source.h"

namespace {
struct NullConsumer : c2hunt::records::RecordConsumer {
  void on_connection(c2hunt::records::Connection&&) override {}
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  static const char* kNames[] = {"conn.log", "ssl.log", "x509.log", "dns.log"};
  std::string body = "#separator \\x09\n";
  body.append(reinterpret_cast<const char*>(data + 1), size - 1);
  NullConsumer consumer;
  c2hunt::Counters counters;
  c2hunt::Diagnostics diagnostics;
  diagnostics.set_quiet(true);
  c2hunt::zeek::ZeekSource source(consumer, counters, diagnostics);
  source.read_text(kNames[data[0] % 4], body);
  source.finish();
  return 0;
}

// Fuzzes the Suricata eve.json reader (both passes, the flow_id join and the TLS-only emission).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "c2hunt/sources/suricata/eve_source.h"

namespace {
struct NullConsumer : c2hunt::records::RecordConsumer {
  void on_connection(c2hunt::records::Connection&&) override {}
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  NullConsumer consumer;
  c2hunt::Counters counters;
  c2hunt::Diagnostics diagnostics;
  diagnostics.set_quiet(true);
  c2hunt::suricata::EveSource source(consumer, counters, diagnostics);
  source.read_text("fuzz.eve.json", std::string_view(reinterpret_cast<const char*>(data), size));
  source.finish();
  return 0;
}

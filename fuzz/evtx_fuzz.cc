// EVTX files through libevtx (from memory, via an anonymous in-memory file) and the record XML parser.
#include "sysmon_fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static std::FILE* devnull = std::fopen("/dev/null", "w");
  c2hunt::fuzzing::NullConsumer sink;
  c2hunt::Counters counters;
  c2hunt::Diagnostics diagnostics(devnull);
  c2hunt::sysmon::SysmonSource source(sink, counters, diagnostics);
  source.read_evtx_memory(data, size, "fuzz");
  return 0;
}

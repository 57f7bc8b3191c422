// Sysmon event XML (an <Events> document or one <Event> per line).
#include "sysmon_fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  c2hunt::fuzzing::read_sysmon_text(data, size, c2hunt::sysmon::Format::xml);
  return 0;
}

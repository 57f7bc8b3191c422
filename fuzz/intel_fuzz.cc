// Fuzzes the intel CSV reader (all four formats are recognised from the first lines).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string_view>

#include "c2hunt/signals/intel_db.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static std::FILE* sink = std::fopen("/dev/null", "w");
  c2hunt::Diagnostics diagnostics(sink);
  c2hunt::Counters counters;
  c2hunt::signals::IntelDb db(1000);
  db.load_text(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.csv", diagnostics, counters);
  (void)db.find(c2hunt::signals::IntelKind::ja3, "b386946a5a44d1ddcc843bc75336dfce");
  return 0;
}

// Fuzzes the YAML configuration loader: any bytes either load or raise ConfigError, never crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "c2hunt/config/scan_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    c2hunt::config::ScanConfig c = c2hunt::config::load_config(text, "fuzz.yaml");
    (void)c.level_for(50);
  } catch (const c2hunt::config::ConfigError&) {
  }
  return 0;
}

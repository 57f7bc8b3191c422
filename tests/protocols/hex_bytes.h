// Hex text to bytes for hand-typed test vectors; spaces and newlines are ignored.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string_view>
#include <vector>

namespace c2hunt::testing {

inline std::vector<uint8_t> hex_bytes(std::string_view hex) {
  std::vector<uint8_t> out;
  int high = -1;
  for (char ch : hex) {
    int v;
    if (ch >= '0' && ch <= '9') v = ch - '0';
    else if (ch >= 'a' && ch <= 'f') v = ch - 'a' + 10;
    else if (ch >= 'A' && ch <= 'F') v = ch - 'A' + 10;
    else if (ch == ' ' || ch == '\n' || ch == '\t') continue;
    else throw std::invalid_argument("bad hex digit");
    if (high < 0) {
      high = v;
    } else {
      out.push_back(static_cast<uint8_t>(high << 4 | v));
      high = -1;
    }
  }
  if (high >= 0) throw std::invalid_argument("odd number of hex digits");
  return out;
}

}  // namespace c2hunt::testing

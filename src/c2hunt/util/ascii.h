// ASCII case folding for protocol text (DNS names, hex fingerprints, config keywords): no locale,
// bytes outside A-Z unchanged, so the result is the same on every machine and never allocates
// more than the copy it returns.
#pragma once

#include <string>
#include <string_view>

namespace c2hunt {

constexpr char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

inline void lower_ascii_in_place(std::string& s) {
  for (char& c : s) c = ascii_lower(c);
}

inline std::string lower_ascii(std::string_view s) {
  std::string out(s);
  lower_ascii_in_place(out);
  return out;
}

constexpr bool has_ascii_upper(std::string_view s) {
  for (char c : s)
    if (c >= 'A' && c <= 'Z') return true;
  return false;
}

constexpr bool iequals_ascii(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

}  // namespace c2hunt

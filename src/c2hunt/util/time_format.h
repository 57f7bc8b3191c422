// Times are int64 microseconds since the Unix epoch (UTC) everywhere in c2hunt.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace c2hunt {

using TimeMicros = int64_t;
constexpr TimeMicros kMicrosPerSecond = 1'000'000;

// "2024-01-02T03:04:05.123456Z"
std::string format_iso8601(TimeMicros t);
// The same text in a fixed buffer: a record writer formats several times per connection, and the
// 27 characters are past std::string's inline capacity (one heap allocation each).
struct Iso8601Text {
  char text[27];
  std::string_view view() const { return {text, sizeof text}; }
};
Iso8601Text iso8601_text(TimeMicros t);
// Accepts "YYYY-MM-DDTHH:MM:SS[.ffffff][Z|+hh:mm]" and the space-separated form Sysmon writes.
std::optional<TimeMicros> parse_iso8601(std::string_view text);
// Zeek/epoch style "1700000000.123456".
std::optional<TimeMicros> parse_epoch_seconds(std::string_view text);

}  // namespace c2hunt

#include "c2hunt/util/time_format.h"

#include <array>
#include <charconv>
#include <cstring>

namespace c2hunt {
namespace {

// Days from civil date (Howard Hinnant's algorithm), valid for the proleptic Gregorian calendar.
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

bool read_int(std::string_view s, size_t pos, size_t len, int& out) {
  if (pos + len > s.size()) return false;
  auto [p, ec] = std::from_chars(s.data() + pos, s.data() + pos + len, out);
  return ec == std::errc() && p == s.data() + pos + len;
}

// Digits after a decimal point as microseconds (extra digits truncated); false when there are none.
bool read_fraction(std::string_view s, size_t& pos, int64_t& micros) {
  int digits = 0;
  while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
    if (digits < 6) micros = micros * 10 + (s[pos] - '0');
    ++digits;
    ++pos;
  }
  for (int i = digits; i < 6; ++i) micros *= 10;
  return digits > 0;
}

}  // namespace

// Formatted by hand rather than with gmtime_r + snprintf: every record carries two or three of
// these, and the libc path showed up in the connections benchmark.
Iso8601Text iso8601_text(TimeMicros t) {
  int64_t secs = t >= 0 ? t / kMicrosPerSecond : (t - (kMicrosPerSecond - 1)) / kMicrosPerSecond;
  int64_t micros = t - secs * kMicrosPerSecond;
  int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
  int64_t rem = secs - days * 86400;
  Iso8601Text out;
  char* buf = out.text;
  // Two digits at a time from a table ("00" to "99"): a record formats up to nine timestamps.
  static constexpr auto kPairs = [] {
    std::array<char, 200> pairs{};
    for (int i = 0; i < 100; ++i) {
      pairs[static_cast<size_t>(2 * i)] = static_cast<char>('0' + i / 10);
      pairs[static_cast<size_t>(2 * i + 1)] = static_cast<char>('0' + i % 10);
    }
    return pairs;
  }();
  auto put = [&](int pos, int64_t v, int width) {
    for (int i = width - 2; i >= 0; i -= 2, v /= 100)
      std::memcpy(buf + pos + i, &kPairs[static_cast<size_t>(2 * (v % 100))], 2);
  };
  // The records of a capture or a log mostly fall on one day: its date is formatted once.
  thread_local int64_t cached_days = INT64_MIN;
  thread_local char cached_date[10];
  if (days != cached_days) {
    // Civil date from days since 1970-01-01 (the inverse of days_from_civil).
    int64_t z = days + 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = static_cast<int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    if (y < 0 || y > 9999) y = y < 0 ? 0 : 9999;  // keep the fixed-width form for absurd inputs
    put(0, y, 4);
    buf[4] = '-';
    put(5, m, 2);
    buf[7] = '-';
    put(8, d, 2);
    std::memcpy(cached_date, buf, sizeof cached_date);
    cached_days = days;
  } else {
    std::memcpy(buf, cached_date, sizeof cached_date);
  }
  buf[10] = 'T';
  buf[13] = buf[16] = ':';
  buf[19] = '.';
  buf[26] = 'Z';
  put(11, rem / 3600, 2);
  put(14, rem / 60 % 60, 2);
  put(17, rem % 60, 2);
  put(20, micros, 6);
  return out;
}

std::string format_iso8601(TimeMicros t) { return std::string(iso8601_text(t).view()); }

std::optional<TimeMicros> parse_iso8601(std::string_view s) {
  int y, mo, d, h, mi, sec;
  if (s.size() < 19 || !read_int(s, 0, 4, y) || s[4] != '-' || !read_int(s, 5, 2, mo) || s[7] != '-' ||
      !read_int(s, 8, 2, d) || (s[10] != 'T' && s[10] != ' ') || !read_int(s, 11, 2, h) || s[13] != ':' ||
      !read_int(s, 14, 2, mi) || s[16] != ':' || !read_int(s, 17, 2, sec))
    return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return std::nullopt;
  size_t pos = 19;
  int64_t micros = 0;
  if (pos < s.size() && s[pos] == '.' && !read_fraction(s, ++pos, micros)) return std::nullopt;
  int64_t offset_secs = 0;
  if (pos < s.size()) {
    char c = s[pos];
    if (c == 'Z' || c == 'z') {
      ++pos;
    } else if (c == '+' || c == '-') {
      int oh, om;
      if (!read_int(s, pos + 1, 2, oh)) return std::nullopt;
      size_t mpos = pos + 3;
      if (mpos < s.size() && s[mpos] == ':') ++mpos;
      if (!read_int(s, mpos, 2, om)) return std::nullopt;
      offset_secs = (oh * 3600 + om * 60) * (c == '-' ? -1 : 1);
      pos = mpos + 2;
    }
    if (pos != s.size()) return std::nullopt;
  }
  int64_t days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  int64_t secs = days * 86400 + h * 3600 + mi * 60 + sec - offset_secs;
  return secs * kMicrosPerSecond + micros;
}

std::optional<TimeMicros> parse_epoch_seconds(std::string_view s) {
  if (s.empty()) return std::nullopt;
  bool neg = s[0] == '-';
  size_t pos = neg ? 1 : 0;
  int64_t whole = 0;
  size_t start = pos;
  while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
    if (whole > 922337203685LL) return std::nullopt;
    whole = whole * 10 + (s[pos] - '0');
    ++pos;
  }
  if (pos == start) return std::nullopt;
  int64_t micros = 0;
  if (pos < s.size() && s[pos] == '.' && !read_fraction(s, ++pos, micros) && pos != s.size()) return std::nullopt;
  if (pos != s.size()) return std::nullopt;
  int64_t v = whole * kMicrosPerSecond + micros;
  return neg ? -v : v;
}

}  // namespace c2hunt

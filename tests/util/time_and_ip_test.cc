#include <gtest/gtest.h>

#include <arpa/inet.h>

#include <cstdio>
#include <random>
#include <ctime>

#include "c2hunt/util/community_id.h"
#include "c2hunt/util/ip_address.h"
#include "c2hunt/util/text_escape.h"
#include "c2hunt/util/time_format.h"

namespace c2hunt {

TEST(TimeFormat, RoundTripsIsoWithMicroseconds) {
  EXPECT_EQ(format_iso8601(0), "1970-01-01T00:00:00.000000Z");
  EXPECT_EQ(format_iso8601(1700000000123456), "2023-11-14T22:13:20.123456Z");
  EXPECT_EQ(parse_iso8601("2023-11-14T22:13:20.123456Z"), 1700000000123456);
  EXPECT_EQ(parse_iso8601("2023-11-14 22:13:20.123"), 1700000000123000);
  EXPECT_EQ(parse_iso8601("2023-11-14T23:13:20+01:00"), 1700000000000000);
  EXPECT_FALSE(parse_iso8601("2023-13-14T22:13:20Z"));
  EXPECT_FALSE(parse_iso8601("garbage"));
  EXPECT_EQ(parse_epoch_seconds("1700000000.5"), 1700000000500000);
  EXPECT_FALSE(parse_epoch_seconds("17x"));
}

// Property: the hand-written formatter agrees with libc's gmtime_r across centuries, and parsing
// its output gives the time back.
// Each generated time is followed by a few within hours of it, so the formatter's remembered date
// is used as well as replaced (including across midnight).
TEST(TimeFormat, AgreesWithGmtimeOnGeneratedTimes) {
  uint64_t state = 42;
  TimeMicros base = 0;
  for (int i = 0; i < 20000; ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    if (i % 4 == 0)
      base = static_cast<TimeMicros>(state % 7'000'000'000ULL) * kMicrosPerSecond / 2 - 1'000'000'000LL * kMicrosPerSecond;
    TimeMicros t = base + static_cast<TimeMicros>(state % (6 * 3600)) * kMicrosPerSecond +
                   static_cast<TimeMicros>(state % 1'000'000);
    time_t secs = static_cast<time_t>(t >= 0 ? t / kMicrosPerSecond : (t - 999'999) / kMicrosPerSecond);
    struct tm tm {};
    gmtime_r(&secs, &tm);
    char want[96];
    std::snprintf(want, sizeof want, "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                  static_cast<long long>(t - static_cast<TimeMicros>(secs) * kMicrosPerSecond));
    ASSERT_EQ(format_iso8601(t), want) << t;
    ASSERT_EQ(parse_iso8601(want), t) << want;
  }
}

TEST(IpAddress, ParsesFormatsAndClassifies) {
  auto a = IpAddress::parse("10.0.5.13");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->to_string(), "10.0.5.13");
  EXPECT_TRUE(a->is_private_or_local());
  EXPECT_FALSE(IpAddress::parse("181.131.218.39")->is_private_or_local());
  EXPECT_TRUE(IpAddress::parse("100.64.1.1")->is_private_or_local());
  EXPECT_TRUE(IpAddress::parse("fd12::1")->is_private_or_local());
  EXPECT_FALSE(IpAddress::parse("2001:db8::1")->is_private_or_local());
  EXPECT_FALSE(IpAddress::parse("300.1.1.1"));
  auto n = IpNetwork::parse("172.16.0.0/12");
  ASSERT_TRUE(n);
  EXPECT_TRUE(n->contains(*IpAddress::parse("172.31.255.255")));
  EXPECT_FALSE(n->contains(*IpAddress::parse("172.32.0.0")));
  EXPECT_FALSE(IpNetwork::parse("10.0.0.0/33"));
}

// Vectors from the Community ID spec's reference test data (corelight/community-id-spec).
// IPv4 text is written by c2hunt itself: it must agree with inet_ntop on every kind of octet.
TEST(IpAddress, Ipv4TextAgreesWithInetNtop) {
  std::mt19937 rng(7);
  for (int i = 0; i < 20000; ++i) {
    uint8_t b[4];
    uint32_t r = rng();
    for (int k = 0; k < 4; ++k) b[k] = static_cast<uint8_t>(i < 256 ? (k == 3 ? i : 0) : r >> (8 * k));
    char expected[INET_ADDRSTRLEN];
    ASSERT_NE(inet_ntop(AF_INET, b, expected, sizeof expected), nullptr);
    ASSERT_EQ(IpAddress::v4(b).to_string(), expected);
  }
}

TEST(CommunityId, MatchesSpecVectors) {
  EXPECT_EQ(community_id_v1(*IpAddress::parse("128.232.110.120"), 34855, *IpAddress::parse("66.35.250.204"), 80, 6),
            "1:LQU9qZlK+B5F3KDmev6m5PMibrg=");
  EXPECT_EQ(community_id_v1(*IpAddress::parse("66.35.250.204"), 80, *IpAddress::parse("128.232.110.120"), 34855, 6),
            "1:LQU9qZlK+B5F3KDmev6m5PMibrg=");
}

TEST(TextEscape, ControlCharactersAndInvalidUtf8BecomeVisible) {
  EXPECT_EQ(escape_for_terminal("a\x1b[31mb"), "a\\x1b[31mb");
  EXPECT_EQ(escape_for_terminal(std::string("x\0y", 3)), "x\\x00y");
  EXPECT_EQ(escape_for_terminal("caf\xc3\xa9"), "caf\xc3\xa9");
  EXPECT_EQ(escape_for_terminal("\xff"), "\\xff");
  EXPECT_EQ(escape_for_terminal("C:\\Users\\x\\a.exe"), "C:\\Users\\\\x\\a.exe");  // only the \x is doubled
}

}  // namespace c2hunt

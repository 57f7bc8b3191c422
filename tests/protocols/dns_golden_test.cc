// Golden test on the shared captures that carry DNS over UDP: every message tshark decodes must be
// recognised and give the same question and A/AAAA/CNAME answers.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "c2hunt/protocols/dns/dns_message.h"
#include "protocols/hex_bytes.h"
#include "protocols/tshark_fields.h"
#include "test_support.h"

namespace c2hunt::dns {
namespace {

using testing::split_fields;

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::vector<std::string> ours(const Message& m, uint16_t type) {
  std::vector<std::string> out;
  for (const Answer& a : m.answers) {
    if (a.type == type) out.push_back(type == kTypeCname ? a.target : a.address.to_string());
  }
  return out;
}

bool is_subsequence(const std::vector<std::string>& small, const std::vector<std::string>& big) {
  size_t j = 0;
  for (const std::string& s : big) {
    if (j < small.size() && s == small[j]) ++j;
  }
  return j == small.size();
}

class DnsGolden : public ::testing::TestWithParam<const char*> {};

TEST_P(DnsGolden, MatchesTshark) {
  C2HUNT_REQUIRE_SHARED_DATA();
  if (!testing::tshark_available()) GTEST_SKIP() << "tshark not installed";
  size_t messages = 0, answers = 0;
  for (const std::vector<std::string>& f :
       testing::tshark_fields(testing::shared_data_path(GetParam()), "dns && udp",
                              {"dns.qry.name", "dns.count.auth_rr", "dns.count.add_rr", "dns.a", "dns.aaaa",
                               "dns.cname", "udp.payload"})) {
    const std::vector<uint8_t> payload = testing::hex_bytes(f[6]);
    Message m;
    ++messages;
    EXPECT_TRUE(looks_like_dns(payload)) << f[0];
    ASSERT_TRUE(parse_message(payload, m)) << f[0];
    const std::vector<std::string> qnames = split_fields(f[0], ',');
    EXPECT_EQ(m.query, qnames.empty() ? "" : lower(qnames[0]));
    // tshark lists records of all sections; only the answer section is ours.
    const bool answers_only = f[1] == "0" && f[2] == "0";
    const std::pair<uint16_t, std::string> kinds[] = {{kTypeA, f[3]}, {kTypeAaaa, f[4]}, {kTypeCname, lower(f[5])}};
    for (const auto& [type, theirs_text] : kinds) {
      const std::vector<std::string> theirs = split_fields(theirs_text, ',');
      const std::vector<std::string> mine = ours(m, type);
      if (answers_only) {
        EXPECT_EQ(mine, theirs) << f[0] << " type " << type;
      } else {
        EXPECT_TRUE(is_subsequence(mine, theirs)) << f[0] << " type " << type;
      }
    }
    answers += m.answers.size();
  }
  EXPECT_GT(messages, 0u);
  std::printf("%s: %zu DNS messages, %zu A/AAAA/CNAME answers\n", GetParam(), messages, answers);
}

INSTANTIATE_TEST_SUITE_P(SharedCaptures, DnsGolden,
                         ::testing::Values("pcap/async__asyncrat_cd010953-5faf-4054-86be-58c020c3a532.pcap",
                                           "pcap/async__dcrat_30a385ed-171e-4f15-ac3f-08c96be7bfd1.pcap",
                                           "pcap/ja4__latest.pcapng",
                                           "pcap/otrf__msf-lsass01-metasploit_logonpasswords.pcapng"));

}  // namespace
}  // namespace c2hunt::dns
